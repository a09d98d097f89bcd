"""A secretary of branch A can never read or change branch B's organisations."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.world import World

ORGS = "/api/v1/orgs"


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("GET", "/stats", None),
        ("PATCH", "", {"secretary_name": "入侵者"}),
        ("POST", "/move", "PARENT"),
    ],
)
def test_secretary_gets_404_for_another_branch(
    client: TestClient, world: World, method: str, suffix: str, body: object
) -> None:
    if body == "PARENT":
        body = {"new_parent_id": world.orgs["town_a"].id}
    r = client.request(
        method, f"{ORGS}/{world.orgs['branch_b1'].id}{suffix}", json=body, headers=world.auth("sec_a1")
    )
    assert r.status_code == 404
    assert r.json()["code"] == "org_not_found"


def test_secretary_cannot_create_under_another_branch(client: TestClient, world: World) -> None:
    body = {"name": "越权小组", "kind": "group", "parent_id": world.orgs["branch_b1"].id}
    r = client.post(ORGS, json=body, headers=world.auth("sec_a1"))
    assert r.status_code == 404
    assert r.json()["code"] == "parent_org_not_found"
    assert client.get(ORGS, params={"q": "越权"}, headers=world.auth("admin")).json()["items"] == []


def test_secretary_can_create_a_group_in_own_branch(client: TestClient, world: World) -> None:
    body = {"name": "甲一村第二党小组", "kind": "group", "parent_id": world.orgs["branch_a1"].id}
    assert client.post(ORGS, json=body, headers=world.auth("sec_a1")).status_code == 201


def test_secretary_cannot_create_a_top_level_org(client: TestClient, world: World) -> None:
    r = client.post(
        ORGS, json={"name": "新县委", "kind": "committee", "parent_id": None}, headers=world.auth("sec_a1")
    )
    assert r.status_code == 403
    assert r.json()["code"] == "top_level_org_forbidden"


def test_secretary_cannot_move_own_branch_out_of_scope(client: TestClient, world: World) -> None:
    r = client.post(
        f"{ORGS}/{world.orgs['branch_a1'].id}/move",
        json={"new_parent_id": world.orgs["town_b"].id},
        headers=world.auth("sec_a1"),
    )
    assert r.status_code == 404
    assert r.json()["code"] == "parent_org_not_found"


def test_listing_never_leaks_outside_the_subtree(client: TestClient, world: World) -> None:
    seen = client.get(ORGS, params={"limit": 500}, headers=world.auth("sec_a1")).json()["items"]
    assert {o["code"] for o in seen} == {"C-A-1", "C-A-1-G1"}
    town = client.get(ORGS, params={"limit": 500}, headers=world.auth("town_a_admin")).json()["items"]
    assert {o["code"] for o in town} == {"C-A", "C-A-1", "C-A-2", "C-A-1-G1"}


def test_listing_children_of_a_foreign_parent_is_empty(client: TestClient, world: World) -> None:
    r = client.get(ORGS, params={"parent_id": world.orgs["town_b"].id}, headers=world.auth("sec_a1"))
    assert r.status_code == 200
    assert r.json()["items"] == []


def test_within_a_foreign_org_is_404(client: TestClient, world: World) -> None:
    r = client.get(ORGS, params={"within": world.orgs["branch_b1"].id}, headers=world.auth("sec_a1"))
    assert r.status_code == 404
