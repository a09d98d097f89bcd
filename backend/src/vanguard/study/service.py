"""Study records (学习教育): activities, attendance, make-up study and exams (凡训必考).

An activity belongs to an organisation, so a caller sees it exactly when they see the org: every
query starts from `_readable(scope)`. Who is expected (and who may be marked) is the roll of the
activity's org and its subtree; a Party group (党小组) holds no roll, so a group's activity covers
its parent branch's roll. "A member at that date" is the current roll plus those who left on or
after the activity's day (a member who left before it is refused); join dates are not consulted.
Activity days are counted in China Standard Time (UTC+8, no daylight saving).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from vanguard.core.errors import Conflict, FieldError, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Scope
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation, OrgKind
from vanguard.study.models import (
    TRAINING_KINDS,
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Exam,
    ExamAttempt,
    Makeup,
)
from vanguard.study.schemas import (
    ActivityCreate,
    ActivityRead,
    ActivityUpdate,
    AttendanceBulk,
    AttendanceRead,
    ExamCreate,
    ExamRead,
    ExamResult,
    MakeupCreate,
    MakeupRead,
    ScoreBulk,
)

CST = timezone(timedelta(hours=8))
_ID_CHUNK = 1000


class ActivityNotFound(NotFound):
    code = "activity_not_found"
    message_zh = "学习活动不存在或不在您的管理范围内"
    message_en = "Study activity not found, or outside your scope"


class ExamNotFound(NotFound):
    code = "exam_not_found"
    message_zh = "考试不存在或不在您的管理范围内"
    message_en = "Exam not found, or outside your scope"


class DuplicateActivity(Conflict):
    code = "duplicate_activity"
    message_zh = "该组织在同一时间已有同类活动"
    message_en = "The organisation already has an activity of this kind starting at this time"


class ActivityInFuture(Conflict):
    code = "activity_in_future"
    message_zh = "活动尚未开始，不能登记考勤或成绩"
    message_en = "The activity has not started yet; attendance and scores cannot be recorded"


class NotATraining(Conflict):
    code = "activity_not_a_training"
    message_zh = "只有培训班和网络课程可以设置考试"
    message_en = "Only training classes and online courses have exams"


class NotAbsent(Conflict):
    code = "makeup_not_needed"
    message_zh = "只有缺席或请假的党员需要补学"
    message_en = "Only a member recorded absent or on leave makes up a study"


class BadStudyInput(InvalidInput):
    code = "study_input_invalid"
    message_zh = "学习记录有误"
    message_en = "Invalid study record"


def _field(path: str, code: str, message: str) -> FieldError:
    return FieldError(field=path, code=code, message=message)


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise BadStudyInput(
            "学习记录有误：" + "；".join(e.message for e in errors),
            "Invalid study record: " + "; ".join(e.message for e in errors),
            code=errors[0].code,
            errors=errors,
        )


def local_day(at: datetime) -> date:
    return at.astimezone(CST).date()


# --- activities --------------------------------------------------------------------------------


def _readable(scope: Scope) -> Select[Any]:
    return (
        select(Activity)
        .join(Organisation, Organisation.id == Activity.org_id)
        .where(scope.clause(Organisation.path))
    )


def to_read(activity: Activity) -> ActivityRead:
    return ActivityRead.model_validate(activity)


def get_activity(session: Session, scope: Scope, activity_id: int, *, for_update: bool = False) -> Activity:
    stmt = _readable(scope).where(Activity.id == activity_id)
    if for_update:
        stmt = stmt.with_for_update(of=Activity)
    activity: Activity | None = session.scalars(stmt).one_or_none()
    if activity is None:
        raise ActivityNotFound()
    return activity


def _ensure_unique(
    session: Session, org_id: int, kind: ActivityKind, starts_at: datetime, own_id: int | None
) -> None:
    holder = session.scalar(
        select(Activity.id).where(
            Activity.org_id == org_id, Activity.kind == kind, Activity.starts_at == starts_at
        )
    )
    if holder is not None and holder != own_id:
        raise DuplicateActivity()


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def create_activity(session: Session, scope: Scope, data: ActivityCreate) -> Activity:
    org = orgs.get(session, scope, data.org_id)
    starts_at = _utc(data.starts_at)
    _ensure_unique(session, org.id, data.kind, starts_at, None)
    activity = Activity(
        org_id=org.id,
        kind=data.kind,
        starts_at=starts_at,
        place=data.place,
        topic=data.topic,
        content=data.content,
        presenter=data.presenter,
        hours=data.hours,
        materials=[str(link) for link in data.materials],
    )
    session.add(activity)
    session.flush()
    return activity


def update_activity(
    session: Session, scope: Scope, activity_id: int, data: ActivityUpdate, if_match: str | None
) -> Activity:
    activity = get_activity(session, scope, activity_id, for_update=True)
    check_if_match(if_match, activity.version)
    changes = data.model_dump(exclude_unset=True)
    for required in ("starts_at", "topic", "hours", "materials"):
        if required in changes and changes[required] is None:
            raise InvalidInput(f"{required} 不能为空", f"{required} cannot be null")
    if "starts_at" in changes:
        changes["starts_at"] = _utc(changes["starts_at"])
        _ensure_unique(session, activity.org_id, activity.kind, changes["starts_at"], activity.id)
    if "materials" in changes:
        changes["materials"] = [str(link) for link in data.materials or []]
    for key, value in changes.items():
        setattr(activity, key, value)
    session.flush()
    return activity


def list_activities(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    kind: ActivityKind | None,
    start: date | None,
    end: date | None,
    cursor: str | None,
    limit: int,
) -> Page[ActivityRead]:
    """Activities in the caller's scope, narrowed to an org's subtree, a kind and days (CST, inclusive)."""
    stmt = _readable(scope)
    if org_id is not None:
        org = orgs.get(session, scope, org_id)
        stmt = stmt.where(Organisation.path.like(org.path + "%"))
    if kind is not None:
        stmt = stmt.where(Activity.kind == kind)
    if start is not None:
        stmt = stmt.where(Activity.starts_at >= datetime.combine(start, time(), CST))
    if end is not None:
        stmt = stmt.where(Activity.starts_at < datetime.combine(end + timedelta(days=1), time(), CST))
    return paginate_by_id(
        session, stmt, Activity.id, cursor=cursor, limit=limit, to_item=lambda row: to_read(row[0])
    )


# --- who is expected ---------------------------------------------------------------------------


def _roll_path(session: Session, activity: Activity) -> str:
    org = session.get_one(Organisation, activity.org_id)
    if org.kind is OrgKind.GROUP and org.parent_id is not None:
        org = session.get_one(Organisation, org.parent_id)
    return org.path


def _expected(session: Session, activity: Activity) -> Select[Any]:
    """The members expected at the activity: see the module docstring."""
    day = local_day(activity.starts_at)
    return (
        select(Member)
        .join(Organisation, Organisation.id == Member.org_id)
        .where(
            Organisation.path.like(_roll_path(session, activity) + "%"),
            or_(Member.status == MemberStatus.NORMAL, Member.left_on >= day),
        )
    )


def _expected_ids(session: Session, activity: Activity, wanted: Iterable[int]) -> set[int]:
    ids = sorted(set(wanted))
    found: set[int] = set()
    base = _expected(session, activity).with_only_columns(Member.id)
    for i in range(0, len(ids), _ID_CHUNK):
        found.update(session.scalars(base.where(Member.id.in_(ids[i : i + _ID_CHUNK]))))
    return found


def _not_member(path: str, member_id: int) -> FieldError:
    return _field(
        path, "not_a_member", f"member {member_id} is not on the roll of this organisation at that date"
    )


def _ensure_started(activity: Activity, now: datetime | None) -> None:
    if activity.starts_at > (now or datetime.now(UTC)):
        raise ActivityInFuture()


# --- attendance --------------------------------------------------------------------------------


def set_attendance(
    session: Session, scope: Scope, activity_id: int, data: AttendanceBulk, *, now: datetime | None = None
) -> list[AttendanceRead]:
    """Record or correct the given members' attendance, all or nothing."""
    activity = get_activity(session, scope, activity_id, for_update=True)
    _ensure_started(activity, now)
    expected = _expected_ids(session, activity, (e.member_id for e in data.entries))
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, entry in enumerate(data.entries):
        at = f"body.entries.{i}"
        if entry.member_id in seen:
            errors.append(
                _field(f"{at}.member_id", "duplicate_member", f"member {entry.member_id} is listed twice")
            )
        seen.add(entry.member_id)
        if entry.member_id not in expected:
            errors.append(_not_member(f"{at}.member_id", entry.member_id))
        if entry.status is AttendanceStatus.EXCUSED and not entry.leave_reason:
            errors.append(
                _field(
                    f"{at}.leave_reason",
                    "leave_reason_required",
                    f"member {entry.member_id}: leave needs a reason",
                )
            )
    _raise_if(errors)
    existing = {
        row.member_id: row
        for row in session.scalars(
            select(Attendance).where(Attendance.activity_id == activity.id, Attendance.member_id.in_(seen))
        )
    }
    for entry in data.entries:
        reason = entry.leave_reason if entry.status is not AttendanceStatus.PRESENT else None
        row = existing.get(entry.member_id)
        if row is None:
            session.add(
                Attendance(
                    activity=activity, member_id=entry.member_id, status=entry.status, leave_reason=reason
                )
            )
        elif (row.status, row.leave_reason) != (entry.status, reason):
            row.status, row.leave_reason = entry.status, reason
    session.flush()
    return list_attendance(session, scope, activity_id)


