"""Petitions fixtures: a fake clock, the people of a report, and helpers over the API.

member_a1's account is 党员a10's own (branch_a1); `reported` is the account of 党员a11 (branch_a1, so a
report about them goes to town_a) with org_admin rights over town_a — the handling org itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.world import World, add_user
from vanguard.core.clock import FakeClock
from vanguard.core.permissions import Role
from vanguard.members.models import Member
from vanguard.scoring.models import Grade, Result, Scheme, SchemeStatus

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
BASE = "/api/v1/petitions"
CONTACT = "13987654321"


@dataclass
class People:
    filer: int  # 党员a10, member_a1's record
    reported: int  # 党员a11, the `reported` account's record
    other: int  # 党员a12, the `bystander` account's record
    b_member: int  # 党员b10, in branch_b1


@pytest.fixture
def clock(app: FastAPI) -> FakeClock:
    fake = FakeClock(T0)
    app.state.clock = fake
    return fake


def member_id(session: Session, name: str) -> int:
    return session.scalars(select(Member.id).where(Member.name == name)).one()


@pytest.fixture
def people(session: Session, world: World, clock: FakeClock) -> People:
    p = People(
        filer=member_id(session, "党员a10"),
        reported=member_id(session, "党员a11"),
        other=member_id(session, "党员a12"),
        b_member=member_id(session, "党员b10"),
    )
    world.users["member_a1"].member_id = p.filer
    world.users["reported"] = add_user(session, "reported", Role.ORG_ADMIN, world.orgs["town_a"])
    world.users["reported"].member_id = p.reported
    world.users["bystander"] = add_user(session, "bystander", Role.MEMBER, world.orgs["branch_a1"])
    world.users["bystander"].member_id = p.other
    session.commit()
    return p


def file(client: TestClient, world: World, by: str = "member_a1", **body: Any) -> Any:
    body = {"title": "反映问题", "content": "有关情况如下……", **body}
    return client.post(BASE, json=body, headers=world.auth(by))


def report(client: TestClient, world: World, people: People) -> dict[str, Any]:
    """member_a1 reports 党员a11, leaving a contact number; the created petition."""
    r = file(client, world, kind="report", concerned_member_id=people.reported, contact_phone=CONTACT)
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def act(
    client: TestClient, world: World, pid: int, action: str, by: str = "town_a_admin", **body: Any
) -> Any:
    """POST an action with the petition's current ETag."""
    etag = client.get(f"{BASE}/{pid}", headers=world.auth(by)).headers.get("ETag")
    headers = {**world.auth(by), **({"If-Match": etag} if etag else {})}
    return client.post(f"{BASE}/{pid}/{action}", json=body or None, headers=headers)


def graded_result(
    session: Session, world: World, member: int, *, published: bool = True, grade: Grade | None = Grade.BASIC
) -> int:
    """A 民主评议 result for `member` in branch_a1's scheme; its id."""
    scheme = Scheme(
        org_id=world.orgs["branch_a1"].id,
        name="2025年度民主评议",
        year=2025,
        status=SchemeStatus.PUBLISHED if published else SchemeStatus.DRAFT,
        component_weights={"points": "0.4", "evaluation": "0.6"},
        rater_weights={"self": "1"},
        rules=[],
        full_points=Decimal("100"),
        grade_thresholds={"excellent": "90", "qualified": "70", "basic": "60"},
        excellent_cap=[1, 3],
    )
    session.add(scheme)
    session.flush()
    result = Result(
        scheme_id=scheme.id,
        member_id=member,
        org_id=world.orgs["branch_a1"].id,
        category="rural",
        probationary=grade is None,
        points=Decimal("50"),
        points_component=Decimal("50"),
        evaluation_component=Decimal("65"),
        score=Decimal("61"),
        grade=grade,
        explanation={},
        computed_at=T0,
    )
    session.add(result)
    session.commit()
    return result.id
