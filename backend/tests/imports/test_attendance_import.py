"""Importing study attendance: activity by number, member by ID number, status by label; each row through
the attendance rules (on the activity's roll that day, leave needs a reason); a second run changes
nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.imports.test_members_import import finished
from tests.imports.test_reading import xlsx
from tests.members.helpers import id_number
from tests.world import World
from vanguard.core.security import pii
from vanguard.members.models import Gender, Member
from vanguard.study.models import Activity, ActivityKind, Attendance, AttendanceStatus

HEADER = ["活动编号", "身份证号", "姓名", "出勤情况", "请假事由"]
A1, A2, B1 = id_number("19800101", "111"), id_number("19810101", "121"), id_number("19820101", "131")


def _member(session: Session, world: World, org: str, name: str, number: str) -> Member:
    member = Member(
        org_id=world.orgs[org].id, name=name, gender=Gender.MALE, id_number_digest=pii.lookup_digest(number)
    )
    session.add(member)
    return member


def _activity(session: Session, world: World, org: str) -> Activity:
    activity = Activity(
        org_id=world.orgs[org].id,
        kind=ActivityKind.BRANCH_MEETING,
        starts_at=datetime(2026, 3, 1, 1, 30, tzinfo=UTC),
        topic="学习",
        hours=Decimal("2.0"),
        materials=[],
    )
    session.add(activity)
    return activity


def _run(client: TestClient, world: World, rows: list[list[Any]], **form: Any) -> dict[str, Any]:
    started = client.post(
        "/api/v1/imports/attendance",
        headers=world.auth("sec_a1"),
        files={"file": ("出勤.xlsx", xlsx([HEADER, *rows]), "application/octet-stream")},
        data={k: str(v).lower() for k, v in form.items()},
    )
    result: dict[str, Any] = finished(client, world, started)["result"]
    return result


def test_attendance_rows_go_through_the_attendance_rules(
    client: TestClient, world: World, session: Session
) -> None:
    first, second = (
        _member(session, world, "branch_a1", "出勤甲", A1),
        _member(session, world, "branch_a1", "出勤乙", A2),
    )
    _member(session, world, "branch_b1", "出勤丙", B1)
    meeting, other = _activity(session, world, "branch_a1"), _activity(session, world, "branch_b1")
    session.commit()
    rows = [
        [meeting.id, A1, "出勤甲", "出席", ""],  # 2 good
        [meeting.id, A2, "", "请假", "外出务工"],  # 3 good
        [meeting.id, A2, "", "缺席", ""],  # 4 the same member twice
        [meeting.id, B1, "", "出席", ""],  # 5 another town's member: not visible
        [other.id, A1, "", "出席", ""],  # 6 another town's activity
        [meeting.id, A1.replace(A1[-1], "0" if A1[-1] != "0" else "1"), "", "出席", ""],  # 7 bad number
        [meeting.id, A1, "出勤丁", "出席", ""],  # 8 wrong name (and a repeat of row 2's key)
        ["第一次", A1, "", "迟到", ""],  # 9 not a number, not a status
    ]
    report = _run(client, world, rows, dry_run=False, mode="valid_rows")
    assert {(e["row"], e["column"], e["code"]) for e in report["errors"]} == {
        (4, "身份证号", "import_duplicate_in_file"),
        (5, "身份证号", "import_member_not_found"),
        (6, "活动编号", "activity_not_found"),
        (7, "身份证号", "import_cell_invalid"),
        (8, "身份证号", "import_duplicate_in_file"),
        (9, "活动编号", "import_cell_invalid"),
        (9, "出勤情况", "import_cell_invalid"),
    }
    assert (report["committed"], report["created"]) == (True, 2)
    session.rollback()
    recorded = {
        (a.member_id, a.status, a.leave_reason)
        for a in session.scalars(select(Attendance).where(Attendance.activity_id == meeting.id))
    }
    assert recorded == {
        (first.id, AttendanceStatus.PRESENT, None),
        (second.id, AttendanceStatus.EXCUSED, "外出务工"),
    }

    again = _run(client, world, rows[:2], dry_run=False)
    assert (again["created"], again["updated"], again["unchanged"], again["errors"]) == (0, 0, 2, [])
    corrected = _run(client, world, [[meeting.id, A2, "", "请假", ""]], dry_run=False)
    # Leave needs a reason, as on the attendance page.
    assert [(e["row"], e["column"], e["code"]) for e in corrected["errors"]] == [
        (2, "请假事由", "leave_reason_required")
    ]
