"""Attendance in bulk, who may be marked, make-up study."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.study.conftest import API
from tests.world import World
from vanguard.members.models import Member, MemberStatus
from vanguard.study.models import Activity, ActivityKind, Attendance


def _put(client: TestClient, world: World, activity: Activity, entries: list[dict[str, Any]]) -> Any:
    return client.put(
        f"{API}/study/activities/{activity.id}/attendance",
        json={"entries": entries},
        headers=world.auth("sec_a1"),
    )


def _count(session: Session, activity: Activity) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).where(Attendance.activity_id == activity.id)) or 0


def test_expected_attendees_default_to_the_roll(
    client: TestClient, world: World, activity: Activity, member: Member
) -> None:
    r = client.get(f"{API}/study/activities/{activity.id}/attendance", headers=world.auth("sec_a1"))
    assert r.status_code == 200, r.text
    rows = r.json()
    assert len(rows) == 4  # the three world members of branch_a1 and `member`
    assert all(row["status"] is None for row in rows)


def test_bulk_attendance_records_and_corrects(
    client: TestClient, world: World, activity: Activity, add_member: Callable[..., Member]
) -> None:
    a, b, c = add_member(name="甲"), add_member(name="乙"), add_member(name="丙")
    r = _put(
        client,
        world,
        activity,
        [
            {"member_id": a.id, "status": "present"},
            {"member_id": b.id, "status": "excused", "leave_reason": "外出务工"},
            {"member_id": c.id, "status": "absent"},
        ],
    )
    assert r.status_code == 200, r.text
    by_id = {row["member_id"]: row for row in r.json()}
    assert (by_id[a.id]["status"], by_id[b.id]["leave_reason"], by_id[c.id]["status"]) == (
        "present",
        "外出务工",
        "absent",
    )
    fixed = _put(client, world, activity, [{"member_id": c.id, "status": "present"}])
    assert {row["member_id"]: row["status"] for row in fixed.json()}[c.id] == "present"


def test_excused_needs_a_reason(client: TestClient, world: World, activity: Activity, member: Member) -> None:
    body = assert_problem(
        _put(client, world, activity, [{"member_id": member.id, "status": "excused"}]),
        422,
        "leave_reason_required",
    )
    assert body["errors"][0]["field"] == "body.entries.0.leave_reason"


def test_non_members_are_named_and_nothing_is_recorded(
    client: TestClient,
    session: Session,
    world: World,
    activity: Activity,
    member: Member,
    add_member: Callable[..., Member],
) -> None:
    stranger = add_member(org="branch_b1", name="外支部")
    gone = add_member(name="早已出党", status=MemberStatus.WITHDRAWN, left_on=date(2026, 2, 1))
    r = _put(
        client,
        world,
        activity,
        [
            {"member_id": member.id, "status": "present"},
            {"member_id": stranger.id, "status": "present"},
            {"member_id": gone.id, "status": "absent"},
            {"member_id": 999_999, "status": "absent"},
        ],
    )
    body = assert_problem(r, 422, "not_a_member")
    assert [e["field"] for e in body["errors"]] == [
        "body.entries.1.member_id",
        "body.entries.2.member_id",
        "body.entries.3.member_id",
    ]
    assert str(stranger.id) in body["errors"][0]["message"]
    assert str(stranger.id) in body["messages"]["en"]
    assert "999999" in body["messages"]["en"]
    assert _count(session, activity) == 0  # all or nothing


def test_a_member_who_left_after_the_day_may_still_be_marked(
    client: TestClient, world: World, activity: Activity, add_member: Callable[..., Member]
) -> None:
    later = add_member(name="后来转出", status=MemberStatus.TRANSFERRED_OUT, left_on=date(2026, 3, 1))
    assert _put(client, world, activity, [{"member_id": later.id, "status": "present"}]).status_code == 200


def test_listing_a_member_twice_is_422(
    client: TestClient, world: World, activity: Activity, member: Member
) -> None:
    entries = [{"member_id": member.id, "status": "present"}, {"member_id": member.id, "status": "absent"}]
    assert_problem(_put(client, world, activity, entries), 422, "duplicate_member")


def test_a_future_activity_takes_no_attendance(
    client: TestClient, world: World, add_activity: Callable[..., Activity], member: Member
) -> None:
    future = add_activity(starts_at=datetime.now(UTC) + timedelta(days=3))
    r = _put(client, world, future, [{"member_id": member.id, "status": "present"}])
    assert_problem(r, 409, "activity_in_future")


def test_a_group_meeting_covers_its_branch_roll(
    client: TestClient, world: World, add_activity: Callable[..., Activity], member: Member
) -> None:
    meeting = add_activity(org="group_a1", kind=ActivityKind.GROUP_MEETING)
    assert _put(client, world, meeting, [{"member_id": member.id, "status": "present"}]).status_code == 200


def test_a_superior_marks_in_its_subtree(
    client: TestClient, world: World, activity: Activity, member: Member
) -> None:
    r = client.put(
        f"{API}/study/activities/{activity.id}/attendance",
        json={"entries": [{"member_id": member.id, "status": "present"}]},
        headers=world.auth("town_a_admin"),
    )
    assert r.status_code == 200, r.text


def test_makeup_only_for_the_absent(
    client: TestClient, world: World, activity: Activity, add_member: Callable[..., Member]
) -> None:
    here, away = add_member(name="到会"), add_member(name="缺席")
    _put(
        client,
        world,
        activity,
        [{"member_id": here.id, "status": "present"}, {"member_id": away.id, "status": "absent"}],
    )
    url = f"{API}/study/activities/{activity.id}/makeups"
    headers = world.auth("sec_a1")
    makeup = {"studied_on": "2026-03-05", "method": "观看会议录像", "hours": 2}
    r = client.post(url, json={**makeup, "member_id": away.id}, headers=headers)
    assert r.status_code == 201, r.text
    assert (r.json()["member_id"], r.json()["hours"]) == (away.id, 2.0)
    assert_problem(
        client.post(url, json={**makeup, "member_id": here.id}, headers=headers), 409, "makeup_not_needed"
    )
    early = client.post(
        url, json={**makeup, "member_id": away.id, "studied_on": "2026-02-01"}, headers=headers
    )
    assert_problem(early, 422, "makeup_date_invalid")
    rows = client.get(f"{API}/study/activities/{activity.id}/attendance", headers=headers).json()
    assert {row["member_id"]: row["made_up"] for row in rows}[away.id] is True
