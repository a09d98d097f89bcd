"""Early-warning request and response bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from vanguard.alerts.models import AlertKind, AlertState
from vanguard.core import policy


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: AlertKind
    org_id: int
    category_id: int | None
    day: date = Field(description="The China day the analysis tested")
    fired_at: datetime
    reason_zh: str
    reason_en: str
    why: dict[str, Any] = Field(
        description="The numbers behind it: a surge's observed count, baseline mean and std, threshold and "
        "formula; a duplicate group's size, Jaccard threshold and closest pair"
    )
    items: list[int] = Field(description="The complaint ids behind the alert")
    state: AlertState
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    note: str | None
    version: int


class AlertRun(BaseModel):
    """The day to test, and optional overrides of the policy defaults for this run."""

    model_config = ConfigDict(extra="forbid")

    day: date = Field(description="The China day to test (usually today); its complaints so far count")
    baseline_days: int = Field(default=policy.ALERTS_SURGE_BASELINE_DAYS, ge=7, le=366)
    z: float = Field(default=policy.ALERTS_SURGE_Z, ge=0, le=20)
    min_count: int = Field(default=policy.ALERTS_SURGE_MIN_COUNT, ge=1, le=100_000)
    duplicate_window_days: int = Field(default=policy.ALERTS_DUPLICATE_WINDOW_DAYS, ge=1, le=366)
    duplicate_jaccard: float = Field(default=policy.ALERTS_DUPLICATE_JACCARD, ge=0.1, le=1)


class AlertAcknowledge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=500)


class SuggestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=policy.ALERTS_SUGGEST_MAX_TEXT)


class Neighbour(BaseModel):
    complaint_id: int
    similarity: float
    category: str
    org_id: int


class Suggestion(BaseModel):
    category: str | None = Field(description="Category code most likely; null when nothing similar was found")
    org_id: int | None = Field(description="The responsible org most likely")
    confidence: float = Field(
        description="Share of the neighbours' similarity weight behind the category (0–1)"
    )
    org_confidence: float = Field(description="The same for the org")
    basis: list[int] = Field(description="Ids of the past complaints that voted for the suggested category")
    neighbours: list[Neighbour] = Field(description="The most similar past complaints, most similar first")


class AttentionReason(BaseModel):
    code: str = Field(description="no_study | dues_arrears | pledge_not_kept | low_grade")
    message_zh: str
    message_en: str
    details: dict[str, Any]


class AttentionMember(BaseModel):
    member_id: int
    member_name: str
    org_id: int
    reasons: list[AttentionReason]
