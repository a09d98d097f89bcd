"""Members to transfer, and the callers who act on them, for the transfer tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.auth.service import user_principal
from vanguard.core.permissions import Principal
from vanguard.members.models import Gender, Member, MemberStatus
from vanguard.transfers.schemas import TransferCreate

API = "/api/v1"


@pytest.fixture
def add_member(session: Session, world: World) -> Callable[..., Member]:
    def add(
        org: str = "branch_a1", name: str = "张转接", status: MemberStatus = MemberStatus.NORMAL
    ) -> Member:
        member = Member(org_id=world.orgs[org].id, name=name, gender=Gender.FEMALE, status=status)
        session.add(member)
        session.commit()
        return member

    return add


@pytest.fixture
def member(add_member: Callable[..., Member]) -> Member:
    """A member of branch_a1 (town_a)."""
    return add_member()


@pytest.fixture
def as_user(session: Session, world: World) -> Callable[[str], Principal]:
    """The principal a request by this world user would carry."""

    def principal(user: str) -> Principal:
        return user_principal(session, world.users[user])

    return principal


def to_org(world: World, member: Member, org: str = "branch_b1", **extra: Any) -> TransferCreate:
    return TransferCreate(member_id=member.id, to_org_id=world.orgs[org].id, reason="工作调动", **extra)


def post_transfer(
    client: TestClient, world: World, member: Member, *, by: str = "sec_a1", org: str = "branch_b1"
) -> dict[str, Any]:
    r = client.post(
        f"{API}/transfers",
        json={"member_id": member.id, "to_org_id": world.orgs[org].id, "reason": "工作调动"},
        headers=world.auth(by),
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body
