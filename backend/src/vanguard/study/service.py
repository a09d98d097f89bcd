"""Study records (学习教育): activities, attendance, make-up study and exams (凡训必考).

An activity belongs to an organisation, so a caller sees it exactly when they see the org: every
query starts from `_readable(scope)`. Who is expected (and who may be marked) is the roll of the
activity's org and its subtree; a Party group (党小组) holds no roll, so a group's activity covers
its parent branch's roll. "A member at that date" is the current roll plus those who left on or
after the activity's day (a member who left before it is refused); join dates are not consulted.
An activity may instead name its expected attendees (a training for selected members): then only
those of them on that roll are expected. `expected_member_ids` is the one place that applies this.
Activity days are counted in China Standard Time (UTC+8, no daylight saving).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from vanguard.attachments.service import attachments_for_link
from vanguard.core.clock import CST, local_today
from vanguard.core.errors import Conflict, FieldError, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_sorted
from vanguard.core.permissions import Scope, in_subtree
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation, OrgKind
from vanguard.study.models import (
    TRAINING_KINDS,
    WHOLE_YEAR,
    Activity,
    ActivityAttendee,
    ActivityKind,
    ActivityMaterial,
    Attendance,
    AttendanceStatus,
    Exam,
    ExamAttempt,
    Makeup,
    ReportGrade,
    StudyReport,
    report_span,
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
    ExamUpdate,
    MakeupCreate,
    MakeupRead,
    MakeupUpdate,
    ScoreBulk,
)

_ID_CHUNK = 1000
_ROOT_CHUNK = 200  # path prefixes OR-ed in one query: SQLite limits expression depth to 1000


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


class StartAfterRecords(Conflict):
    code = "activity_start_after_records"
    message_zh = "活动已登记考勤或成绩，开始时间不能改到将来"
    message_en = "Attendance or scores are recorded; the start cannot move into the future"


class ExamHasAttempts(Conflict):
    code = "exam_has_attempts"
    message_zh = "已有党员参加考试，满分和及格线不能再修改"
    message_en = "Members have sat the exam; its maximum score and pass mark are fixed"


class MakeupNotFound(NotFound):
    code = "makeup_not_found"
    message_zh = "补学记录不存在或不在您的管理范围内"
    message_en = "Make-up study not found, or outside your scope"


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


def _field(path: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError.of(path, code, zh, en)


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise BadStudyInput(
            "学习记录有误：" + "；".join(e.message for e in errors),
            "Invalid study record: " + "; ".join(e.message for e in errors),
            code=errors[0].code,
            errors=errors,
        )


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
    if data.expected_member_ids is not None:
        _check_expected_list(session, org.id, starts_at, data.expected_member_ids)
    files = attachments_for_link(session, scope, data.attachment_ids, org.id)
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
        expected=[ActivityAttendee(member_id=m) for m in data.expected_member_ids or []],
        files=[ActivityMaterial(attachment=f) for f in files],
    )
    session.add(activity)
    session.flush()
    return activity


def _has_records(session: Session, activity: Activity) -> bool:
    attendance = select(Attendance.id).where(Attendance.activity_id == activity.id).limit(1)
    attempts = (
        select(ExamAttempt.id)
        .join(Exam, Exam.id == ExamAttempt.exam_id)
        .where(Exam.activity_id == activity.id)
        .limit(1)
    )
    return session.scalar(attendance) is not None or session.scalar(attempts) is not None


def update_activity(
    session: Session,
    scope: Scope,
    activity_id: int,
    data: ActivityUpdate,
    if_match: str | None,
    *,
    now: datetime | None = None,
) -> Activity:
    activity = get_activity(session, scope, activity_id, for_update=True)
    check_if_match(if_match, activity.version)
    changes = data.model_dump(exclude_unset=True)
    for required in ("starts_at", "topic", "hours", "materials", "attachment_ids"):
        if required in changes and changes[required] is None:
            raise InvalidInput(f"{required} 不能为空", f"{required} cannot be null")
    if "starts_at" in changes:
        changes["starts_at"] = _utc(changes["starts_at"])
        _ensure_unique(session, activity.org_id, activity.kind, changes["starts_at"], activity.id)
        # Recorded attendance or scores say it took place: it cannot start in the future.
        if changes["starts_at"] > (now or datetime.now(UTC)) and _has_records(session, activity):
            raise StartAfterRecords()
    if "materials" in changes:
        changes["materials"] = [str(link) for link in data.materials or []]
    if "attachment_ids" in changes:
        files = attachments_for_link(session, scope, changes.pop("attachment_ids"), activity.org_id)
        kept_files = {row.attachment_id: row for row in activity.files}
        activity.files = [kept_files.get(f.id) or ActivityMaterial(attachment=f) for f in files]
    expected = changes.pop("expected_member_ids", activity.expected_member_ids)
    if expected and ("expected_member_ids" in data.model_fields_set or "starts_at" in changes):
        _check_expected_list(session, activity.org_id, changes.get("starts_at", activity.starts_at), expected)
    for key, value in changes.items():
        setattr(activity, key, value)
    if "expected_member_ids" in data.model_fields_set:
        # Keep unchanged rows: re-adding a removed (activity, member) key in one flush would collide.
        kept = {row.member_id: row for row in activity.expected if row.member_id in set(expected or [])}
        activity.expected = [kept.get(m) or ActivityAttendee(member_id=m) for m in expected or []]
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
    """Activities in the caller's scope, narrowed to an org's subtree, a kind and days (CST, inclusive);
    the latest held first, as a meeting ledger is read."""
    stmt = _readable(orgs.narrowed(session, scope, org_id))
    if kind is not None:
        stmt = stmt.where(Activity.kind == kind)
    if start is not None:
        stmt = stmt.where(Activity.starts_at >= datetime.combine(start, time(), CST))
    if end is not None:
        stmt = stmt.where(Activity.starts_at < datetime.combine(end + timedelta(days=1), time(), CST))
    return paginate_sorted(
        session,
        stmt,
        Activity.starts_at.expression,
        Activity.id,
        descending=True,
        cursor=cursor,
        limit=limit,
        key=lambda row: (row[0].starts_at, row[0].id),
        to_item=lambda row: to_read(row[0]),
    )


# --- who is expected ---------------------------------------------------------------------------


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), _ID_CHUNK):
        yield ordered[i : i + _ID_CHUNK]


def _roll_paths(session: Session, org_ids: Iterable[int]) -> dict[int, str]:
    """For each org: the path whose roll its activities cover (a Party group's is its parent branch's)."""
    rows: list[tuple[int, OrgKind, int | None, str]] = []
    for chunk in _chunks(org_ids):
        rows.extend(
            session.execute(
                select(Organisation.id, Organisation.kind, Organisation.parent_id, Organisation.path).where(
                    Organisation.id.in_(chunk)
                )
            )
        )
    parents = {parent for _, kind, parent, _ in rows if kind is OrgKind.GROUP and parent is not None}
    parent_paths: dict[int, str] = {}
    for chunk in _chunks(parents):
        parent_paths.update(
            (org_id, path)
            for org_id, path in session.execute(
                select(Organisation.id, Organisation.path).where(Organisation.id.in_(chunk))
            )
        )
    return {
        org_id: parent_paths[parent] if kind is OrgKind.GROUP and parent is not None else path
        for org_id, kind, parent, path in rows
    }


def _rolls(session: Session, roots: set[str]) -> dict[str, list[tuple[int, date | None]]]:
    """For each roll path: its members as (id, left_on), left_on None while still on the roll.
    Members who left without a date are never on a roll at any date, so they are not loaded."""
    outermost = [r for r in sorted(roots) if not any(r != o and in_subtree(r, o) for o in roots)]
    by_org_path: dict[str, list[tuple[int, date | None]]] = defaultdict(list)
    for i in range(0, len(outermost), _ROOT_CHUNK):
        rows = session.execute(
            select(Member.id, Organisation.path, Member.status, Member.left_on)
            .join(Organisation, Organisation.id == Member.org_id)
            .where(
                or_(*(Organisation.path.like(r + "%") for r in outermost[i : i + _ROOT_CHUNK])),
                or_(Member.status == MemberStatus.NORMAL, Member.left_on.is_not(None)),
            )
        )
        for member_id, path, status, left_on in rows:
            by_org_path[path].append((member_id, None if status is MemberStatus.NORMAL else left_on))
    return {
        root: [m for path, members in by_org_path.items() if in_subtree(path, root) for m in members]
        for root in roots
    }


def _on_roll(roll: list[tuple[int, date | None]], day: date) -> set[int]:
    return {member_id for member_id, left_on in roll if left_on is None or left_on >= day}


def expected_member_ids(session: Session, activities: Sequence[Activity]) -> dict[int, set[int]]:
    """Who is expected at each activity, by activity id: the one rule behind attendance, scores and rates.

    The roll of the activity's org at the activity's day (see the module docstring), narrowed to the
    activity's explicit list of expected attendees when it has one. Bulk: a handful of queries however
    many activities (the explicit lists come with the activities, loaded together)."""
    if not activities:
        return {}
    paths = _roll_paths(session, {a.org_id for a in activities})
    rolls = _rolls(session, set(paths.values()))
    result: dict[int, set[int]] = {}
    for activity in activities:
        on_roll = _on_roll(rolls[paths[activity.org_id]], local_today(activity.starts_at))
        chosen = activity.expected_member_ids
        result[activity.id] = on_roll & set(chosen) if chosen else on_roll
    return result


def expected_counts(session: Session, activities: Sequence[Activity]) -> dict[int, int]:
    """The number of expected attendees per activity id: the denominator of attendance rates."""
    return {activity_id: len(ids) for activity_id, ids in expected_member_ids(session, activities).items()}


def _check_expected_list(session: Session, org_id: int, starts_at: datetime, ids: list[int]) -> None:
    """An explicit list may name only members on the org's roll at the activity's day (422 naming them)."""
    path = _roll_paths(session, [org_id])[org_id]
    on_roll = _on_roll(_rolls(session, {path})[path], local_today(starts_at))
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, member_id in enumerate(ids):
        at = f"body.expected_member_ids.{i}"
        if member_id in seen:
            listed_twice = f"member {member_id} is listed twice"
            errors.append(_field(at, "duplicate_member", f"党员 {member_id} 重复列出", listed_twice))
        seen.add(member_id)
        if member_id not in on_roll:
            errors.append(_not_member(at, member_id))
    _raise_if(errors)


def _not_member(path: str, member_id: int) -> FieldError:
    return _field(
        path,
        "not_a_member",
        f"党员 {member_id} 当日不在本组织党员名册中",
        f"member {member_id} is not on the roll of this organisation at that date",
    )


def _not_expected(path: str, activity: Activity, member_id: int) -> FieldError:
    if activity.expected_member_ids:
        return _field(
            path,
            "not_expected",
            f"党员 {member_id} 不在本次活动的应参加人员名单中",
            f"member {member_id} is not on this activity's list of expected attendees",
        )
    return _not_member(path, member_id)


def _ensure_started(activity: Activity, now: datetime | None) -> None:
    if activity.starts_at > (now or datetime.now(UTC)):
        raise ActivityInFuture()


# --- attendance --------------------------------------------------------------------------------


def set_attendance(
    session: Session, scope: Scope, activity_id: int, data: AttendanceBulk, *, now: datetime | None = None
) -> None:
    """Record or correct the given members' attendance, all or nothing. Returns nothing: the importer
    records a row at a time and must not read the whole list back each time (`list_attendance` does)."""
    activity = get_activity(session, scope, activity_id, for_update=True)
    _ensure_started(activity, now)
    expected = expected_member_ids(session, [activity])[activity.id]
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, entry in enumerate(data.entries):
        at = f"body.entries.{i}"
        if entry.member_id in seen:
            errors.append(
                _field(
                    f"{at}.member_id",
                    "duplicate_member",
                    f"党员 {entry.member_id} 重复列出",
                    f"member {entry.member_id} is listed twice",
                )
            )
        seen.add(entry.member_id)
        if entry.member_id not in expected:
            errors.append(_not_expected(f"{at}.member_id", activity, entry.member_id))
        if entry.status is AttendanceStatus.EXCUSED and not entry.leave_reason:
            errors.append(
                _field(
                    f"{at}.leave_reason",
                    "leave_reason_required",
                    f"党员 {entry.member_id}：请假须注明事由",
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


def list_attendance(session: Session, scope: Scope, activity_id: int) -> list[AttendanceRead]:
    """Every expected member, and anyone recorded, with their status (null while unrecorded)."""
    activity = get_activity(session, scope, activity_id)
    rows = {
        a.member_id: a
        for a in session.scalars(select(Attendance).where(Attendance.activity_id == activity.id))
    }
    people: dict[int, str] = {}
    for chunk in _chunks(expected_member_ids(session, [activity])[activity.id] | set(rows)):
        people.update(
            (member_id, name)
            for member_id, name in session.execute(select(Member.id, Member.name).where(Member.id.in_(chunk)))
        )
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
    _check_makeup_day(activity, data.studied_on, today)
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


def _check_makeup_day(activity: Activity, studied_on: date, today: date | None) -> None:
    today = today or local_today()
    if studied_on < local_today(activity.starts_at) or studied_on > today:
        _raise_if(
            [
                _field(
                    "body.studied_on",
                    "makeup_date_invalid",
                    "补学日期须在活动之后、今天之前",
                    "make-up must fall between the activity and today",
                )
            ]
        )


def get_makeup(session: Session, scope: Scope, makeup_id: int, *, for_update: bool = False) -> Makeup:
    stmt = (
        select(Makeup)
        .join(Activity, Activity.id == Makeup.activity_id)
        .join(Organisation, Organisation.id == Activity.org_id)
        .where(scope.clause(Organisation.path), Makeup.id == makeup_id)
    )
    if for_update:
        stmt = stmt.with_for_update(of=Makeup)
    makeup: Makeup | None = session.scalars(stmt).one_or_none()
    if makeup is None:
        raise MakeupNotFound()
    return makeup


def update_makeup(
    session: Session,
    scope: Scope,
    makeup_id: int,
    data: MakeupUpdate,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Makeup:
    makeup = get_makeup(session, scope, makeup_id, for_update=True)
    check_if_match(if_match, makeup.version)
    changes = data.model_dump(exclude_unset=True)
    for required in ("studied_on", "method", "hours"):
        if required in changes and changes[required] is None:
            raise InvalidInput(f"{required} 不能为空", f"{required} cannot be null")
    if "studied_on" in changes:
        _check_makeup_day(makeup.activity, changes["studied_on"], today)
    for key, value in changes.items():
        setattr(makeup, key, value)
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
            [
                _field(
                    "body.pass_mark",
                    "pass_mark_above_max",
                    "及格分不能高于满分",
                    "the pass mark cannot exceed the maximum score",
                )
            ]
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


def update_exam(session: Session, scope: Scope, exam_id: int, data: ExamUpdate, if_match: str | None) -> Exam:
    exam = get_exam(session, scope, exam_id, for_update=True)
    check_if_match(if_match, exam.version)
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        if value is None:
            raise InvalidInput(f"{key} 不能为空", f"{key} cannot be null")
    marks = {k: v for k, v in changes.items() if k in ("max_score", "pass_mark") and v != getattr(exam, k)}
    if marks and session.scalar(select(ExamAttempt.id).where(ExamAttempt.exam_id == exam.id).limit(1)):
        raise ExamHasAttempts()  # a new pass mark would silently regrade every attempt
    if changes.get("pass_mark", exam.pass_mark) > changes.get("max_score", exam.max_score):
        _raise_if(
            [
                _field(
                    "body.pass_mark",
                    "pass_mark_above_max",
                    "及格分不能高于满分",
                    "the pass mark cannot exceed the maximum score",
                )
            ]
        )
    for key, value in changes.items():
        setattr(exam, key, value)
    session.flush()
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
    today = local_today(now)
    expected = expected_member_ids(session, [activity])[activity.id]
    history = _attempts(session, exam)
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, entry in enumerate(data.scores):
        at = f"body.scores.{i}"
        if entry.member_id in seen:
            errors.append(
                _field(
                    f"{at}.member_id",
                    "duplicate_member",
                    f"党员 {entry.member_id} 重复列出",
                    f"member {entry.member_id} is listed twice",
                )
            )
        seen.add(entry.member_id)
        if entry.member_id not in expected:
            errors.append(_not_expected(f"{at}.member_id", activity, entry.member_id))
        elif any(s >= exam.pass_mark for s in history.get(entry.member_id, [])):
            errors.append(
                _field(
                    f"{at}.member_id",
                    "already_passed",
                    f"党员 {entry.member_id} 已考试合格",
                    f"member {entry.member_id} has already passed",
                )
            )
        if entry.score > exam.max_score:
            errors.append(
                _field(
                    f"{at}.score",
                    "score_above_max",
                    f"党员 {entry.member_id}：成绩高于满分",
                    f"member {entry.member_id}: score above maximum",
                )
            )
        if entry.taken_on is not None and (
            entry.taken_on > today or entry.taken_on < local_today(activity.starts_at)
        ):
            errors.append(
                _field(
                    f"{at}.taken_on",
                    "taken_on_invalid",
                    f"党员 {entry.member_id}：考试日期须在培训开始之后、今天之前",
                    f"member {entry.member_id}: date out of range",
                )
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
    people = expected_member_ids(session, [exam.activity])[exam.activity_id] | set(history)
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
    report_filed: bool = False  # 述学: a report whose period overlaps the days asked for
    report_grade: ReportGrade | None = None  # 评学: the grade of the widest, latest such report reviewed

    def add_hours(self, kind: ActivityKind, hours: Decimal) -> None:
        self.hours_by_kind[kind] = self.hours_by_kind.get(kind, Decimal(0)) + hours


def study_facts(
    session: Session, scope: Scope, member_ids: Iterable[int], start: date, end: date
) -> dict[int, StudyFacts]:
    """Facts for each requested member the caller can see, for activities held from `start` to `end`
    (CST days, inclusive). Make-up hours count under the made-up activity's kind. An exam counts as
    passed when any attempt passed, failed when the member sat it and never passed. A study report
    counts when its period overlaps the days. Members outside the scope are left out, never reported
    as "no study"."""
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
        reports = session.execute(
            select(StudyReport.member_id, StudyReport.year, StudyReport.half, StudyReport.grade).where(
                StudyReport.member_id.in_(visible), StudyReport.year.between(start.year, end.year)
            )
        )
        graded: dict[int, tuple[int, int]] = {}  # member → rank of the report whose grade is kept
        for member_id, year, half, grade in reports:
            first, last = report_span(year, half)
            if first > end or last < start:
                continue
            f = facts[member_id]
            f.report_filed = True
            rank = (year, 3 if half == WHOLE_YEAR else half)  # a whole-year report outranks its halves
            if grade is not None and rank > graded.get(member_id, (0, 0)):
                f.report_grade, graded[member_id] = grade, rank
    return dict(sorted(facts.items()))