def list_attendance(session: Session, scope: Scope, activity_id: int) -> list[AttendanceRead]:
    """Every expected member, and anyone recorded, with their status (null while unrecorded)."""
    activity = get_activity(session, scope, activity_id)
    people: dict[int, str] = {m.id: m.name for m in session.scalars(_expected(session, activity))}
    rows = {
        a.member_id: a
        for a in session.scalars(select(Attendance).where(Attendance.activity_id == activity.id))
    }
    missing = set(rows) - set(people)
    if missing:
        people.update(session.execute(select(Member.id, Member.name).where(Member.id.in_(missing))))
    made_up = set(session.scalars(select(Makeup.member_id).where(Makeup.activity_id == activity.id)))
    result = []
    for member_id in sorted(people):
        row = rows.get(member_id)
        result.append(
            AttendanceRead(
                member_id=member_id,
                member_name=people[member_id],
                status=row.status if row else None,
                leave_reason=row.leave_reason if row else None,
                made_up=member_id in made_up,
            )
        )
    return result


def create_makeup(
    session: Session, scope: Scope, activity_id: int, data: MakeupCreate, *, today: date | None = None
) -> Makeup:
    """补学 by a member recorded absent or on leave, on or after the activity's day."""
    activity = get_activity(session, scope, activity_id, for_update=True)
    row = session.scalar(
        select(Attendance).where(
            Attendance.activity_id == activity.id, Attendance.member_id == data.member_id
        )
    )
    if row is None or row.status is AttendanceStatus.PRESENT:
        raise NotAbsent()
    today = today or datetime.now(CST).date()
    if data.studied_on < local_day(activity.starts_at) or data.studied_on > today:
        _raise_if(
            [
                _field(
                    "body.studied_on",
                    "makeup_date_invalid",
                    "make-up must fall between the activity and today",
                )
            ]
        )
    makeup = Makeup(
        activity=activity,
        member_id=data.member_id,
        studied_on=data.studied_on,
        method=data.method,
        hours=data.hours,
    )
    session.add(makeup)
    session.flush()
    return makeup


