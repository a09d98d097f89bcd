"""党务公开: an org publishes items to an audience for a period; the audience files feedback; objections are
answered, and until they are, a candidate notice's subject cannot be admitted (`ensure_objections_answered`,
which the development pipeline calls).

Publishers (members:write) and staff readers (members:read) reach the items of their subtree (404 outside).
A member's own account, without members:read, sees only published items of its period whose audience
includes the member: `members` of the member's own org, `subtree` or `public` of that org or an ancestor.
The public sees `public` items of one org during their period (`list_public`). Every view of an item is
rendered from the kind's allowed fields (schemas.KIND_FIELDS): a member appears by name only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Select, String, and_, case, false, func, literal, or_, select
from sqlalchemy.orm import Session

from vanguard.core.errors import FieldError, InvalidInput
from vanguard.core.etag import check_if_match
from vanguard.core.masking import mask_name
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Permission, Principal, Scope
from vanguard.members.models import Member, MemberStatus, Stage
from vanguard.members.service import MemberNotFound, get_member
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.publicity.errors import (
    AlreadyAnswered,
    DuplicateMember,
    EndsBeforeStart,
    FeedbackClosed,
    FeedbackNotFound,
    FieldRequired,
    NotAnObjection,
    NotUnderNotice,
    ObjectionsUnanswered,
    PeriodOver,
    PublicationMemberNotFound,
    PublicationNotDraft,
    PublicationNotFound,
    PublicationNotPublished,
)
from vanguard.publicity.models import (
    Audience,
    Feedback,
    FeedbackKind,
    Publication,
    PublicationKind,
    PublicationState,
    mask_contact,
)
from vanguard.publicity.schemas import (
    COMMON_FIELDS,
    KIND_FIELDS,
    DuesTotals,
    FeedbackAnswer,
    FeedbackCreate,
    FeedbackRead,
    FeedbackReceipt,
    GradeEntry,
    GradeRow,
    NoticeSubject,
    PledgeEntry,
    PledgeRow,
    PublicationCreate,
    PublicationRead,
    PublicationUpdate,
    PublicationView,
    check_publishable,
)

# What each kind cannot do without; the rest of its allow-list is optional.
REQUIRED_FIELDS: dict[PublicationKind, tuple[str, ...]] = {
    PublicationKind.MEETING_RESOLUTION: (),
    PublicationKind.CANDIDATE_NOTICE: ("member_id",),
    PublicationKind.EVALUATION_RESULTS: ("grades",),
    PublicationKind.DUES_REPORT: ("totals",),
    PublicationKind.PLEDGE_RESULTS: ("pledges",),
}
NOTICE_STAGES = frozenset({Stage.CANDIDATE, Stage.PROBATIONARY})  # 发展对象公示, 预备党员转正公示

# --- who sees what -------------------------------------------------------------------------------


def _with_org() -> Select[Any]:
    return (
        select(Publication)
        .add_columns(Organisation.name)
        .join(Organisation, Organisation.id == Publication.org_id)
    )


def _in_period(today: date) -> ColumnElement[bool]:
    return and_(Publication.starts_on <= today, Publication.ends_on >= today)


def _member_org_path(session: Session, member_id: int) -> str | None:
    path: str | None = session.scalar(
        select(Organisation.path)
        .join(Member, Member.org_id == Organisation.id)
        .where(Member.id == member_id, Member.status == MemberStatus.NORMAL)
    )
    return path


def readable(session: Session, caller: Principal, today: date) -> Select[Any]:
    """The one place that decides which items (with their org's name) a caller may see."""
    stmt = _with_org()
    if caller.can(Permission.MEMBERS_READ):
        return stmt.where(caller.scope.clause(Organisation.path))
    path = None if caller.member_id is None else _member_org_path(session, caller.member_id)
    if path is None:
        return stmt.where(false())
    own_or_ancestor = literal(path, String()).like(Organisation.path + literal("%"))
    return stmt.where(
        Publication.state == PublicationState.PUBLISHED,
        _in_period(today),
        or_(
            and_(Publication.audience == Audience.MEMBERS, Organisation.path == path),
            and_(Publication.audience.in_((Audience.SUBTREE, Audience.PUBLIC)), own_or_ancestor),
        ),
    )


def get_publication(
    session: Session, scope: Scope, publication_id: int, *, for_update: bool = False
) -> Publication:
    """An item of the scope, for its publishers (404 outside)."""
    stmt = (
        select(Publication)
        .join(Organisation, Organisation.id == Publication.org_id)
        .where(scope.clause(Organisation.path), Publication.id == publication_id)
    )
    if for_update:
        stmt = stmt.with_for_update(of=Publication)
    found: Publication | None = session.scalars(stmt).one_or_none()
    if found is None:
        raise PublicationNotFound()
    return found


def visible(session: Session, caller: Principal, publication_id: int, today: date) -> Publication:
    row = session.execute(readable(session, caller, today).where(Publication.id == publication_id)).first()
    if row is None:
        raise PublicationNotFound()
    item: Publication = row[0]
    return item


# --- rendering -------------------------------------------------------------------------------------


def _member_ids(item: Publication) -> set[int]:
    ids = {item.member_id} if item.member_id is not None else set()
    for key in ("grades", "pledges"):
        ids |= {int(row["member_id"]) for row in item.content.get(key) or []}
    return ids


def _people(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, Stage, str]]:
    """Name, stage and org name of each member: all an item may show of a person."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Member.id, Member.name, Member.stage, Organisation.name)
        .join(Organisation, Organisation.id == Member.org_id)
        .where(Member.id.in_(wanted))
    ).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def _view(item: Publication, org_name: str, people: dict[int, tuple[str, Stage, str]]) -> PublicationView:
    content = item.content
    view = PublicationView(
        id=item.id,
        org_id=item.org_id,
        org_name=org_name,
        kind=item.kind,
        title=item.title,
        body=item.body,
        starts_on=item.starts_on,
        ends_on=item.ends_on,
        published_at=item.published_at,
        meeting_on=content.get("meeting_on"),
        year=content.get("year"),
    )
    if item.member_id is not None and item.member_id in people:
        name, stage, member_org = people[item.member_id]
        view.candidate = NoticeSubject(name=name, org_name=member_org, stage=stage)
    if "grades" in content:
        view.grades = [
            GradeRow(name=people[row["member_id"]][0], grade=row["grade"])
            for row in content["grades"]
            if row["member_id"] in people
        ]
    if "pledges" in content:
        view.pledges = [
            PledgeRow(name=people[row["member_id"]][0], pledge=row["pledge"], kept=row["kept"])
            for row in content["pledges"]
            if row["member_id"] in people
        ]
    if "totals" in content:
        view.totals = DuesTotals.model_validate(content["totals"])
    return view


def views(session: Session, rows: Sequence[tuple[Publication, str]]) -> list[PublicationView]:
    people = _people(session, (i for item, _ in rows for i in _member_ids(item)))
    return [_view(item, org_name, people) for item, org_name in rows]


def _feedback_counts(session: Session, ids: list[int]) -> dict[int, tuple[int, int]]:
    if not ids:
        return {}
    open_objection = case(
        (and_(Feedback.kind == FeedbackKind.OBJECTION, Feedback.answered_at.is_(None)), 1), else_=0
    )
    rows = session.execute(
        select(Feedback.publication_id, func.count(), func.sum(open_objection))
        .where(Feedback.publication_id.in_(ids))
        .group_by(Feedback.publication_id)
    ).all()
    return {row[0]: (int(row[1]), int(row[2] or 0)) for row in rows}


def to_reads(session: Session, rows: Sequence[tuple[Publication, str]]) -> list[PublicationRead]:
    counts = _feedback_counts(session, [item.id for item, _ in rows])
    reads = []
    for (item, _), view in zip(rows, views(session, rows), strict=True):
        total, open_objections = counts.get(item.id, (0, 0))
        content = item.content
        reads.append(
            PublicationRead(
                id=item.id,
                org_id=item.org_id,
                kind=item.kind,
                audience=item.audience,
                state=item.state,
                title=item.title,
                body=item.body,
                starts_on=item.starts_on,
                ends_on=item.ends_on,
                meeting_on=content.get("meeting_on"),
                member_id=item.member_id,
                year=content.get("year"),
                grades=None if "grades" not in content else [GradeEntry(**r) for r in content["grades"]],
                totals=None if "totals" not in content else DuesTotals(**content["totals"]),
                pledges=None if "pledges" not in content else [PledgeEntry(**r) for r in content["pledges"]],
                published_at=item.published_at,
                withdrawn_at=item.withdrawn_at,
                withdraw_reason=item.withdraw_reason,
                feedback_count=total,
                objections_open=open_objections,
                view=view,
                version=item.version,
                created_at=item.created_at,
                updated_at=item.updated_at,
            )
        )
    return reads


def to_read(session: Session, item: Publication) -> PublicationRead:
    org_name = session.get_one(Organisation, item.org_id).name
    return to_reads(session, [(item, org_name)])[0]


def read(session: Session, caller: Principal, publication_id: int, today: date) -> PublicationRead:
    return to_read(session, visible(session, caller, publication_id, today))


def list_publications(
    session: Session,
    caller: Principal,
    *,
    today: date,
    org_id: int | None,
    kind: PublicationKind | None,
    state: PublicationState | None,
    member_id: int | None = None,
    cursor: str | None,
    limit: int,
) -> Page[PublicationRead]:
    """Newest first. `org_id` names one org's own items (404 for an org outside a staff caller's scope)."""
    stmt = readable(session, caller, today)
    if org_id is not None:
        if caller.can(Permission.MEMBERS_READ):
            orgs.get(session, caller.scope, org_id)
        stmt = stmt.where(Publication.org_id == org_id)
    for column, value in (
        (Publication.kind, kind),
        (Publication.state, state),
        (Publication.member_id, member_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    page = paginate_by_id(
        session,
        stmt,
        Publication.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: (row[0], row[1]),
        descending=True,
    )
    return Page[PublicationRead](items=to_reads(session, page.items), next_cursor=page.next_cursor)


def list_public(
    session: Session, org_id: int, *, today: date, cursor: str | None, limit: int
) -> Page[PublicationView]:
    """The public page of one org: its published `public` items whose period covers today."""
    if session.get(Organisation, org_id) is None:
        raise orgs.OrgNotFound()
    stmt = _with_org().where(
        Publication.org_id == org_id,
        Publication.state == PublicationState.PUBLISHED,
        Publication.audience == Audience.PUBLIC,
        _in_period(today),
    )
    page = paginate_by_id(
        session,
        stmt,
        Publication.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: (row[0], row[1]),
        descending=True,
    )
    return Page[PublicationView](items=views(session, page.items), next_cursor=page.next_cursor)


# --- drafting ------------------------------------------------------------------------------------


def _org_members(session: Session, org: Organisation, ids: list[int]) -> set[int]:
    """Which of `ids` are members (on the roll) of the org or below it."""
    found = session.scalars(
        select(Member.id)
        .join(Organisation, Organisation.id == Member.org_id)
        .where(Member.id.in_(ids), Organisation.path.like(org.path + "%"))
    )
    return set(found)


def _check_rows(session: Session, org: Organisation, key: str, rows: list[dict[str, Any]]) -> None:
    ids = [int(row["member_id"]) for row in rows]
    known = _org_members(session, org, ids)
    seen: set[int] = set()
    for i, member_id in enumerate(ids):
        if member_id not in known:
            raise PublicationMemberNotFound.at(f"{key}.{i}.member_id")
        if member_id in seen:
            raise DuplicateMember.at(f"{key}.{i}.member_id")
        seen.add(member_id)


def _subject(session: Session, org: Organisation, member_id: int) -> Member:
    try:
        member = get_member(session, Scope(org.path), member_id)
    except MemberNotFound as exc:
        raise PublicationMemberNotFound.at("member_id") from exc
    if member.status is not MemberStatus.NORMAL or member.stage not in NOTICE_STAGES:
        raise NotUnderNotice()
    return member


def _apply(session: Session, item: Publication, org: Organisation, data: PublicationCreate) -> None:
    """Check a complete draft against its kind's rules and write it onto `item`."""
    if data.ends_on < data.starts_on:
        raise EndsBeforeStart.at("ends_on")
    for field in REQUIRED_FIELDS[data.kind]:
        if getattr(data, field) is None:
            raise FieldRequired.at(field)
    fields = data.model_dump(mode="json", include=set(KIND_FIELDS[data.kind]), exclude_none=True)
    for key in ("grades", "pledges"):
        if key in fields:
            _check_rows(session, org, key, fields[key])
    member_id = fields.pop("member_id", None)
    if member_id is not None and member_id != item.member_id:
        _subject(session, org, member_id)
    item.member_id = member_id
    item.audience, item.title, item.body = data.audience, data.title, data.body
    item.starts_on, item.ends_on = data.starts_on, data.ends_on
    item.content = fields


