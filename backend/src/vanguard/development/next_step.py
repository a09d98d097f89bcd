"""What a member's development calls for next — the due list's rules, for one member's timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from vanguard.development.models import ApprovalStatus, DevelopmentStep, StepKind
from vanguard.development.rules import approval_due_on, candidate_eligible_on, talk_due_on
from vanguard.development.schemas import DueRule, NextKind, NextStepRead
from vanguard.members.models import Member, MemberStatus, Stage


def _next(
    kind: NextKind,
    today: date,
    rule: DueRule | None = None,
    due_on: date | None = None,
    *,
    deadline: bool = False,
    alternatives: Sequence[StepKind] = (),
    step_id: int | None = None,
) -> NextStepRead:
    late = max(0, (today - due_on).days) if deadline and due_on is not None else 0
    return NextStepRead(
        kind=kind,
        alternatives=list(alternatives),
        rule=rule,
        due_on=due_on,
        deadline=deadline,
        overdue=late > 0,
        days_overdue=late,
        step_id=step_id,
    )


def next_step(
    member: Member, steps: Sequence[DevelopmentStep], probation_ends_on: date | None, today: date
) -> NextStepRead | None:
    """The next step on `today`, or None once the development is over (or the member left the roll).

    A branch decision awaiting the superior committee comes first: nothing else can happen until it
    is decided."""
    if member.status is not MemberStatus.NORMAL:
        return None
    pending = next((s for s in steps if s.approval_status is ApprovalStatus.PENDING), None)
    if pending is not None:
        due = approval_due_on(pending.decided_on)
        return _next(NextKind.APPROVAL, today, DueRule.APPROVAL_DUE, due, deadline=True, step_id=pending.id)
    match member.stage:
        case Stage.APPLICANT:
            applied = member.applied_on
            talked = applied is not None and any(
                s.kind is StepKind.TALK and s.decided_on >= applied for s in steps
            )
            if applied is not None and not talked:
                return _next(NextKind.TALK, today, DueRule.TALK_DUE, talk_due_on(applied), deadline=True)
            return _next(NextKind.ACTIVIST if talked else NextKind.TALK, today)
        case Stage.ACTIVIST:
            if member.activist_on is None:
                return _next(NextKind.CANDIDATE, today)
            eligible = candidate_eligible_on(member.activist_on)
            return _next(NextKind.CANDIDATE, today, DueRule.CANDIDATE_ELIGIBLE, eligible)
        case Stage.CANDIDATE:
            return _next(NextKind.ADMIT, today)
        case Stage.PROBATIONARY:
            return _next(
                NextKind.CONFIRM,
                today,
                DueRule.PROBATION_ENDING,
                probation_ends_on,
                deadline=probation_ends_on is not None,
                alternatives=(StepKind.EXTEND, StepKind.CANCEL),
            )
        case Stage.FULL:
            return None
