"""Deadlines with a fake clock: acceptance and handling windows, the one extension, per-category
overrides (inherited down the tree), the overdue list, the sweep and escalation (督查)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.complaints.conftest import BASE, T0, Api, outbox, subscribe
from tests.problems import assert_problem
from vanguard.complaints.models import Complaint, ComplaintEvent, EventKind
from vanguard.complaints.service import sweep_overdue
from vanguard.complaints.sweeper import overdue_sweep_job
from vanguard.core.background import run_once
from vanguard.core.config import Settings


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_due_dates_follow_the_policy_defaults(api: Api) -> None:
    c = api.create()
    assert at(c["received_at"]) == T0
    assert at(c["due_at"]) == T0 + timedelta(days=15)
    api.clock.advance(days=3)
    c = api.ok(c["id"], "accept")
    assert at(c["due_at"]) == T0 + timedelta(days=3 + 60)
    c = api.ok(c["id"], "assign", api.assign_body())
    assert at(c["due_at"]) == T0 + timedelta(days=63)  # assignment does not move the deadline


def test_one_extension_of_at_most_thirty_days(api: Api) -> None:
    c = api.walk_to("in_progress")
    due = at(c["due_at"])
    assert_problem(
        api.step(c["id"], "extend", {"days": 31, "reason": "需要更多时间"}), 422, "validation_failed"
    )
    c = api.ok(c["id"], "extend", {"days": 30, "reason": "需协调交通部门"})
    assert at(c["due_at"]) == due + timedelta(days=30)
    assert c["extension_days"] == 30
    assert c["status"] == "in_progress"
    assert_problem(api.step(c["id"], "extend", {"days": 1, "reason": "再延"}), 409, "extension_used")


def test_extension_is_not_for_the_acceptance_decision(api: Api) -> None:
    c = api.create()
    assert_problem(api.step(c["id"], "extend", {"days": 5, "reason": "待研究"}), 409, "invalid_transition")


def _category(api: Api, **body: object) -> dict[str, object]:
    r = api.client.post(f"{BASE}/categories", json=body, headers=api.world.auth("admin"))
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_category_overrides_are_inherited(api: Api) -> None:
    parent = _category(
        api, code="flood", name_zh="防汛", name_en="Flood", accept_days=2, handle_days=7, extension_days=3
    )
    _category(
        api, code="flood_levee", name_zh="堤坝", name_en="Levees", parent_id=parent["id"], handle_days=5
    )
    c = api.create(category="flood_levee")
    assert at(c["due_at"]) == T0 + timedelta(days=2)  # inherited acceptance window
    c = api.ok(c["id"], "accept")
    assert at(c["due_at"]) == T0 + timedelta(days=5)  # the child's own handling window
    c = api.ok(c["id"], "assign", api.assign_body())
    bad = api.step(c["id"], "extend", {"days": 4, "reason": "雨情"})
    problem = assert_problem(bad, 422, "extension_too_long")
    assert problem["errors"][0]["field"] == "body.days"
    c = api.ok(c["id"], "extend", {"days": 3, "reason": "雨情"})
    assert at(c["due_at"]) == T0 + timedelta(days=8)


def test_promise_must_fall_within_the_deadline(api: Api) -> None:
    c = api.walk_to("assigned")
    late = {"promise": "尽快处理", "promised_by": (at(c["due_at"]) + timedelta(days=1)).isoformat()}
    problem = assert_problem(api.step(c["id"], "start", late), 422, "promise_outside_deadline")
    assert problem["errors"][0]["field"] == "body.promised_by"
    past = {"promise": "尽快处理", "promised_by": (T0 - timedelta(hours=1)).isoformat()}
    assert_problem(api.step(c["id"], "start", past), 422, "promise_outside_deadline")
    naive = {"promise": "尽快处理", "promised_by": "2026-03-05T12:00:00"}
    problem = assert_problem(api.step(c["id"], "start", naive), 422, "validation_failed")
    assert problem["errors"][0]["field"] == "body.promised_by"


def test_overdue_list_is_scoped_and_ordered_by_deadline(api: Api) -> None:
    first = api.create()
    api.clock.advance(days=1)
    second = api.create()
    api.create(user="sec_b1")  # another town's item
    api.clock.advance(days=10)
    fresh = api.create()
    api.clock.advance(days=6)  # first and second are past their 15 days; fresh is not
    r = api.client.get(BASE, params={"overdue": "true", "limit": 1}, headers=api.world.auth("sec_a1"))
    page = r.json()
    assert [i["id"] for i in page["items"]] == [first["id"]]
    assert page["next_cursor"]
    r = api.client.get(
        BASE,
        params={"overdue": "true", "limit": 1, "cursor": page["next_cursor"]},
        headers=api.world.auth("sec_a1"),
    )
    assert [i["id"] for i in r.json()["items"]] == [second["id"]]
    assert r.json()["next_cursor"] is None
    r = api.client.get(BASE, params={"overdue": "false"}, headers=api.world.auth("sec_a1"))
    assert [i["id"] for i in r.json()["items"]] == [fresh["id"]]
    county = api.client.get(BASE, params={"overdue": "true"}, headers=api.world.auth("county_admin")).json()
    assert len(county["items"]) == 3
    bad = api.client.get(
        BASE, params={"overdue": "true", "cursor": "nonsense"}, headers=api.world.auth("sec_a1")
    )
    assert_problem(bad, 422, "invalid_cursor")


def test_sweep_flags_overdue_items_once(api: Api, app: FastAPI, session: Session) -> None:
    subscribe(session, api.world, "county")
    late = api.create()
    on_time = api.walk_to("in_progress")
    api.clock.advance(days=16)
    job = overdue_sweep_job(Settings())  # type: ignore[call-arg]
    assert run_once(app, job) == 1
    assert run_once(app, job) == 0  # idempotent
    session.rollback()  # a fresh snapshot
    c = session.get_one(Complaint, late["id"])
    assert c.overdue_at == api.clock.now()
    assert session.get_one(Complaint, on_time["id"]).overdue_at is None
    events = session.scalars(
        select(ComplaintEvent.kind).where(ComplaintEvent.complaint_id == late["id"])
    ).all()
    assert events.count(EventKind.OVERDUE) == 1
    assert outbox(session, late["id"]).count("complaint.overdue") == 1
    # A new deadline clears the flag; once that one passes, the item is flagged again.
    api.ok(late["id"], "accept")
    session.rollback()  # a fresh snapshot
    assert session.get_one(Complaint, late["id"]).overdue_at is None
    api.clock.advance(days=61)
    assert sweep_overdue(session, api.clock.now()) == 2
    session.commit()


def test_escalation_only_when_overdue_and_once(api: Api, session: Session) -> None:
    superior, branch = subscribe(session, api.world, "town_a"), subscribe(session, api.world, "branch_a1")
    c = api.walk_to("assigned")
    assert_problem(
        api.step(c["id"], "escalate", {"note": "催办"}, user="town_a_admin"), 409, "complaint_not_overdue"
    )
    api.clock.advance(days=61)
    c = api.ok(c["id"], "escalate", {"note": "超期督办"}, user="town_a_admin")
    assert c["escalated_to_org_id"] == api.world.orgs["town_a"].id
    assert c["status"] == "assigned"
    assert_problem(api.step(c["id"], "escalate", {}, user="town_a_admin"), 409, "complaint_already_escalated")
    session.rollback()  # a fresh snapshot
    town_a = api.world.orgs["town_a"].id
    listed = api.client.get(
        BASE, params={"escalated_to_org_id": town_a}, headers=api.world.auth("town_a_admin")
    )
    assert [i["id"] for i in listed.json()["items"]] == [c["id"]]
    # Addressed to the superior org: its subscription hears of it, the branch's own does not.
    assert outbox(session, c["id"], superior).count("complaint.escalated") == 1
    assert "complaint.escalated" not in outbox(session, c["id"], branch)
    timeline = api.client.get(f"{BASE}/{c['id']}/timeline", headers=api.world.auth("sec_a1")).json()
    assert timeline[-1]["kind"] == "escalated"
    assert timeline[-1]["note"] == "超期督办"


def test_item_reads_report_overdue(api: Api) -> None:
    c = api.create()
    assert c["overdue"] is False
    api.clock.advance(days=15, seconds=1)
    r = api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth("sec_a1"))
    assert r.json()["overdue"] is True
