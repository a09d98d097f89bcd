"""Study activities to record attendance and exams against, and the members who attend them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.members.models import Gender, Member, MemberStatus
from vanguard.study.models import Activity, ActivityKind, Exam

API = "/api/v1"
PAST = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)  # 09:30 China time on 1 March 2026


@pytest.fixture
def add_member(session: Session, world: World) -> Callable[..., Member]:
    def add(
        org: str = "branch_a1",
        name: str = "李学习",
        status: MemberStatus = MemberStatus.NORMAL,
        left_on: date | None = None,
    ) -> Member:
        member = Member(
            org_id=world.orgs[org].id, name=name, gender=Gender.MALE, status=status, left_on=left_on
        )
        session.add(member)
        session.commit()
        return member

    return add


@pytest.fixture
def member(add_member: Callable[..., Member]) -> Member:
    """A member of branch_a1."""
    return add_member()


@pytest.fixture
def add_activity(session: Session, world: World) -> Callable[..., Activity]:
    def add(
        org: str = "branch_a1", kind: ActivityKind = ActivityKind.BRANCH_MEETING, starts_at: datetime = PAST
    ) -> Activity:
        activity = Activity(
            org_id=world.orgs[org].id,
            kind=kind,
            starts_at=starts_at,
            topic="学习党的二十届四中全会精神",
            hours=Decimal("2.0"),
            materials=[],
        )
        session.add(activity)
        session.commit()
        return activity

    return add


@pytest.fixture
def activity(add_activity: Callable[..., Activity]) -> Activity:
    """A past branch meeting of branch_a1."""
    return add_activity()


@pytest.fixture
def training(add_activity: Callable[..., Activity]) -> Activity:
    """A past training class of branch_a1."""
    return add_activity(kind=ActivityKind.TRAINING_CLASS)


@pytest.fixture
def exam(session: Session, training: Activity) -> Exam:
    made = Exam(activity=training, title="结业考试", max_score=100, pass_mark=60)
    session.add(made)
    session.commit()
    return made
