"""The permission boundary of every transfer endpoint: who may call it, and what others see (404)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.problems import assert_problem
from tests.transfers.conftest import API, post_transfer
from tests.world import World
from vanguard.members.models import Member

TRANSFERS = f"{API}/transfers"
# (method, path template, body); {t} is a pending a1 → a2 transfer, {m} its member.
ENDPOINTS: list[tuple[str, str, Any]] = [
    ("GET", "/transfers", None),
    ("POST", "/transfers", "NEW"),
    ("GET", "/transfers/destinations", None),
    ("GET", "/transfers/{t}", None),
    ("POST", "/transfers/{t}/accept", {}),
    ("POST", "/transfers/{t}/reject", {"note": "退回"}),
    ("POST", "/transfers/{t}/cancel", {}),
    ("GET", "/members/{m}/transfers", None),
]
WRITES = {(m, p) for m, p, _ in ENDPOINTS if m == "POST"} | {("GET", "/transfers/destinations")}


def _call(
    client: TestClient,
    world: World,
    user: str | None,
    endpoint: tuple[str, str, Any],
    transfer: dict[str, Any],
) -> Any:
    method, template, body = endpoint
    if body == "NEW":
        body = {"member_id": transfer["member_id"], "to_org_id": world.orgs["branch_b1"].id, "reason": "调动"}
    path = API + template.format(t=transfer["id"], m=transfer["member_id"])
    headers = world.auth(user) if user else {}
    return client.request(method, path, json=body, headers=headers)


@pytest.fixture
def transfer(client: TestClient, world: World, member: Member) -> dict[str, Any]:
    return post_transfer(client, world, member, org="branch_a2")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
def test_every_endpoint_needs_a_login(
    client: TestClient, world: World, transfer: dict[str, Any], endpoint: tuple[str, str, Any]
) -> None:
    assert_problem(_call(client, world, None, endpoint, transfer), 401, "unauthenticated")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
def test_a_plain_member_may_call_no_endpoint(
    client: TestClient, world: World, transfer: dict[str, Any], endpoint: tuple[str, str, Any]
) -> None:
    assert_problem(_call(client, world, "member_a1", endpoint, transfer), 403, "forbidden")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
def test_an_auditor_reads_but_never_writes(
    client: TestClient, world: World, transfer: dict[str, Any], endpoint: tuple[str, str, Any]
) -> None:
    r = _call(client, world, "auditor", endpoint, transfer)
    if endpoint[:2] in WRITES:
        assert_problem(r, 403, "forbidden")
    else:
        assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("endpoint", "code"),
    [
        (("GET", "/transfers/{t}", None), "transfer_not_found"),
        (("POST", "/transfers/{t}/accept", {}), "transfer_not_found"),
        (("POST", "/transfers/{t}/reject", {"note": "退回"}), "transfer_not_found"),
        (("POST", "/transfers/{t}/cancel", {}), "transfer_not_found"),
        (("GET", "/members/{m}/transfers", None), "member_not_found"),
        (("POST", "/transfers", "NEW"), "member_not_found"),
    ],
    ids=lambda e: f"{e[0]} {e[1]}" if isinstance(e, tuple) else e,
)
def test_another_branch_gets_404(
    client: TestClient, world: World, transfer: dict[str, Any], endpoint: tuple[str, str, Any], code: str
) -> None:
    assert_problem(_call(client, world, "sec_b1", endpoint, transfer), 404, code)


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
