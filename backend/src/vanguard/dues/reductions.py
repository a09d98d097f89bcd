"""Reductions and waivers of dues: requested, reviewed by the branch, approved by a committee above it."""

from __future__ import annotations

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from vanguard.core import policy
from vanguard.core.db import utcnow
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Principal, Scope, in_subtree
from vanguard.dues.errors import (
    ApproverIsReviewer,
    DecisionNeedsUser,
    InvalidTransition,
    NotBranchReviewer,
    NotPayable,
    NotSuperiorCommittee,
    ReducedAmountRequired,
    ReductionNotFound,
    ReductionOverlap,
    ReductionRangeInvalid,
    ReductionTooLong,
)
from vanguard.dues.models import (
    DuesReduction,
    ReductionKind,
    ReductionState,
)
from vanguard.dues.schemas import (
    ReductionCreate,
    ReductionRead,
)
from vanguard.dues.service import (
    _in_org,
    liability,
    months_between,
)
from vanguard.members.models import Member
from vanguard.members.service import get_member
from vanguard.members.service import readable as readable_members
from vanguard.orgs.models import Organisation, OrgKind

# Reductions --------------------------------------------------------------------------------------


def readable_reductions(scope: Scope) -> Select[DuesReduction]:
    """Reductions of the members the caller may see."""
    visible = readable_members(scope).with_only_columns(Member.id)
    return select(DuesReduction).where(DuesReduction.member_id.in_(visible))


def get_reduction(
    session: Session, scope: Scope, reduction_id: int, *, for_update: bool = False
) -> DuesReduction:
    stmt = readable_reductions(scope).where(DuesReduction.id == reduction_id)
    if for_update:
        stmt = stmt.with_for_update(of=DuesReduction)
    reduction = session.scalars(stmt).one_or_none()
    if reduction is None:
        raise ReductionNotFound()
    return reduction


def list_reductions(
    session: Session,
    scope: Scope,
    *,
    member_id: int | None,
    org_id: int | None,
    state: ReductionState | None,
    cursor: str | None,
    limit: int,
) -> Page[ReductionRead]:
    stmt = readable_reductions(scope)
    if member_id is not None:
        stmt = stmt.where(DuesReduction.member_id == get_member(session, scope, member_id).id)
    if org_id is not None:
        stmt = stmt.where(
            DuesReduction.member_id.in_(select(Member.id).where(_in_org(session, scope, org_id)))
        )
    if state is not None:
        stmt = stmt.where(DuesReduction.state == state)
    return paginate_by_id(
        session,
        stmt,
        DuesReduction.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: ReductionRead.model_validate(row[0]),
    )


def request_reduction(
    session: Session, caller: Principal, member_id: int, data: ReductionCreate
) -> DuesReduction:
    # Locking the member serialises requests for them: the overlap check cannot race.
    member = get_member(session, caller.scope, member_id, for_update=True)
    if data.to_month < data.from_month:
        raise ReductionRangeInvalid()
    if len(months_between(data.from_month, data.to_month)) > policy.DUES_MAX_REDUCTION_MONTHS:
        raise ReductionTooLong()
    if (data.kind is ReductionKind.REDUCED) != (data.reduced_amount is not None):
        raise ReducedAmountRequired()
    if liability(member) is None:
        raise NotPayable()
    overlapping = session.scalar(
        select(
            exists().where(
                DuesReduction.member_id == member.id,
                DuesReduction.state != ReductionState.REJECTED,
                DuesReduction.from_month <= data.to_month,
                DuesReduction.to_month >= data.from_month,
            )
        )
    )
    if overlapping:
        raise ReductionOverlap()
    reduction = DuesReduction(
        member_id=member.id,
        org_id=member.org_id,
        from_month=data.from_month,
        to_month=data.to_month,
        kind=data.kind,
        reduced_amount=data.reduced_amount,
        reason=data.reason,
        state=ReductionState.REQUESTED,
        requested_by=caller.name,
    )
    session.add(reduction)
    session.flush()
    return reduction


def branch_of(session: Session, member: Member) -> Organisation:
    """The member's branch: their organisation, or the branch above it when they sit in a party group."""
    org = session.get_one(Organisation, member.org_id)
    if org.kind is OrgKind.GROUP and org.parent_id is not None:
        return session.get_one(Organisation, org.parent_id)
    return org


def may_review(caller: Principal, branch: Organisation) -> bool:
    """The branch review: anyone whose scope contains the member's branch."""
    return caller.kind == "user" and caller.scope.contains(branch.path)


def is_superior(caller: Principal, branch: Organisation) -> bool:
    """The superior committee: the caller's scope root is strictly above the branch."""
    root = caller.scope.root_path
    return caller.kind == "user" and (root is None or (in_subtree(branch.path, root) and root != branch.path))


def _decide(session: Session, caller: Principal, reduction_id: int) -> tuple[DuesReduction, Organisation]:
    if caller.kind != "user":
        raise DecisionNeedsUser()
    reduction = get_reduction(session, caller.scope, reduction_id, for_update=True)
    member = get_member(session, caller.scope, reduction.member_id)
    return reduction, branch_of(session, member)


def review_reduction(
    session: Session, caller: Principal, reduction_id: int, note: str | None, if_match: str | None = None
) -> DuesReduction:
    """党支部研究: the member's branch agrees to pass the request up."""
    reduction, branch = _decide(session, caller, reduction_id)
    if not may_review(caller, branch):
        raise NotBranchReviewer()
    if reduction.state is not ReductionState.REQUESTED:
        raise InvalidTransition()
    check_if_match(if_match, reduction.version)
    reduction.state = ReductionState.BRANCH_REVIEWED
    reduction.reviewed_by_id = caller.id
    reduction.reviewed_at = utcnow()
    reduction.review_note = note
    session.flush()
    return reduction


def _check_superior(caller: Principal, branch: Organisation, reduction: DuesReduction) -> None:
    if not is_superior(caller, branch):
        raise NotSuperiorCommittee()
    if reduction.state is not ReductionState.BRANCH_REVIEWED:
        raise InvalidTransition()
    if reduction.reviewed_by_id == caller.id:
        raise ApproverIsReviewer()


def approve_reduction(
    session: Session, caller: Principal, reduction_id: int, note: str | None, if_match: str | None = None
) -> DuesReduction:
    """上一级党委批准: from now on the statement takes the reduction off."""
    reduction, branch = _decide(session, caller, reduction_id)
    _check_superior(caller, branch, reduction)
    check_if_match(if_match, reduction.version)
    _conclude(reduction, caller, ReductionState.APPROVED, note)
    session.flush()
    return reduction


def reject_reduction(
    session: Session, caller: Principal, reduction_id: int, note: str, if_match: str | None = None
) -> DuesReduction:
    """The branch declines a request, or the superior committee declines a reviewed one."""
    reduction, branch = _decide(session, caller, reduction_id)
    if reduction.state is ReductionState.REQUESTED:
        if not may_review(caller, branch):
            raise NotBranchReviewer()
    elif reduction.state is ReductionState.BRANCH_REVIEWED:
        _check_superior(caller, branch, reduction)
    else:
        raise InvalidTransition()
    check_if_match(if_match, reduction.version)
    _conclude(reduction, caller, ReductionState.REJECTED, note)
    session.flush()
    return reduction


def _conclude(reduction: DuesReduction, caller: Principal, state: ReductionState, note: str | None) -> None:
    reduction.state = state
    reduction.decided_by_id = caller.id
    reduction.decided_at = utcnow()
    reduction.decision_note = note
