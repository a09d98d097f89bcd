"""study_facts: what the archive and scoring read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from tests.world import World
from vanguard.core.permissions import Scope
from vanguard.members.models import Member
from vanguard.study import service
from vanguard.study.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Exam,
    ExamAttempt,
    Makeup,
)


def test_study_facts_sums_hours_counts_and_exams(
    session: Session,
    world: World,
    add_activity: Callable[..., Activity],
    add_member: Callable[..., Member],
    exam: Exam,
) -> None:
    a, b = add_member(name="甲"), add_member(name="乙")
    outsider = add_member(org="branch_b1", name="外支部")
    meeting = add_activity()
    lecture = add_activity(kind=ActivityKind.PARTY_LECTURE)
    old = add_activity(starts_at=datetime(2025, 3, 1, 1, 0, tzinfo=UTC))
    session.add_all(
        [
            Attendance(activity=meeting, member_id=a.id, status=AttendanceStatus.PRESENT),
            Attendance(activity=lecture, member_id=a.id, status=AttendanceStatus.PRESENT),
            Attendance(activity=old, member_id=a.id, status=AttendanceStatus.PRESENT),
            Attendance(
                activity=meeting, member_id=b.id, status=AttendanceStatus.EXCUSED, leave_reason="病假"
            ),
            Attendance(activity=lecture, member_id=b.id, status=AttendanceStatus.ABSENT),
            Makeup(
                activity=lecture,
                member_id=b.id,
                studied_on=date(2026, 3, 3),
                method="自学",
                hours=Decimal("1.5"),
            ),
            ExamAttempt(exam=exam, member_id=a.id, attempt=1, score=50, taken_on=date(2026, 3, 1)),
            ExamAttempt(exam=exam, member_id=a.id, attempt=2, score=75, taken_on=date(2026, 3, 8)),
            ExamAttempt(exam=exam, member_id=b.id, attempt=1, score=30, taken_on=date(2026, 3, 1)),
        ]
    )
    session.commit()
    scope = Scope(world.orgs["branch_a1"].path)
    facts = service.study_facts(
        session, scope, [a.id, b.id, outsider.id], date(2026, 1, 1), date(2026, 12, 31)
    )
    assert set(facts) == {a.id, b.id}  # the outsider is not visible, so not reported
    fa, fb = facts[a.id], facts[b.id]
    assert fa.hours_by_kind == {
        ActivityKind.BRANCH_MEETING: Decimal("2.0"),
        ActivityKind.PARTY_LECTURE: Decimal("2.0"),
    }
    assert (fa.attended, fa.absent, fa.excused, fa.exams_passed, fa.exams_failed) == (2, 0, 0, 1, 0)
    assert fb.hours_by_kind == {ActivityKind.PARTY_LECTURE: Decimal("1.5")}
    assert (fb.attended, fb.absent, fb.excused, fb.exams_passed, fb.exams_failed) == (0, 1, 1, 0, 1)
