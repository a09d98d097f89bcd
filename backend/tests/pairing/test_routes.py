"""The pairing API end to end: the rules as the client sees them (status and problem code)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from tests.pairing.conftest import API, STARTED, TODAY
from tests.problems import assert_problem
from tests.world import World
from vanguard.members.models import Member
from vanguard.pairing.models import Beneficiary, Pair

P = API + "/pairing"


def _pair_body(helper: Member, beneficiary: Beneficiary) -> dict[str, object]:
    return {
        "helper_member_id": helper.id,
        "beneficiary_id": beneficiary.id,
        "kind": "member_household",
        "goals": [{"tag": "technology", "target": "掌握大棚蔬菜种植技术"}],
        "started_on": STARTED.isoformat(),
    }


def test_register_a_household_and_a_member_in_hardship(
    client: TestClient, world: World, needy: Member
) -> None:
    auth = world.auth("sec_a1")
    r = client.post(
        P + "/beneficiaries",
        json={
            "kind": "household",
            "org_id": world.orgs["branch_a1"].id,
            "head_name": "赵户主",
            "address": "甲一村五组八号",
            "household_size": 3,
            "contact_phone": "13700001111",
        },
        headers=auth,
    )
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == f"/api/v1/pairing/beneficiaries/{r.json()['id']}"
    assert r.json()["contact_phone"] == "13700001111"
    r = client.post(P + "/beneficiaries", json={"kind": "member", "member_id": needy.id}, headers=auth)
    assert r.status_code == 201, r.text
    assert (r.json()["org_id"], r.json()["member_name"]) == (needy.org_id, "李困难")
    again = client.post(P + "/beneficiaries", json={"kind": "member", "member_id": needy.id}, headers=auth)
    assert_problem(again, 409, "duplicate_beneficiary")
    bad = client.post(P + "/beneficiaries", json={"kind": "household", "head_name": "无组织"}, headers=auth)
    assert_problem(bad, 422, "beneficiary_details_invalid")


def test_masked_contact_for_a_caller_without_pii(
    client: TestClient, world: World, household: Beneficiary
) -> None:
    r = client.get(f"{P}/beneficiaries/{household.id}", headers=world.auth("auditor"))
    assert r.status_code == 200, r.text
    assert r.json()["contact_phone"] == "139****4321"
    assert r.json()["contact_masked"] is True
    listed = client.get(P + "/beneficiaries", headers=world.auth("auditor")).json()["items"]
    assert [b["contact_phone"] for b in listed] == ["139****4321"]


def test_update_a_beneficiary_with_if_match(client: TestClient, world: World, household: Beneficiary) -> None:
    auth = world.auth("sec_a1")
    url = f"{P}/beneficiaries/{household.id}"
    etag = client.get(url, headers=auth).headers["ETag"]
    r = client.patch(url, json={"needs": "就业岗位"}, headers={**auth, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["needs"] == "就业岗位"
    stale = client.patch(url, json={"needs": "资金"}, headers={**auth, "If-Match": etag})
    assert_problem(stale, 412, "stale_version")


def test_duplicate_active_pair_is_409(
    client: TestClient, world: World, helper: Member, household: Beneficiary
) -> None:
    auth = world.auth("sec_a1")
    r = client.post(P + "/pairs", json=_pair_body(helper, household), headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "active"
    assert r.json()["goals"] == [{"tag": "technology", "target": "掌握大棚蔬菜种植技术"}]
    assert_problem(
        client.post(P + "/pairs", json=_pair_body(helper, household), headers=auth),
        409,
        "duplicate_active_pair",
    )


def test_cross_org_pair_is_rejected(
    client: TestClient, world: World, add_member: Callable[..., Member], household: Beneficiary
) -> None:
    outsider = add_member(org="branch_b1", name="乙村党员")
    r = client.post(P + "/pairs", json=_pair_body(outsider, household), headers=world.auth("sec_a1"))
    assert_problem(r, 404, "helper_not_found")


def test_visit_outside_the_pairs_dates_is_422(client: TestClient, world: World, pair: Pair) -> None:
    auth = world.auth("sec_a1")
    url = f"{P}/pairs/{pair.id}/visits"
    body = {"type": "routine", "work_done": "了解家庭收入情况"}
    early = client.post(
        url, json={**body, "visited_on": (STARTED - timedelta(days=1)).isoformat()}, headers=auth
    )
    assert_problem(early, 422, "visit_outside_pair")
    ok = client.post(
        url,
        json={**body, "visited_on": STARTED.isoformat(), "money_given": "300.50", "follow_up": "联系农技站"},
        headers=auth,
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["money_given"] == "300.50"
    end = client.post(
        f"{P}/pairs/{pair.id}/end",
        json={
            "status": "ended_early",
            "reason": "帮扶对象外出务工",
            "ended_on": (STARTED + timedelta(days=5)).isoformat(),
        },
        headers={**auth, "If-Match": client.get(f"{P}/pairs/{pair.id}", headers=auth).headers["ETag"]},
    )
    assert end.status_code == 200, end.text
    late = client.post(
        url, json={**body, "visited_on": (STARTED + timedelta(days=6)).isoformat()}, headers=auth
    )
    assert_problem(late, 422, "visit_outside_pair")
    assert len(client.get(url, headers=auth).json()["items"]) == 1


def test_must_visit_task_opened_by_an_event_and_listed_when_overdue(
    client: TestClient, world: World, pair: Pair, needy: Member, helper: Member
) -> None:
    auth = world.auth("sec_a1")
    occurred = TODAY - timedelta(days=30)
    r = client.post(
        P + "/events",
        json={
            "member_id": needy.id,
            "event": "hardship",
            "occurred_on": occurred.isoformat(),
            "note": "房屋受灾",
        },
        headers=auth,
    )
    assert r.status_code == 201, r.text
    task = r.json()
    assert (task["helper_member_id"], task["pair_id"], task["done"]) == (helper.id, pair.id, False)
    fresh = client.post(P + "/events", json={"member_id": needy.id, "event": "illness"}, headers=auth).json()
    overdue = client.get(P + "/tasks", params={"overdue": "true"}, headers=auth).json()["items"]
    assert [t["id"] for t in overdue] == [task["id"]]
    not_overdue = client.get(P + "/tasks", params={"overdue": "false"}, headers=auth).json()["items"]
    assert [t["id"] for t in not_overdue] == [fresh["id"]]
    assert (
        client.get(P + "/tasks", params={"overdue": "true"}, headers=world.auth("sec_b1")).json()["items"]
        == []
    )


def test_beneficiaries_filtered_to_one_member_in_hardship(
    client: TestClient, world: World, needy_beneficiary: Beneficiary, household: Beneficiary, helper: Member
) -> None:
    def ids(member_id: int, user: str = "sec_a1") -> list[int]:
        r = client.get(P + "/beneficiaries", params={"member_id": member_id}, headers=world.auth(user))
        assert r.status_code == 200, r.text
        return [b["id"] for b in r.json()["items"]]

    assert ids(needy_beneficiary.member_id or 0) == [needy_beneficiary.id]
    assert ids(helper.id) == []  # a member who is not a beneficiary
    assert household.id not in ids(needy_beneficiary.member_id or 0)
    assert ids(needy_beneficiary.member_id or 0, user="sec_b1") == []  # another branch sees nothing
