"""结对帮扶: beneficiaries, pairs, visits and must-visit tasks (四必访).

Beneficiaries, pairs and tasks belong to an org (the beneficiary's / the member's branch) and every
query is scoped through that org's path: another branch sees nothing (404). Visits are reached
through their pair. A helper is a member or a cadre's user account (exactly one); the caps and the
one-active-pair rule hold for either, the latter also as a partial unique index against races.
`pairing_facts` is what scoring reads; the 台账 (coverage, export) lives in `pairing.ledger`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from vanguard.attachments.models import Attachment
from vanguard.attachments.schemas import AttachmentRead
from vanguard.attachments.service import attachments_for_link
from vanguard.attachments.service import to_read as attachment_to_read
from vanguard.audit.hook import record_event as audit_event
from vanguard.core.clock import local_today
from vanguard.core.dates import not_after_today
from vanguard.core.db import utcnow
from vanguard.core.etag import check_if_match
from vanguard.core.masking import mask_address, mask_phone
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Permission, Principal, Role, Scope
from vanguard.core.policy import (
    PAIRING_CADRE_HELPER_ROLES,
    PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY,
    PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER,
    PAIRING_MUST_VISIT_DUE_DAYS,
)
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.pairing.errors import (
    BeneficiaryDetailsInvalid,
    BeneficiaryNotFound,
    BeneficiaryPairLimit,
    DuplicateActivePair,
    DuplicateBeneficiary,
    EndReasonRequired,
    EndsBeforeStart,
    EndStatusInvalid,
    FieldRequired,
    FollowUpBeforeVisit,
    FollowUpMissing,
    HelperChoiceInvalid,
    HelperInactive,
    HelperIsBeneficiary,
    HelperNotCadre,
    HelperNotFound,
    HelperPairLimit,
    NoFollowUp,
    PairEndsBeforeLastVisit,
    PairNotActive,
    PairNotFound,
    TaskNotFound,
    TaskNotOpen,
    VisitClosedTask,
    VisitNotFound,
    VisitOutsidePair,
)
from vanguard.pairing.models import (
    Beneficiary,
    BeneficiaryKind,
    EventType,
    Pair,
    PairStatus,
    TaskClosure,
    Visit,
    VisitPhoto,
    VisitTask,
    VisitType,
)
from vanguard.pairing.schemas import (
    BeneficiaryCreate,
    BeneficiaryRead,
    BeneficiaryUpdate,
    EventCreate,
    FollowUpRead,
    FollowUpState,
    PairCreate,
    PairEnd,
    PairRead,
    PairUpdate,
    TaskClose,
    TaskRead,
    VisitCreate,
    VisitRead,
    VisitUpdate,
)
from vanguard.posts.service import Period
from vanguard.users.models import User

S = TypeVar("S", bound=Select[*tuple[Any, ...]])


def in_scope(stmt: S, scope: Scope, org_column: Any) -> S:
    return stmt.join(Organisation, Organisation.id == org_column).where(scope.clause(Organisation.path))


# --- beneficiaries -----------------------------------------------------------------------------


def beneficiary_to_read(b: Beneficiary, member_name: str | None, *, reveal: bool) -> BeneficiaryRead:
    """Contact fields (phone, address) are masked unless the caller holds `pii`."""
    return BeneficiaryRead(
        id=b.id,
        org_id=b.org_id,
        kind=b.kind,
        member_id=b.member_id,
        member_name=member_name,
        head_name=b.head_name,
        address=b.address if reveal else mask_address(b.address),
        village=b.village,
        household_size=b.household_size,
        situation=b.situation,
        needs=b.needs,
        contact_phone=b.contact_phone if reveal else mask_phone(b.contact_phone),
        contact_masked=not reveal,
        version=b.version,
        created_at=b.created_at,
        updated_at=b.updated_at,
    )


def _beneficiaries(scope: Scope) -> Select[Any]:
    stmt = select(Beneficiary).add_columns(Member.name).outerjoin(Member, Member.id == Beneficiary.member_id)
    return in_scope(stmt, scope, Beneficiary.org_id)


def get_beneficiary(
    session: Session, scope: Scope, beneficiary_id: int, *, for_update: bool = False
) -> Beneficiary:
    stmt = in_scope(select(Beneficiary), scope, Beneficiary.org_id).where(Beneficiary.id == beneficiary_id)
    if for_update:
        stmt = stmt.with_for_update(of=Beneficiary)
    found: Beneficiary | None = session.scalars(stmt).one_or_none()
    if found is None:
        raise BeneficiaryNotFound()
    return found


def read_beneficiary(session: Session, caller: Principal, beneficiary_id: int) -> BeneficiaryRead:
    row = session.execute(_beneficiaries(caller.scope).where(Beneficiary.id == beneficiary_id)).one_or_none()
    if row is None:
        raise BeneficiaryNotFound()
    return beneficiary_to_read(row[0], row[1], reveal=caller.can(Permission.PII))


def list_beneficiaries(
    session: Session,
    caller: Principal,
    *,
    org_id: int | None,
    kind: BeneficiaryKind | None,
    member_id: int | None = None,
    cursor: str | None,
    limit: int,
) -> Page[BeneficiaryRead]:
    stmt = _beneficiaries(caller.scope)
    if org_id is not None:
        stmt = stmt.where(Beneficiary.org_id == org_id)
    if kind is not None:
        stmt = stmt.where(Beneficiary.kind == kind)
    if member_id is not None:
        stmt = stmt.where(Beneficiary.member_id == member_id)
    reveal = caller.can(Permission.PII)
    return paginate_by_id(
        session,
        stmt,
        Beneficiary.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: beneficiary_to_read(row[0], row[1], reveal=reveal),
    )


def create_beneficiary(session: Session, scope: Scope, data: BeneficiaryCreate) -> Beneficiary:
    fields = data.model_dump(exclude={"kind", "member_id", "org_id"})
    if data.kind is BeneficiaryKind.MEMBER:
        if data.member_id is None or data.org_id is not None:
            raise BeneficiaryDetailsInvalid.at("member_id")
        member = members.get_member(session, scope, data.member_id, for_update=True)
        taken = session.scalar(select(Beneficiary.id).where(Beneficiary.member_id == member.id))
        if taken is not None:
            raise DuplicateBeneficiary()
        beneficiary = Beneficiary(kind=data.kind, member_id=member.id, org_id=member.org_id, **fields)
    else:
        if data.member_id is not None or data.org_id is None or data.head_name is None:
            raise BeneficiaryDetailsInvalid.at("org_id")
        org = orgs.get(session, scope, data.org_id)
        beneficiary = Beneficiary(kind=data.kind, org_id=org.id, **fields)
    session.add(beneficiary)
    session.flush()
    return beneficiary


def update_beneficiary(
    session: Session, scope: Scope, beneficiary_id: int, data: BeneficiaryUpdate, if_match: str | None
) -> Beneficiary:
    beneficiary = get_beneficiary(session, scope, beneficiary_id, for_update=True)
    check_if_match(if_match, beneficiary.version)
    changes = data.model_dump(exclude_unset=True)
    if (
        beneficiary.kind is BeneficiaryKind.HOUSEHOLD
        and "head_name" in changes
        and changes["head_name"] is None
    ):
        raise BeneficiaryDetailsInvalid.at("head_name")
    for key, value in changes.items():
        setattr(beneficiary, key, value)
    session.flush()
    return beneficiary


def member_name(session: Session, beneficiary: Beneficiary) -> str | None:
    return None if beneficiary.member_id is None else session.get_one(Member, beneficiary.member_id).name


# --- pairs -------------------------------------------------------------------------------------

_CADRE_ROLES = frozenset(Role(role) for role in PAIRING_CADRE_HELPER_ROLES)


def pair_to_read(pair: Pair) -> PairRead:
    return PairRead.model_validate(pair)


def get_pair(session: Session, scope: Scope, pair_id: int, *, for_update: bool = False) -> Pair:
    stmt = in_scope(select(Pair), scope, Pair.org_id).where(Pair.id == pair_id)
    if for_update:
        stmt = stmt.with_for_update(of=Pair)
    pair: Pair | None = session.scalars(stmt).one_or_none()
    if pair is None:
        raise PairNotFound()
    return pair


def list_pairs(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    helper_member_id: int | None,
    helper_user_id: int | None = None,
    beneficiary_id: int | None,
    status: PairStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[PairRead]:
    stmt = in_scope(select(Pair), scope, Pair.org_id)
    for column, value in (
        (Pair.org_id, org_id),
        (Pair.helper_member_id, helper_member_id),
        (Pair.helper_user_id, helper_user_id),
        (Pair.beneficiary_id, beneficiary_id),
        (Pair.status, status),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return paginate_by_id(
        session, stmt, Pair.id, cursor=cursor, limit=limit, to_item=lambda row: pair_to_read(row[0])
    )


@dataclass(frozen=True, slots=True)
class _Helper:
    column: InstrumentedAttribute[int | None]  # Pair.helper_member_id or Pair.helper_user_id
    id: int
    member_id: int | None  # the helper as a member, to refuse helping oneself


def _cadre(session: Session, scope: Scope, user_id: int) -> User:
    """A user account whose org lies in the scope, locked: its pair count is about to be checked."""
    user: User | None = session.scalars(
        in_scope(select(User), scope, User.org_id).where(User.id == user_id).with_for_update(of=User)
    ).one_or_none()
    if user is None:
        raise HelperNotFound.at("helper_user_id")
    if not user.is_active:
        raise HelperInactive()
    if user.role not in _CADRE_ROLES:
        raise HelperNotCadre.at("helper_user_id")
    return user


def _helper(session: Session, scope: Scope, data: PairCreate) -> _Helper:
    """The helper row is locked FOR UPDATE until commit, so two requests for one helper run one after
    the other and the second counts the first's pair (the caps cannot be exceeded by a race)."""
    if (data.helper_member_id is None) == (data.helper_user_id is None):
        raise HelperChoiceInvalid.at("helper_member_id")
    if data.helper_user_id is not None:
        user = _cadre(session, scope, data.helper_user_id)
        return _Helper(Pair.helper_user_id, user.id, None)
    assert data.helper_member_id is not None
    try:
        member = members.get_member(session, scope, data.helper_member_id, for_update=True)
    except members.MemberNotFound as exc:
        raise HelperNotFound.at("helper_member_id") from exc
    if member.status is not MemberStatus.NORMAL:
        raise members.MemberAlreadyLeft()
    return _Helper(Pair.helper_member_id, member.id, member.id)