def create(session: Session, scope: Scope, data: PublicationCreate) -> Publication:
    org = orgs.get(session, scope, data.org_id)
    item = Publication(org_id=org.id, kind=data.kind, state=PublicationState.DRAFT)
    _apply(session, item, org, data)
    session.add(item)
    session.flush()
    return item


def _as_fields(item: Publication) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "org_id": item.org_id,
        "kind": item.kind.value,
        "audience": item.audience.value,
        "title": item.title,
        "body": item.body,
        "starts_on": item.starts_on.isoformat(),
        "ends_on": item.ends_on.isoformat(),
        **item.content,
    }
    if item.member_id is not None:
        fields["member_id"] = item.member_id
    return fields


def update(
    session: Session, scope: Scope, publication_id: int, data: PublicationUpdate, if_match: str | None
) -> Publication:
    """Change a draft: the changed fields must be on the kind's allow-list, the result a valid draft."""
    item = get_publication(session, scope, publication_id, for_update=True)
    check_if_match(if_match, item.version)
    if item.state is not PublicationState.DRAFT:
        raise PublicationNotDraft()
    changes = data.model_dump(mode="json", exclude_unset=True)
    check_publishable(changes, COMMON_FIELDS | KIND_FIELDS[item.kind], item.kind.value)
    for key in ("audience", "title", "starts_on", "ends_on"):
        if key in changes and changes[key] is None:
            raise FieldRequired.at(key)
    merged = {key: value for key, value in {**_as_fields(item), **changes}.items() if value is not None}
    try:
        complete = PublicationCreate.model_validate(merged)
    except ValidationError as exc:  # each field was valid alone; kept as a 422, never a 500
        errors = [
            FieldError.of(".".join(map(str, e["loc"])), e["type"], e["msg"], e["msg"]) for e in exc.errors()
        ]
        raise InvalidInput(errors=errors) from exc
    org = session.get_one(Organisation, item.org_id)
    _apply(session, item, org, complete)
    session.flush()
    return item


