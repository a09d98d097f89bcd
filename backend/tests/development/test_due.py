"""The "due soon" list: who is ready for the next step, and who is overdue, soonest first."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.development.factory import Roll, admit_body
from tests.world import World
from vanguard.core.pagination import InvalidCursor
from vanguard.core.permissions import Scope
from vanguard.development import service
from vanguard.development.due import due_list
from vanguard.development.schemas import Approval, DueList, ExtendCreate, TalkCreate
from vanguard.members.models import Stage

from .factory import VOTES

EVERYONE = Scope.everything()
TODAY = date(2026, 6, 30)


def due(session: Session, within_days: int = 30, **kwargs: Any) -> DueList:
    kwargs.setdefault("limit", 50)
    return due_list(
        session,
        EVERYONE,
        org_id=kwargs.pop("org_id", None),
        within_days=within_days,
        cursor=kwargs.pop("cursor", None),
        today=TODAY,
        **kwargs,
    )


def by_name(listing: DueList) -> dict[str, Any]:
    return {item.member_name: item for item in listing.items}


def test_talk_not_held_a_month_after_application_is_overdue(session: Session, roll: Roll) -> None:
    roll.add("逾期", applied_on=date(2026, 5, 20))  # due 2026-06-20
    roll.add("将到期", applied_on=date(2026, 6, 15))  # due 2026-07-15
    roll.add("未到期", applied_on=date(2026, 6, 29))  # due 2026-07-29, beyond 30 days... just inside? 29 days
    talked = roll.add("已谈话", applied_on=date(2026, 5, 20))
    service.record_talk(
        session, EVERYONE, talked.id, TalkCreate(talked_on=date(2026, 6, 1), talked_by="李"), today=TODAY
    )
    items = by_name(due(session, within_days=20))
    assert set(items) == {"逾期", "将到期"}
    overdue = items["逾期"]
    assert (overdue.rule, overdue.due_on, overdue.overdue, overdue.days_overdue) == (
        "talk_due",
        date(2026, 6, 20),
        True,
        10,
    )
    assert (items["将到期"].overdue, items["将到期"].days_overdue) == (False, 0)


def test_activist_of_a_year_is_ready_to_become_a_candidate(session: Session, roll: Roll) -> None:
    roll.add("满一年", stage=Stage.ACTIVIST, applied_on=date(2025, 1, 2), activist_on=date(2025, 3, 1))
    roll.add("未满", stage=Stage.ACTIVIST, applied_on=date(2025, 9, 2), activist_on=date(2025, 10, 1))
    items = by_name(due(session))
    assert set(items) == {"满一年"}
    ready = items["满一年"]
    assert (ready.rule, ready.due_on, ready.deadline, ready.overdue) == (
        "candidate_eligible",
        date(2026, 3, 1),
        False,
        False,
    )


def test_decision_awaiting_approval_is_due_three_months_after_the_meeting(
    session: Session, roll: Roll
) -> None:
    introducers = [roll.full("王").id, roll.full("赵").id]
    member = roll.add(
        "待审批", stage=Stage.CANDIDATE, applied_on=date(2023, 1, 2), candidate_on=date(2025, 6, 1)
    )
    step = service.admit(
        session, EVERYONE, member.id, admit_body(date(2026, 3, 20), introducers), today=TODAY
    )
    item = by_name(due(session))["待审批"]
    assert (item.rule, item.due_on, item.step_id, item.overdue) == (
        "approval_due",
        date(2026, 6, 20),
        step.id,
        True,
    )
    assert item.days_overdue == 10


def test_probation_ending_includes_extensions(session: Session, roll: Roll) -> None:
    roll.add("到期", stage=Stage.PROBATIONARY, applied_on=date(2022, 1, 2), probationary_on=date(2025, 7, 15))
    extended = roll.add(
        "延长", stage=Stage.PROBATIONARY, applied_on=date(2022, 1, 2), probationary_on=date(2025, 6, 1)
    )
    body = ExtendCreate(
        decided_on=date(2026, 6, 5),
        months=6,
        reason="考察不合格",
        votes=VOTES,
        approval=Approval(approved_by="中共甲镇委员会", approved_on=date(2026, 6, 20)),
    )
    service.extend(session, EVERYONE, extended.id, body, today=TODAY)
    items = by_name(due(session))
    assert set(items) == {"到期"}
    assert (items["到期"].rule, items["到期"].due_on) == ("probation_ending", date(2026, 7, 15))
    assert by_name(due(session, within_days=200))["延长"].due_on == date(2026, 12, 1)


def test_due_list_is_sorted_and_pages_with_a_cursor(session: Session, roll: Roll) -> None:
    for day in (3, 1, 2, 5, 4):
        roll.add(f"申请{day}", applied_on=date(2026, 5, day))
    first = due(session, limit=2)
    assert [i.member_name for i in first.items] == ["申请1", "申请2"]
    second = due(session, limit=2, cursor=first.next_cursor)
    third = due(session, limit=2, cursor=second.next_cursor)
    assert [i.member_name for i in second.items + third.items] == ["申请3", "申请4", "申请5"]
    assert third.next_cursor is None
    with pytest.raises(InvalidCursor):
        due(session, cursor="garbage!")


def test_due_list_filters_by_org_subtree(session: Session, world: World, roll: Roll) -> None:
    roll.add("甲一", applied_on=date(2026, 5, 1))
    roll.add("甲二", org="branch_a2", applied_on=date(2026, 5, 1))
    roll.add("乙一", org="branch_b1", applied_on=date(2026, 5, 1))
    assert set(by_name(due(session, org_id=world.orgs["town_a"].id))) == {"甲一", "甲二"}
    assert set(by_name(due(session, org_id=world.orgs["branch_a2"].id))) == {"甲二"}
