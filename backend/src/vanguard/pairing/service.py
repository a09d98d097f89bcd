"""结对帮扶: beneficiaries, pairs, visits and must-visit tasks (四必访).

Beneficiaries, pairs and tasks belong to an org (the beneficiary's / the member's branch) and every
query is scoped through that org's path: another branch sees nothing (404). Visits are reached
through their pair. Helpers are members; cadre accounts as helpers are not supported yet.
`pairing_facts` is what scoring reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from vanguard.core.errors import Conflict, FieldError, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Permission, Principal, Scope
from vanguard.core.policy import (
    PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY,
    PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER,
    PAIRING_MUST_VISIT_DUE_DAYS,
)
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.pairing.models import (
    Beneficiary,
    BeneficiaryKind,
    EventType,
    Pair,
    PairStatus,
    Visit,
    VisitTask,
    VisitType,
)
from vanguard.pairing.schemas import (
    BeneficiaryCreate,
    BeneficiaryRead,
    BeneficiaryUpdate,
    CoverageRead,
    EventCreate,
    PairCreate,
    PairEnd,
    PairRead,
    TaskRead,
    VisitCreate,
    VisitRead,
)
from vanguard.posts.service import Period

_MAX_PER_BENEFICIARY = PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY
S = TypeVar("S", bound=Select[Any])

# --- errors ------------------------------------------------------------------------------------


class BeneficiaryNotFound(NotFound):
    code = "beneficiary_not_found"
    message_zh = "帮扶对象不存在或不在您的管理范围内"
    message_en = "Beneficiary not found, or outside your scope"


class PairNotFound(NotFound):
    code = "pair_not_found"
    message_zh = "结对关系不存在或不在您的管理范围内"
    message_en = "Pair not found, or outside your scope"


class HelperNotFound(NotFound):
    code = "helper_not_found"
    message_zh = "帮扶人不存在或不在您的管理范围内"
    message_en = "Helper not found, or outside your scope"


class DuplicateBeneficiary(Conflict):
    code = "duplicate_beneficiary"
    message_zh = "该党员已登记为帮扶对象"
    message_en = "This member is already registered as a beneficiary"


class DuplicateActivePair(Conflict):
    code = "duplicate_active_pair"
    message_zh = "该帮扶人与帮扶对象已有进行中的结对"
    message_en = "This helper already has an active pair with this beneficiary"


class HelperPairLimit(Conflict):
    code = "helper_pair_limit"
    message_zh = f"帮扶人进行中的结对已达上限（{PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER}个）"
    message_en = (
        f"The helper already has the most active pairs allowed ({PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER})"
    )


class BeneficiaryPairLimit(Conflict):
    code = "beneficiary_pair_limit"
    message_zh = f"帮扶对象进行中的结对已达上限（{_MAX_PER_BENEFICIARY}个）"
    message_en = f"The beneficiary already has the most active pairs allowed ({_MAX_PER_BENEFICIARY})"


class PairNotActive(Conflict):
    code = "pair_not_active"
    message_zh = "该结对已结束"
    message_en = "This pair has already ended"


class HelperIsBeneficiary(InvalidInput):
    code = "helper_is_beneficiary"
    message_zh = "帮扶人不能与帮扶对象为同一人"
    message_en = "A member cannot help themselves"


class BeneficiaryDetailsInvalid(InvalidInput):
    code = "beneficiary_details_invalid"
    message_zh = "困难党员须指定党员；联系户须指定组织和户主，且不能关联党员"
    message_en = "A member beneficiary needs member_id; a household needs org_id and head_name, and no member"


class DateInFuture(InvalidInput):
    code = "date_in_future"
    message_zh = "日期不能晚于今天"
    message_en = "The date cannot be in the future"


class EndsBeforeStart(InvalidInput):
    code = "ends_before_start"
    message_zh = "结束日期不能早于开始日期"
    message_en = "The end cannot be before the start"


class EndReasonRequired(InvalidInput):
    code = "end_reason_required"
    message_zh = "提前终止结对须说明原因"
    message_en = "Ending a pair early needs a reason"


class EndStatusInvalid(InvalidInput):
    code = "end_status_invalid"
    message_zh = "结束状态只能是已完成或提前终止"
    message_en = "A pair ends as completed or ended_early"


class VisitOutsidePair(InvalidInput):
    code = "visit_outside_pair"
    message_zh = "走访日期须在结对的起止日期之内"
    message_en = "The visit date must fall within the pair's start and end"


class PairEndsBeforeLastVisit(InvalidInput):
    code = "pair_ends_before_last_visit"
    message_zh = "结束日期不能早于最后一次走访"
    message_en = "The pair cannot end before its last visit"


class FollowUpBeforeVisit(InvalidInput):
    code = "follow_up_before_visit"
    message_zh = "跟进期限不能早于走访日期"
    message_en = "A follow-up cannot fall due before the visit"


def _invalid(error: type[InvalidInput], field_name: str) -> InvalidInput:
    return error(errors=[FieldError(field=f"body.{field_name}", code=error.code, message=error.message_en)])


def _not_after_today(value: date, today: date, field_name: str) -> None:
    if value > today:
        raise _invalid(DateInFuture, field_name)


def _in_scope(stmt: S, scope: Scope, org_column: Any) -> S:
    return stmt.join(Organisation, Organisation.id == org_column).where(scope.clause(Organisation.path))


# --- beneficiaries -----------------------------------------------------------------------------


def _mask_address(address: str | None) -> str | None:
    if address is None or len(address) <= 6:
        return address and "*" * len(address)
    return address[:6] + "****"


def beneficiary_to_read(b: Beneficiary, member_name: str | None, *, reveal: bool) -> BeneficiaryRead:
    """Contact fields (phone, address) are masked unless the caller holds `pii`."""
    return BeneficiaryRead(
        id=b.id,
        org_id=b.org_id,
        kind=b.kind,
        member_id=b.member_id,
        member_name=member_name,
        head_name=b.head_name,
        address=b.address if reveal else _mask_address(b.address),
        village=b.village,
        household_size=b.household_size,
        situation=b.situation,
        needs=b.needs,
        contact_phone=b.contact_phone if reveal else members._mask_phone(b.contact_phone),
        contact_masked=not reveal,
        version=b.version,
        created_at=b.created_at,
        updated_at=b.updated_at,
    )


def _beneficiaries(scope: Scope) -> Select[Any]:
    stmt = select(Beneficiary).add_columns(Member.name).outerjoin(Member, Member.id == Beneficiary.member_id)
    return _in_scope(stmt, scope, Beneficiary.org_id)


def get_beneficiary(
    session: Session, scope: Scope, beneficiary_id: int, *, for_update: bool = False
) -> Beneficiary:
    stmt = _in_scope(select(Beneficiary), scope, Beneficiary.org_id).where(Beneficiary.id == beneficiary_id)
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
    cursor: str | None,
    limit: int,
) -> Page[BeneficiaryRead]:
    stmt = _beneficiaries(caller.scope)
    if org_id is not None:
        stmt = stmt.where(Beneficiary.org_id == org_id)
    if kind is not None:
        stmt = stmt.where(Beneficiary.kind == kind)
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
            raise _invalid(BeneficiaryDetailsInvalid, "member_id")
        member = members.get_member(session, scope, data.member_id, for_update=True)
        taken = session.scalar(select(Beneficiary.id).where(Beneficiary.member_id == member.id))
        if taken is not None:
            raise DuplicateBeneficiary()
        beneficiary = Beneficiary(kind=data.kind, member_id=member.id, org_id=member.org_id, **fields)
    else:
        if data.member_id is not None or data.org_id is None or data.head_name is None:
            raise _invalid(BeneficiaryDetailsInvalid, "org_id")
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
        raise _invalid(BeneficiaryDetailsInvalid, "head_name")
    for key, value in changes.items():
        setattr(beneficiary, key, value)
    session.flush()
    return beneficiary


def member_name(session: Session, beneficiary: Beneficiary) -> str | None:
    return None if beneficiary.member_id is None else session.get_one(Member, beneficiary.member_id).name


# --- pairs -------------------------------------------------------------------------------------


def pair_to_read(pair: Pair) -> PairRead:
    return PairRead.model_validate(pair)


def get_pair(session: Session, scope: Scope, pair_id: int, *, for_update: bool = False) -> Pair:
    stmt = _in_scope(select(Pair), scope, Pair.org_id).where(Pair.id == pair_id)
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
    beneficiary_id: int | None,
    status: PairStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[PairRead]:
    stmt = _in_scope(select(Pair), scope, Pair.org_id)
    for column, value in (
        (Pair.org_id, org_id),
        (Pair.helper_member_id, helper_member_id),
        (Pair.beneficiary_id, beneficiary_id),
        (Pair.status, status),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return paginate_by_id(
        session, stmt, Pair.id, cursor=cursor, limit=limit, to_item=lambda row: pair_to_read(row[0])
    )


def _active_count(session: Session, column: Any, value: int) -> int:
    return session.scalar(select(func.count()).where(column == value, Pair.status == PairStatus.ACTIVE)) or 0


def create_pair(session: Session, scope: Scope, data: PairCreate, *, today: date | None = None) -> Pair:
    """Both ends must be visible to the caller (a helper outside the scope is refused as not found);
    one active pair per helper and beneficiary; each side's active pairs are capped (policy)."""
    today = today or date.today()
    beneficiary = get_beneficiary(session, scope, data.beneficiary_id, for_update=True)
    try:
        helper = members.get_member(session, scope, data.helper_member_id, for_update=True)
    except members.MemberNotFound as exc:
        raise HelperNotFound() from exc
    if helper.status is not MemberStatus.NORMAL:
        raise members.MemberAlreadyLeft()
    if helper.id == beneficiary.member_id:
        raise _invalid(HelperIsBeneficiary, "helper_member_id")
    started_on = data.started_on or today
    if data.ends_on is not None and data.ends_on < started_on:
        raise _invalid(EndsBeforeStart, "ends_on")
    duplicate = session.scalar(
        select(Pair.id).where(
            Pair.helper_member_id == helper.id,
            Pair.beneficiary_id == beneficiary.id,
            Pair.status == PairStatus.ACTIVE,
        )
    )
    if duplicate is not None:
        raise DuplicateActivePair()
    if _active_count(session, Pair.helper_member_id, helper.id) >= PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER:
        raise HelperPairLimit()
    if (
        _active_count(session, Pair.beneficiary_id, beneficiary.id)
        >= PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY
    ):
        raise BeneficiaryPairLimit()
    pair = Pair(
        org_id=beneficiary.org_id,
        helper_member_id=helper.id,
        beneficiary_id=beneficiary.id,
        kind=data.kind,
        goals=[goal.model_dump(mode="json") for goal in data.goals],
        started_on=started_on,
        ends_on=data.ends_on,
        status=PairStatus.ACTIVE,
    )
    session.add(pair)
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
        raise _invalid(EndStatusInvalid, "status")
    if data.status is PairStatus.ENDED_EARLY and not data.reason:
        raise _invalid(EndReasonRequired, "reason")
    today = today or date.today()
    ended_on = data.ended_on or today
    _not_after_today(ended_on, today, "ended_on")
    if ended_on < pair.started_on:
        raise _invalid(EndsBeforeStart, "ended_on")
    last_visit = session.scalar(select(func.max(Visit.visited_on)).where(Visit.pair_id == pair.id))
    if last_visit is not None and ended_on < last_visit:
        raise _invalid(PairEndsBeforeLastVisit, "ended_on")
    pair.status, pair.ends_on, pair.end_reason = data.status, ended_on, data.reason
    session.flush()
    return pair


