from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Numeric, SmallInteger, String, UniqueConstraint, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vanguard.attachments.models import Attachment
from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum
from vanguard.core.policy import STUDY_REPORT_MAX_CHARS, STUDY_REPORT_MAX_COMMENT_CHARS


class ActivityKind(StrEnum):
    BRANCH_MEETING = "branch_meeting"  # 支部党员大会
    COMMITTEE_MEETING = "committee_meeting"  # 支委会
    GROUP_MEETING = "group_meeting"  # 党小组会
    PARTY_LECTURE = "party_lecture"  # 党课
    THEME_DAY = "theme_day"  # 主题党日
    TRAINING_CLASS = "training_class"  # 培训班
    SELF_STUDY = "self_study"  # 自学
    ONLINE_COURSE = "online_course"  # 网络课程


# 凡训必考: the kinds that are trainings and may carry exams.
TRAINING_KINDS = frozenset({ActivityKind.TRAINING_CLASS, ActivityKind.ONLINE_COURSE})


class AttendanceStatus(StrEnum):
    PRESENT = "present"  # 出席
    EXCUSED = "excused"  # 请假
    ABSENT = "absent"  # 缺席


class ReportGrade(StrEnum):
    """评学: the branch's grade of a study report; points for scoring live in policy."""

    EXCELLENT = "excellent"  # 优秀
    GOOD = "good"  # 良好
    FAIR = "fair"  # 一般
    POOR = "poor"  # 较差


class Activity(Audited, VersionedMixin, TimestampMixin, Base):
    """A study activity (三会一课, 主题党日, training…) held by one organisation."""

    __tablename__ = "study_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind))
    starts_at: Mapped[datetime]
    place: Mapped[str | None] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200))
    content: Mapped[str | None] = mapped_column(String(4000))
    presenter: Mapped[str | None] = mapped_column(String(100))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)  # links; files are attachments

    # An explicit list of expected attendees (a training for selected members); none means the roll.
    expected: Mapped[list[ActivityAttendee]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ActivityAttendee.member_id",
    )

    __table_args__ = (
        # The same meeting twice: same org, kind and start.
        UniqueConstraint("org_id", "kind", "starts_at", name="uq_study_activities_org_kind_start"),
        Index("ix_study_activities_starts_at", "starts_at"),
    )

    files: Mapped[list[ActivityMaterial]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ActivityMaterial.attachment_id",
    )

    @property
    def expected_member_ids(self) -> list[int] | None:
        return [row.member_id for row in self.expected] or None

    @property
    def attachments(self) -> list[Attachment]:
        return [row.attachment for row in self.files]

    def audit_org_id(self) -> int | None:
        return self.org_id


def _parent_org(row: Base, parent: str) -> int | None:
    """The org of a link row's parent, also when the row is deleted as an orphan (parent already unset)."""
    owner = getattr(row, parent)
    if owner is None:
        unset = inspect(row).attrs[parent].history.deleted
        owner = unset[0] if unset else None
    return None if owner is None else int(owner.org_id)


class ActivityAttendee(Audited, Base):
    """One member on an activity's explicit list of expected attendees."""

    __tablename__ = "study_activity_attendees"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("study_activities.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), primary_key=True, index=True
    )

    activity: Mapped[Activity] = relationship(back_populates="expected", lazy="select")

    def audit_org_id(self) -> int | None:
        return _parent_org(self, "activity")


class Attendance(Audited, VersionedMixin, TimestampMixin, Base):
    """One member's attendance at one activity."""

    __tablename__ = "study_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("study_activities.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(str_enum(AttendanceStatus))
    leave_reason: Mapped[str | None] = mapped_column(String(200))

    activity: Mapped[Activity] = relationship(lazy="select")

    __table_args__ = (
        UniqueConstraint("activity_id", "member_id", name="uq_study_attendance_activity_member"),
    )

    def audit_org_id(self) -> int | None:
        return self.activity.org_id


