"""Posts with duties (设岗定责) and pledges (党员承诺).

Both hang off a member, so a caller sees them exactly when they see the member: every query
starts from `members.readable(scope)`. Posts belong to the branch that set them: they end when the
member's organisation relationship moves (`end_active_posts`). Pledges are the member's own and
follow them; `pledges_for` is what scoring reads.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from vanguard.core.clock import local_today
from vanguard.core.dates import not_after_today
from vanguard.core.errors import Conflict, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Principal, Scope
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus
from vanguard.posts.models import Pledge, PledgeResult, Post
from vanguard.posts.schemas import (
    PledgeCreate,
    PledgeEvaluate,
    PledgeRead,
    PledgeUpdate,
    PostCreate,
    PostEnd,
    PostRead,
    PostUpdate,
    Verdict,
)

# Bound parameters per IN list, well under SQLite's and PostgreSQL's limits.
_ID_CHUNK = 1000


class PostNotFound(NotFound):
    code = "post_not_found"
    message_zh = "岗位不存在或不在您的管理范围内"
    message_en = "Post not found, or outside your scope"


class PledgeNotFound(NotFound):
    code = "pledge_not_found"
    message_zh = "承诺不存在或不在您的管理范围内"
    message_en = "Pledge not found, or outside your scope"


class PostEndsBeforeStart(InvalidInput):
    code = "post_ends_before_start"
    message_zh = "岗位结束日期不能早于开始日期"
    message_en = "A post cannot end before it started"


class PostAlreadyEnded(Conflict):
    code = "post_already_ended"
    message_zh = "该岗位已结束，不能再修改"
    message_en = "This post has ended; it can no longer change"


class DuplicateActivePost(Conflict):
    code = "duplicate_active_post"
    message_zh = "该党员已担任同名岗位"
    message_en = "The member already holds a post with this title"


class PledgeDueBeforeMade(InvalidInput):
    code = "pledge_due_before_made"
    message_zh = "承诺期限不能早于承诺日期"
    message_en = "A pledge cannot fall due before it was made"


class PledgeAlreadyEvaluated(Conflict):
    code = "pledge_already_evaluated"
    message_zh = "该承诺已评定，不能再修改或重复评定"
    message_en = "This pledge has already been evaluated"


class PledgeNotDue(Conflict):
    code = "pledge_not_due"
    message_zh = "承诺期限未到，不能评定为未践诺"
    message_en = "A pledge can be judged not kept only after its due date"


class EvaluatedBeforeMade(InvalidInput):
    code = "evaluated_before_made"
    message_zh = "评定日期不能早于承诺日期"
    message_en = "A pledge cannot be evaluated before it was made"


def _on_roll(session: Session, scope: Scope, member_id: int) -> Member:
    """The member, locked, who must still be on the roll to take a new post or pledge."""
    member = members.get_member(session, scope, member_id, for_update=True)
    if member.status is not MemberStatus.NORMAL:
        raise members.MemberAlreadyLeft()
    return member


# --- posts -------------------------------------------------------------------------------------


def post_to_read(post: Post) -> PostRead:
    return PostRead.model_validate(post)


Owned = TypeVar("Owned", Post, Pledge)


def _get_owned(
    session: Session, scope: Scope, model: type[Owned], record_id: int, *, for_update: bool, missing: NotFound
) -> Owned:
    """A member's post or pledge, scoped by the member's org, with the member (the audit org) loaded."""
    stmt = members.readable(scope).join(model, model.member_id == Member.id).add_columns(model)
    stmt = stmt.where(model.id == record_id)
    if for_update:
        stmt = stmt.with_for_update(of=model)
    row = session.execute(stmt).one_or_none()
    if row is None:
        raise missing
    record: Owned = row[1]
    return record


def get_post(session: Session, scope: Scope, post_id: int, *, for_update: bool = False) -> Post:
    return _get_owned(session, scope, Post, post_id, for_update=for_update, missing=PostNotFound())


def list_posts(
    session: Session, scope: Scope, member_id: int, *, active: bool | None, cursor: str | None, limit: int
) -> Page[PostRead]:
    member = members.get_member(session, scope, member_id)
    stmt = select(Post).where(Post.member_id == member.id)
    if active is not None:
        stmt = stmt.where(Post.ended_on.is_(None) if active else Post.ended_on.is_not(None))
    return paginate_by_id(
        session, stmt, Post.id, cursor=cursor, limit=limit, to_item=lambda row: post_to_read(row[0])
    )


def _ensure_title_free(session: Session, member_id: int, title: str, own_id: int | None = None) -> None:
    holder = session.scalar(
        select(Post.id).where(Post.member_id == member_id, Post.title == title, Post.ended_on.is_(None))
    )
    if holder is not None and holder != own_id:
        raise DuplicateActivePost()


def create_post(
    session: Session, scope: Scope, member_id: int, data: PostCreate, *, today: date | None = None
) -> Post:
    today = today or local_today()
    member = _on_roll(session, scope, member_id)
    started_on = data.started_on or today
    not_after_today(started_on, today, "started_on")
    _ensure_title_free(session, member.id, data.title)
    post = Post(member=member, title=data.title, duties=data.duties, started_on=started_on)
    session.add(post)
    session.flush()
    return post


def update_post(
    session: Session,
    scope: Scope,
    post_id: int,
    data: PostUpdate,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Post:
    post = get_post(session, scope, post_id, for_update=True)
    check_if_match(if_match, post.version)
    if not post.active:
        raise PostAlreadyEnded()
    changes = data.model_dump(exclude_unset=True)
    for required in ("title", "duties", "started_on"):
        if required in changes and changes[required] is None:
            raise InvalidInput(f"{required} 不能为空", f"{required} cannot be null")
    if "started_on" in changes:
        not_after_today(changes["started_on"], today or local_today(), "started_on")
    if "title" in changes:
        _ensure_title_free(session, post.member_id, changes["title"], post.id)
    for key, value in changes.items():
        setattr(post, key, value)
    session.flush()
    return post


def end_post(
    session: Session,
    scope: Scope,
    post_id: int,
    data: PostEnd,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Post:
    post = get_post(session, scope, post_id, for_update=True)
    check_if_match(if_match, post.version)
    if not post.active:
        raise PostAlreadyEnded()
    today = today or local_today()
    ended_on = data.ended_on or today
    not_after_today(ended_on, today, "ended_on")
    if ended_on < post.started_on:
        raise PostEndsBeforeStart.at("ended_on")
    post.ended_on = ended_on
    session.flush()
    return post


def end_active_posts(session: Session, member: Member, on: date) -> list[Post]:
    """Posts are set by the branch: they end when the member's organisation relationship moves away."""
    active = session.scalars(
        select(Post).where(Post.member_id == member.id, Post.ended_on.is_(None)).with_for_update()
    ).all()
    for post in active:
        post.ended_on = max(on, post.started_on)
    return list(active)