# --- visits ------------------------------------------------------------------------------------


def visit_to_read(visit: Visit) -> VisitRead:
    return VisitRead.model_validate(visit)


def list_visits(
    session: Session, scope: Scope, pair_id: int, *, cursor: str | None, limit: int
) -> Page[VisitRead]:
    pair = get_pair(session, scope, pair_id)
    return paginate_by_id(
        session,
        select(Visit).where(Visit.pair_id == pair.id),
        Visit.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: visit_to_read(row[0]),
    )


def create_visit(
    session: Session, scope: Scope, pair_id: int, data: VisitCreate, *, today: date | None = None
) -> Visit:
    """A visit falls within the pair's dates; a 四必访 visit to a member beneficiary closes their open
    task of the same type that was opened on or before the visit."""
    pair = get_pair(session, scope, pair_id, for_update=True)
    _not_after_today(data.visited_on, today or date.today(), "visited_on")
    if data.visited_on < pair.started_on or (pair.ends_on is not None and data.visited_on > pair.ends_on):
        raise _invalid(VisitOutsidePair, "visited_on")
    if data.follow_up_due_on is not None and data.follow_up_due_on < data.visited_on:
        raise _invalid(FollowUpBeforeVisit, "follow_up_due_on")
    visit = Visit(pair=pair, **data.model_dump())
    session.add(visit)
    session.flush()
    if data.type is not VisitType.ROUTINE:
        beneficiary = session.get_one(Beneficiary, pair.beneficiary_id)
        if beneficiary.member_id is not None:
            open_tasks = session.scalars(
                select(VisitTask)
                .where(
                    VisitTask.member_id == beneficiary.member_id,
                    VisitTask.event == EventType(data.type.value),
                    VisitTask.visit_id.is_(None),
                    VisitTask.occurred_on <= data.visited_on,
                )
                .with_for_update()
            ).all()
            for task in open_tasks:
                task.visit_id = visit.id
            session.flush()
    return visit


