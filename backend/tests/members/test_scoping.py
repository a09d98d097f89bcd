"""Another branch's members are 404 on every member endpoint."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import World
from vanguard.members.models import Gender, Member

MEMBERS = "/api/v1/members"


@pytest.fixture
def foreign(session: Session, world: World) -> Member:
    member = Member(org_id=world.orgs["branch_b1"].id, name="乙方党员", gender=Gender.FEMALE)
    session.add(member)
    session.commit()
    return member


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"occupation": "入侵"}),
        ("POST", "/leave", {"status": "withdrawn", "left_on": "2024-01-01", "reason": "越权操作"}),
    ],
)
def test_secretary_gets_404_for_another_branchs_member(
    client: TestClient, world: World, foreign: Member, method: str, suffix: str, body: object
) -> None:
    r = client.request(method, f"{MEMBERS}/{foreign.id}{suffix}", json=body, headers=world.auth("sec_a1"))
    assert_problem(r, 404, "member_not_found")


def test_secretary_cannot_create_a_member_in_another_branch(client: TestClient, world: World) -> None:
    body = {"org_id": world.orgs["branch_b1"].id, "name": "越权", "gender": "male"}
    assert_problem(client.post(MEMBERS, json=body, headers=world.auth("sec_a1")), 404, "org_not_found")


def test_list_shows_only_the_callers_subtree(client: TestClient, world: World, foreign: Member) -> None:
    seen = client.get(MEMBERS, params={"limit": 500}, headers=world.auth("sec_a1")).json()["items"]
    assert {m["org_id"] for m in seen} == {world.orgs["branch_a1"].id}
    town = client.get(MEMBERS, params={"limit": 500}, headers=world.auth("town_a_admin")).json()["items"]
    assert len(town) == 5
    assert foreign.id not in {m["id"] for m in town}


def test_filtering_by_a_foreign_org_is_404(client: TestClient, world: World) -> None:
    r = client.get(MEMBERS, params={"org_id": world.orgs["branch_b1"].id}, headers=world.auth("sec_a1"))
    assert_problem(r, 404, "org_not_found")


def test_members_role_cannot_read_the_roll(client: TestClient, world: World) -> None:
    assert_problem(client.get(MEMBERS, headers=world.auth("member_a1")), 403, "forbidden")


def test_auditor_can_read_but_not_write(client: TestClient, world: World, foreign: Member) -> None:
    assert client.get(f"{MEMBERS}/{foreign.id}", headers=world.auth("auditor")).status_code == 200
    r = client.patch(f"{MEMBERS}/{foreign.id}", json={"occupation": "x"}, headers=world.auth("auditor"))
    assert_problem(r, 403, "forbidden")
