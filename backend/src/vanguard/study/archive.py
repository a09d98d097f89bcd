"""The member's study archive (学习档案): everything they attended, their hours, exams, absences and
study reports between two days, for the screen and for the paper archive.

Totals come from `service.study_facts` (the function scoring reads too), so the archive and the
score can never disagree; this module only adds the itemised lists behind those totals. Rows are
placed in the period by their activity's day (China time), as in `study_facts`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from vanguard.core.clock import CST, local_today
from vanguard.core.errors import FieldError, InvalidInput
from vanguard.core.permissions import Scope
from vanguard.members import service as members
from vanguard.orgs.models import Organisation
from vanguard.study import reports
from vanguard.study.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Exam,
    ExamAttempt,
    Makeup,
    StudyReport,
    report_span,
)
from vanguard.study.schemas import (
    StudyArchive,
    StudyArchiveAttempt,
    StudyArchiveAttendance,
    StudyArchiveExam,
    StudyArchiveMakeup,
    StudyArchiveMember,
    StudyArchiveTotals,
    StudyArchiveYear,
    StudyKindHours,
)
from vanguard.study.service import StudyFacts, study_facts


class BadArchivePeriod(InvalidInput):
    code = "archive_period_invalid"
    message_zh = "学习档案的期间有误"
    message_en = "Invalid archive period"


def _bad_period(field: str, zh: str, en: str) -> BadArchivePeriod:
    return BadArchivePeriod(errors=[FieldError.of(field, BadArchivePeriod.code, zh, en)])


def _in_period(start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    clauses = []
    if start is not None:
        clauses.append(Activity.starts_at >= datetime.combine(start, time(), CST))
    if end is not None:
        clauses.append(Activity.starts_at < datetime.combine(end + timedelta(days=1), time(), CST))
    return clauses


def _totals(facts: StudyFacts) -> dict[str, Any]:
    by_kind = [
        StudyKindHours(kind=kind, hours=facts.hours_by_kind[kind])
        for kind in ActivityKind
        if kind in facts.hours_by_kind
    ]
    return {
        "hours": sum(facts.hours_by_kind.values(), Decimal(0)),
        "hours_by_kind": by_kind,
        "attended": facts.attended,
        "excused": facts.excused,
        "absent": facts.absent,
        "exams_passed": facts.exams_passed,
        "exams_failed": facts.exams_failed,
    }


def member_archive(
    session: Session,
    scope: Scope,
    member_id: int,
    *,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> StudyArchive:
    """The archive for a year, or from `start` to `end`. Left open, the period runs from the member's
    first recorded activity (or this year's first day) to today."""
    if year is not None and (start is not None or end is not None):
        raise _bad_period(
            "query.year", "请给出年度或起止日期，不能同时给出", "give a year, or from/to, not both"
        )
    if year is not None:
        start, end = date(year, 1, 1), date(year, 12, 31)
    if start is not None and end is not None and start > end:
        raise _bad_period("query.from", "起始日期晚于截止日期", "from is after to")
    member = members.get_member(session, scope, member_id)  # 404 outside the caller's scope
    org_name = session.get_one(Organisation, member.org_id).name
    period = _in_period(start, end)

    made_up: set[int] = set()
    makeups = []
    for makeup, activity in session.execute(
        select(Makeup, Activity)
        .join(Activity, Activity.id == Makeup.activity_id)
        .where(Makeup.member_id == member.id, *period)
        .order_by(Makeup.studied_on, Makeup.id)
    ):
        made_up.add(activity.id)
        makeups.append(
            StudyArchiveMakeup(
                id=makeup.id,
                activity_id=activity.id,
                kind=activity.kind,
                topic=activity.topic,
                studied_on=makeup.studied_on,
                method=makeup.method,
                hours=makeup.hours,
            )
        )

    attended = [
        StudyArchiveAttendance(
            activity_id=activity.id,
            org_name=held_by,
            kind=activity.kind,
            topic=activity.topic,
            starts_at=activity.starts_at,
            day=local_today(activity.starts_at),
            hours=activity.hours,
            status=row.status,
            leave_reason=row.leave_reason,
            made_up=activity.id in made_up,
        )
        for row, activity, held_by in session.execute(
            select(Attendance, Activity, Organisation.name)
            .join(Activity, Activity.id == Attendance.activity_id)
            .join(Organisation, Organisation.id == Activity.org_id)
            .where(Attendance.member_id == member.id, *period)
            .order_by(Activity.starts_at, Activity.id)
        )
    ]

    attempts: dict[int, list[StudyArchiveAttempt]] = defaultdict(list)
    exams: dict[int, tuple[Exam, Activity]] = {}
    for attempt, exam, activity in session.execute(
        select(ExamAttempt, Exam, Activity)
        .join(Exam, Exam.id == ExamAttempt.exam_id)
        .join(Activity, Activity.id == Exam.activity_id)
        .where(ExamAttempt.member_id == member.id, *period)
        .order_by(Activity.starts_at, Exam.id, ExamAttempt.attempt)
    ):
        exams[exam.id] = (exam, activity)
        attempts[exam.id].append(
            StudyArchiveAttempt(
                attempt=attempt.attempt,
                score=attempt.score,
                taken_on=attempt.taken_on,
                passed=attempt.score >= exam.pass_mark,
            )
        )

    today = today or local_today()
    if end is None:
        end = today
    if start is None:
        days = [a.day for a in attended] + [m.studied_on for m in makeups]
        days += [a.taken_on for tried in attempts.values() for a in tried]
        start = min(days, default=min(date(today.year, 1, 1), end))

    report_rows = session.execute(
        select(StudyReport)
        .where(StudyReport.member_id == member.id, StudyReport.year.between(start.year, end.year))
        .order_by(StudyReport.year, StudyReport.half)
    ).scalars()
    filed = [
        reports.to_read(r, member.name)
        for r in report_rows
        if report_span(r.year, r.half)[0] <= end and report_span(r.year, r.half)[1] >= start
    ]

    by_year = []
    for y in range(start.year, end.year + 1):
        facts = study_facts(session, scope, [member.id], max(start, date(y, 1, 1)), min(end, date(y, 12, 31)))
        by_year.append(StudyArchiveYear(year=y, **_totals(facts[member.id])))

    return StudyArchive(
        member=StudyArchiveMember(id=member.id, name=member.name, org_id=member.org_id, org_name=org_name),
        start=start,
        end=end,
        totals=StudyArchiveTotals(**_totals(study_facts(session, scope, [member.id], start, end)[member.id])),
        by_year=by_year,
        activities=attended,
        absences=[a for a in attended if a.status is not AttendanceStatus.PRESENT],
        makeups=makeups,
        exams=[
            StudyArchiveExam(
                exam_id=exam.id,
                title=exam.title,
                activity_id=activity.id,
                activity_topic=activity.topic,
                max_score=exam.max_score,
                pass_mark=exam.pass_mark,
                attempts=attempts[exam.id],
                passed=any(a.passed for a in attempts[exam.id]),
            )
            for exam, activity in exams.values()
        ],
        reports=filed,
    )