def makeup_to_read(makeup: Makeup) -> MakeupRead:
    return MakeupRead.model_validate(makeup)


# --- exams -------------------------------------------------------------------------------------


def exam_to_read(exam: Exam) -> ExamRead:
    return ExamRead.model_validate(exam)


def create_exam(session: Session, scope: Scope, activity_id: int, data: ExamCreate) -> Exam:
    activity = get_activity(session, scope, activity_id)
    if activity.kind not in TRAINING_KINDS:
        raise NotATraining()
    if data.pass_mark > data.max_score:
        _raise_if(
            [_field("body.pass_mark", "pass_mark_above_max", "the pass mark cannot exceed the maximum score")]
        )
    exam = Exam(activity=activity, title=data.title, max_score=data.max_score, pass_mark=data.pass_mark)
    session.add(exam)
    session.flush()
    return exam


def get_exam(session: Session, scope: Scope, exam_id: int, *, for_update: bool = False) -> Exam:
    stmt = (
        select(Exam)
        .join(Activity, Activity.id == Exam.activity_id)
        .join(Organisation, Organisation.id == Activity.org_id)
        .where(scope.clause(Organisation.path), Exam.id == exam_id)
    )
    if for_update:
        stmt = stmt.with_for_update(of=Exam)
    exam: Exam | None = session.scalars(stmt).one_or_none()
    if exam is None:
        raise ExamNotFound()
    return exam