def publish(
    session: Session, scope: Scope, publication_id: int, if_match: str | None, *, now: datetime, today: date
) -> Publication:
    """draft → published; a period already over is refused (409)."""
    item = get_publication(session, scope, publication_id, for_update=True)
    check_if_match(if_match, item.version)
    if item.state is not PublicationState.DRAFT:
        raise PublicationNotDraft()
    if item.ends_on < today:
        raise PeriodOver.at("ends_on")
    item.state, item.published_at = PublicationState.PUBLISHED, now
    session.flush()
    return item


def withdraw(
    session: Session, scope: Scope, publication_id: int, reason: str, if_match: str | None, *, now: datetime
) -> Publication:
    """published → withdrawn, with a reason. Its objections must still be answered."""
    item = get_publication(session, scope, publication_id, for_update=True)
    check_if_match(if_match, item.version)
    if item.state is not PublicationState.PUBLISHED:
        raise PublicationNotPublished()
    item.state, item.withdrawn_at, item.withdraw_reason = PublicationState.WITHDRAWN, now, reason
    session.flush()
    return item


# --- feedback ------------------------------------------------------------------------------------


def feedback_to_read(feedback: Feedback, *, reveal: bool) -> FeedbackRead:
    return FeedbackRead(
        id=feedback.id,
        publication_id=feedback.publication_id,
        kind=feedback.kind,
        text=feedback.text,
        name=feedback.name if reveal else mask_name(feedback.name),
        contact=feedback.contact if reveal else mask_contact(feedback.contact),
        contact_masked=not reveal,
        filed_by_user_id=feedback.filed_by_user_id,
        filed_at=feedback.filed_at,
        answer=feedback.answer,
        answered_at=feedback.answered_at,
        answered_by_user_id=feedback.answered_by_user_id,
        version=feedback.version,
    )


