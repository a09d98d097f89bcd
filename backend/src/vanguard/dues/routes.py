"""Party dues (党费): thin routes over `dues.service`; members outside the caller's subtree are 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from vanguard.auth.deps import MemberReader, MemberWriter
from vanguard.core.clock import local_today
from vanguard.core.deps import IfMatch, SessionDep
from vanguard.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    problem_responses,
)
from vanguard.core.etag import with_etag
from vanguard.core.exports import add_export_route, col
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from vanguard.dues import reductions, service
from vanguard.dues.models import ReductionKind, ReductionState
from vanguard.dues.schemas import (
    ArrearsItem,
    DuesBaseRead,
    DuesBaseSet,
    DuesStatement,
    Month,
    PaymentCreate,
    PaymentRead,
    ReductionCreate,
    ReductionDecision,
    ReductionRead,
    ReductionRejection,
)

router = APIRouter(tags=["dues"])

_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)


def _reduction(reduction: object, response: Response) -> ReductionRead:
    return with_etag(ReductionRead.model_validate(reduction), response)


@router.put("/members/{member_id}/dues/base", response_model=DuesBaseRead, responses=_write_errors)
def set_dues_base(
    session: SessionDep,
    caller: MemberWriter,
    member_id: int,
    body: DuesBaseSet,
    response: Response,
    if_match: IfMatch = None,
) -> DuesBaseRead:
    """Set the member's dues base from a month on (history is kept; the same month again replaces it).

    Income-rated categories (employed, floating, non-public, retired) give the after-tax monthly income;
    rural members a chosen amount of 0.20-1.00; students, laid-off and minimum-allowance members neither.
    """
    base = service.set_base(session, caller.scope, member_id, body, if_match)
    return with_etag(service.base_read(base), response)


@router.get("/members/{member_id}/dues/bases", response_model=list[DuesBaseRead], responses=_read_errors)
def list_dues_bases(session: SessionDep, caller: MemberReader, member_id: int) -> list[DuesBaseRead]:
    """The member's dues bases, oldest first, each with the monthly amount it makes due."""
    return service.list_bases(session, caller.scope, member_id)


