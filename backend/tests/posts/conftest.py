"""A member with posts and pledges to work on, and the callers who act on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.auth.service import user_principal
from vanguard.core.permissions import Principal
from vanguard.members.models import Gender, Member, MemberStatus
from vanguard.posts.models import Pledge, Post

API = "/api/v1"
TODAY = date(2026, 11, 23)


@pytest.fixture
def add_member(session: Session, world: World) -> Callable[..., Member]:
    def add(
        org: str = "branch_a1", name: str = "李设岗", status: MemberStatus = MemberStatus.NORMAL
    ) -> Member:
        member = Member(org_id=world.orgs[org].id, name=name, gender=Gender.MALE, status=status)
        session.add(member)
        session.commit()
        return member

    return add


@pytest.fixture
def member(add_member: Callable[..., Member]) -> Member:
    """A member of branch_a1."""
    return add_member()


@pytest.fixture
def post(session: Session, member: Member) -> Post:
    """An active post of `member`, held since 2025."""
    held = Post(member=member, title="环境卫生监督岗", duties="每周巡查村道卫生", started_on=date(2025, 3, 1))
    session.add(held)
    session.commit()
    return held


@pytest.fixture
def pledge(session: Session, member: Member) -> Pledge:
    """A pending pledge of `member`, made in 2025 and already due."""
    made = Pledge(
        member=member, content="帮助两户困难群众发展养殖", made_on=date(2025, 2, 1), due_on=date(2025, 12, 31)
    )
    session.add(made)
    session.commit()
    return made


@pytest.fixture
def as_user(session: Session, world: World) -> Callable[[str], Principal]:
    def principal(user: str) -> Principal:
        return user_principal(session, world.users[user])

    return principal
