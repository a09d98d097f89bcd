"""The transfer endpoints: both sides' views, the move on accept, problem codes, ETags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.problems import assert_problem
from tests.transfers.conftest import API, post_transfer
from tests.world import World
from vanguard.members.models import Member

TRANSFERS = f"{API}/transfers"


def _ids(r: Any) -> list[int]:
    assert r.status_code == 200, r.text
    return [t["id"] for t in r.json()["items"]]


def test_request_returns_201_with_location_and_etag(client: TestClient, world: World, member: Member) -> None:
    r = client.post(
        TRANSFERS,
        json={"member_id": member.id, "to_org_id": world.orgs["branch_b1"].id, "reason": "工作调动"},
        headers=world.auth("sec_a1"),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["location"] == f"{TRANSFERS}/{body['id']}"
    assert r.headers["etag"] == f'"{body["version"]}"'
    assert body["state"] == "pending"
    assert body["member_name"] == member.name
    assert (body["from_org_name"], body["to_org_name"]) == (
        world.orgs["branch_a1"].name,
        world.orgs["branch_b1"].name,
    )


def test_accept_moves_the_member_into_the_receivers_roll(
    client: TestClient, world: World, member: Member
) -> None:
    transfer = post_transfer(client, world, member)
    receiver = world.auth("sec_b1")
    assert client.get(f"{API}/members/{member.id}/transfers", headers=receiver).status_code == 404
    r = client.post(f"{TRANSFERS}/{transfer['id']}/accept", headers=receiver)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "accepted"
    assert r.json()["decided_by"] == "sec_b1"
    # Now the member is the receiver's, and no longer the sender's.
    assert _ids(client.get(f"{API}/members/{member.id}/transfers", headers=receiver)) == [transfer["id"]]
    r = client.get(f"{API}/members/{member.id}/transfers", headers=world.auth("sec_a1"))
    assert_problem(r, 404, "member_not_found")
    # The sender keeps the transfer in its outgoing history.
    outgoing = client.get(TRANSFERS, params={"direction": "outgoing"}, headers=world.auth("sec_a1"))
    assert _ids(outgoing) == [transfer["id"]]


def test_both_sides_see_a_pending_transfer_in_their_own_direction(
    client: TestClient, world: World, member: Member
) -> None:
    transfer = post_transfer(client, world, member)
    sender, receiver = world.auth("sec_a1"), world.auth("sec_b1")
    pending = {"state": "pending"}
    assert _ids(client.get(TRANSFERS, params={**pending, "direction": "outgoing"}, headers=sender)) == [
        transfer["id"]
    ]
    assert _ids(client.get(TRANSFERS, params={**pending, "direction": "incoming"}, headers=sender)) == []
    assert _ids(client.get(TRANSFERS, params={**pending, "direction": "incoming"}, headers=receiver)) == [
        transfer["id"]
    ]
    assert _ids(client.get(TRANSFERS, params={**pending, "direction": "outgoing"}, headers=receiver)) == []
    assert _ids(client.get(TRANSFERS, headers=receiver)) == [transfer["id"]]
    assert _ids(client.get(TRANSFERS, params={"state": "accepted"}, headers=receiver)) == []


def test_list_pages_newest_first(client: TestClient, world: World, add_member: Callable[..., Member]) -> None:
    made = [post_transfer(client, world, add_member(name=f"党员{i}"))["id"] for i in range(3)]
    headers = world.auth("sec_a1")
    first = client.get(TRANSFERS, params={"limit": 2}, headers=headers).json()
    second = client.get(
        TRANSFERS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers
    ).json()
    assert [t["id"] for t in first["items"] + second["items"]] == made[::-1]
    assert second["next_cursor"] is None


def test_out_of_system_transfer_completes_and_member_leaves_the_roll(
    client: TestClient, world: World, member: Member
) -> None:
    body = {
        "member_id": member.id,
        "external_org_name": "外省某村党支部",
        "letter_number": "甲组转字第12号",
        "reason": "迁居外省",
    }
    r = client.post(TRANSFERS, json=body, headers=world.auth("sec_a1"))
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "completed"
    assert r.json()["to_org_id"] is None
    roll = client.get(f"{API}/orgs/{world.orgs['branch_a1'].id}", headers=world.auth("sec_a1")).json()
    assert roll["member_count"] == 3  # the world's three, not the one who left


def test_same_org_is_422(client: TestClient, world: World, member: Member) -> None:
    r = client.post(
        TRANSFERS,
        json={"member_id": member.id, "to_org_id": world.orgs["branch_a1"].id, "reason": "原地转"},
        headers=world.auth("sec_a1"),
    )
    body = assert_problem(r, 422, "transfer_to_same_org")
    assert body["errors"][0]["field"] == "body.to_org_id"


def test_unknown_org_is_422(client: TestClient, world: World, member: Member) -> None:
    r = client.post(
        TRANSFERS,
        json={"member_id": member.id, "to_org_id": 987_654, "reason": "工作调动"},
        headers=world.auth("sec_a1"),
    )
    assert_problem(r, 422, "unknown_destination_org")


def test_party_group_is_422(client: TestClient, world: World, add_member: Callable[..., Member]) -> None:
    outsider = add_member("branch_b1")
    r = client.post(
        TRANSFERS,
        json={"member_id": outsider.id, "to_org_id": world.orgs["group_a1"].id, "reason": "工作调动"},
        headers=world.auth("sec_b1"),
    )
    assert_problem(r, 422, "org_holds_no_roll")


def test_missing_letter_number_is_422(client: TestClient, world: World, member: Member) -> None:
    r = client.post(
        TRANSFERS,
        json={"member_id": member.id, "external_org_name": "外省某党支部", "reason": "迁居"},
        headers=world.auth("sec_a1"),
    )
    assert_problem(r, 422, "letter_number_required")


def test_second_pending_transfer_is_409_and_writes_nothing(
    client: TestClient, world: World, member: Member
) -> None:
    post_transfer(client, world, member)
    r = client.post(
        TRANSFERS,
        json={"member_id": member.id, "to_org_id": world.orgs["branch_a2"].id, "reason": "再转"},
        headers=world.auth("sec_a1"),
    )
    assert_problem(r, 409, "transfer_already_pending")
    assert len(_ids(client.get(TRANSFERS, headers=world.auth("sec_a1")))) == 1


def test_accepting_a_cancelled_transfer_is_409(client: TestClient, world: World, member: Member) -> None:
    transfer = post_transfer(client, world, member)
    assert (
        client.post(f"{TRANSFERS}/{transfer['id']}/cancel", headers=world.auth("sec_a1")).status_code == 200
    )
    r = client.post(f"{TRANSFERS}/{transfer['id']}/accept", headers=world.auth("sec_b1"))
    assert_problem(r, 409, "invalid_transfer_transition")
    members = client.get(f"{API}/members/{member.id}/transfers", headers=world.auth("sec_a1"))
    assert members.json()["items"][0]["state"] == "cancelled"


def test_reject_needs_a_reason(client: TestClient, world: World, member: Member) -> None:
    transfer = post_transfer(client, world, member)
    r = client.post(f"{TRANSFERS}/{transfer['id']}/reject", json={}, headers=world.auth("sec_b1"))
    assert_problem(r, 422, "validation_failed")
    r = client.post(
        f"{TRANSFERS}/{transfer['id']}/reject", json={"note": "材料不全"}, headers=world.auth("sec_b1")
    )
    assert r.status_code == 200
    assert (r.json()["state"], r.json()["decision_note"]) == ("rejected", "材料不全")


def test_stale_if_match_on_a_decision_is_412(client: TestClient, world: World, member: Member) -> None:
    transfer = post_transfer(client, world, member)
    r = client.post(
        f"{TRANSFERS}/{transfer['id']}/accept", headers={**world.auth("sec_b1"), "If-Match": '"99"'}
    )
    assert_problem(r, 412, "stale_version")
    etag = client.get(f"{TRANSFERS}/{transfer['id']}", headers=world.auth("sec_b1")).headers["etag"]
    r = client.post(
        f"{TRANSFERS}/{transfer['id']}/accept", headers={**world.auth("sec_b1"), "If-Match": etag}
    )
    assert r.status_code == 200


def test_destinations_list_orgs_that_can_hold_a_roll_system_wide(client: TestClient, world: World) -> None:
    r = client.get(f"{TRANSFERS}/destinations", params={"q": "村"}, headers=world.auth("sec_a1"))
    assert r.status_code == 200
    items = r.json()["items"]
    assert {i["id"] for i in items} == {world.orgs[o].id for o in ("branch_a1", "branch_a2", "branch_b1")}
    b1 = next(i for i in items if i["id"] == world.orgs["branch_b1"].id)
    assert b1 == {"id": b1["id"], "name": "乙一村党支部", "parent_name": "中共乙镇委员会"}
