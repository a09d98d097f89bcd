"""Editing a pair's goals, correcting visits, closing must-visit tasks by hand, and follow-ups."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.pairing.conftest import API, STARTED, TODAY
from tests.problems import assert_problem
from tests.world import World
from vanguard.members.models import Member
from vanguard.pairing.models import Pair

P = API + "/pairing"


def _etag(client: TestClient, url: str, auth: dict[str, str]) -> dict[str, str]:
    r = client.get(url, headers=auth)
    assert r.status_code == 200, r.text
    return {**auth, "If-Match": r.headers["ETag"]}


def _visit(client: TestClient, pair: Pair, auth: dict[str, str], **extra: Any) -> dict[str, Any]:
    body = {"visited_on": STARTED.isoformat(), "type": "routine", "work_done": "入户走访", **extra}
    r = client.post(f"{P}/pairs/{pair.id}/visits", json=body, headers=auth)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


# --- pair goals ----------------------------------------------------------------------------------


def test_edit_the_goals_of_an_active_pair_with_if_match(client: TestClient, world: World, pair: Pair) -> None:
    auth = world.auth("sec_a1")
    url = f"{P}/pairs/{pair.id}"
    headers = _etag(client, url, auth)
    goals = [
        {"tag": "technology", "target": "掌握食用菌栽培"},
        {"tag": "project", "target": "建成大棚两个"},
    ]
    r = client.patch(
        url, json={"goals": goals, "ends_on": (TODAY + timedelta(days=365)).isoformat()}, headers=headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["goals"] == goals
    assert r.json()["ends_on"] == (TODAY + timedelta(days=365)).isoformat()
    assert_problem(client.patch(url, json={"goals": []}, headers=headers), 412, "stale_version")
    bad_tag = client.patch(url, json={"goals": [{"tag": "money", "target": "x"}]}, headers=auth)
    assert_problem(bad_tag, 422, "validation_failed")
    assert_problem(client.patch(url, json={"goals": None}, headers=auth), 422, "field_required")
    early = client.patch(url, json={"ends_on": (STARTED - timedelta(days=1)).isoformat()}, headers=auth)
    assert_problem(early, 422, "ends_before_start")


def test_goals_of_an_ended_pair_are_409(client: TestClient, world: World, pair: Pair) -> None:
    auth = world.auth("sec_a1")
    url = f"{P}/pairs/{pair.id}"
    assert client.post(url + "/end", json={"status": "completed"}, headers=auth).status_code == 200
    assert_problem(client.patch(url, json={"goals": []}, headers=auth), 409, "pair_not_active")


def test_the_planned_end_cannot_fall_before_a_visit(client: TestClient, world: World, pair: Pair) -> None:
    auth = world.auth("sec_a1")
    _visit(client, pair, auth, visited_on=(STARTED + timedelta(days=10)).isoformat())
    r = client.patch(
        f"{P}/pairs/{pair.id}", json={"ends_on": (STARTED + timedelta(days=9)).isoformat()}, headers=auth
    )
    assert_problem(r, 422, "pair_ends_before_last_visit")


# --- visits ----------------------------------------------------------------------------------------


def test_edit_a_visit_with_if_match_within_the_pairs_dates(
    client: TestClient, world: World, pair: Pair
) -> None:
    auth = world.auth("sec_a1")
    visit = _visit(client, pair, auth)
    url = f"{P}/pairs/{pair.id}/visits/{visit['id']}"
    headers = _etag(client, url, auth)
    moved = (STARTED + timedelta(days=3)).isoformat()
    r = client.patch(
        url, json={"visited_on": moved, "money_given": "200.00", "work_done": "送去慰问金"}, headers=headers
    )
    assert r.status_code == 200, r.text
    assert (r.json()["visited_on"], r.json()["money_given"], r.json()["work_done"]) == (
        moved,
        "200.00",
        "送去慰问金",
    )
    assert_problem(client.patch(url, json={"skills": "电工"}, headers=headers), 412, "stale_version")
    before = client.patch(url, json={"visited_on": (STARTED - timedelta(days=1)).isoformat()}, headers=auth)
    assert_problem(before, 422, "visit_outside_pair")
    future = client.patch(url, json={"visited_on": (TODAY + timedelta(days=1)).isoformat()}, headers=auth)
    assert_problem(future, 422, "date_in_future")
    assert_problem(client.patch(url, json={"work_done": None}, headers=auth), 422, "field_required")
    due_alone = client.patch(url, json={"follow_up_due_on": TODAY.isoformat()}, headers=auth)
    assert_problem(due_alone, 422, "follow_up_missing")
    assert client.get(url, headers=auth).json()["visited_on"] == moved


def test_a_visit_cannot_leave_an_ended_pairs_dates(client: TestClient, world: World, pair: Pair) -> None:
    auth = world.auth("sec_a1")
    visit = _visit(client, pair, auth)
    ended_on = (STARTED + timedelta(days=5)).isoformat()
    client.post(f"{P}/pairs/{pair.id}/end", json={"status": "completed", "ended_on": ended_on}, headers=auth)
    url = f"{P}/pairs/{pair.id}/visits/{visit['id']}"
    late = client.patch(url, json={"visited_on": (STARTED + timedelta(days=6)).isoformat()}, headers=auth)
    assert_problem(late, 422, "visit_outside_pair")
    assert client.patch(url, json={"visited_on": ended_on}, headers=auth).status_code == 200


def test_a_visit_that_closed_a_task_keeps_its_type(
    client: TestClient, world: World, pair: Pair, needy: Member
) -> None:
    auth = world.auth("sec_a1")
    occurred = STARTED + timedelta(days=2)
    task = client.post(
        P + "/events",
        json={"member_id": needy.id, "event": "illness", "occurred_on": occurred.isoformat()},
        headers=auth,
    ).json()
    visit = _visit(client, pair, auth, type="illness", visited_on=(occurred + timedelta(days=1)).isoformat())
    assert client.get(f"{P}/tasks/{task['id']}", headers=auth).json()["status"] == "visited"
    url = f"{P}/pairs/{pair.id}/visits/{visit['id']}"
    assert_problem(client.patch(url, json={"type": "routine"}, headers=auth), 409, "visit_closed_task")
    assert_problem(
        client.patch(url, json={"visited_on": STARTED.isoformat()}, headers=auth), 409, "visit_closed_task"
    )
    assert client.patch(url, json={"work_done": "陪同就医"}, headers=auth).status_code == 200


def test_changing_a_visit_to_a_must_visit_type_closes_the_open_task(
    client: TestClient, world: World, pair: Pair, needy: Member
) -> None:
    auth = world.auth("sec_a1")
    task = client.post(
        P + "/events",
        json={"member_id": needy.id, "event": "hardship", "occurred_on": STARTED.isoformat()},
        headers=auth,
    ).json()
    visit = _visit(client, pair, auth, visited_on=(STARTED + timedelta(days=1)).isoformat())
    r = client.patch(f"{P}/pairs/{pair.id}/visits/{visit['id']}", json={"type": "hardship"}, headers=auth)
    assert r.status_code == 200, r.text
    closed = client.get(f"{P}/tasks/{task['id']}", headers=auth).json()
    assert (closed["status"], closed["visit_id"]) == ("visited", visit["id"])


def test_a_visit_of_another_pair_is_404(
    client: TestClient, world: World, pair: Pair, helper: Member, household: Any
) -> None:
    auth = world.auth("sec_a1")
    visit = _visit(client, pair, auth)
    other = client.post(
        P + "/pairs",
        json={"helper_member_id": helper.id, "beneficiary_id": household.id, "kind": "member_household"},
        headers=auth,
    ).json()
    r = client.get(f"{P}/pairs/{other['id']}/visits/{visit['id']}", headers=auth)
    assert_problem(r, 404, "visit_not_found")


# --- must-visit tasks closed by hand ------------------------------------------------------------


def test_close_and_cancel_tasks_by_hand(client: TestClient, world: World, pair: Pair, needy: Member) -> None:
    auth = world.auth("sec_a1")
    occurred = TODAY - timedelta(days=30)
    opened = [
        client.post(
            P + "/events",
            json={"member_id": needy.id, "event": event, "occurred_on": occurred.isoformat()},
            headers=auth,
        ).json()
        for event in ("illness", "wedding_funeral", "family_dispute")
    ]
    overdue = client.get(P + "/tasks", params={"overdue": "true"}, headers=auth).json()["items"]
    assert len(overdue) == 3
    url = f"{P}/tasks/{opened[0]['id']}"
    headers = _etag(client, url, auth)
    r = client.post(
        url + "/close", json={"closed_as": "closed", "reason": "支部书记已代为走访"}, headers=headers
    )
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["closed_on"], r.json()["close_reason"]) == (
        "closed",
        TODAY.isoformat(),
        "支部书记已代为走访",
    )
    again = client.post(url + "/close", json={"closed_as": "cancelled", "reason": "重复登记"}, headers=auth)
    assert_problem(again, 409, "task_not_open")
    cancel = client.post(
        f"{P}/tasks/{opened[1]['id']}/close",
        json={"closed_as": "cancelled", "reason": "误登记"},
        headers=auth,
    )
    assert cancel.json()["status"] == "cancelled"
    no_reason = client.post(f"{P}/tasks/{opened[2]['id']}/close", json={"closed_as": "closed"}, headers=auth)
    assert_problem(no_reason, 422, "validation_failed")
    too_early = client.post(
        f"{P}/tasks/{opened[2]['id']}/close",
        json={
            "closed_as": "closed",
            "reason": "已处理",
            "closed_on": (occurred - timedelta(days=1)).isoformat(),
        },
        headers=auth,
    )
    assert_problem(too_early, 422, "ends_before_start")
    still = client.get(P + "/tasks", params={"overdue": "true"}, headers=auth).json()["items"]
    assert [t["id"] for t in still] == [opened[2]["id"]]


def test_a_closed_task_is_not_closed_again_by_a_visit(
    client: TestClient, world: World, pair: Pair, needy: Member
) -> None:
    auth = world.auth("sec_a1")
    task = client.post(
        P + "/events",
        json={"member_id": needy.id, "event": "illness", "occurred_on": STARTED.isoformat()},
        headers=auth,
    ).json()
    client.post(
        f"{P}/tasks/{task['id']}/close", json={"closed_as": "cancelled", "reason": "误登记"}, headers=auth
    )
    _visit(client, pair, auth, type="illness", visited_on=(STARTED + timedelta(days=1)).isoformat())
    after = client.get(f"{P}/tasks/{task['id']}", headers=auth).json()
    assert (after["status"], after["visit_id"]) == ("cancelled", None)


# --- follow-ups ------------------------------------------------------------------------------------


def test_follow_ups_done_undone_and_the_overdue_list(client: TestClient, world: World, pair: Pair) -> None:
    auth = world.auth("sec_a1")
    due = STARTED + timedelta(days=10)
    late = _visit(client, pair, auth, follow_up="联系农技站上门指导", follow_up_due_on=due.isoformat())
    _visit(
        client, pair, auth, follow_up="落实低保申请", follow_up_due_on=(due + timedelta(days=30)).isoformat()
    )
    _visit(client, pair, auth)  # no follow-up at all
    as_of = due + timedelta(days=5)
    listed = client.get(P + "/follow-ups/overdue", params={"as_of": as_of.isoformat()}, headers=auth).json()
    assert [(f["visit_id"], f["days_overdue"]) for f in listed["items"]] == [(late["id"], 5)]
    assert listed["items"][0]["follow_up"] == "联系农技站上门指导"
    later = client.get(
        P + "/follow-ups/overdue",
        params={"as_of": (due + timedelta(days=60)).isoformat(), "limit": 1},
        headers=auth,
    ).json()
    assert len(later["items"]) == 1
    assert later["next_cursor"]
    rest = client.get(
        P + "/follow-ups/overdue",
        params={"as_of": (due + timedelta(days=60)).isoformat(), "cursor": later["next_cursor"]},
        headers=auth,
    ).json()
    assert len(rest["items"]) == 1
    assert rest["items"][0]["visit_id"] != later["items"][0]["visit_id"]

    url = f"{P}/pairs/{pair.id}/visits/{late['id']}/follow-up"
    headers = _etag(client, f"{P}/pairs/{pair.id}/visits/{late['id']}", auth)
    done_on = (due + timedelta(days=1)).isoformat()
    r = client.patch(url, json={"done": True, "done_on": done_on}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["follow_up_done_on"] == done_on
    assert_problem(client.patch(url, json={"done": False}, headers=headers), 412, "stale_version")
    assert (
        client.get(P + "/follow-ups/overdue", params={"as_of": as_of.isoformat()}, headers=auth).json()[
            "items"
        ]
        == []
    )
    undone = client.patch(url, json={"done": False}, headers=auth)
    assert undone.json()["follow_up_done_on"] is None
    again = client.get(P + "/follow-ups/overdue", params={"as_of": as_of.isoformat()}, headers=auth).json()[
        "items"
    ]
    assert [f["visit_id"] for f in again] == [late["id"]]
    before_visit = client.patch(
        url, json={"done": True, "done_on": (STARTED - timedelta(days=1)).isoformat()}, headers=auth
    )
    assert_problem(before_visit, 422, "follow_up_before_visit")


def test_a_visit_without_a_follow_up_has_none_to_mark(client: TestClient, world: World, pair: Pair) -> None:
    auth = world.auth("sec_a1")
    visit = _visit(client, pair, auth)
    r = client.patch(f"{P}/pairs/{pair.id}/visits/{visit['id']}/follow-up", json={"done": True}, headers=auth)
    assert_problem(r, 409, "no_follow_up")


def test_the_overdue_follow_ups_of_a_subtree(client: TestClient, world: World, pair: Pair) -> None:
    auth = world.auth("town_a_admin")
    _visit(client, pair, auth, follow_up="复查", follow_up_due_on=STARTED.isoformat())
    as_of = (STARTED + timedelta(days=1)).isoformat()

    def ids(org: str) -> list[int]:
        params = {"as_of": as_of, "org_id": world.orgs[org].id}
        return [
            f["pair_id"]
            for f in client.get(P + "/follow-ups/overdue", params=params, headers=auth).json()["items"]
        ]

    assert ids("town_a") == [pair.id]
    assert ids("branch_a1") == [pair.id]
    assert ids("branch_a2") == []
    assert (
        client.get(P + "/follow-ups/overdue", params={"as_of": as_of}, headers=world.auth("sec_b1")).json()[
            "items"
        ]
        == []
    )
