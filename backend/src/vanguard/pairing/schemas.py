from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vanguard.attachments.schemas import AttachmentRead
from vanguard.core.policy import PAIRING_MAX_VISIT_PHOTOS
from vanguard.pairing.models import (
    BeneficiaryKind,
    EventType,
    GoalTag,
    PairKind,
    PairStatus,
    TaskClosure,
    VisitType,
)

_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)
Money = Field(default=None, ge=0, max_digits=12, decimal_places=2, description="元")


class BeneficiaryCreate(BaseModel):
    """A member in hardship (`member_id`; the org is the member's) or a household (`org_id` + details)."""

    model_config = _FORBID

    kind: BeneficiaryKind
    member_id: int | None = Field(default=None, description="Required for `member`, forbidden otherwise")
    org_id: int | None = Field(default=None, description="Required for `household`: the branch it belongs to")
    head_name: str | None = Field(default=None, min_length=1, max_length=50, description="户主")
    address: str | None = Field(default=None, max_length=200)
    village: str | None = Field(default=None, max_length=100, description="村/社区")
    household_size: int | None = Field(default=None, ge=1, le=50)
    situation: str | None = Field(default=None, max_length=2000)
    needs: str | None = Field(default=None, max_length=2000)
    contact_phone: str | None = Field(default=None, pattern=r"^[0-9+\-]{5,20}$")


class BeneficiaryUpdate(BaseModel):
    """Fields left out are unchanged; kind, member and org are fixed."""

    model_config = _FORBID

    head_name: str | None = Field(default=None, min_length=1, max_length=50)
    address: str | None = Field(default=None, max_length=200)
    village: str | None = Field(default=None, max_length=100)
    household_size: int | None = Field(default=None, ge=1, le=50)
    situation: str | None = Field(default=None, max_length=2000)
    needs: str | None = Field(default=None, max_length=2000)
    contact_phone: str | None = Field(default=None, pattern=r"^[0-9+\-]{5,20}$")


class BeneficiaryRead(BaseModel):
    id: int
    org_id: int
    kind: BeneficiaryKind
    member_id: int | None
    member_name: str | None
    head_name: str | None
    address: str | None = Field(description="Masked without the `pii` permission")
    village: str | None
    household_size: int | None
    situation: str | None
    needs: str | None
    contact_phone: str | None = Field(description="Masked as `138****5678` without the `pii` permission")
    contact_masked: bool
    version: int
    created_at: datetime
    updated_at: datetime


class Goal(BaseModel):
    model_config = _FORBID

    tag: GoalTag = Field(description="三包: technology 包技术, project 包项目, poverty_exit 包脱贫")
    target: str = Field(min_length=1, max_length=200, description="A measurable target, e.g. 年增收3000元")


class PairCreate(BaseModel):
    model_config = _FORBID

    helper_member_id: int | None = Field(default=None, description="The helper as a member…")
    helper_user_id: int | None = Field(
        default=None, description="…or as a cadre's user account (org_admin/secretary); give exactly one"
    )
    beneficiary_id: int
    kind: PairKind
    goals: list[Goal] = Field(default_factory=list, max_length=10)
    started_on: date | None = Field(default=None, description="Defaults to today")
    ends_on: date | None = Field(default=None, description="Planned end; visits after it are refused")


class PairUpdate(BaseModel):
    """Only while the pair is active; fields left out are unchanged."""

    model_config = _FORBID

    goals: list[Goal] | None = Field(default=None, max_length=10, description="Replaces all goals")
    ends_on: date | None = Field(default=None, description="Planned end; null clears it")


class PairEnd(BaseModel):
    model_config = _FORBID

    status: PairStatus = Field(description="`completed`, or `ended_early` with a reason")
    ended_on: date | None = Field(default=None, description="Defaults to today")
    reason: str | None = Field(default=None, min_length=2, max_length=500)


class PairRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int
    helper_member_id: int | None
    helper_user_id: int | None
    beneficiary_id: int
    kind: PairKind
    goals: list[Goal]
    started_on: date
    ends_on: date | None = Field(description="Planned last day while active; the actual one once ended")
    status: PairStatus
    end_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class VisitCreate(BaseModel):
    model_config = _FORBID

    visited_on: date
    type: VisitType
    work_done: str = Field(min_length=2, max_length=2000)
    money_given: Decimal | None = Money
    goods_value: Decimal | None = Money
    jobs_found: int = Field(default=0, ge=0, le=1000)
    skills: str | None = Field(default=None, max_length=500)
    follow_up: str | None = Field(default=None, max_length=500)
    follow_up_due_on: date | None = Field(default=None, description="Needs `follow_up`")
    attachment_ids: list[int] = Field(
        default_factory=list,
        max_length=PAIRING_MAX_VISIT_PHOTOS,
        description="Photos: image attachments uploaded for the pair's organisation",
    )