def receipt(feedback: Feedback) -> FeedbackReceipt:
    return FeedbackReceipt(
        id=feedback.id, publication_id=feedback.publication_id, kind=feedback.kind, filed_at=feedback.filed_at
    )


def _file(
    session: Session,
    item: Publication,
    data: FeedbackCreate,
    *,
    now: datetime,
    today: date,
    user_id: int | None,
) -> Feedback:
    if item.state is not PublicationState.PUBLISHED:
        raise PublicationNotPublished()
    if not item.starts_on <= today <= item.ends_on:
        raise FeedbackClosed()
    feedback = Feedback(
        publication_id=item.id,
        kind=data.kind,
        text=data.text,
        name=data.name,
        contact=data.contact,
        filed_by_user_id=user_id,
        filed_at=now,
    )
    feedback.publication = item
    session.add(feedback)
    session.flush()
    return feedback


def file_feedback(
    session: Session,
    caller: Principal,
    publication_id: int,
    data: FeedbackCreate,
    *,
    now: datetime,
    today: date,
) -> Feedback:
    """A signed-in caller who can see the item: on a published item, within its period (409 otherwise)."""
    item = visible(session, caller, publication_id, today)
    return _file(
        session, item, data, now=now, today=today, user_id=caller.id if caller.kind == "user" else None
    )