class Makeup(Audited, VersionedMixin, TimestampMixin, Base):
    """补学: make-up study by a member who was absent or on leave."""

    __tablename__ = "study_makeups"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("study_activities.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    studied_on: Mapped[date]
    method: Mapped[str] = mapped_column(String(200))  # how: 集中补课, 观看录像, 自学…
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))

    activity: Mapped[Activity] = relationship(lazy="select")

    __table_args__ = (Index("ix_study_makeups_activity_id_member_id", "activity_id", "member_id"),)

    def audit_org_id(self) -> int | None:
        return self.activity.org_id


class Exam(Audited, VersionedMixin, TimestampMixin, Base):
    """凡训必考: an exam of a training; the training is complete for a member once they pass it."""

    __tablename__ = "study_exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("study_activities.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    max_score: Mapped[int]
    pass_mark: Mapped[int]

    activity: Mapped[Activity] = relationship(lazy="select")

    def audit_org_id(self) -> int | None:
        return self.activity.org_id


class ExamAttempt(Audited, VersionedMixin, TimestampMixin, Base):
    """One sitting of an exam by a member; a retake is the next attempt number."""

    __tablename__ = "study_exam_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("study_exams.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    attempt: Mapped[int]
    score: Mapped[int]
    taken_on: Mapped[date]

    exam: Mapped[Exam] = relationship(lazy="select")

    __table_args__ = (
        UniqueConstraint(
            "exam_id", "member_id", "attempt", name="uq_study_exam_attempts_exam_member_attempt"
        ),
    )

    def audit_org_id(self) -> int | None:
        return self.exam.activity.org_id


WHOLE_YEAR = 0  # `StudyReport.half` of a report on the whole year


def report_span(year: int, half: int) -> tuple[date, date]:
    """The first and last day of a report's period."""
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30)
    if half == 2:
        return date(year, 7, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


class ActivityMaterial(Audited, Base):
    """An uploaded file among an activity's materials."""

    __tablename__ = "study_activity_materials"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("study_activities.id", ondelete="CASCADE"), primary_key=True
    )
    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="RESTRICT"), primary_key=True, index=True
    )

    activity: Mapped[Activity] = relationship(back_populates="files", lazy="select")
    attachment: Mapped[Attachment] = relationship(lazy="selectin")

    def audit_org_id(self) -> int | None:
        return _parent_org(self, "activity")


class StudyReport(Audited, VersionedMixin, TimestampMixin, Base):
    """述学: a member's report on their study for a year or half-year; 评学: the branch's comment and grade.

    `half` is 1 or 2 for a half-year and 0 for the whole year, so one unique constraint covers both.
    """

    __tablename__ = "study_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)  # at filing
    year: Mapped[int]
    half: Mapped[int] = mapped_column(SmallInteger)
    content: Mapped[str] = mapped_column(String(STUDY_REPORT_MAX_CHARS))
    comment: Mapped[str | None] = mapped_column(String(STUDY_REPORT_MAX_COMMENT_CHARS))
    grade: Mapped[ReportGrade | None] = mapped_column(str_enum(ReportGrade))
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None]

    files: Mapped[list[StudyReportFile]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="StudyReportFile.attachment_id",
    )

    __table_args__ = (
        UniqueConstraint("member_id", "year", "half", name="uq_study_reports_member_period"),
        Index("ix_study_reports_year", "year"),
    )

    @property
    def attachments(self) -> list[Attachment]:
        return [row.attachment for row in self.files]

    def audit_org_id(self) -> int | None:
        return self.org_id


class StudyReportFile(Audited, Base):
    """An uploaded file attached to a study report."""

    __tablename__ = "study_report_files"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("study_reports.id", ondelete="CASCADE"), primary_key=True
    )
    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="RESTRICT"), primary_key=True, index=True
    )

    report: Mapped[StudyReport] = relationship(back_populates="files", lazy="select")
    attachment: Mapped[Attachment] = relationship(lazy="selectin")

    def audit_org_id(self) -> int | None:
        return _parent_org(self, "report")
