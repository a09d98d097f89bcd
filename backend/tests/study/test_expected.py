"""Explicit expected attendees, the one "who is expected" rule, the start that cannot move into the
future once recorded, ETags on exams and make-ups, and uploaded materials."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.attachments.test_routes import upload
from tests.problems import assert_problem
from tests.study.conftest import API
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.members.models import Member, MemberStatus
from vanguard.study import service
from vanguard.study.models import (
    Activity,
    ActivityAttendee,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Exam,
    ExamAttempt,
)

URL = f"{API}/study/activities"


def _body(world: World, **over: Any) -> dict[str, Any]:
    return {
        "org_id": world.orgs["branch_a1"].id,
        "kind": "training_class",
        "starts_at": "2026-03-01T09:00:00+08:00",
        "topic": "入党积极分子培训班",
        "hours": 16,
        **over,
    }


def _roll(session: Session, world: World, org: str = "branch_a1") -> list[int]:
    return sorted(session.scalars(select(Member.id).where(Member.org_id == world.orgs[org].id)))


def test_an_explicit_list_narrows_who_is_expected(
    client: TestClient, world: World, session: Session, add_member: Callable[..., Member]
) -> None:
    chosen = add_member(name="被选学员")
    headers = world.auth("sec_a1")
    created = client.post(URL, json=_body(world, expected_member_ids=[chosen.id]), headers=headers)
    assert created.status_code == 201, created.text
    activity = created.json()
    assert activity["expected_member_ids"] == [chosen.id]
    attendance = f"{URL}/{activity['id']}/attendance"
    assert [a["member_id"] for a in client.get(attendance, headers=headers).json()] == [chosen.id]

    other = next(m for m in _roll(session, world) if m != chosen.id)
    refused = client.put(
        attendance, json={"entries": [{"member_id": other, "status": "present"}]}, headers=headers
    )
    body = assert_problem(refused, 422, "not_expected")
    assert body["errors"][0]["field"] == "body.entries.0.member_id"
    assert str(other) in body["errors"][0]["message"]
    ok = client.put(
        attendance, json={"entries": [{"member_id": chosen.id, "status": "present"}]}, headers=headers
    )
    assert ok.status_code == 200, ok.text

    # An explicit null restores the roll.
    restored = client.patch(f"{URL}/{activity['id']}", json={"expected_member_ids": None}, headers=headers)
    assert restored.json()["expected_member_ids"] is None
    assert [a["member_id"] for a in client.get(attendance, headers=headers).json()] == _roll(session, world)


def test_the_list_holds_only_members_on_the_roll_that_day(
    client: TestClient, world: World, add_member: Callable[..., Member]
) -> None:
    mine = add_member(name="本支部")
    outsider = add_member(org="branch_b1", name="外支部")
    gone = add_member(name="已离开", status=MemberStatus.DECEASED, left_on=date(2026, 2, 1))
    stayed = add_member(name="当日仍在", status=MemberStatus.DECEASED, left_on=date(2026, 3, 1))
    ids = [mine.id, outsider.id, gone.id, stayed.id, mine.id]
    r = client.post(URL, json=_body(world, expected_member_ids=ids), headers=world.auth("sec_a1"))
    body = assert_problem(r, 422, "not_a_member")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("body.expected_member_ids.1", "not_a_member"),
        ("body.expected_member_ids.2", "not_a_member"),
        ("body.expected_member_ids.4", "duplicate_member"),
    ]
    assert str(outsider.id) in body["errors"][0]["message"]
    assert str(gone.id) in body["errors"][1]["message"]
    fine = client.post(
        URL, json=_body(world, expected_member_ids=[mine.id, stayed.id]), headers=world.auth("sec_a1")
    )
    assert fine.json()["expected_member_ids"] == sorted([mine.id, stayed.id])


def test_expected_member_ids_is_the_one_rule(
    session: Session, world: World, add_activity: Callable[..., Activity], add_member: Callable[..., Member]
) -> None:
    """Roll by default (a group's is its branch's, leavers counted up to their day), else the list."""
    left_after = add_member(name="会后离开", status=MemberStatus.DECEASED, left_on=date(2026, 3, 2))
    left_before = add_member(name="会前离开", status=MemberStatus.DECEASED, left_on=date(2026, 2, 27))
    chosen = add_member(name="学员")
    on_roll_that_day = set(_roll(session, world)) - {left_before.id}  # 1 March: 3 + left_after + chosen
    assert len(on_roll_that_day) == 5
    group_meeting = add_activity(org="group_a1", kind=ActivityKind.GROUP_MEETING)
    training = add_activity(kind=ActivityKind.TRAINING_CLASS)
    later = add_activity(kind=ActivityKind.PARTY_LECTURE, starts_at=datetime(2026, 3, 5, 1, 0, tzinfo=UTC))
    training.expected = [ActivityAttendee(member_id=chosen.id)]
    session.commit()

    found = service.expected_member_ids(session, [group_meeting, training, later])
    assert found[group_meeting.id] == on_roll_that_day
    assert found[training.id] == {chosen.id}
    assert left_after.id not in found[later.id]
    assert service.expected_counts(session, [group_meeting, training]) == {
        group_meeting.id: 5,
        training.id: 1,
    }
    assert service.expected_member_ids(session, []) == {}


def test_a_recorded_activity_cannot_start_in_the_future(
    client: TestClient,
    world: World,
    session: Session,
    activity: Activity,
    add_activity: Callable[..., Activity],
) -> None:
    headers = world.auth("sec_a1")
    one = f"{URL}/{activity.id}"
    future = "2099-01-01T09:00:00+08:00"
    empty = add_activity(kind=ActivityKind.PARTY_LECTURE)
    assert client.patch(f"{URL}/{empty.id}", json={"starts_at": future}, headers=headers).status_code == 200

    member = _roll(session, world)[0]
    client.put(
        f"{one}/attendance", json={"entries": [{"member_id": member, "status": "present"}]}, headers=headers
    )
    assert_problem(
        client.patch(one, json={"starts_at": future}, headers=headers), 409, "activity_start_after_records"
    )
    earlier = client.patch(one, json={"starts_at": "2026-02-28T09:00:00+08:00"}, headers=headers)
    assert earlier.status_code == 200, earlier.text


def test_exam_etag_and_fixed_marks(client: TestClient, world: World, session: Session, exam: Exam) -> None:
    one = f"{API}/study/exams/{exam.id}"
    headers = world.auth("sec_a1")
    got = client.get(one, headers=headers)
    assert (got.status_code, got.headers["etag"]) == (200, '"1"')
    renamed = client.patch(
        one, json={"title": "结业考核", "pass_mark": 70}, headers={**headers, "If-Match": '"1"'}
    )
    assert (renamed.json()["title"], renamed.json()["pass_mark"], renamed.headers["etag"]) == (
        "结业考核",
        70,
        '"2"',
    )
    assert_problem(
        client.patch(one, json={"title": "x"}, headers={**headers, "If-Match": '"1"'}), 412, "stale_version"
    )
    body = assert_problem(
        client.patch(one, json={"pass_mark": 101}, headers=headers), 422, "pass_mark_above_max"
    )
    assert body["errors"][0]["field"] == "body.pass_mark"

    session.add(
        ExamAttempt(
            exam=exam,
            member_id=_roll(session, world)[0],
            attempt=1,
            score=65,
            taken_on=date(2026, 3, 2),
        )
    )
    session.commit()
    assert_problem(client.patch(one, json={"pass_mark": 60}, headers=headers), 409, "exam_has_attempts")
    assert client.patch(one, json={"title": "结业考核（补）"}, headers=headers).status_code == 200

    assert_problem(client.get(one, headers=world.auth("sec_b1")), 404, "exam_not_found")
    assert_problem(
        client.patch(one, json={"title": "x"}, headers=world.auth("sec_b1")), 404, "exam_not_found"
    )
    assert_problem(client.patch(one, json={"title": "x"}, headers=world.auth("member_a1")), 403, "forbidden")


def test_makeup_etag(client: TestClient, world: World, session: Session, activity: Activity) -> None:
    member = _roll(session, world)[0]
    session.add(Attendance(activity=activity, member_id=member, status=AttendanceStatus.ABSENT))
    session.commit()
    headers = world.auth("sec_a1")
    made = client.post(
        f"{URL}/{activity.id}/makeups",
        json={"member_id": member, "studied_on": "2026-03-02", "method": "自学", "hours": 1},
        headers=headers,
    ).json()
    one = f"{API}/study/makeups/{made['id']}"
    got = client.get(one, headers=headers)
    assert (got.status_code, got.headers["etag"]) == (200, '"1"')
    changed = client.patch(one, json={"hours": 1.5}, headers={**headers, "If-Match": '"1"'})
    assert (changed.json()["hours"], changed.headers["etag"]) == (1.5, '"2"')
    assert_problem(
        client.patch(one, json={"hours": 2}, headers={**headers, "If-Match": '"1"'}), 412, "stale_version"
    )
    before = client.patch(one, json={"studied_on": "2026-02-01"}, headers=headers)
    assert_problem(before, 422, "makeup_date_invalid")
    assert_problem(client.get(one, headers=world.auth("sec_b1")), 404, "makeup_not_found")
    assert_problem(
        client.patch(one, json={"hours": 2}, headers=world.auth("sec_b1")), 404, "makeup_not_found"
    )
    assert_problem(client.get(one, headers=world.auth("member_a1")), 403, "forbidden")


def test_uploaded_materials(client: TestClient, world: World, session: Session) -> None:
    slides = upload(client, world, "sec_a1", "branch_a1", filename="课件.pdf").json()
    foreign = upload(client, world, "sec_b1", "branch_b1").json()
    headers = world.auth("sec_a1")
    refused = client.post(URL, json=_body(world, attachment_ids=[foreign["id"]]), headers=headers)
    assert_problem(refused, 422, "attachments_not_linkable")
    created = client.post(URL, json=_body(world, attachment_ids=[slides["id"]]), headers=headers)
    assert created.status_code == 201, created.text
    assert [(a["id"], a["filename"]) for a in created.json()["attachments"]] == [(slides["id"], "课件.pdf")]
    link = session.scalars(select(AuditEvent).where(AuditEvent.entity == "study_activity_materials")).one()
    assert (link.action, link.org_id) == ("create", world.orgs["branch_a1"].id)
    # A linked file cannot be deleted; once unlinked it can.
    assert_problem(
        client.delete(f"{API}/attachments/{slides['id']}", headers=headers), 409, "attachment_in_use"
    )
    cleared = client.patch(f"{URL}/{created.json()['id']}", json={"attachment_ids": []}, headers=headers)
    assert cleared.json()["attachments"] == []
    assert client.delete(f"{API}/attachments/{slides['id']}", headers=headers).status_code == 204
