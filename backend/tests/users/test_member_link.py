"""A user account linked to its member record: in the user's own subtree, one account per member."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import PASSWORD, World
from vanguard.members.models import Gender, Member

API = "/api/v1"


def _member(session: Session, world: World, org: str, name: str) -> int:
    member = Member(org_id=world.orgs[org].id, name=name, gender=Gender.MALE)
    session.add(member)
    session.commit()
    return member.id


def _account(world: World, username: str, member_id: int | None, org: str = "branch_a1") -> dict[str, Any]:
    return {
        "username": username,
        "display_name": username,
        "password": PASSWORD,
        "role": "member",
        "org_id": world.orgs[org].id,
        "member_id": member_id,
    }


def test_a_member_account_carries_its_member_and_sees_it_in_me(
    client: TestClient, world: World, session: Session
) -> None:
    zhang = _member(session, world, "branch_a1", "张三")
    r = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=_account(world, "zhangsan", zhang))
    assert r.status_code == 201, r.text
    assert r.json()["member_id"] == zhang
    login = client.post(f"{API}/auth/token", data={"username": "zhangsan", "password": PASSWORD})
    me = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert me.json()["member_id"] == zhang
    assert client.get(f"{API}/auth/me", headers=world.auth("sec_a1")).json()["member_id"] is None


def test_a_member_has_at_most_one_account(client: TestClient, world: World, session: Session) -> None:
    zhang = _member(session, world, "branch_a1", "张三")
    first = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=_account(world, "zs_one", zhang))
    assert first.status_code == 201
    again = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=_account(world, "zs_two", zhang))
    assert_problem(again, 409, "member_already_linked")
    other = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=_account(world, "zs_three", None))
    relink = client.patch(
        f"{API}/users/{other.json()['id']}", headers=world.auth("sec_a1"), json={"member_id": zhang}
    )
    assert_problem(relink, 409, "member_already_linked")
    # Unlinking frees the member for another account.
    unlink = client.patch(
        f"{API}/users/{first.json()['id']}", headers=world.auth("sec_a1"), json={"member_id": None}
    )
    assert unlink.status_code == 200, unlink.text
    assert unlink.json()["member_id"] is None
    relink = client.patch(
        f"{API}/users/{other.json()['id']}", headers=world.auth("sec_a1"), json={"member_id": zhang}
    )
    assert relink.status_code == 200, relink.text
    assert relink.json()["member_id"] == zhang


def test_the_member_must_be_in_the_accounts_own_subtree(
    client: TestClient, world: World, session: Session
) -> None:
    li = _member(session, world, "branch_a2", "李四")  # visible to the town, outside branch_a1
    r = client.post(f"{API}/users", headers=world.auth("town_a_admin"), json=_account(world, "lisi", li))
    problem = assert_problem(r, 422, "member_outside_user_org")
    assert [e["field"] for e in problem["errors"]] == ["body.member_id"]
    ok = client.post(
        f"{API}/users", headers=world.auth("town_a_admin"), json=_account(world, "lisi", li, "branch_a2")
    )
    assert ok.status_code == 201, ok.text
    # Moving the account out of the member's branch is refused while it stays linked.
    moved = client.patch(
        f"{API}/users/{ok.json()['id']}",
        headers=world.auth("town_a_admin"),
        json={"org_id": world.orgs["branch_a1"].id},
    )
    assert_problem(moved, 422, "member_outside_user_org")


def test_another_branchs_member_cannot_be_linked(client: TestClient, world: World, session: Session) -> None:
    wang = _member(session, world, "branch_b1", "王五")
    r = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=_account(world, "wangwu", wang))
    assert_problem(r, 404, "member_not_found")
