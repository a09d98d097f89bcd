from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from vanguard.posts.models import PledgeResult

Title = Field(min_length=1, max_length=100, examples=["环境卫生监督岗"])
Duties = Field(min_length=1, max_length=2000)
Content = Field(min_length=2, max_length=2000)


class PostCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Title
    duties: str = Duties
    started_on: date | None = Field(default=None, description="Defaults to today; not in the future")


class PostUpdate(BaseModel):
    """Fields left out are unchanged. Ending a post is its own operation."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=100)
    duties: str | None = Field(default=None, min_length=1, max_length=2000)
    started_on: date | None = None


class PostEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ended_on: date | None = Field(default=None, description="Defaults to today; not in the future")


class PostRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    title: str
    duties: str
    started_on: date
    ended_on: date | None
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class PledgeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    content: str = Content
    made_on: date | None = Field(default=None, description="承诺日期; defaults to today, not in the future")
    due_on: date = Field(description="承诺期限; the pledge counts in the scoring period this date falls in")


class PledgeUpdate(BaseModel):
    """Only while the pledge awaits evaluation. Fields left out are unchanged."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    content: str | None = Field(default=None, min_length=2, max_length=2000)
    made_on: date | None = None
    due_on: date | None = None


class Verdict(StrEnum):
    KEPT = PledgeResult.KEPT.value
    NOT_KEPT = PledgeResult.NOT_KEPT.value


class PledgeEvaluate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    result: Verdict
    evaluated_on: date | None = Field(default=None, description="Defaults to today; not in the future")
    note: str | None = Field(default=None, max_length=500)


class PledgeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    content: str
    made_on: date
    due_on: date
    result: PledgeResult
    evaluated_on: date | None
    evaluation_note: str | None
    evaluated_by: str | None
    version: int
    created_at: datetime
    updated_at: datetime
