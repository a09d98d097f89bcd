"""The member's study archive: totals by kind and year against hand-computed numbers, the XLSX and
printable exports (escaping, no ID number, audited) and who may read them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.study.conftest import API
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.members.models import Member
from vanguard.study.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Exam,
    ExamAttempt,
    Makeup,
    ReportGrade,
    StudyReport,
)
from vanguard.study.service import CST

SCRIPT = "<script>alert(1)</script>学习"


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 1, 0, tzinfo=UTC)  # 09:00 China time, the same day


@pytest.fixture
def studied(session: Session, world: World, member: Member) -> Member:
    """李学习's record, by hand:
    2025-06-01 支部党员大会 2.0 h present
    2025-09-01 党课 1.5 h absent, made up 2025-09-05 for 1.0 h
    2026-03-01 支部党员大会 2.0 h on leave (病假), not made up
    2026-03-10 培训班 8.0 h present; exam (pass 60): 50, then 80
    2026-04-01 主题党日 3.0 h present, topic with markup
    → 2025: 3.0 h (2.0 meeting + 1.0 lecture), 1 attended, 1 absent
    → 2026: 11.0 h (8.0 training + 3.0 theme day), 2 attended, 1 excused, exam passed
    → all: 14.0 h."""
    member.id_number_masked = "110101********1234"
    org = world.orgs["branch_a1"].id

    def activity(kind: ActivityKind, at: datetime, hours: str, topic: str) -> Activity:
        return Activity(org_id=org, kind=kind, starts_at=at, topic=topic, hours=Decimal(hours), materials=[])

    meeting_25 = activity(ActivityKind.BRANCH_MEETING, _at(2025, 6, 1), "2.0", "学习党章")
    lecture = activity(ActivityKind.PARTY_LECTURE, _at(2025, 9, 1), "1.5", "书记讲党课")
    meeting_26 = activity(ActivityKind.BRANCH_MEETING, _at(2026, 3, 1), "2.0", "年度计划")
    training = activity(ActivityKind.TRAINING_CLASS, _at(2026, 3, 10), "8.0", "党员冬训")
    theme = activity(ActivityKind.THEME_DAY, _at(2026, 4, 1), "3.0", SCRIPT)
    exam = Exam(activity=training, title="冬训结业考试", max_score=100, pass_mark=60)
    present, absent = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT
    session.add_all(
        [
            Attendance(activity=meeting_25, member_id=member.id, status=present),
            Attendance(activity=lecture, member_id=member.id, status=absent),
            Makeup(
                activity=lecture,
                member_id=member.id,
                studied_on=date(2025, 9, 5),
                method="观看录像",
                hours=Decimal("1.0"),
            ),
            Attendance(
                activity=meeting_26, member_id=member.id, status=AttendanceStatus.EXCUSED, leave_reason="病假"
            ),
            Attendance(activity=training, member_id=member.id, status=present),
            Attendance(activity=theme, member_id=member.id, status=present),
            ExamAttempt(exam=exam, member_id=member.id, attempt=1, score=50, taken_on=date(2026, 3, 12)),
            ExamAttempt(exam=exam, member_id=member.id, attempt=2, score=80, taken_on=date(2026, 3, 20)),
            StudyReport(
                member_id=member.id,
                org_id=org,
                year=2025,
                half=0,
                content="述学：<b>认真</b>学习",
                comment="好",
                grade=ReportGrade.GOOD,
            ),
        ]
    )
    session.commit()
    return member


def _url(member: Member, suffix: str = "") -> str:
    return f"{API}/members/{member.id}/study{suffix}"


def _hours(totals: dict[str, Any]) -> tuple[float, dict[str, float]]:
    return totals["hours"], {k["kind"]: k["hours"] for k in totals["hours_by_kind"]}


def test_archive_totals_by_kind_and_year(client: TestClient, world: World, studied: Member) -> None:
    r = client.get(_url(studied), headers=world.auth("sec_a1"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["start"], body["member"]["org_name"]) == ("2025-06-01", "甲一村党支部")
    assert _hours(body["totals"]) == (
        14.0,
        {"branch_meeting": 2.0, "party_lecture": 1.0, "theme_day": 3.0, "training_class": 8.0},
    )
    t = body["totals"]
    assert (t["attended"], t["excused"], t["absent"], t["exams_passed"], t["exams_failed"]) == (3, 1, 1, 1, 0)
    years = {y["year"]: y for y in body["by_year"]}
    assert _hours(years[2025]) == (3.0, {"branch_meeting": 2.0, "party_lecture": 1.0})
    assert _hours(years[2026]) == (11.0, {"theme_day": 3.0, "training_class": 8.0})
    assert (years[2026]["attended"], years[2026]["excused"], years[2025]["absent"]) == (2, 1, 1)

    assert [a["day"] for a in body["activities"]] == [
        "2025-06-01",
        "2025-09-01",
        "2026-03-01",
        "2026-03-10",
        "2026-04-01",
    ]
    assert [(a["status"], a["leave_reason"], a["made_up"]) for a in body["absences"]] == [
        ("absent", None, True),
        ("excused", "病假", False),
    ]
    assert [(m["studied_on"], m["hours"]) for m in body["makeups"]] == [("2025-09-05", 1.0)]
    (exam,) = body["exams"]
    assert [(t["score"], t["passed"]) for t in exam["attempts"]] == [(50, False), (80, True)]
    assert exam["passed"] is True
    assert [(rep["year"], rep["grade"]) for rep in body["reports"]] == [(2025, "good")]


def test_archive_for_a_year_or_days(client: TestClient, world: World, studied: Member) -> None:
    year = client.get(_url(studied), params={"year": 2026}, headers=world.auth("town_a_admin")).json()
    assert (year["start"], year["end"]) == ("2026-01-01", "2026-12-31")
    assert _hours(year["totals"]) == (11.0, {"theme_day": 3.0, "training_class": 8.0})
    assert [y["year"] for y in year["by_year"]] == [2026]
    assert year["reports"] == []  # the 2025 report is outside

    days = client.get(
        _url(studied), params={"from": "2025-09-01", "to": "2026-03-05"}, headers=world.auth("sec_a1")
    ).json()
    assert _hours(days["totals"]) == (1.0, {"party_lecture": 1.0})  # the make-up only
    assert [(y["year"], y["hours"]) for y in days["by_year"]] == [(2025, 1.0), (2026, 0.0)]
    assert [a["status"] for a in days["activities"]] == ["absent", "excused"]

    both = client.get(
        _url(studied), params={"year": 2026, "from": "2026-01-01"}, headers=world.auth("sec_a1")
    )
    assert_problem(both, 422, "archive_period_invalid")
    backwards = client.get(
        _url(studied), params={"from": "2026-02-01", "to": "2026-01-01"}, headers=world.auth("sec_a1")
    )
    assert_problem(backwards, 422, "archive_period_invalid")


def test_xlsx_export(client: TestClient, world: World, session: Session, studied: Member) -> None:
    r = client.get(_url(studied, "/export.xlsx"), headers=world.auth("sec_a1"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    today = datetime.now(CST).date()  # an open period ends today
    assert f"filename*=UTF-8''{quote('学习档案-李学习-2025-06-01-')}" in disposition
    assert f'filename="study-archive-{studied.id}.xlsx"' in disposition

    wb = load_workbook(BytesIO(r.content))
    assert wb.sheetnames == ["概况", "活动", "考试", "缺勤"]
    summary = {row[0]: row[1] for row in wb["概况"].iter_rows(min_row=2, values_only=True)}
    assert (summary["姓名"], summary["所在组织"], summary["学时合计"]) == ("李学习", "甲一村党支部", 14.0)
    assert (summary["培训班学时"], summary["2025年学时"], summary["2026年学时"]) == (8.0, 3.0, 11.0)
    assert summary["起始日期"] == datetime(2025, 6, 1)
    assert summary["述学（2025年全年）"] == "评学：良好；好"

    activities = wb["活动"]
    assert activities.freeze_panes == "A2"
    assert [c.value for c in activities[1]][:7] == [
        "日期",
        "开始时间",
        "活动类型",
        "主题",
        "组织",
        "学时",
        "出勤",
    ]
    assert (activities.column_dimensions["D"].width or 0) >= 30
    first = [c.value for c in activities[2]]
    assert first[:3] == [datetime(2025, 6, 1), datetime(2025, 6, 1, 9, 0), "支部党员大会"]
    assert activities["A2"].number_format == "yyyy-mm-dd"
    assert activities["D6"].value == SCRIPT  # a cell holds text as it is: nothing to escape
    assert activities.max_row == 6

    exams = list(wb["考试"].iter_rows(min_row=2, values_only=True))
    assert [(row[4], row[5], row[7], row[8]) for row in exams] == [
        (1, 50, "不及格", "已通过"),
        (2, 80, "及格", "已通过"),
    ]
    absences = list(wb["缺勤"].iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[4], row[5]) for row in absences] == [
        ("缺席", None, datetime(2025, 9, 5)),
        ("请假", "病假", None),
    ]
    cells = " ".join(
        str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )
    assert "110101" not in cells  # no ID number, not even masked

    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export_study_archive_xlsx")).one()
    assert (event.entity, event.entity_id, event.actor_name) == ("members", str(studied.id), "sec_a1")
    assert event.after == {"start": "2025-06-01", "end": today.isoformat()}


def test_printable_page(client: TestClient, world: World, session: Session, studied: Member) -> None:
    r = client.get(_url(studied, "/print"), params={"year": 2026}, headers=world.auth("sec_a1"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<html lang="zh-CN">' in page
    assert "size: A4" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;学习" in page
    assert "<script>" not in page
    assert 'class="num total-hours">11.0<' in page
    assert "甲一村党支部" in page
    assert "李学习" in page
    assert "支部书记（签字）" in page
    assert "110101" not in page
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export_study_archive_print")).one()
    assert event.after == {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.mark.parametrize("suffix", ["", "/export.xlsx", "/print"])
def test_archive_permissions(client: TestClient, world: World, member: Member, suffix: str) -> None:
    url = _url(member, suffix)
    assert_problem(client.get(url), 401, "unauthenticated")
    assert_problem(client.get(url, headers=world.auth("sec_b1")), 404, "member_not_found")
    assert_problem(client.get(url, headers=world.auth("member_a1")), 403, "forbidden")
    assert client.get(url, headers=world.auth("town_a_admin")).status_code == 200
