from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum


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
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)  # links only, in this slice

    __table_args__ = (
        # The same meeting twice: same org, kind and start.
        UniqueConstraint("org_id", "kind", "starts_at", name="uq_study_activities_org_kind_start"),
        Index("ix_study_activities_starts_at", "starts_at"),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


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
