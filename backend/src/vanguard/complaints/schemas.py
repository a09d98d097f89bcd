from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from vanguard.complaints.models import Action, ActorKind, Channel, ClosureReason, EventKind, Status, Urgency
from vanguard.core.policy import COMPLAINTS_EXTENSION_MAX_DAYS

_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)
Phone = Field(default=None, pattern=r"^[0-9+\- ]{5,20}$")
Latitude = Field(default=None, ge=-90, le=90, max_digits=9, decimal_places=6)
Longitude = Field(default=None, ge=-180, le=180, max_digits=9, decimal_places=6)
Days = Field(
    default=None, ge=1, le=3650, description="Calendar days; empty inherits the parent's or the default"
)


class _Report(BaseModel):
    """What the reporter tells us, from any channel."""

    model_config = _FORBID

    category: str = Field(min_length=1, max_length=32, description="Category code (see the category tree)")
    title: str = Field(min_length=2, max_length=200)
    description: str = Field(min_length=2, max_length=4000)
    location_text: str | None = Field(default=None, max_length=200, description="Address as told")
    latitude: Decimal | None = Latitude
    longitude: Decimal | None = Longitude
    village: str | None = Field(default=None, max_length=100, description="村/社区")
    reporter_name: str | None = Field(
        default=None, min_length=1, max_length=50, description="Empty: anonymous"
    )
    reporter_phone: str | None = Phone
    reporter_email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")


class ComplaintCreate(_Report):
    channel: Channel
    urgency: Urgency = Urgency.NORMAL
    org_id: int | None = Field(default=None, description="The receiving org; defaults to the caller's own")


class PublicComplaintCreate(_Report):
    """Public intake: the channel is `web`; the receiving org is the configured intake org."""


class ActionOffer(BaseModel):
    action: Action = Field(description="`POST /complaints/{id}/<action>`")
    available_from: datetime | None = Field(
        description="Not possible before this moment (closing an unrated item during the silence period)"
    )


class ComplaintRead(BaseModel):
    id: int
    tracking_code: str
    channel: Channel
    category_id: int
    category_code: str
    org_id: int
    responsible_user_id: int | None
    urgency: Urgency
    title: str
    description: str
    location_text: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    village: str | None
    reporter_name: str | None = Field(description="Masked except for the handling org and admins")
    reporter_phone: str | None = Field(
        description="Masked as `138****5678` except for the handling org and admins"
    )
    reporter_email: str | None
    reporter_masked: bool
    status: Status
    received_at: datetime
    due_at: datetime
    overdue: bool = Field(description="Still open and past `due_at`")
    accepted_at: datetime | None
    assigned_at: datetime | None
    started_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    rejection_reason: str | None
    extension_days: int
    extension_reason: str | None
    promise: str | None
    promised_by: datetime | None
    promised_by_user_id: int | None
    result: str | None
    closure_reason: ClosureReason | None
    duplicate_of_id: int | None
    rating: int | None
    rating_comment: str | None
    rated_at: datetime | None
    reopen_count: int
    overdue_at: datetime | None
    escalated_at: datetime | None
    escalated_to_org_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    actions: list[ActionOffer] = Field(
        description="The steps the caller may take now, usual next first (empty without complaints:write)"
    )


