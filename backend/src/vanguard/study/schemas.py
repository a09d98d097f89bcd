from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, PlainSerializer, field_serializer

from vanguard.attachments.schemas import AttachmentRead
from vanguard.core.policy import (
    STUDY_MAX_ATTACHMENTS,
    STUDY_MAX_BULK,
    STUDY_MAX_EXAM_SCORE,
    STUDY_MAX_EXPECTED,
    STUDY_MAX_HOURS_PER_ACTIVITY,
    STUDY_MAX_MAKEUP_HOURS,
    STUDY_REPORT_FIRST_YEAR,
    STUDY_REPORT_MAX_CHARS,
    STUDY_REPORT_MAX_COMMENT_CHARS,
)
from vanguard.orgs.models import OrgKind
from vanguard.study.models import ActivityKind, AttendanceStatus, ReportGrade

Hours = Field(gt=0, le=STUDY_MAX_HOURS_PER_ACTIVITY, max_digits=5, decimal_places=1, examples=[2])


class ActivityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    org_id: int
    kind: ActivityKind
    starts_at: datetime = Field(description="Start; offset-less values are UTC")
    place: str | None = Field(default=None, max_length=200)
    topic: str = Field(min_length=1, max_length=200)
    content: str | None = Field(default=None, max_length=4000)
    presenter: str | None = Field(default=None, max_length=100)
    hours: Decimal = Hours
    materials: list[AnyHttpUrl] = Field(default_factory=list, max_length=50, description="Links only")
    attachment_ids: list[int] = Field(
        default_factory=list, max_length=STUDY_MAX_ATTACHMENTS, description="Files uploaded for the org"
    )
    expected_member_ids: list[int] | None = Field(
        default=None,
        min_length=1,
        max_length=STUDY_MAX_EXPECTED,
        description="Only these members are expected (each on the org's roll that day); null: the whole roll",
    )


class ActivityUpdate(BaseModel):
    """Fields left out are unchanged; org and kind are fixed once created."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    starts_at: datetime | None = None
    place: str | None = Field(default=None, max_length=200)
    topic: str | None = Field(default=None, min_length=1, max_length=200)
    content: str | None = Field(default=None, max_length=4000)
    presenter: str | None = Field(default=None, max_length=100)
    hours: Decimal | None = Field(
        default=None, gt=0, le=STUDY_MAX_HOURS_PER_ACTIVITY, max_digits=5, decimal_places=1
    )
    materials: list[AnyHttpUrl] | None = Field(default=None, max_length=50)
    attachment_ids: list[int] | None = Field(
        default=None, max_length=STUDY_MAX_ATTACHMENTS, description="Replaces the uploaded files"
    )
    expected_member_ids: list[int] | None = Field(
        default=None,
        min_length=1,
        max_length=STUDY_MAX_EXPECTED,
        description="Replace the list of expected attendees; an explicit null restores the org's roll",
    )


class ActivityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int
    kind: ActivityKind
    starts_at: datetime
    place: str | None
    topic: str
    content: str | None
    presenter: str | None
    hours: Decimal
    materials: list[str]
    attachments: list[AttachmentRead]
    expected_member_ids: list[int] | None = Field(description="null: the org's roll is expected")
    version: int
    created_at: datetime
    updated_at: datetime

    @field_serializer("hours")
    def _hours(self, value: Decimal) -> float:
        return float(value)


class AttendanceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    member_id: int
    status: AttendanceStatus
    leave_reason: str | None = Field(default=None, max_length=200, description="Required when excused")


class AttendanceBulk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[AttendanceEntry] = Field(min_length=1, max_length=STUDY_MAX_BULK)


class AttendanceRead(BaseModel):
    """One expected attendee: `status` is null while nothing is recorded for them."""

    member_id: int
    member_name: str
    status: AttendanceStatus | None
    leave_reason: str | None
    made_up: bool


class MakeupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    member_id: int
    studied_on: date
    method: str = Field(min_length=1, max_length=200, examples=["观看会议录像并撰写心得"])
    hours: Decimal = Field(gt=0, le=STUDY_MAX_MAKEUP_HOURS, max_digits=5, decimal_places=1)


class MakeupUpdate(BaseModel):
    """Fields left out are unchanged; the member and the activity are fixed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    studied_on: date | None = None
    method: str | None = Field(default=None, min_length=1, max_length=200)
    hours: Decimal | None = Field(
        default=None, gt=0, le=STUDY_MAX_MAKEUP_HOURS, max_digits=5, decimal_places=1
    )


class MakeupRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    activity_id: int
    member_id: int
    studied_on: date
    method: str
    hours: Decimal
    version: int

    @field_serializer("hours")
    def _hours(self, value: Decimal) -> float:
        return float(value)


class ExamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    max_score: int = Field(default=100, gt=0, le=STUDY_MAX_EXAM_SCORE)
    pass_mark: int = Field(default=60, gt=0, le=STUDY_MAX_EXAM_SCORE)


class ExamUpdate(BaseModel):
    """Fields left out are unchanged; the marks are fixed once anyone has sat the exam."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=200)
    max_score: int | None = Field(default=None, gt=0, le=STUDY_MAX_EXAM_SCORE)
    pass_mark: int | None = Field(default=None, gt=0, le=STUDY_MAX_EXAM_SCORE)


class ExamRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    activity_id: int
    title: str
    max_score: int
    pass_mark: int
    version: int


class ScoreEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: int
    score: int = Field(ge=0, le=STUDY_MAX_EXAM_SCORE)
    taken_on: date | None = Field(default=None, description="Defaults to today; not in the future")


class ScoreBulk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scores: list[ScoreEntry] = Field(min_length=1, max_length=STUDY_MAX_BULK)


class ExamResult(BaseModel):
    """One member's standing: the training is complete for them only once they passed."""

    member_id: int
    attempts: int
    best_score: int | None
    passed: bool
    training_complete: bool


# --- 述学/评学 ---------------------------------------------------------------------------------


class StudyReportCreate(BaseModel):
    """述学: one report per member per period (a year, or one half of it)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    member_id: int
    year: int = Field(ge=STUDY_REPORT_FIRST_YEAR, le=2100, description="Not after the current year")
    half: Literal[1, 2] | None = Field(
        default=None, description="1 or 2 for a half-year; null: the whole year"
    )
    content: str = Field(min_length=1, max_length=STUDY_REPORT_MAX_CHARS)
    attachment_ids: list[int] = Field(default_factory=list, max_length=STUDY_MAX_ATTACHMENTS)


class StudyReportUpdate(BaseModel):
    """The member's text and files, editable until the branch has commented; left out: unchanged."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    content: str | None = Field(default=None, min_length=1, max_length=STUDY_REPORT_MAX_CHARS)
    attachment_ids: list[int] | None = Field(default=None, max_length=STUDY_MAX_ATTACHMENTS)


class StudyReportReview(BaseModel):
    """评学: the branch's comment and grade; a later review replaces it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    comment: str = Field(min_length=1, max_length=STUDY_REPORT_MAX_COMMENT_CHARS)
    grade: ReportGrade


class StudyReportRead(BaseModel):
    id: int
    member_id: int
    member_name: str
    org_id: int = Field(description="The member's organisation when the report was filed")
    year: int
    half: int | None
    content: str
    attachments: list[AttachmentRead]
    comment: str | None
    grade: ReportGrade | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


# --- compliance report (组织生活 frequencies, attendance, study hours) ---------------------------------

ComplianceSort = Literal["missed_count", "attendance_rate", "under_min_hours", "name"]
ComplianceOrder = Literal["asc", "desc"]


class CompliancePeriod(BaseModel):
    """One month or quarter of a required kind: `running` is not over yet on the reporting date;
    `not_required` began before the organisation was established."""

    period: str = Field(examples=["2026-03", "2026-Q2"])
    held: int
    status: Literal["met", "missed", "running", "not_required"]


class KindCompliance(BaseModel):
    kind: ActivityKind
    frequency: Literal["month", "quarter"]
    required_per_period: int
    held: int = Field(description="Held in the year up to the reporting date")
    missed: list[str] = Field(description="Periods over by the reporting date that fell short")
    periods: list[CompliancePeriod] = Field(description="Each period begun by the reporting date")


class AttendanceTally(BaseModel):
    """Over the meetings the whole roll attends: expected = the expected attendees plus anyone recorded,
    as each meeting's attendance list shows them; `unrecorded` have no status yet."""

    meetings: int
    expected: int
    present: int
    excused: int
    absent: int
    unrecorded: int
    rate: float | None = Field(description="present / expected; null without expected attendees")