# --- pledges -----------------------------------------------------------------------------------


def pledge_to_read(pledge: Pledge) -> PledgeRead:
    return PledgeRead.model_validate(pledge)


def get_pledge(session: Session, scope: Scope, pledge_id: int, *, for_update: bool = False) -> Pledge:
    return _get_owned(session, scope, Pledge, pledge_id, for_update=for_update, missing=PledgeNotFound())


def list_pledges(
    session: Session,
    scope: Scope,
    member_id: int,
    *,
    year: int | None,
    result: PledgeResult | None,
    cursor: str | None,
    limit: int,
) -> Page[PledgeRead]:
    member = members.get_member(session, scope, member_id)
    stmt = select(Pledge).where(Pledge.member_id == member.id)
    if year is not None:
        period = Period.year(year)
        stmt = stmt.where(Pledge.due_on >= period.start, Pledge.due_on <= period.end)
    if result is not None:
        stmt = stmt.where(Pledge.result == result)
    return paginate_by_id(
        session, stmt, Pledge.id, cursor=cursor, limit=limit, to_item=lambda row: pledge_to_read(row[0])
    )


def _check_pledge_dates(made_on: date, due_on: date, today: date) -> None:
    not_after_today(made_on, today, "made_on")
    if due_on < made_on:
        raise PledgeDueBeforeMade.at("due_on")


def create_pledge(
    session: Session, scope: Scope, member_id: int, data: PledgeCreate, *, today: date | None = None
) -> Pledge:
    today = today or local_today()
    member = _on_roll(session, scope, member_id)
    made_on = data.made_on or today
    _check_pledge_dates(made_on, data.due_on, today)
    pledge = Pledge(member=member, content=data.content, made_on=made_on, due_on=data.due_on)
    session.add(pledge)
    session.flush()
    return pledge