def _active_count(session: Session, column: Any, value: int) -> int:
    return session.scalar(select(func.count()).where(column == value, Pair.status == PairStatus.ACTIVE)) or 0


def _active_pair_exists(session: Session, helper: _Helper, beneficiary_id: int) -> bool:
    found = session.scalar(
        select(Pair.id).where(
            helper.column == helper.id,
            Pair.beneficiary_id == beneficiary_id,
            Pair.status == PairStatus.ACTIVE,
        )
    )
    return found is not None


def _is_active_pair_clash(exc: IntegrityError) -> bool:
    # PostgreSQL names the index; SQLite names the indexed columns.
    text = str(exc.orig)
    return "uq_pairing_pairs_active_" in text or "pairing_pairs.beneficiary_id" in text


def create_pair(session: Session, scope: Scope, data: PairCreate, *, today: date | None = None) -> Pair:
    """Both ends must be visible to the caller (one outside the scope is refused as not found, naming
    the field); one active pair per helper and beneficiary; each side's active pairs are capped."""
    today = today or local_today()
    try:
        beneficiary = get_beneficiary(session, scope, data.beneficiary_id, for_update=True)
    except BeneficiaryNotFound as exc:
        raise BeneficiaryNotFound.at("beneficiary_id") from exc
    helper = _helper(session, scope, data)
    if helper.member_id is not None and helper.member_id == beneficiary.member_id:
        raise HelperIsBeneficiary.at("helper_member_id")
    started_on = data.started_on or today
    if data.ends_on is not None and data.ends_on < started_on:
        raise EndsBeforeStart.at("ends_on")
    if _active_pair_exists(session, helper, beneficiary.id):
        raise DuplicateActivePair()
    if _active_count(session, helper.column, helper.id) >= PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER:
        raise HelperPairLimit()
    if (
        _active_count(session, Pair.beneficiary_id, beneficiary.id)
        >= PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY
    ):
        raise BeneficiaryPairLimit()
    pair = Pair(
        org_id=beneficiary.org_id,
        beneficiary_id=beneficiary.id,
        kind=data.kind,
        goals=[goal.model_dump(mode="json") for goal in data.goals],
        started_on=started_on,
        ends_on=data.ends_on,
        status=PairStatus.ACTIVE,
    )
    setattr(pair, helper.column.key, helper.id)
    try:
        with session.begin_nested():
            session.add(pair)
            session.flush()
    except IntegrityError as exc:
        if _is_active_pair_clash(exc):
            raise DuplicateActivePair() from exc
        raise
    return pair