# --- must-visit tasks (四必访) ------------------------------------------------------------------


def task_to_read(task: VisitTask) -> TaskRead:
    return TaskRead.model_validate(task)


def record_event(
    session: Session, scope: Scope, data: EventCreate, *, today: date | None = None
) -> VisitTask:
    """An event for a member opens a must-visit task, due after the policy's days for that event, for
    the helper of the member's oldest active pair, or for the member's branch when nobody is paired."""
    today = today or date.today()
    member = members.get_member(session, scope, data.member_id)
    occurred_on = data.occurred_on or today
    _not_after_today(occurred_on, today, "occurred_on")
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
        pair_id=pair.id if pair else None,
    )
    session.add(task)
    session.flush()
    return task


def get_task(session: Session, scope: Scope, task_id: int) -> VisitTask:
    task: VisitTask | None = session.scalars(
        _in_scope(select(VisitTask), scope, VisitTask.org_id).where(VisitTask.id == task_id)
    ).one_or_none()
    if task is None:
        raise TaskNotFound()
    return task


class TaskNotFound(NotFound):
    code = "task_not_found"
    message_zh = "必访任务不存在或不在您的管理范围内"
    message_en = "Must-visit task not found, or outside your scope"


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
    """`overdue=true`: open tasks past their due date; `false`: everything else."""
    today = today or date.today()
    stmt = _in_scope(select(VisitTask), scope, VisitTask.org_id)
    if org_id is not None:
        stmt = stmt.where(VisitTask.org_id == org_id)
    is_overdue = (VisitTask.visit_id.is_(None)) & (VisitTask.due_on < today)
    if overdue is True:
        stmt = stmt.where(is_overdue)
    elif overdue is False:
        stmt = stmt.where(or_(VisitTask.visit_id.is_not(None), VisitTask.due_on >= today))
    return paginate_by_id(
        session, stmt, VisitTask.id, cursor=cursor, limit=limit, to_item=lambda row: task_to_read(row[0])
    )


