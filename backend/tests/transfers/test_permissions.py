"""The permission boundary of every transfer endpoint: who may call it, and what others see (404)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.boundary import Endpoint, assert_boundary, each
from tests.problems import assert_problem
from tests.transfers.conftest import API, post_transfer
from tests.world import World
from vanguard.members.models import Member

TRANSFERS = f"{API}/transfers"
# {t} is a pending a1 → a2 transfer, {m} its member, {b1} branch_b1.
ENDPOINTS = [
    Endpoint("GET", "/transfers"),
    Endpoint(
        "POST",
        "/transfers",
        lambda ids: {"member_id": ids["m"], "to_org_id": ids["b1"], "reason": "调动"},
        "member_not_found",
    ),
    Endpoint("GET", "/transfers/destinations", reads=False),  # the picker is for those who send
    Endpoint("GET", "/transfers/{t}", None, "transfer_not_found"),
    Endpoint("POST", "/transfers/{t}/accept", {}, "transfer_not_found"),
    Endpoint("POST", "/transfers/{t}/reject", {"note": "退回"}, "transfer_not_found"),
    Endpoint("POST", "/transfers/{t}/cancel", {}, "transfer_not_found"),
    Endpoint("GET", "/members/{m}/transfers", None, "member_not_found"),
]


@pytest.fixture
def transfer(client: TestClient, world: World, member: Member) -> dict[str, Any]:
    return post_transfer(client, world, member, org="branch_a2")


@each(ENDPOINTS)
def test_permission_boundary(
    client: TestClient, world: World, transfer: dict[str, Any], endpoint: Endpoint
) -> None:
    ids = {"t": transfer["id"], "m": transfer["member_id"], "b1": world.orgs["branch_b1"].id}
    # Who may act depends on the side of the transfer: the tests below cover the insiders.
    assert_boundary(client, world, endpoint, ids, insider=None)


def test_another_branch_lists_none_of_it(client: TestClient, world: World, transfer: dict[str, Any]) -> None:
    r = client.get(TRANSFERS, headers=world.auth("sec_b1"))
    assert r.json()["items"] == []


def test_the_sender_cannot_accept_or_reject(
    client: TestClient, world: World, transfer: dict[str, Any]
) -> None:
    for action, body in (("accept", {}), ("reject", {"note": "自己退回"})):
        r = client.post(f"{TRANSFERS}/{transfer['id']}/{action}", json=body, headers=world.auth("sec_a1"))
        assert_problem(r, 403, "transfer_receiver_only")


def test_the_receiver_cannot_cancel(client: TestClient, world: World, add_member: Any) -> None:
    transfer = post_transfer(client, world, add_member("branch_b1"), by="sec_b1", org="branch_a1")
    r = client.post(f"{TRANSFERS}/{transfer['id']}/cancel", headers=world.auth("sec_a1"))
    assert_problem(r, 403, "transfer_sender_only")


def test_a_committee_over_the_receiver_may_accept(
    client: TestClient, world: World, transfer: dict[str, Any]
) -> None:
    r = client.post(f"{TRANSFERS}/{transfer['id']}/accept", headers=world.auth("town_a_admin"))
    assert r.status_code == 200
    assert r.json()["state"] == "accepted"