def _attempts(session: Session, exam: Exam) -> dict[int, list[int]]:
    scores: dict[int, list[int]] = defaultdict(list)
    rows = session.execute(
        select(ExamAttempt.member_id, ExamAttempt.score)
        .where(ExamAttempt.exam_id == exam.id)
        .order_by(ExamAttempt.member_id, ExamAttempt.attempt)
    )
    for member_id, score in rows:
        scores[member_id].append(score)
    return scores


def record_scores(
    session: Session, scope: Scope, exam_id: int, data: ScoreBulk, *, now: datetime | None = None
) -> list[ExamResult]:
    """Each entry is the member's next attempt (the first sitting, or a retake after failing)."""
    exam = get_exam(session, scope, exam_id, for_update=True)  # the lock serialises attempt numbering
    activity = exam.activity
    _ensure_started(activity, now)
    today = (now or datetime.now(UTC)).astimezone(CST).date()
    expected = _expected_ids(session, activity, (s.member_id for s in data.scores))
    history = _attempts(session, exam)
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, entry in enumerate(data.scores):
        at = f"body.scores.{i}"
        if entry.member_id in seen:
            errors.append(
                _field(f"{at}.member_id", "duplicate_member", f"member {entry.member_id} is listed twice")
            )
        seen.add(entry.member_id)
        if entry.member_id not in expected:
            errors.append(_not_member(f"{at}.member_id", entry.member_id))
        elif any(s >= exam.pass_mark for s in history.get(entry.member_id, [])):
            errors.append(
                _field(f"{at}.member_id", "already_passed", f"member {entry.member_id} has already passed")
            )
        if entry.score > exam.max_score:
            errors.append(
                _field(f"{at}.score", "score_above_max", f"member {entry.member_id}: score above maximum")
            )
        if entry.taken_on is not None and (
            entry.taken_on > today or entry.taken_on < local_day(activity.starts_at)
        ):
            errors.append(
                _field(f"{at}.taken_on", "taken_on_invalid", f"member {entry.member_id}: date out of range")
            )
    _raise_if(errors)
    for entry in data.scores:
        session.add(
            ExamAttempt(
                exam=exam,
                member_id=entry.member_id,
                attempt=len(history.get(entry.member_id, [])) + 1,
                score=entry.score,
                taken_on=entry.taken_on or today,
            )
        )
    session.flush()
    return exam_results(session, scope, exam.id)


