from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from vanguard.dues.models import PaymentKind, PaymentMethod, ReductionKind, ReductionState
from vanguard.members.models import Category

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def parse_month(value: object) -> object:
    """`YYYY-MM` (or a date on the first of a month) → the month's first day."""
    if isinstance(value, date) and not isinstance(value, datetime):
        if value.day != 1:
            raise ValueError("a month is given as the first day of the month")
        return value
    if isinstance(value, str) and re.fullmatch(MONTH_PATTERN, value):
        return date(int(value[:4]), int(value[5:7]), 1)
    raise ValueError("expected a month as YYYY-MM")


def format_month(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


Month = Annotated[
    date,
    BeforeValidator(parse_month),
    PlainSerializer(format_month, return_type=str),
    WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN, "examples": ["2026-03"]}),
]
Money = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
Note = Field(default=None, max_length=200)


class DuesBaseSet(BaseModel):
    """The base from `effective_from` on; setting the same month again replaces that base."""

    model_config = ConfigDict(extra="forbid")

    effective_from: Month
    category: Category | None = Field(
        default=None, description="Dues category for these months; defaults to the member's category"
    )
    monthly_income: Money | None = Field(
        default=None, ge=0, description="After-tax monthly income; required for income-rated categories"
    )
    fixed_amount: Money | None = Field(
        default=None, gt=0, description="Rural members only: the chosen monthly amount, 0.20-1.00"
    )
    note: str | None = Note


class DuesBaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    effective_from: Month
    category: Category
    monthly_income: Decimal | None
    fixed_amount: Decimal | None
    monthly_due: Decimal = Field(description="What this base makes due each month, before any reduction")
    note: str | None
    version: int


class PaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: Month = Field(description="The month paid for; up to a year ahead as prepayment")
    amount: Money = Field(
        description="Regular: more than zero (paying more than due is a voluntary extra, 自愿多交). "
        "Correction: a top-up or, negative, a reversal"
    )
    paid_on: date
    method: PaymentMethod
    collector: str | None = Field(
        default=None, min_length=1, max_length=128, description="Who took the money; defaults to the caller"
    )
    kind: PaymentKind = PaymentKind.REGULAR
    note: str | None = Field(default=None, max_length=200, description="Required for a correction")


class PaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    org_id: int
    month: Month
    kind: PaymentKind
    amount: Decimal
    paid_on: date
    method: PaymentMethod
    collector: str
    note: str | None
    created_at: datetime


class MonthStatus(StrEnum):
    NOT_LIABLE = "not_liable"  # not a paying member that month (before approval, after leaving)
    NO_BASE = "no_base"  # a paying member, but no dues base recorded for the month
    UNPAID = "unpaid"
    PARTIAL = "partial"
    PAID = "paid"
    OVERPAID = "overpaid"  # paid more than payable: a voluntary extra (自愿多交), not a credit
    WAIVED = "waived"  # nothing payable because of an approved reduction, and nothing paid
    NOT_YET_DUE = "not_yet_due"  # a later month not (fully) prepaid


class StatementMonth(BaseModel):
    month: Month
    status: MonthStatus
    category: Category | None
    basis: Decimal | None = Field(description="The base in effect: income, or the rural fixed amount")
    due: Decimal | None = Field(description="By the 2008 bands; null without a base")
    reduction: Decimal = Field(description="Taken off by an approved reduction or waiver")
    payable: Decimal | None = Field(description="due - reduction")
    paid: Decimal
    balance: Decimal | None = Field(description="payable - paid: positive is owed, negative paid in excess")
    payments: list[PaymentRead]


class StatementTotals(BaseModel):
    due: Decimal
    reduction: Decimal
    payable: Decimal
    paid: Decimal
    outstanding: Decimal = Field(description="Still owed for this year's months up to the current one")
    extra: Decimal = Field(description="Paid beyond what was payable (voluntary)")


class ArrearsSummary(BaseModel):
    amount: Decimal = Field(description="Owed for all months up to the current one, every year")
    months: int = Field(description="Months with something still owed")
    oldest_month: Month | None
    consecutive_unpaid_months: int = Field(
        description="Months in a row, ending with the last one counted, with nothing paid though payable"
    )
    lapse_warning: bool = Field(description="consecutive_unpaid_months reached the Party constitution's six")


class DuesStatement(BaseModel):
    member_id: int
    member_name: str
    year: int
    months: list[StatementMonth]
    totals: StatementTotals
    arrears: ArrearsSummary


class ArrearsItem(BaseModel):
    member_id: int
    member_name: str
    org_id: int
    months_unpaid: int
    amount_owed: Decimal
    oldest_unpaid_month: Month
    consecutive_unpaid_months: int
    lapse_warning: bool


class ReductionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_month: Month
    to_month: Month = Field(description="Inclusive")
    kind: ReductionKind
    reduced_amount: Money | None = Field(
        default=None, gt=0, description="For `reduced`: the monthly amount payable instead"
    )
    reason: str = Field(min_length=1, max_length=500)


class ReductionDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=500)


class ReductionRejection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=500, description="Why, for the member")


class ReductionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    org_id: int
    from_month: Month
    to_month: Month
    kind: ReductionKind
    reduced_amount: Decimal | None
    reason: str
    state: ReductionState
    requested_by: str
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    review_note: str | None
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str | None
    created_at: datetime
    version: int