@router.post(
    "/members/{member_id}/dues/payments",
    response_model=PaymentRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def record_dues_payment(
    session: SessionDep, caller: MemberWriter, member_id: int, body: PaymentCreate
) -> PaymentRead:
    """Record money received for one month: one regular payment per month, then only corrections.

    Paying more than is payable is a voluntary extra (not a credit for other months); a later month may be
    prepaid up to a year ahead.
    """
    return PaymentRead.model_validate(service.record_payment(session, caller, member_id, body))


@router.get("/members/{member_id}/dues/statement", response_model=DuesStatement, responses=_read_errors)
def get_dues_statement(
    session: SessionDep,
    caller: MemberReader,
    member_id: int,
    year: Annotated[int | None, Query(ge=2008, le=2100, description="Defaults to the current year")] = None,
) -> DuesStatement:
    """The member's annual statement: per month due, reduction, paid and balance; totals; arrears."""
    return service.statement(session, caller.scope, member_id, year or local_today().year)


@router.get("/dues/arrears", response_model=Page[ArrearsItem], responses=_read_errors)
def list_dues_arrears(
    session: SessionDep,
    caller: MemberReader,
    org_id: Annotated[int | None, Query(description="Only this org's subtree (default: your scope)")] = None,
    as_of: Annotated[
        Month | None, Query(description="Count months up to this one, inclusive (default: the current)")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ArrearsItem]:
    """Members with dues still owed, oldest unpaid month and a flag at six months unpaid in a row.

    A page may hold fewer than `limit` items and still carry a `next_cursor`: follow it until it is null.
    """
    return service.list_arrears(session, caller.scope, org_id=org_id, as_of=as_of, cursor=cursor, limit=limit)


add_export_route(
    router,
    list_dues_arrears,
    kind="dues-arrears",
    title="党费欠缴",
    org_param="org_id",
    columns=[
        col("党员编号", "member_id", width=10),
        col("姓名", "member_name", width=10),
        col("党组织编号", "org_id", width=10),
        col("欠缴月数", "months_unpaid", width=8),
        col("欠缴金额（元）", "amount_owed", width=12),
        col("最早欠缴月份", "oldest_unpaid_month", width=12),
        col("连续欠缴月数", "consecutive_unpaid_months", width=10),
        col("连续六个月未交", "lapse_warning", width=10),
    ],
)


@router.post(
    "/members/{member_id}/dues/reductions",
    response_model=ReductionRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def request_dues_reduction(
    session: SessionDep, caller: MemberWriter, member_id: int, body: ReductionCreate, response: Response
) -> ReductionRead:
    """Ask to pay less (少交) or nothing (免交) for some months; needs the branch's review, then the
    superior committee's approval."""
    return _reduction(reductions.request_reduction(session, caller, member_id, body), response)


@router.get("/dues/reductions", response_model=Page[ReductionRead], responses=_read_errors)
def list_dues_reductions(
    session: SessionDep,
    caller: MemberReader,
    member_id: int | None = None,
    org_id: Annotated[int | None, Query(description="Only members of this org's subtree")] = None,
    state: ReductionState | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ReductionRead]:
    """Reductions of members in your subtree, oldest first (e.g. `state=branch_reviewed` to approve)."""
    return reductions.list_reductions(
        session, caller.scope, member_id=member_id, org_id=org_id, state=state, cursor=cursor, limit=limit
    )


REDUCTION_KIND_ZH = {ReductionKind.WAIVER: "免交", ReductionKind.REDUCED: "少交"}
REDUCTION_STATE_ZH = {
    ReductionState.REQUESTED: "已申请",
    ReductionState.BRANCH_REVIEWED: "支部已同意",
    ReductionState.APPROVED: "已批准",
    ReductionState.REJECTED: "未批准",
}

add_export_route(
    router,
    list_dues_reductions,
    kind="dues-reductions",
    title="党费减免",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("党员编号", "member_id", width=10),
        col("党组织编号", "org_id", width=10),
        col("起始月份", "from_month", width=10),
        col("截止月份", "to_month", width=10),
        col("类型", "kind", labels=REDUCTION_KIND_ZH, width=6),
        col("减交后每月金额（元）", "reduced_amount", width=12),
        col("理由", "reason", width=30),
        col("状态", "state", labels=REDUCTION_STATE_ZH, width=10),
        col("申请人", "requested_by", width=10),
        col("支部审核时间", "reviewed_at", width=18),
        col("支部意见", "review_note", width=20),
        col("批准时间", "decided_at", width=18),
        col("批准意见", "decision_note", width=20),
    ],
)


@router.get("/dues/reductions/{reduction_id}", response_model=ReductionRead, responses=_read_errors)
def get_dues_reduction(
    session: SessionDep, caller: MemberReader, reduction_id: int, response: Response
) -> ReductionRead:
    return _reduction(reductions.get_reduction(session, caller.scope, reduction_id), response)


@router.post("/dues/reductions/{reduction_id}/review", response_model=ReductionRead, responses=_write_errors)
def review_dues_reduction(
    session: SessionDep,
    caller: MemberWriter,
    reduction_id: int,
    body: ReductionDecision,
    response: Response,
    if_match: IfMatch = None,
) -> ReductionRead:
    """The branch's review (党支部研究): by someone whose scope contains the member's branch."""
    reduction = reductions.review_reduction(session, caller, reduction_id, body.note, if_match)
    return _reduction(reduction, response)


@router.post("/dues/reductions/{reduction_id}/approve", response_model=ReductionRead, responses=_write_errors)
def approve_dues_reduction(
    session: SessionDep,
    caller: MemberWriter,
    reduction_id: int,
    body: ReductionDecision,
    response: Response,
    if_match: IfMatch = None,
) -> ReductionRead:
    """The superior committee's approval: by someone above the branch, other than the reviewer."""
    reduction = reductions.approve_reduction(session, caller, reduction_id, body.note, if_match)
    return _reduction(reduction, response)


@router.post("/dues/reductions/{reduction_id}/reject", response_model=ReductionRead, responses=_write_errors)
def reject_dues_reduction(
    session: SessionDep,
    caller: MemberWriter,
    reduction_id: int,
    body: ReductionRejection,
    response: Response,
    if_match: IfMatch = None,
) -> ReductionRead:
    """Decline: by the branch while requested, by the superior committee once reviewed."""
    reduction = reductions.reject_reduction(session, caller, reduction_id, body.note, if_match)
    return _reduction(reduction, response)