def file_public_feedback(
    session: Session, publication_id: int, data: FeedbackCreate, *, now: datetime, today: date
) -> Feedback:
    """Anyone, without logging in, on an item the public page shows (404 for any other)."""
    item = session.scalars(
        select(Publication).where(
            Publication.id == publication_id,
            Publication.state == PublicationState.PUBLISHED,
            Publication.audience == Audience.PUBLIC,
            _in_period(today),
        )
    ).one_or_none()
    if item is None:
        raise PublicationNotFound()
    return _file(session, item, data, now=now, today=today, user_id=None)


def list_feedback(
    session: Session,
    caller: Principal,
    publication_id: int,
    *,
    kind: FeedbackKind | None,
    unanswered: bool | None,
    cursor: str | None,
    limit: int,
) -> Page[FeedbackRead]:
    """Names and contacts are masked for callers without `pii`."""
    item = get_publication(session, caller.scope, publication_id)
    stmt = select(Feedback).where(Feedback.publication_id == item.id)
    if kind is not None:
        stmt = stmt.where(Feedback.kind == kind)
    if unanswered is not None:
        answered = Feedback.answered_at.is_not(None)
        stmt = stmt.where(~answered if unanswered else answered)
    reveal = caller.can(Permission.PII)
    return paginate_by_id(
        session,
        stmt,
        Feedback.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: feedback_to_read(row[0], reveal=reveal),
    )


def answer(
    session: Session,
    caller: Principal,
    publication_id: int,
    feedback_id: int,
    data: FeedbackAnswer,
    if_match: str | None,
    *,
    now: datetime,
) -> Feedback:
    """A written answer to an objection, once (409 for a comment or a second answer)."""
    item = get_publication(session, caller.scope, publication_id)
    feedback = session.scalars(
        select(Feedback)
        .where(Feedback.id == feedback_id, Feedback.publication_id == item.id)
        .with_for_update(of=Feedback)
    ).one_or_none()
    if feedback is None:
        raise FeedbackNotFound()
    check_if_match(if_match, feedback.version)
    if feedback.kind is not FeedbackKind.OBJECTION:
        raise NotAnObjection()
    if feedback.answered_at is not None:
        raise AlreadyAnswered()
    feedback.answer, feedback.answered_at = data.answer, now
    feedback.answered_by_user_id = caller.id if caller.kind == "user" else None
    session.flush()
    return feedback


# --- the development pipeline's gate -------------------------------------------------------------


def unanswered_objections(session: Session, member_id: int) -> int:
    """Objections not yet answered on any candidate notice of this member (in any state: withdrawing a
    notice does not answer what it drew)."""
    count = session.scalar(
        select(func.count(Feedback.id))
        .join(Publication, Publication.id == Feedback.publication_id)
        .where(
            Publication.member_id == member_id,
            Publication.kind == PublicationKind.CANDIDATE_NOTICE,
            Feedback.kind == FeedbackKind.OBJECTION,
            Feedback.answered_at.is_(None),
        )
    )
    return int(count or 0)


def ensure_objections_answered(session: Session, member: Member) -> None:
    """409 `objections_unanswered` (naming how many) while the member's public notice has open objections."""
    count = unanswered_objections(session, member.id)
    if count:
        raise ObjectionsUnanswered.count(member.name, count)
