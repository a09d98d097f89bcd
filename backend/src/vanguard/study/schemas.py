from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_serializer

from vanguard.core.policy import (
    STUDY_MAX_BULK,
    STUDY_MAX_EXAM_SCORE,
    STUDY_MAX_HOURS_PER_ACTIVITY,
    STUDY_MAX_MAKEUP_HOURS,
)
from vanguard.study.models import ActivityKind, AttendanceStatus

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
