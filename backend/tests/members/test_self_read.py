"""A member's account reads its own record and study archive without members:read — masked as for any
caller without `pii` — and nobody else's: not a fellow member's, not another branch's."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.members.helpers import id_number
from tests.problems import assert_problem
from tests.world import PASSWORD, World

API = "/api/v1"


def _member(
    client: TestClient, world: World, secretary: str, branch: str, name: str, seq: str
) -> dict[str, Any]:
    body = {
        "org_id": world.orgs[branch].id,
        "name": name,
        "id_number": id_number(seq=seq),
        "phone": "13812345678",
        "category": "rural",
        "probationary_on": "2005-07-01",
        "full_member_on": "2006-07-01",
    }
    r = client.post(f"{API}/members", json=body, headers=world.auth(secretary))
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def _linked_account(client: TestClient, world: World, username: str, member_id: int) -> dict[str, str]:
    account = {
        "username": username,
        "display_name": username,
        "password": PASSWORD,
        "role": "member",
        "org_id": world.orgs["branch_a1"].id,
        "member_id": member_id,
    }
    r = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=account)
    assert r.status_code == 201, r.text
    login = client.post(f"{API}/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


@pytest.fixture
def people(client: TestClient, world: World) -> dict[str, Any]:
    a = _member(client, world, "sec_a1", "branch_a1", "张甲", "123")
    b = _member(client, world, "sec_a1", "branch_a1", "李乙", "135")
    c = _member(client, world, "sec_b1", "branch_b1", "王丙", "157")
    return {"a": a, "b": b, "c": c, "own": _linked_account(client, world, "zhangjia", a["id"])}


def test_a_member_reads_their_own_record_masked(client: TestClient, people: dict[str, Any]) -> None:
    r = client.get(f"{API}/members/{people['a']['id']}", headers=people["own"])
    assert r.status_code == 200, r.text
    mine = r.json()
    assert (mine["id"], mine["name"]) == (people["a"]["id"], "张甲")
    assert mine["id_number_masked"] is True
    assert mine["id_number"] != id_number(seq="123")
    assert mine["id_number"].endswith(id_number(seq="123")[-4:])
    assert mine["phone"] == "138****5678"
    assert r.headers["ETag"]


def test_a_member_reads_their_own_study_archive(client: TestClient, people: dict[str, Any]) -> None:
    r = client.get(f"{API}/members/{people['a']['id']}/study", params={"year": 2026}, headers=people["own"])
    assert r.status_code == 200, r.text
    assert r.json()["member"]["id"] == people["a"]["id"]


@pytest.mark.parametrize("path", ["/members/{id}", "/members/{id}/study"])
def test_a_member_reads_no_one_elses(
    client: TestClient, world: World, people: dict[str, Any], path: str
) -> None:
    # A fellow member of the same branch: refused for want of members:read.
    fellow = client.get(API + path.format(id=people["b"]["id"]), headers=people["own"])
    assert_problem(fellow, 403, "forbidden")
    # Another branch's member: refused the same way, so the answer does not tell whether they exist.
    other = client.get(API + path.format(id=people["c"]["id"]), headers=people["own"])
    assert_problem(other, 403, "forbidden")
    # An account not linked to any member reads nothing, not even with a member's id.
    unlinked = client.get(API + path.format(id=people["a"]["id"]), headers=world.auth("member_a1"))
    assert_problem(unlinked, 403, "forbidden")


def test_exports_of_the_archive_still_need_members_read(client: TestClient, people: dict[str, Any]) -> None:
    r = client.get(f"{API}/members/{people['a']['id']}/study/export.xlsx", headers=people["own"])
    assert_problem(r, 403, "forbidden")


def test_readers_still_read_in_their_subtree_only(
    client: TestClient, world: World, people: dict[str, Any]
) -> None:
    assert client.get(f"{API}/members/{people['b']['id']}", headers=world.auth("sec_a1")).status_code == 200
    assert_problem(
        client.get(f"{API}/members/{people['c']['id']}", headers=world.auth("sec_a1")),
        404,
        "member_not_found",
    )
    assert_problem(
        client.get(f"{API}/members/{people['c']['id']}/study", headers=world.auth("sec_a1")),
        404,
        "member_not_found",
    )