def _last_visit_on(session: Session, pair_id: int) -> date | None:
    last: date | None = session.scalar(select(func.max(Visit.visited_on)).where(Visit.pair_id == pair_id))
    return last


def update_pair(session: Session, scope: Scope, pair_id: int, data: PairUpdate, if_match: str | None) -> Pair:
    """Goals (三包) and the planned end, while the pair is active."""
    pair = get_pair(session, scope, pair_id, for_update=True)
    check_if_match(if_match, pair.version)
    if pair.status is not PairStatus.ACTIVE:
        raise PairNotActive()
    changes = data.model_fields_set
    if "goals" in changes:
        if data.goals is None:
            raise FieldRequired.at("goals")
        pair.goals = [goal.model_dump(mode="json") for goal in data.goals]
    if "ends_on" in changes:
        if data.ends_on is not None:
            if data.ends_on < pair.started_on:
                raise EndsBeforeStart.at("ends_on")
            last_visit = _last_visit_on(session, pair.id)
            if last_visit is not None and data.ends_on < last_visit:
                raise PairEndsBeforeLastVisit.at("ends_on")
        pair.ends_on = data.ends_on
    session.flush()
    return pair


def end_pair(
    session: Session,
    scope: Scope,
    pair_id: int,
    data: PairEnd,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Pair:
    pair = get_pair(session, scope, pair_id, for_update=True)
    check_if_match(if_match, pair.version)
    if pair.status is not PairStatus.ACTIVE:
        raise PairNotActive()
    if data.status is PairStatus.ACTIVE:
        raise EndStatusInvalid.at("status")
    if data.status is PairStatus.ENDED_EARLY and not data.reason:
        raise EndReasonRequired.at("reason")
    today = today or local_today()
    ended_on = data.ended_on or today
    not_after_today(ended_on, today, "ended_on")
    if ended_on < pair.started_on:
        raise EndsBeforeStart.at("ended_on")
    last_visit = _last_visit_on(session, pair.id)
    if last_visit is not None and ended_on < last_visit:
        raise PairEndsBeforeLastVisit.at("ended_on")
    pair.status, pair.ends_on, pair.end_reason = data.status, ended_on, data.reason
    session.flush()
    return pair


# --- visits ------------------------------------------------------------------------------------


def _photos(session: Session, visit_ids: list[int]) -> dict[int, list[AttachmentRead]]:
    found: dict[int, list[AttachmentRead]] = {visit_id: [] for visit_id in visit_ids}
    rows = session.execute(
        select(VisitPhoto.visit_id, Attachment)
        .join(Attachment, Attachment.id == VisitPhoto.attachment_id)
        .where(VisitPhoto.visit_id.in_(visit_ids))
        .order_by(VisitPhoto.visit_id, Attachment.id)
    ).all()
    for visit_id, attachment in rows:
        found[visit_id].append(attachment_to_read(attachment))
    return found


def _visit_read(visit: Visit, photos: list[AttachmentRead]) -> VisitRead:
    return VisitRead.model_validate(
        {**{key: getattr(visit, key) for key in VisitRead.model_fields if key != "photos"}, "photos": photos}
    )


def visit_to_read(session: Session, visit: Visit) -> VisitRead:
    return _visit_read(visit, _photos(session, [visit.id])[visit.id])


def list_visits(
    session: Session, scope: Scope, pair_id: int, *, cursor: str | None, limit: int
) -> Page[VisitRead]:
    pair = get_pair(session, scope, pair_id)
    page = paginate_by_id(
        session,
        select(Visit).where(Visit.pair_id == pair.id),
        Visit.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: row[0],
    )
    photos = _photos(session, [visit.id for visit in page.items])
    return Page[VisitRead](
        items=[_visit_read(visit, photos[visit.id]) for visit in page.items], next_cursor=page.next_cursor
    )


def _set_photos(
    session: Session, scope: Scope, pair: Pair, visit: Visit, attachment_ids: list[int], *, new: bool = False
) -> None:
    """Replace the visit's photos: image attachments of the pair's org only (refused naming the ids). The
    link rows are not versioned themselves, so a change bumps an existing visit's version (its ETag) and
    is audited on the visit."""
    wanted = [
        a.id for a in attachments_for_link(session, scope, attachment_ids, pair.org_id, images_only=True)
    ]
    links = {
        link.attachment_id: link
        for link in session.scalars(select(VisitPhoto).where(VisitPhoto.visit_id == visit.id))
    }
    if set(wanted) == set(links):
        return
    for attachment_id, link in links.items():
        if attachment_id not in wanted:
            session.delete(link)
    session.add_all(VisitPhoto(visit_id=visit.id, attachment_id=i) for i in wanted if i not in links)
    if not new:
        visit.updated_at = utcnow()
    audit_event(
        session,
        entity=Visit.__tablename__,
        entity_id=visit.id,
        action="update",
        org_id=pair.org_id,
        before={"photo_ids": sorted(links)},
        after={"photo_ids": sorted(wanted)},
    )
    session.flush()


def get_visit(
    session: Session, scope: Scope, pair_id: int, visit_id: int, *, for_update: bool = False
) -> Visit:
    pair = get_pair(session, scope, pair_id, for_update=for_update)
    stmt = select(Visit).where(Visit.id == visit_id, Visit.pair_id == pair.id)
    if for_update:
        stmt = stmt.with_for_update()
    visit: Visit | None = session.scalars(stmt).one_or_none()
    if visit is None:
        raise VisitNotFound()
    return visit


def _check_visit_dates(
    pair: Pair, visited_on: date, follow_up: str | None, follow_up_due_on: date | None, today: date
) -> None:
    not_after_today(visited_on, today, "visited_on")
    if visited_on < pair.started_on or (pair.ends_on is not None and visited_on > pair.ends_on):
        raise VisitOutsidePair.at("visited_on")
    if follow_up_due_on is not None:
        if follow_up is None:
            raise FollowUpMissing.at("follow_up_due_on")
        if follow_up_due_on < visited_on:
            raise FollowUpBeforeVisit.at("follow_up_due_on")


def _close_tasks_by(session: Session, pair: Pair, visit: Visit) -> None:
    """A 四必访 visit to a member beneficiary closes their open tasks of the same type opened on or
    before the visit."""
    if visit.type is VisitType.ROUTINE:
        return
    beneficiary = session.get_one(Beneficiary, pair.beneficiary_id)
    if beneficiary.member_id is None:
        return
    open_tasks = session.scalars(
        select(VisitTask)
        .where(
            VisitTask.member_id == beneficiary.member_id,
            VisitTask.event == EventType(visit.type.value),
            VisitTask.visit_id.is_(None),
            VisitTask.closed_as.is_(None),
            VisitTask.occurred_on <= visit.visited_on,
        )
        .with_for_update()
    ).all()
    for task in open_tasks:
        task.visit_id = visit.id
    session.flush()


def create_visit(
    session: Session, scope: Scope, pair_id: int, data: VisitCreate, *, today: date | None = None
) -> Visit:
    """A visit falls within the pair's dates; a 四必访 visit closes the matching open tasks."""
    pair = get_pair(session, scope, pair_id, for_update=True)
    _check_visit_dates(pair, data.visited_on, data.follow_up, data.follow_up_due_on, today or local_today())
    visit = Visit(pair=pair, **data.model_dump(exclude={"attachment_ids"}))
    session.add(visit)
    session.flush()
    if data.attachment_ids:
        _set_photos(session, scope, pair, visit, data.attachment_ids, new=True)
    _close_tasks_by(session, pair, visit)
    return visit


_REQUIRED_VISIT_FIELDS = frozenset({"visited_on", "type", "work_done", "jobs_found", "attachment_ids"})


def update_visit(
    session: Session,
    scope: Scope,
    pair_id: int,
    visit_id: int,
    data: VisitUpdate,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Visit:
    """Correct a visit; its date stays within the pair's. A visit that closed must-visit tasks keeps
    its type and stays on or after their events; a new 四必访 type closes matching open tasks."""
    visit = get_visit(session, scope, pair_id, visit_id, for_update=True)
    check_if_match(if_match, visit.version)
    changes = data.model_dump(exclude_unset=True)
    for key in sorted(_REQUIRED_VISIT_FIELDS & changes.keys()):
        if changes[key] is None:
            raise FieldRequired.at(key)
    photo_ids = changes.pop("attachment_ids", None)
    merged = {
        **{key: getattr(visit, key) for key in VisitUpdate.model_fields if key != "attachment_ids"},
        **changes,
    }
    if "follow_up" in changes and changes["follow_up"] is None and "follow_up_due_on" not in changes:
        merged["follow_up_due_on"] = None  # clearing the follow-up clears its due date
    pair = visit.pair
    _check_visit_dates(
        pair, merged["visited_on"], merged["follow_up"], merged["follow_up_due_on"], today or local_today()
    )
    closed = session.scalars(select(VisitTask).where(VisitTask.visit_id == visit.id)).all()
    if closed and (
        merged["type"] is not visit.type or any(merged["visited_on"] < t.occurred_on for t in closed)
    ):
        raise VisitClosedTask()
    for key, value in merged.items():
        if getattr(visit, key) != value:
            setattr(visit, key, value)
    if visit.follow_up is None:
        visit.follow_up_done_on = None
    session.flush()
    if photo_ids is not None:
        _set_photos(session, scope, pair, visit, photo_ids)
    _close_tasks_by(session, pair, visit)
    return visit


def set_follow_up(
    session: Session,
    scope: Scope,
    pair_id: int,
    visit_id: int,
    data: FollowUpState,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Visit:
    """Mark a visit's follow-up (后续事项) done on a day, or open again."""
    visit = get_visit(session, scope, pair_id, visit_id, for_update=True)
    check_if_match(if_match, visit.version)
    if visit.follow_up is None:
        raise NoFollowUp()
    if not data.done:
        visit.follow_up_done_on = None
    else:
        done_on = data.done_on or today or local_today()
        not_after_today(done_on, today or local_today(), "done_on")
        if done_on < visit.visited_on:
            raise FollowUpBeforeVisit.at("done_on")
        visit.follow_up_done_on = done_on
    session.flush()
    return visit


def _subtree_of(session: Session, scope: Scope, org_id: int | None) -> Scope:
    return scope if org_id is None else Scope(orgs.get(session, scope, org_id).path)


def overdue_follow_ups(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    as_of: date | None = None,
    cursor: str | None,
    limit: int,
) -> Page[FollowUpRead]:
    """Open follow-ups whose due date is before `as_of` (default today), over an org's subtree."""
    as_of = as_of or local_today()
    subtree = _subtree_of(session, scope, org_id)
    stmt: Select[Any] = in_scope(
        select(Visit).add_columns(Pair).join(Pair, Pair.id == Visit.pair_id), subtree, Pair.org_id
    ).where(
        Visit.follow_up.is_not(None),
        Visit.follow_up_due_on < as_of,
        Visit.follow_up_done_on.is_(None),
    )

    def to_item(row: Any) -> FollowUpRead:
        visit, pair = row[0], row[1]
        return FollowUpRead(
            visit_id=visit.id,
            pair_id=pair.id,
            org_id=pair.org_id,
            helper_member_id=pair.helper_member_id,
            helper_user_id=pair.helper_user_id,
            beneficiary_id=pair.beneficiary_id,
            visited_on=visit.visited_on,
            follow_up=visit.follow_up,
            follow_up_due_on=visit.follow_up_due_on,
            days_overdue=(as_of - visit.follow_up_due_on).days,
        )

    return paginate_by_id(session, stmt, Visit.id, cursor=cursor, limit=limit, to_item=to_item)


# --- must-visit tasks (四必访) ------------------------------------------------------------------


def task_status(task: VisitTask) -> str:
    if task.visit_id is not None:
        return "visited"
    return task.closed_as.value if task.closed_as is not None else "open"


def task_to_read(task: VisitTask) -> TaskRead:
    return TaskRead.model_validate(
        {
            **{key: getattr(task, key) for key in TaskRead.model_fields if key != "status"},
            "status": task_status(task),
        }
    )


def record_event(
    session: Session, scope: Scope, data: EventCreate, *, today: date | None = None
) -> VisitTask:
    """An event for a member opens a must-visit task, due after the policy's days for that event, for
    the helper of the member's oldest active pair, or for the member's branch when nobody is paired."""
    today = today or local_today()
    member = members.get_member(session, scope, data.member_id)
    occurred_on = data.occurred_on or today
    not_after_today(occurred_on, today, "occurred_on")
    pair = session.scalars(
        select(Pair)
        .join(Beneficiary, Beneficiary.id == Pair.beneficiary_id)
        .where(Beneficiary.member_id == member.id, Pair.status == PairStatus.ACTIVE)
        .order_by(Pair.id)
        .limit(1)
    ).first()
    task = VisitTask(
        org_id=member.org_id,
        member_id=member.id,
        event=data.event,
        occurred_on=occurred_on,
        note=data.note,
        due_on=occurred_on + timedelta(days=PAIRING_MUST_VISIT_DUE_DAYS[data.event.value]),
        helper_member_id=pair.helper_member_id if pair else None,
        helper_user_id=pair.helper_user_id if pair else None,
        pair_id=pair.id if pair else None,
    )
    session.add(task)
    session.flush()
    return task


def get_task(session: Session, scope: Scope, task_id: int, *, for_update: bool = False) -> VisitTask:
    stmt = in_scope(select(VisitTask), scope, VisitTask.org_id).where(VisitTask.id == task_id)
    if for_update:
        stmt = stmt.with_for_update(of=VisitTask)
    task: VisitTask | None = session.scalars(stmt).one_or_none()
    if task is None:
        raise TaskNotFound()
    return task


def close_task(
    session: Session,
    scope: Scope,
    task_id: int,
    data: TaskClose,
    if_match: str | None,
    *,
    today: date | None = None,
) -> VisitTask:
    """Close (handled outside a recorded visit) or cancel an open task by hand, with a reason."""
    task = get_task(session, scope, task_id, for_update=True)
    check_if_match(if_match, task.version)
    if not task.is_open:
        raise TaskNotOpen()
    today = today or local_today()
    closed_on = data.closed_on or today
    not_after_today(closed_on, today, "closed_on")
    if closed_on < task.occurred_on:
        raise EndsBeforeStart.at("closed_on")
    task.closed_as, task.closed_on, task.close_reason = data.closed_as, closed_on, data.reason
    session.flush()
    return task


def _open_task() -> ColumnElement[bool]:
    return VisitTask.visit_id.is_(None) & VisitTask.closed_as.is_(None)


def list_tasks(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    overdue: bool | None,
    today: date | None = None,
    cursor: str | None,
    limit: int,
) -> Page[TaskRead]:
    """`overdue=true`: open tasks past their due date (on `today`); `false`: everything else."""
    today = today or local_today()
    stmt = in_scope(select(VisitTask), scope, VisitTask.org_id)
    if org_id is not None:
        stmt = stmt.where(VisitTask.org_id == org_id)
    is_overdue = _open_task() & (VisitTask.due_on < today)
    if overdue is True:
        stmt = stmt.where(is_overdue)
    elif overdue is False:
        stmt = stmt.where(or_(~_open_task(), VisitTask.due_on >= today))
    return paginate_by_id(
        session, stmt, VisitTask.id, cursor=cursor, limit=limit, to_item=lambda row: task_to_read(row[0])
    )


# --- for scoring -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairingFacts:
    """One member's pairing work in a period (both ends inclusive), as helper and as beneficiary.
    Cancelled must-visit tasks do not count; one closed by hand counts as visited on its closing day."""

    member_id: int
    period: Period
    pairs_as_helper: int  # pairs that were running at some point in the period
    visits_made: int
    routine_visits_made: int
    must_visits_made: int
    money_given: Decimal
    goods_value: Decimal
    jobs_found: int
    tasks_due: int  # must-visit tasks assigned to the member falling due in the period
    tasks_done_on_time: int
    tasks_missed: int  # due in the period and visited late, or not at all by a due date already past
    tasks_open: int  # due in the period, not yet visited, due date not yet past
    pairs_as_beneficiary: int
    visits_received: int


def overlapping(period: Period) -> ColumnElement[bool]:
    """Pairs running at some time in the period (`ends_on`: the planned or the actual end)."""
    return (Pair.started_on <= period.end) & (Pair.ends_on.is_(None) | (Pair.ends_on >= period.start))


def pairing_facts(
    session: Session, scope: Scope, member_id: int, period: Period, *, today: date | None = None
) -> PairingFacts:
    member = members.get_member(session, scope, member_id)
    return pairing_facts_for(session, scope, [member.id], period, today=today)[member.id]


_FACTS_CHUNK = 1000


def pairing_facts_for(
    session: Session, scope: Scope, member_ids: Iterable[int], period: Period, *, today: date | None = None
) -> dict[int, PairingFacts]:
    """`PairingFacts` for each requested member the caller can see, a fixed handful of grouped queries per
    thousand members (scoring asks for a whole county at once). Members outside the scope are left out."""
    today = today or local_today()
    wanted = sorted(set(member_ids))
    zero = Decimal("0.00")
    out: dict[int, PairingFacts] = {}
    in_period = (Visit.visited_on >= period.start) & (Visit.visited_on <= period.end)
    for i in range(0, len(wanted), _FACTS_CHUNK):
        visible = (
            members.readable(scope)
            .with_only_columns(Member.id)
            .where(Member.id.in_(wanted[i : i + _FACTS_CHUNK]))
        )
        ids = list(session.scalars(visible))
        if not ids:
            continue
        as_helper: dict[int, int] = dict(
            session.execute(  # type: ignore[arg-type]
                select(Pair.helper_member_id, func.count())
                .where(Pair.helper_member_id.in_(ids), overlapping(period))
                .group_by(Pair.helper_member_id)
            ).all()
        )
        visits: dict[int, list[Any]] = {m: [] for m in ids}
        for row in session.execute(
            select(Pair.helper_member_id, Visit.type, Visit.money_given, Visit.goods_value, Visit.jobs_found)
            .join(Pair, Pair.id == Visit.pair_id)
            .where(Pair.helper_member_id.in_(ids), in_period)
        ):
            visits[row[0] or 0].append(row)
        tasks: dict[int, list[tuple[date, date | None]]] = {m: [] for m in ids}
        for helper_id, due_on, done_on in session.execute(
            select(
                VisitTask.helper_member_id,
                VisitTask.due_on,
                func.coalesce(Visit.visited_on, VisitTask.closed_on),
            )
            .outerjoin(Visit, Visit.id == VisitTask.visit_id)
            .where(
                VisitTask.helper_member_id.in_(ids),
                VisitTask.due_on >= period.start,
                VisitTask.due_on <= period.end,
                VisitTask.closed_as.is_(None) | (VisitTask.closed_as != TaskClosure.CANCELLED),
            )
        ):
            tasks[helper_id or 0].append((due_on, done_on))
        as_beneficiary: dict[int, int] = dict(
            session.execute(  # type: ignore[arg-type]
                select(Beneficiary.member_id, func.count())
                .join(Pair, Pair.beneficiary_id == Beneficiary.id)
                .where(Beneficiary.member_id.in_(ids), overlapping(period))
                .group_by(Beneficiary.member_id)
            ).all()
        )
        received: dict[int, int] = dict(
            session.execute(  # type: ignore[arg-type]
                select(Beneficiary.member_id, func.count())
                .select_from(Visit)
                .join(Pair, Pair.id == Visit.pair_id)
                .join(Beneficiary, Beneficiary.id == Pair.beneficiary_id)
                .where(Beneficiary.member_id.in_(ids), in_period)
                .group_by(Beneficiary.member_id)
            ).all()
        )
        for m in ids:
            made, due = visits[m], tasks[m]
            on_time = sum(1 for due_on, done_on in due if done_on is not None and done_on <= due_on)
            still_open = sum(1 for due_on, done_on in due if done_on is None and due_on >= today)
            out[m] = PairingFacts(
                member_id=m,
                period=period,
                pairs_as_helper=as_helper.get(m, 0),
                visits_made=len(made),
                routine_visits_made=sum(1 for v in made if v.type is VisitType.ROUTINE),
                must_visits_made=sum(1 for v in made if v.type is not VisitType.ROUTINE),
                money_given=sum((v.money_given or zero for v in made), zero),
                goods_value=sum((v.goods_value or zero for v in made), zero),
                jobs_found=sum(v.jobs_found for v in made),
                tasks_due=len(due),
                tasks_done_on_time=on_time,
                tasks_missed=len(due) - on_time - still_open,
                tasks_open=still_open,
                pairs_as_beneficiary=as_beneficiary.get(m, 0),
                visits_received=received.get(m, 0),
            )
    return dict(sorted(out.items()))