# --- for scoring -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairingFacts:
    """One member's pairing work in a period (both ends inclusive), as helper and as beneficiary."""

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


def _overlapping(period: Period) -> Any:
    return (Pair.started_on <= period.end) & (Pair.ends_on.is_(None) | (Pair.ends_on >= period.start))


def pairing_facts(
    session: Session, scope: Scope, member_id: int, period: Period, *, today: date | None = None
) -> PairingFacts:
    today = today or date.today()
    member = members.get_member(session, scope, member_id)
    helper_pairs = select(Pair.id).where(Pair.helper_member_id == member.id)
    pairs_as_helper = session.scalar(
        select(func.count()).select_from(Pair).where(Pair.helper_member_id == member.id, _overlapping(period))
    )
    in_period = (Visit.visited_on >= period.start) & (Visit.visited_on <= period.end)
    visits = session.execute(
        select(Visit.type, Visit.money_given, Visit.goods_value, Visit.jobs_found).where(
            Visit.pair_id.in_(helper_pairs), in_period
        )
    ).all()
    tasks = session.execute(
        select(VisitTask.due_on, Visit.visited_on)
        .outerjoin(Visit, Visit.id == VisitTask.visit_id)
        .where(
            VisitTask.helper_member_id == member.id,
            VisitTask.due_on >= period.start,
            VisitTask.due_on <= period.end,
        )
    ).all()
    on_time = sum(1 for due_on, visited_on in tasks if visited_on is not None and visited_on <= due_on)
    still_open = sum(1 for due_on, visited_on in tasks if visited_on is None and due_on >= today)
    beneficiary_pairs = (
        select(Pair.id)
        .join(Beneficiary, Beneficiary.id == Pair.beneficiary_id)
        .where(Beneficiary.member_id == member.id)
    )
    pairs_as_beneficiary = session.scalar(
        select(func.count()).select_from(Pair).where(Pair.id.in_(beneficiary_pairs), _overlapping(period))
    )
    visits_received = session.scalar(
        select(func.count()).select_from(Visit).where(Visit.pair_id.in_(beneficiary_pairs), in_period)
    )
    zero = Decimal("0.00")
    return PairingFacts(
        member_id=member.id,
        period=period,
        pairs_as_helper=pairs_as_helper or 0,
        visits_made=len(visits),
        routine_visits_made=sum(1 for v in visits if v.type is VisitType.ROUTINE),
        must_visits_made=sum(1 for v in visits if v.type is not VisitType.ROUTINE),
        money_given=sum((v.money_given or zero for v in visits), zero),
        goods_value=sum((v.goods_value or zero for v in visits), zero),
        jobs_found=sum(v.jobs_found for v in visits),
        tasks_due=len(tasks),
        tasks_done_on_time=on_time,
        tasks_missed=len(tasks) - on_time - still_open,
        tasks_open=still_open,
        pairs_as_beneficiary=pairs_as_beneficiary or 0,
        visits_received=visits_received or 0,
    )


