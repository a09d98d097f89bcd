"""The pipeline over HTTP: the whole way from application to full membership, the timeline,
one transaction per command, the audit trail and optimistic locking."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.development.factory import VOTES, Roll, admit_body, as_json
from tests.problems import assert_problem
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.core.clock import local_today
from vanguard.development.dates import add_months, add_years
from vanguard.development.models import DevelopmentStep
from vanguard.development.schemas import Approval
from vanguard.members.models import Member, Stage

MEMBERS = "/api/v1/members"
TODAY = local_today()
APPROVER = "中共甲镇委员会"


def dev(member_id: int, step: str) -> str:
    return f"{MEMBERS}/{member_id}/development/{step}"


def _reload(session: Session, member: Member) -> Member:
    session.rollback()  # end the test's own read transaction (a stale snapshot on SQLite)…
    session.expire_all()  # …and forget what it loaded, so it sees what the requests committed
    fresh = session.get(Member, member.id)
    assert fresh is not None
    return fresh


def test_from_application_to_full_membership(
    client: TestClient, world: World, session: Session, roll: Roll
) -> None:
    headers = world.auth("sec_a1")
    mentor, introducer = roll.full("王培养"), roll.full("赵介绍")
    applied = TODAY - timedelta(days=3 * 365)
    member = roll.add("张发展", applied_on=applied)

    talked = applied + timedelta(days=20)
    r = client.post(
        dev(member.id, "talk"), json={"talked_on": str(talked), "talked_by": "李书记"}, headers=headers
    )
    assert r.status_code == 201, r.text
    assert (r.json()["kind"], r.json()["approval_status"]) == ("talk", "not_required")

    activist_on = add_months(applied, 2)
    body: dict[str, Any] = {
        "decided_on": str(activist_on),
        "recommended_by": "mass_organisation",
        "mentor_ids": [mentor.id, introducer.id],
    }
    r = client.post(dev(member.id, "activist"), json=body, headers=headers)
    assert r.status_code == 201, r.text
    assert {p["name"] for p in r.json()["people"]} == {"王培养", "赵介绍"}

    candidate_on = add_years(activist_on, 1)
    r = client.post(dev(member.id, "candidate"), json={"decided_on": str(candidate_on)}, headers=headers)
    assert r.status_code == 201, r.text

    meeting = add_months(candidate_on, 3)
    r = client.post(
        dev(member.id, "admit"),
        json=as_json(admit_body(meeting, [mentor.id, introducer.id])),
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["approval_status"] == "pending"
    assert _reload(session, member).stage is Stage.CANDIDATE

    approval = {"approved_by": APPROVER, "approved_on": str(meeting + timedelta(days=30))}
    pending = client.get(f"{MEMBERS}/{member.id}/timeline", headers=headers).json()["next"]
    assert (pending["kind"], pending["rule"], pending["due_on"]) == (
        "approval",
        "approval_due",
        str(add_months(meeting, 3)),
    )
    assert pending["step_id"] == r.json()["id"]
    r = client.post(dev(member.id, "approval"), json=approval, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["approval_status"] == "approved"
    assert _reload(session, member).probationary_on == meeting  # probation runs from the meeting

    ends_on = add_years(meeting, 1)
    confirm = {
        "decided_on": str(ends_on + timedelta(days=3)),
        "votes": VOTES.model_dump(),
        "approval": {"approved_by": APPROVER, "approved_on": str(ends_on + timedelta(days=10))},
    }
    r = client.post(dev(member.id, "confirm"), json=confirm, headers=headers)
    assert r.status_code == 201, r.text
    fresh = _reload(session, member)
    assert (fresh.stage, fresh.full_member_on) == (Stage.FULL, ends_on)

    timeline = client.get(f"{MEMBERS}/{member.id}/timeline", headers=headers).json()
    assert [s["kind"] for s in timeline["steps"]] == ["talk", "activist", "candidate", "admit", "confirm"]
    assert [s["decided_on"] for s in timeline["steps"]] == sorted(s["decided_on"] for s in timeline["steps"])
    admit = timeline["steps"][3]
    assert {(p["name"], p["role"]) for p in admit["people"]} == {
        ("王培养", "introducer"),
        ("赵介绍", "introducer"),
    }
    assert admit["evidence"]["votes"]["votes_for"] == VOTES.votes_for
    assert admit["evidence"]["public_notice"]["ends_on"] == str(meeting - timedelta(days=6))
    assert timeline["full_member_on"] == str(ends_on)
    assert timeline["next"] is None


def test_guard_is_a_409_problem_naming_the_rule_and_dates(
    client: TestClient, world: World, roll: Roll
) -> None:
    applied = TODAY - timedelta(days=90)
    member = roll.add(applied_on=applied)
    late = add_months(applied, 1) + timedelta(days=1)
    r = client.post(
        dev(member.id, "talk"),
        json={"talked_on": str(late), "talked_by": "李书记"},
        headers={**world.auth("sec_a1"), "Accept-Language": "en"},
    )
    body = assert_problem(r, 409, "talk_overdue")
    assert str(applied) in body["detail"]
    assert str(late) in body["detail"]
    assert str(applied) in body["messages"]["zh-CN"]


def test_stage_out_of_order_over_http(client: TestClient, world: World, roll: Roll) -> None:
    member = roll.add(applied_on=TODAY - timedelta(days=10))
    r = client.post(
        dev(member.id, "confirm"),
        json={"decided_on": str(TODAY), "votes": VOTES.model_dump()},
        headers=world.auth("sec_a1"),
    )
    body = assert_problem(r, 409, "stage_out_of_order")
    assert "确定为入党积极分子" in body["messages"]["zh-CN"]


def test_future_date_is_422_naming_the_field(client: TestClient, world: World, roll: Roll) -> None:
    member = roll.add(applied_on=TODAY - timedelta(days=10))
    tomorrow = TODAY + timedelta(days=1)
    r = client.post(
        dev(member.id, "talk"),
        json={"talked_on": str(tomorrow), "talked_by": "李"},
        headers=world.auth("sec_a1"),
    )
    body = assert_problem(r, 422, "date_in_future")
    assert body["errors"][0]["field"] == "body.talked_on"


def test_unknown_field_is_refused(client: TestClient, world: World, roll: Roll) -> None:
    member = roll.add(applied_on=TODAY - timedelta(days=10))
    body = {"talked_on": str(TODAY), "talked_by": "李", "stage": "full"}
    r = client.post(dev(member.id, "talk"), json=body, headers=world.auth("sec_a1"))
    assert_problem(r, 422, "validation_failed")
    assert r.json()["errors"][0]["field"] == "body.stage"


def test_refused_command_writes_nothing(
    client: TestClient, world: World, session: Session, roll: Roll
) -> None:
    """One transaction per command: a refusal leaves no step, no stage change, no audit event."""
    good = roll.full("王介绍")
    outsider = roll.full("乙介绍", org="branch_b1")
    member = roll.add(
        "冯对象", stage=Stage.CANDIDATE, applied_on=date(2020, 1, 2), candidate_on=TODAY - timedelta(days=400)
    )
    version = member.version
    events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    approval = Approval(approved_by=APPROVER, approved_on=TODAY)
    body = as_json(admit_body(TODAY - timedelta(days=1), [good.id, outsider.id], approval=approval))
    r = client.post(dev(member.id, "admit"), json=body, headers=world.auth("sec_a1"))
    assert_problem(r, 409, "introducer_not_eligible")
    fresh = _reload(session, member)
    assert (fresh.stage, fresh.version, fresh.probationary_on) == (Stage.CANDIDATE, version, None)
    assert session.scalar(select(func.count()).select_from(DevelopmentStep)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before


def test_steps_and_stage_changes_are_audited_with_the_org(
    client: TestClient, world: World, session: Session, roll: Roll
) -> None:
    mentor = roll.full("王培养")
    member = roll.add(applied_on=TODAY - timedelta(days=20))
    headers = world.auth("sec_a1")
    client.post(
        dev(member.id, "talk"),
        json={"talked_on": str(TODAY - timedelta(days=10)), "talked_by": "李"},
        headers=headers,
    )
    body = {"decided_on": str(TODAY), "recommended_by": "party_members", "mentor_ids": [mentor.id]}
    assert client.post(dev(member.id, "activist"), json=body, headers=headers).status_code == 201
    events = session.scalars(select(AuditEvent).where(AuditEvent.actor_name == "sec_a1")).all()
    by_entity = {(e.entity, e.action) for e in events}
    assert {
        ("development_steps", "create"),
        ("development_step_people", "create"),
        ("members", "update"),
    } <= by_entity
    assert {e.org_id for e in events} == {world.orgs["branch_a1"].id}
    stage_change = next(e for e in events if e.entity == "members")
    assert stage_change.after == {"stage": "activist", "activist_on": str(TODAY)}


def test_stale_if_match_is_412(client: TestClient, world: World, roll: Roll) -> None:
    member = roll.add(applied_on=TODAY - timedelta(days=20))
    headers = {**world.auth("sec_a1"), "If-Match": f'"{member.version + 1}"'}
    r = client.post(
        dev(member.id, "talk"), json={"talked_on": str(TODAY), "talked_by": "李"}, headers=headers
    )
    assert_problem(r, 412, "stale_version")


def test_due_list_over_http(client: TestClient, world: World, roll: Roll) -> None:
    applied = TODAY - timedelta(days=70)
    member = roll.add("李逾期", applied_on=applied)
    r = client.get(
        "/api/v1/development/due",
        params={"org_id": world.orgs["branch_a1"].id, "within_days": 0},
        headers=world.auth("sec_a1"),
    )
    assert r.status_code == 200, r.text
    listing = r.json()
    assert (listing["as_of"], listing["within_days"], listing["next_cursor"]) == (str(TODAY), 0, None)
    (item,) = listing["items"]
    due_on = add_months(applied, 1)
    assert item["member_id"] == member.id
    assert (item["rule"], item["due_on"], item["overdue"]) == ("talk_due", str(due_on), True)
    assert item["days_overdue"] == (TODAY - due_on).days
    assert item["org_name"] == world.orgs["branch_a1"].name


def test_due_list_look_ahead_is_bounded(client: TestClient, world: World) -> None:
    r = client.get("/api/v1/development/due", params={"within_days": 367}, headers=world.auth("sec_a1"))
    assert_problem(r, 422, "validation_failed")