def exam_results(session: Session, scope: Scope, exam_id: int) -> list[ExamResult]:
    """Every expected member and anyone who sat the exam: attempts, best score, passed."""
    exam = get_exam(session, scope, exam_id)
    history = _attempts(session, exam)
    people = set(session.scalars(_expected(session, exam.activity).with_only_columns(Member.id))) | set(
        history
    )
    results = []
    for member_id in sorted(people):
        scores = history.get(member_id, [])
        passed = any(s >= exam.pass_mark for s in scores)
        results.append(
            ExamResult(
                member_id=member_id,
                attempts=len(scores),
                best_score=max(scores) if scores else None,
                passed=passed,
                training_complete=passed,
            )
        )
    return results


# --- for the archive and scoring ---------------------------------------------------------------


@dataclass(slots=True)
class StudyFacts:
    """One member's study between two days: hours by kind (attended plus make-up), counts, exams."""

    member_id: int
    hours_by_kind: dict[ActivityKind, Decimal] = field(default_factory=dict)
    attended: int = 0
    absent: int = 0
    excused: int = 0
    exams_passed: int = 0
    exams_failed: int = 0

    def add_hours(self, kind: ActivityKind, hours: Decimal) -> None:
        self.hours_by_kind[kind] = self.hours_by_kind.get(kind, Decimal(0)) + hours


def study_facts(
    session: Session, scope: Scope, member_ids: Iterable[int], start: date, end: date
) -> dict[int, StudyFacts]:
    """Facts for each requested member the caller can see, for activities held from `start` to `end`
    (CST days, inclusive). Make-up hours count under the made-up activity's kind. An exam counts as
    passed when any attempt passed, failed when the member sat it and never passed. Members outside
    the scope are left out, never reported as "no study"."""
    wanted = sorted(set(member_ids))
    lo = datetime.combine(start, time(), CST)
    hi = datetime.combine(end + timedelta(days=1), time(), CST)
    in_range = (Activity.starts_at >= lo, Activity.starts_at < hi)
    facts: dict[int, StudyFacts] = {}
    for i in range(0, len(wanted), _ID_CHUNK):
        chunk = wanted[i : i + _ID_CHUNK]
        visible = members.readable(scope).with_only_columns(Member.id).where(Member.id.in_(chunk))
        for member_id in session.scalars(visible):
            facts[member_id] = StudyFacts(member_id)
        rows = session.execute(
            select(Attendance.member_id, Attendance.status, Activity.kind, Activity.hours)
            .join(Activity, Activity.id == Attendance.activity_id)
            .where(Attendance.member_id.in_(visible), *in_range)
        )
        for member_id, status, kind, hours in rows:
            f = facts[member_id]
            if status is AttendanceStatus.PRESENT:
                f.attended += 1
                f.add_hours(kind, hours)
            elif status is AttendanceStatus.EXCUSED:
                f.excused += 1
            else:
                f.absent += 1
        makeups = session.execute(
            select(Makeup.member_id, Activity.kind, Makeup.hours)
            .join(Activity, Activity.id == Makeup.activity_id)
            .where(Makeup.member_id.in_(visible), *in_range)
        )
        for member_id, kind, hours in makeups:
            facts[member_id].add_hours(kind, hours)
        exams = session.execute(
            select(ExamAttempt.member_id, Exam.id, func.max(ExamAttempt.score), Exam.pass_mark)
            .join(Exam, Exam.id == ExamAttempt.exam_id)
            .join(Activity, Activity.id == Exam.activity_id)
            .where(ExamAttempt.member_id.in_(visible), *in_range)
            .group_by(ExamAttempt.member_id, Exam.id, Exam.pass_mark)
        )
        for member_id, _exam_id, best, pass_mark in exams:
            if best >= pass_mark:
                facts[member_id].exams_passed += 1
            else:
                facts[member_id].exams_failed += 1
    return dict(sorted(facts.items()))