# --- coverage (台账) ---------------------------------------------------------------------------


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.01")) if whole else Decimal("0.00")


def coverage(session: Session, scope: Scope, org_id: int, *, today: date | None = None) -> CoverageRead:
    """Share of registered hardship members and households with an active pair, visits per active pair
    in the current quarter, and overdue must-visit tasks, over the org and everything under it."""
    today = today or date.today()
    org = orgs.get(session, scope, org_id)
    subtree = Scope(org.path)
    quarter = Period.quarter(today.year, (today.month - 1) // 3 + 1)
    paired = select(Pair.beneficiary_id).where(Pair.status == PairStatus.ACTIVE)
    counts: dict[tuple[BeneficiaryKind, bool], int] = {}
    for only_paired in (False, True):
        stmt = _in_scope(select(Beneficiary.kind).add_columns(func.count()), subtree, Beneficiary.org_id)
        if only_paired:
            stmt = stmt.where(Beneficiary.id.in_(paired))
        for kind, n in session.execute(stmt.group_by(Beneficiary.kind)).all():
            counts[(kind, only_paired)] = n
    active_pairs = session.scalar(
        _in_scope(select(func.count(Pair.id)), subtree, Pair.org_id).where(Pair.status == PairStatus.ACTIVE)
    )
    visits = session.scalar(
        _in_scope(
            select(func.count(Visit.id)).join(Pair, Pair.id == Visit.pair_id), subtree, Pair.org_id
        ).where(Visit.visited_on >= quarter.start, Visit.visited_on <= quarter.end)
    )
    overdue = session.scalar(
        _in_scope(select(func.count(VisitTask.id)), subtree, VisitTask.org_id).where(
            VisitTask.visit_id.is_(None), VisitTask.due_on < today
        )
    )
    members_paired = counts.get((BeneficiaryKind.MEMBER, True), 0)
    members_total = counts.get((BeneficiaryKind.MEMBER, False), 0)
    households_paired = counts.get((BeneficiaryKind.HOUSEHOLD, True), 0)
    households_total = counts.get((BeneficiaryKind.HOUSEHOLD, False), 0)
    return CoverageRead(
        org_id=org.id,
        as_of=today,
        hardship_members=members_total,
        hardship_members_paired=members_paired,
        households=households_total,
        households_paired=households_paired,
        hardship_member_share=_share(members_paired, members_total),
        household_share=_share(households_paired, households_total),
        active_pairs=active_pairs or 0,
        visits_this_quarter=visits or 0,
        visits_per_pair_this_quarter=_share(visits or 0, active_pairs or 0),
        overdue_tasks=overdue or 0,
    )