class ComplaintSummary(BaseModel):
    """A list row: no reporter data at all."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    channel: Channel
    category_id: int
    org_id: int
    responsible_user_id: int | None
    urgency: Urgency
    title: str
    status: Status
    received_at: datetime
    due_at: datetime
    overdue_at: datetime | None
    escalated_at: datetime | None
    version: int


class ComplaintReason(BaseModel):
    model_config = _FORBID

    reason: str = Field(min_length=2, max_length=500)


class ComplaintNote(BaseModel):
    model_config = _FORBID

    note: str | None = Field(
        default=None, max_length=2000, description="Internal: never shown to the reporter"
    )


class ComplaintAssign(ComplaintNote):
    org_id: int = Field(description="The handling org, within the caller's scope")
    responsible_user_id: int = Field(
        description="The responsible person (一把手): a user of that org's subtree"
    )


class ComplaintStart(ComplaintNote):
    promise: str = Field(
        min_length=2, max_length=1000, description="承诺: what will be done (shown to the reporter)"
    )
    promised_by: AwareDatetime = Field(description="By when, with a time zone; not after the item's deadline")


class ComplaintExtend(BaseModel):
    model_config = _FORBID

    days: int = Field(
        ge=1, le=COMPLAINTS_EXTENSION_MAX_DAYS, description="Once per item; the category may allow fewer"
    )
    reason: str = Field(min_length=2, max_length=500)


class ComplaintResolve(ComplaintNote):
    result: str = Field(min_length=2, max_length=2000, description="What was done (shown to the reporter)")


class ComplaintClose(ComplaintNote):
    reason: ClosureReason
    duplicate_of_id: int | None = Field(default=None, description="Required when the reason is `duplicate`")


class ComplaintTimelineEvent(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: EventKind
    from_status: Status | None
    to_status: Status
    actor_kind: ActorKind
    actor_id: int | None
    actor_name: str | None
    at: datetime
    note: str | None
    public_note: str | None


class ComplaintPublicStep(BaseModel):
    """A step as the reporter sees it: no staff names, no internal notes."""

    kind: EventKind
    status: Status
    at: datetime
    note: str | None


class PublicComplaintView(BaseModel):
    tracking_code: str
    status: Status
    category: str = Field(description="Category name (中文)")
    received_at: datetime
    due_at: datetime
    closure_reason: ClosureReason | None
    rated: bool
    steps: list[ComplaintPublicStep]


class ComplaintReceipt(BaseModel):
    tracking_code: str = Field(description="Keep it: it is the only way to follow and rate the item")
    status: Status
    received_at: datetime
    due_at: datetime


class ComplaintRating(BaseModel):
    model_config = _FORBID

    rating: int = Field(ge=1, le=5, description="1 (very dissatisfied) … 5 (very satisfied)")
    comment: str | None = Field(default=None, max_length=500)


class ComplaintCategory(BaseModel):
    id: int
    parent_id: int | None
    code: str
    name_zh: str
    name_en: str
    accept_days: int | None
    handle_days: int | None
    extension_days: int | None
    is_active: bool
    version: int
    children: list[ComplaintCategory] = Field(default_factory=list)


class ComplaintCategoryCreate(BaseModel):
    model_config = _FORBID

    parent_id: int | None = None
    code: str = Field(min_length=2, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1, max_length=50)
    name_en: str = Field(min_length=1, max_length=100)
    accept_days: int | None = Days
    handle_days: int | None = Days
    extension_days: int | None = Field(default=None, ge=0, le=COMPLAINTS_EXTENSION_MAX_DAYS)


class ComplaintCategoryUpdate(BaseModel):
    """Fields left out are unchanged; the code and the parent are fixed."""

    model_config = _FORBID

    name_zh: str | None = Field(default=None, min_length=1, max_length=50)
    name_en: str | None = Field(default=None, min_length=1, max_length=100)
    accept_days: int | None = Days
    handle_days: int | None = Days
    extension_days: int | None = Field(default=None, ge=0, le=COMPLAINTS_EXTENSION_MAX_DAYS)
    is_active: bool | None = None


class ComplaintRates(BaseModel):
    received: int
    resolved: int
    resolved_on_time: int
    on_time_rate: float | None = Field(
        description="resolved_on_time / resolved; null when nothing was resolved"
    )
    rated: int
    satisfied: int
    satisfaction_rate: float | None = Field(description="satisfied / rated; null when nothing was rated")
    average_rating: float | None


class ComplaintStatsRow(ComplaintRates):
    key: int = Field(description="The org id or the responsible user's id, per `by`")
    name: str
    overdue_open: int


class ComplaintStats(BaseModel):
    start: date
    end: date
    by: str
    rows: list[ComplaintStatsRow]


class ComplaintTrendMonth(ComplaintRates):
    month: str = Field(description="The China month, `YYYY-MM`", examples=["2026-03"])


class ComplaintTrend(BaseModel):
    """Month by month, oldest first, through the current month; months without anything count 0."""

    org_id: int | None = Field(description="Whose subtree is counted; null for everything")
    months: list[ComplaintTrendMonth]
    overdue_open: int = Field(description="Items in the subtree open past their deadline now")
