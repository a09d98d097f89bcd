"""The state machine over the API: every transition, every forbidden one (409 naming the current
status), If-Match, the timeline and the audit rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.complaints.conftest import BASE, Api, outbox, subscribe
from tests.problems import assert_problem
from vanguard.audit.models import AuditEvent
from vanguard.complaints.service import TRANSITIONS, Action

# One valid body per action, so a forbidden step fails on state, not on input.
STATES = ["received", "accepted", "assigned", "in_progress", "resolved", "closed", "rejected", "reopened"]


def bodies(api: Api) -> dict[str, dict[str, object]]:
    return {
        "accept": {},
        "reject": {"reason": "不属于受理范围"},
        "assign": api.assign_body(),
        "start": api.promise_body(),
        "extend": {"days": 10, "reason": "需协调交通部门"},
        "resolve": {"result": "已处理"},
        "close": {"reason": "fixed"},
        "reopen": {"reason": "群众反映仍未解决"},
        "escalate": {},
    }


def in_state(api: Api, state: str) -> dict[str, Any]:
    if state == "rejected":
        c = api.create()
        return api.ok(int(c["id"]), "reject", {"reason": "不属于受理范围"})
    if state == "closed":
        c = api.walk_to("resolved")
        assert api.rate(str(c["tracking_code"]), 5).status_code == 200
        return api.ok(int(c["id"]), "close", {"reason": "fixed"})
    if state == "reopened":
        c = api.walk_to("resolved")
        return api.ok(int(c["id"]), "reopen", {"reason": "群众反映仍未解决"})
    return api.walk_to(state)


def test_happy_path_to_closure_with_timeline(api: Api) -> None:
    c = api.create()
    assert c["status"] == "received"
    assert len(c["tracking_code"]) == 12
    c = api.ok(c["id"], "accept")
    c = api.ok(c["id"], "assign", api.assign_body())
    assert c["responsible_user_id"] == api.world.users["sec_a1"].id
    c = api.ok(c["id"], "start", api.promise_body())
    assert c["promise"] == "三日内回填并设置警示"
    assert c["promised_by_user_id"] == api.world.users["sec_a1"].id
    c = api.ok(c["id"], "resolve", {"result": "已回填"})
    assert api.rate(c["tracking_code"], 5).status_code == 200
    c = api.ok(c["id"], "close", {"reason": "fixed"})
    assert c["status"] == "closed"
    assert c["closure_reason"] == "fixed"
    assert c["rating"] == 5
    r = api.client.get(f"{BASE}/{c['id']}/timeline", headers=api.world.auth("sec_a1"))
    kinds = [(e["kind"], e["from_status"], e["to_status"], e["actor_kind"]) for e in r.json()]
    assert kinds == [
        ("received", None, "received", "user"),
        ("accepted", "received", "accepted", "user"),
        ("assigned", "accepted", "assigned", "user"),
        ("started", "assigned", "in_progress", "user"),
        ("resolved", "in_progress", "resolved", "user"),
        ("rated", "resolved", "resolved", "public"),
        ("closed", "resolved", "closed", "user"),
    ]
    assert all(e["at"] for e in r.json())


@pytest.mark.parametrize("state", STATES)
def test_forbidden_transitions_name_the_current_state(api: Api, state: str) -> None:
    c = in_state(api, state)
    allowed = {a.value for a, t in TRANSITIONS.items() if state in t.sources}
    for action, body in bodies(api).items():
        if action in allowed:
            continue
        r = api.step(int(c["id"]), action, body)
        problem = assert_problem(r, 409, "invalid_transition")
        assert state in problem["messages"]["en"], (action, problem)
    after = api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth("sec_a1")).json()
    assert after["status"] == state
    assert after["version"] == c["version"]


def test_transition_table_covers_every_action() -> None:
    assert {a.value for a in Action} == {
        "accept",
        "reject",
        "assign",
        "start",
        "extend",
        "resolve",
        "close",
        "reopen",
        "escalate",
        "rate",
        "mark_overdue",
    }


def test_reject_with_reason(api: Api) -> None:
    c = api.create()
    assert_problem(api.step(c["id"], "reject", {}), 422, "validation_failed")
    c = api.ok(c["id"], "reject", {"reason": "属于司法程序"})
    assert c["status"] == "rejected"
    assert c["rejection_reason"] == "属于司法程序"


def test_reassign_moves_the_item_and_checks_the_responsible_person(api: Api) -> None:
    c = api.walk_to("in_progress", user="town_a_admin")
    assert c["org_id"] == api.world.orgs["branch_a1"].id
    bad = api.step(c["id"], "assign", api.assign_body("branch_a2", "sec_a1"), user="town_a_admin")
    problem = assert_problem(bad, 422, "responsible_user_invalid")
    assert problem["errors"][0]["field"] == "body.responsible_user_id"
    c = api.ok(c["id"], "assign", api.assign_body("town_a", "town_a_admin"), user="town_a_admin")
    assert c["status"] == "assigned"
    assert c["org_id"] == api.world.orgs["town_a"].id
    assert c["responsible_user_id"] == api.world.users["town_a_admin"].id
    # Reassigned out of branch_a1: its secretary no longer sees it.
    r = api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth("sec_a1"))
    assert_problem(r, 404, "complaint_not_found")


def test_reopen_then_handle_again(api: Api) -> None:
    c = api.walk_to("resolved")
    c = api.ok(c["id"], "reopen", {"reason": "群众反映仍未解决"})
    assert c["status"] == "reopened"
    assert c["reopen_count"] == 1
    assert c["resolved_at"] is None
    c = api.ok(c["id"], "start", api.promise_body(5))
    c = api.ok(c["id"], "resolve", {"result": "再次处理完毕"})
    assert c["status"] == "resolved"


def test_closed_item_can_be_reopened(api: Api) -> None:
    c = in_state(api, "closed")
    c = api.ok(int(c["id"]), "reopen", {"reason": "复发"})
    assert c["status"] == "reopened"
    assert c["closure_reason"] is None
    assert c["rating"] is None


def test_stale_if_match_is_refused(api: Api) -> None:
    c = api.create()
    r = api.step(c["id"], "accept", {}, **{"If-Match": '"999"'})
    assert_problem(r, 412, "stale_version")
    r = api.step(c["id"], "accept", {}, **{"If-Match": f'"{c["version"]}"'})
    assert r.status_code == 200
    assert r.headers["ETag"] == f'"{c["version"] + 1}"'


def test_close_duplicate_needs_the_original(api: Api) -> None:
    original = api.create()
    c = api.walk_to("resolved")
    assert api.rate(c["tracking_code"], 4).status_code == 200
    r = api.step(c["id"], "close", {"reason": "duplicate"})
    assert_problem(r, 422, "duplicate_of_invalid")
    r = api.step(c["id"], "close", {"reason": "duplicate", "duplicate_of_id": c["id"]})
    assert_problem(r, 422, "duplicate_of_invalid")
    r = api.step(c["id"], "close", {"reason": "fixed", "duplicate_of_id": original["id"]})
    assert_problem(r, 422, "duplicate_of_unexpected")
    closed = api.ok(c["id"], "close", {"reason": "duplicate", "duplicate_of_id": original["id"]})
    assert closed["duplicate_of_id"] == original["id"]
    assert closed["closure_reason"] == "duplicate"


def test_close_waits_for_rating_or_silence(api: Api) -> None:
    c = api.walk_to("resolved")
    assert_problem(api.step(c["id"], "close", {"reason": "fixed"}), 409, "complaint_not_closable")
    api.clock.advance(days=14, hours=23)
    assert_problem(api.step(c["id"], "close", {"reason": "fixed"}), 409, "complaint_not_closable")
    api.clock.advance(hours=1)
    assert api.ok(c["id"], "close", {"reason": "no_further_action"})["status"] == "closed"


def test_writes_are_audited(api: Api, session: Session) -> None:
    c = api.walk_to("assigned")
    session.rollback()  # a fresh snapshot
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "complaints", AuditEvent.entity_id == str(c["id"]))
    ).all()
    actions = [r.action for r in rows]
    assert actions.count("create") == 1
    assert actions.count("update") == 2
    updates = [r for r in rows if r.action == "update"]
    assert updates[0].after is not None
    assert updates[0].after["status"] == "accepted"
    assert all(r.actor_name == "sec_a1" for r in rows if r.action != "read_reporter")
    # The reporter's identity never reaches the audit log.
    created = next(r for r in rows if r.action == "create")
    assert created.after is not None
    assert "reporter_phone" not in created.after
    assert "13812345678" not in str([r.after for r in rows])


def test_timeline_is_scoped(api: Api) -> None:
    c = api.create()
    r = api.client.get(f"{BASE}/{c['id']}/timeline", headers=api.world.auth("sec_b1"))
    assert_problem(r, 404, "complaint_not_found")


def test_integration_events_reach_the_webhook_outbox(api: Api, session: Session) -> None:
    everything = subscribe(session, api.world, "county")
    c = api.walk_to("assigned")
    assert outbox(session, c["id"], everything) == ["complaint.received", "complaint.assigned"]


@pytest.mark.parametrize("state", STATES)
def test_offered_actions_are_exactly_the_steps_that_succeed(api: Api, state: str) -> None:
    """The dashboard shows `actions` as buttons: each offered step must work now, each other one fail."""
    c = in_state(api, state)
    read = api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth("sec_a1")).json()
    offered_now = {o["action"] for o in read["actions"] if o["available_from"] is None}
    for action, body in bodies(api).items():
        item = in_state(api, state)  # a step changes the item: try each on its own
        r = api.step(int(item["id"]), action, body)
        assert (r.status_code == 200) == (action in offered_now), (action, r.status_code, r.text)


def test_closing_an_unrated_item_is_offered_from_the_end_of_the_silence_period(api: Api) -> None:
    c = api.walk_to("resolved")
    read = api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth("sec_a1")).json()
    close = next(o for o in read["actions"] if o["action"] == "close")
    resolved_at = datetime.fromisoformat(read["resolved_at"])
    assert datetime.fromisoformat(close["available_from"]) == resolved_at + timedelta(days=15)


def test_readers_are_offered_no_steps(api: Api) -> None:
    c = api.walk_to("assigned")
    read = api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth("auditor")).json()
    assert read["actions"] == []
    assert {
        o["action"]
        for o in api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth("sec_a1")).json()["actions"]
    } == {"assign", "start", "extend"}
