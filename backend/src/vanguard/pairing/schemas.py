from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from vanguard.pairing.models import BeneficiaryKind, EventType, GoalTag, PairKind, PairStatus, VisitType

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

    helper_member_id: int = Field(description="The helper: a member (cadre accounts are not yet supported)")
    beneficiary_id: int
    kind: PairKind
    goals: list[Goal] = Field(default_factory=list, max_length=10)
    started_on: date | None = Field(default=None, description="Defaults to today")
    ends_on: date | None = Field(default=None, description="Planned end; visits after it are refused")


class PairEnd(BaseModel):
    model_config = _FORBID

    status: PairStatus = Field(description="`completed`, or `ended_early` with a reason")
    ended_on: date | None = Field(default=None, description="Defaults to today")
    reason: str | None = Field(default=None, min_length=2, max_length=500)


class PairRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int
    helper_member_id: int
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
    follow_up_due_on: date | None = None


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
    version: int
    created_at: datetime


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
    helper_member_id: int | None = Field(description="Responsible helper; null: the branch itself")
    pair_id: int | None
    visit_id: int | None
    done: bool
    version: int
    created_at: datetime


class CoverageRead(BaseModel):
    """结对帮扶台账 for an org's subtree, as of a day; visits are counted in that day's quarter."""

    org_id: int
    as_of: date
    hardship_members: int
    hardship_members_paired: int
    households: int
    households_paired: int
    hardship_member_share: Decimal = Field(description="Paired / registered, 0-1 (0 when none registered)")
    household_share: Decimal
    active_pairs: int
    visits_this_quarter: int
    visits_per_pair_this_quarter: Decimal
    overdue_tasks: int