def update_pledge(
    session: Session,
    scope: Scope,
    pledge_id: int,
    data: PledgeUpdate,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Pledge:
    pledge = get_pledge(session, scope, pledge_id, for_update=True)
    check_if_match(if_match, pledge.version)
    if pledge.result is not PledgeResult.PENDING:
        raise PledgeAlreadyEvaluated()
    changes = data.model_dump(exclude_unset=True)
    for required in ("content", "made_on", "due_on"):
        if required in changes and changes[required] is None:
            raise InvalidInput(f"{required} 不能为空", f"{required} cannot be null")
    _check_pledge_dates(
        changes.get("made_on", pledge.made_on), changes.get("due_on", pledge.due_on), today or local_today()
    )
    for key, value in changes.items():
        setattr(pledge, key, value)
    session.flush()
    return pledge


def evaluate_pledge(
    session: Session,
    caller: Principal,
    pledge_id: int,
    data: PledgeEvaluate,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Pledge:
    """评诺: once only. Kept may be recorded as soon as it is true; not kept only after the due date,
    since until then the member still has time."""
    pledge = get_pledge(session, caller.scope, pledge_id, for_update=True)
    check_if_match(if_match, pledge.version)
    if pledge.result is not PledgeResult.PENDING:
        raise PledgeAlreadyEvaluated()
    evaluated_on = data.evaluated_on or today or local_today()
    not_after_today(evaluated_on, today or local_today(), "evaluated_on")
    if evaluated_on < pledge.made_on:
        raise EvaluatedBeforeMade.at("evaluated_on")
    if data.result is Verdict.NOT_KEPT and evaluated_on <= pledge.due_on:
        raise PledgeNotDue()
    pledge.result = PledgeResult(data.result.value)
    pledge.evaluated_on, pledge.evaluation_note, pledge.evaluated_by = evaluated_on, data.note, caller.name
    session.flush()
    return pledge


# --- for scoring -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A scoring period, both ends inclusive. A pledge counts in the period its due date falls in."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1-4")
        first_month, last_month = 3 * quarter - 2, 3 * quarter
        return cls(
            date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])
        )


@dataclass(frozen=True, slots=True)
class PledgeOutcome:
    id: int
    member_id: int
    content: str
    due_on: date
    result: PledgeResult
    evaluated_on: date | None


@dataclass(frozen=True, slots=True)
class PledgeTally:
    """One member's pledges in a period, oldest due first, with the counts scoring needs."""

    member_id: int
    pledges: tuple[PledgeOutcome, ...] = field(default_factory=tuple)

    def _count(self, result: PledgeResult) -> int:
        return sum(1 for p in self.pledges if p.result is result)

    @property
    def kept(self) -> int:
        return self._count(PledgeResult.KEPT)

    @property
    def not_kept(self) -> int:
        return self._count(PledgeResult.NOT_KEPT)

    @property
    def pending(self) -> int:
        return self._count(PledgeResult.PENDING)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _ID_CHUNK):
        yield ids[start : start + _ID_CHUNK]


def pledges_for(
    session: Session, scope: Scope, member_ids: Iterable[int], period: Period
) -> dict[int, PledgeTally]:
    """Pledges due within `period` for each requested member the caller can see.

    Every visible member gets an entry (an empty tally when they made no pledge); members outside
    the scope are left out, never reported as "no pledges".
    """
    wanted = sorted(set(member_ids))
    outcomes: dict[int, list[PledgeOutcome]] = {}
    for chunk in _chunks(wanted):
        visible: Select[Any] = (
            members.readable(scope).with_only_columns(Member.id).where(Member.id.in_(chunk))
        )
        for member_id in session.scalars(visible):
            outcomes[member_id] = []
        rows = session.scalars(
            select(Pledge)
            .where(
                Pledge.member_id.in_(visible),
                Pledge.due_on >= period.start,
                Pledge.due_on <= period.end,
            )
            .order_by(Pledge.member_id, Pledge.due_on, Pledge.id)
        )
        for p in rows:
            outcomes[p.member_id].append(
                PledgeOutcome(p.id, p.member_id, p.content, p.due_on, p.result, p.evaluated_on)
            )
    return {mid: PledgeTally(mid, tuple(items)) for mid, items in sorted(outcomes.items())}


@dataclass(frozen=True, slots=True)
class PostFacts:
    """Posts (设岗定责) a member held at some time in a period, and the days held within it."""

    member_id: int
    posts_held: int = 0
    days_held: int = 0


def posts_facts(
    session: Session, scope: Scope, member_ids: Iterable[int], period: Period
) -> dict[int, PostFacts]:
    """`PostFacts` for each requested member the caller can see (an empty one when they held none);
    members outside the scope are left out."""
    wanted = sorted(set(member_ids))
    held: dict[int, list[tuple[date, date | None]]] = {}
    for chunk in _chunks(wanted):
        visible: Select[Any] = (
            members.readable(scope).with_only_columns(Member.id).where(Member.id.in_(chunk))
        )
        for member_id in session.scalars(visible):
            held[member_id] = []
        rows = session.execute(
            select(Post.member_id, Post.started_on, Post.ended_on).where(
                Post.member_id.in_(visible),
                Post.started_on <= period.end,
                Post.ended_on.is_(None) | (Post.ended_on >= period.start),
            )
        )
        for member_id, started_on, ended_on in rows:
            held[member_id].append((started_on, ended_on))
    out: dict[int, PostFacts] = {}
    for member_id, spans in sorted(held.items()):
        days = sum(
            (
                (min(end or period.end, period.end) - max(start, period.start)).days + 1
                for start, end in spans
            ),
            0,
        )
        out[member_id] = PostFacts(member_id, len(spans), days)
    return out