class VisitUpdate(BaseModel):
    """Fields left out are unchanged; the date must stay within the pair's."""

    model_config = _FORBID

    visited_on: date | None = None
    type: VisitType | None = None
    work_done: str | None = Field(default=None, min_length=2, max_length=2000)
    money_given: Decimal | None = Money
    goods_value: Decimal | None = Money
    jobs_found: int | None = Field(default=None, ge=0, le=1000)
    skills: str | None = Field(default=None, max_length=500)
    follow_up: str | None = Field(default=None, max_length=500)
    follow_up_due_on: date | None = None
    attachment_ids: list[int] | None = Field(
        default=None, max_length=PAIRING_MAX_VISIT_PHOTOS, description="Replaces the photos"
    )


class FollowUpState(BaseModel):
    model_config = _FORBID

    done: bool
    done_on: date | None = Field(default=None, description="When `done`: defaults to today")


class VisitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    pair_id: int
    visited_on: date
    type: VisitType
    work_done: str
    money_given: Decimal | None
    goods_value: Decimal | None
    jobs_found: int
    skills: str | None
    follow_up: str | None
    follow_up_due_on: date | None
    follow_up_done_on: date | None = Field(description="null while the follow-up is open")
    photos: list[AttachmentRead]
    version: int
    created_at: datetime


class FollowUpRead(BaseModel):
    """An open follow-up of a visit (后续事项), for the overdue list."""

    visit_id: int
    pair_id: int
    org_id: int
    helper_member_id: int | None
    helper_user_id: int | None
    beneficiary_id: int
    visited_on: date
    follow_up: str
    follow_up_due_on: date
    days_overdue: int


class EventCreate(BaseModel):
    """Something happened to a member that calls for a visit (四必访)."""

    model_config = _FORBID

    member_id: int
    event: EventType
    occurred_on: date | None = Field(default=None, description="Defaults to today")
    note: str | None = Field(default=None, max_length=500)


class TaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int
    member_id: int
    event: EventType
    occurred_on: date
    note: str | None
    due_on: date
    helper_member_id: int | None = Field(description="Responsible helper; both null: the branch itself")
    helper_user_id: int | None
    pair_id: int | None
    visit_id: int | None
    done: bool = Field(description="A visit closed it")
    status: Literal["open", "visited", "closed", "cancelled"]
    closed_as: TaskClosure | None
    closed_on: date | None
    close_reason: str | None
    version: int
    created_at: datetime


class TaskClose(BaseModel):
    """Close a must-visit task by hand: `closed` (handled outside a recorded visit) or `cancelled`."""

    model_config = _FORBID

    closed_as: TaskClosure
    reason: str = Field(min_length=2, max_length=500)
    closed_on: date | None = Field(default=None, description="Defaults to today")


class PairingLedgerFigures(BaseModel):
    """台账 figures: the register and active pairs at `as_of`, the rest over the period up to `as_of`."""

    hardship_members: int = Field(description="Registered on or before as_of")
    hardship_members_paired: int = Field(description="…with a pair running on as_of")
    households: int
    households_paired: int
    hardship_member_share: Decimal = Field(description="Paired / registered, 0-1 (0 when none registered)")
    household_share: Decimal
    active_pairs: int = Field(description="Pairs running on as_of")
    pairs_in_period: int = Field(description="Pairs running at some time in the period")
    visits: int
    visits_per_pair: Decimal = Field(description="visits / pairs_in_period")
    overdue_tasks: int = Field(
        description="Must-visit tasks past due and neither visited nor closed on as_of"
    )
    pairs_completed: int = Field(description="Ended as completed within the period")
    pairs_ended_early: int
    money_given: Decimal = Field(description="元, from visits in the period")
    goods_value: Decimal
    jobs_found: int


class PairingQuarterVisits(BaseModel):
    year: int
    quarter: int = Field(ge=1, le=4)
    pairs: int = Field(description="Pairs running at some time in the quarter (up to as_of)")
    visits: int
    visits_per_pair: Decimal


class PairingOrgLedger(PairingLedgerFigures):
    """One organisation's own records (not its subtree)."""

    org_id: int
    org_name: str


class CoverageRead(PairingLedgerFigures):
    """结对帮扶台账 for an org's whole subtree over a period, with the quarters and each org's own row."""

    org_id: int
    period_start: date
    period_end: date
    as_of: date = Field(description="The day the register is read: the period's end, or today if earlier")
    quarters: list[PairingQuarterVisits]
    orgs: list[PairingOrgLedger] = Field(description="Orgs of the subtree holding any pairing record")
