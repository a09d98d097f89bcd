"""The next step of one member's development: the due list's rules, reckoned for the timeline."""

from __future__ import annotations

from datetime import date

from vanguard.development.models import ApprovalStatus, DevelopmentStep, StepKind
from vanguard.development.next_step import next_step
from vanguard.development.schemas import DueRule, NextKind
from vanguard.members.models import Member, MemberStatus, Stage

TODAY = date(2026, 6, 15)


def member(stage: Stage, status: MemberStatus = MemberStatus.NORMAL, **dates: date) -> Member:
    return Member(id=1, name="张三", stage=stage, status=status, **dates)


def step(
    kind: StepKind, on: date, approval: ApprovalStatus = ApprovalStatus.NOT_REQUIRED, id: int = 7
) -> DevelopmentStep:
    return DevelopmentStep(id=id, kind=kind, decided_on=on, approval_status=approval)


def test_an_applicant_not_yet_talked_to_is_due_a_talk_a_month_after_applying() -> None:
    nxt = next_step(member(Stage.APPLICANT, applied_on=date(2026, 5, 10)), [], None, TODAY)
    assert nxt is not None
    assert (nxt.kind, nxt.rule, nxt.due_on, nxt.deadline) == (
        NextKind.TALK,
        DueRule.TALK_DUE,
        date(2026, 6, 10),
        True,
    )
    # 10 June to 15 June
    assert (nxt.overdue, nxt.days_overdue) == (True, 5)


def test_after_the_talk_the_applicant_may_become_an_activist_with_no_date() -> None:
    applied = date(2026, 5, 10)
    nxt = next_step(
        member(Stage.APPLICANT, applied_on=applied), [step(StepKind.TALK, date(2026, 5, 20))], None, TODAY
    )
    assert nxt is not None
    assert (nxt.kind, nxt.rule, nxt.due_on, nxt.overdue) == (NextKind.ACTIVIST, None, None, False)


def test_a_talk_before_a_renewed_application_does_not_count() -> None:
    applied = date(2026, 5, 10)
    old_talk = step(StepKind.TALK, date(2025, 1, 5))
    nxt = next_step(member(Stage.APPLICANT, applied_on=applied), [old_talk], None, TODAY)
    assert nxt is not None
    assert nxt.kind is NextKind.TALK


def test_an_activist_becomes_eligible_a_year_on_which_is_not_a_deadline() -> None:
    nxt = next_step(member(Stage.ACTIVIST, activist_on=date(2025, 3, 31)), [], None, TODAY)
    assert nxt is not None
    assert (nxt.kind, nxt.rule, nxt.due_on) == (
        NextKind.CANDIDATE,
        DueRule.CANDIDATE_ELIGIBLE,
        date(2026, 3, 31),
    )
    assert (nxt.deadline, nxt.overdue, nxt.days_overdue) == (False, False, 0)


def test_a_pending_approval_comes_before_anything_else_within_three_months() -> None:
    meeting = step(StepKind.ADMIT, date(2026, 1, 31), ApprovalStatus.PENDING, id=42)
    nxt = next_step(
        member(Stage.PROBATIONARY, probationary_on=date(2026, 1, 31)), [meeting], date(2027, 1, 31), TODAY
    )
    assert nxt is not None
    # 31 January + 3 months clamps to 30 April; 46 days late on 15 June
    assert (nxt.kind, nxt.rule, nxt.due_on, nxt.step_id) == (
        NextKind.APPROVAL,
        DueRule.APPROVAL_DUE,
        date(2026, 4, 30),
        42,
    )
    assert nxt.days_overdue == 46


def test_a_probationer_is_confirmed_extended_or_cancelled_when_probation_ends() -> None:
    nxt = next_step(member(Stage.PROBATIONARY), [], date(2026, 12, 10), TODAY)
    assert nxt is not None
    assert (nxt.kind, nxt.due_on, nxt.deadline, nxt.overdue) == (
        NextKind.CONFIRM,
        date(2026, 12, 10),
        True,
        False,
    )
    assert nxt.alternatives == [StepKind.EXTEND, StepKind.CANCEL]


def test_nothing_is_next_for_a_full_member_or_one_who_left() -> None:
    assert next_step(member(Stage.FULL), [], None, TODAY) is None
    assert (
        next_step(
            member(Stage.APPLICANT, MemberStatus.WITHDRAWN, applied_on=date(2026, 5, 1)), [], None, TODAY
        )
        is None
    )