class OrgCompliance(BaseModel):
    org_id: int
    name: str
    kind: OrgKind
    parent_id: int | None
    met: bool = Field(description="No period missed for any required kind")
    missed_count: int
    kinds: list[KindCompliance] = Field(description="Only the kinds that bind this organisation")
    attendance: AttendanceTally
    members: int = Field(description="On the org's own roll (a Party group holds none)")
    under_min_hours: int = Field(description="Members below the annual minimum of study hours so far")
    under_min_share: float | None


class ComplianceSummary(BaseModel):
    orgs_considered: int
    orgs_met: int
    missed_count: int
    attendance: AttendanceTally
    members: int
    under_min_hours: int
    under_min_share: float | None


class ComplianceReport(BaseModel):
    """One page of organisations, sorted; the summary covers the whole subtree."""

    org_id: int | None = Field(description="The subtree's root; null for the whole tree")
    year: int
    as_of: date
    min_annual_hours: float
    summary: ComplianceSummary
    items: list[OrgCompliance]
    next_cursor: str | None = None


# --- the member's study archive (学习档案) -----------------------------------------------------

HoursOut = Annotated[Decimal, PlainSerializer(float, return_type=float)]


class StudyKindHours(BaseModel):
    kind: ActivityKind
    hours: HoursOut


class StudyArchiveMember(BaseModel):
    id: int
    name: str
    org_id: int
    org_name: str


class StudyArchiveTotals(BaseModel):
    """Hours credited (attended, plus make-up under the made-up activity's kind) and counts."""

    hours: HoursOut
    hours_by_kind: list[StudyKindHours]
    attended: int
    excused: int
    absent: int
    exams_passed: int
    exams_failed: int


class StudyArchiveYear(StudyArchiveTotals):
    year: int


class StudyArchiveAttendance(BaseModel):
    activity_id: int
    org_name: str
    kind: ActivityKind
    topic: str
    starts_at: datetime
    day: date = Field(description="The activity's day, China time")
    hours: HoursOut = Field(description="The activity's hours; credited only when present")
    status: AttendanceStatus
    leave_reason: str | None
    made_up: bool


class StudyArchiveMakeup(BaseModel):
    id: int
    activity_id: int
    kind: ActivityKind
    topic: str
    studied_on: date
    method: str
    hours: HoursOut


class StudyArchiveAttempt(BaseModel):
    attempt: int
    score: int
    taken_on: date
    passed: bool


class StudyArchiveExam(BaseModel):
    exam_id: int
    title: str
    activity_id: int
    activity_topic: str
    max_score: int
    pass_mark: int
    attempts: list[StudyArchiveAttempt]
    passed: bool


class StudyArchive(BaseModel):
    """Everything a member studied between two days (China time, inclusive)."""

    member: StudyArchiveMember
    start: date
    end: date
    totals: StudyArchiveTotals
    by_year: list[StudyArchiveYear]
    activities: list[StudyArchiveAttendance] = Field(description="Every recorded attendance, by date")
    absences: list[StudyArchiveAttendance] = Field(description="Absences and excused leaves, with reasons")
    makeups: list[StudyArchiveMakeup]
    exams: list[StudyArchiveExam]
    reports: list[StudyReportRead]
