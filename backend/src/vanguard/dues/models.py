"""Party dues (党费): income bases, payments and approved reductions.

Every row carries `org_id`, the member's organisation when it was recorded: the branch that set the
base, collected the payment or received the request. It attributes the audit event and keeps the rows
shardable by organisation; access always goes through the member (`members.service.readable`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum
from vanguard.members.models import Category

# Money: exact decimals to the fen (分), never float.
MONEY = Numeric(12, 2)


class PaymentMethod(StrEnum):
    CASH = "cash"  # 现金
    TRANSFER = "transfer"  # 银行转账
    WECHAT = "wechat"  # 微信
    ALIPAY = "alipay"  # 支付宝
    PAYROLL = "payroll"  # 工资代扣


class PaymentKind(StrEnum):
    REGULAR = "regular"  # the month's payment: at most one per member and month
    CORRECTION = "correction"  # 补交/更正: a later top-up (positive) or reversal (negative) of that month


class ReductionKind(StrEnum):
    WAIVER = "waiver"  # 免交
    REDUCED = "reduced"  # 少交: a lower monthly amount


class ReductionState(StrEnum):
    REQUESTED = "requested"  # 本人申请
    BRANCH_REVIEWED = "branch_reviewed"  # 党支部研究同意
    APPROVED = "approved"  # 上一级党委批准
    REJECTED = "rejected"


class DuesBase(Audited, VersionedMixin, TimestampMixin, Base):
    """The member's dues base from `effective_from` on; the latest one in effect applies to each month.

    The category is kept with the base (default: the member's category when it is set), so a member who
    retires keeps the employed rate for the months before. Income-rated categories give
    `monthly_income` (after tax); rural members a chosen `fixed_amount`; flat-rate categories neither.
    """

    __tablename__ = "dues_bases"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    effective_from: Mapped[date]  # the first day of a month
    category: Mapped[Category] = mapped_column(str_enum(Category))
    monthly_income: Mapped[Decimal | None] = mapped_column(MONEY)
    fixed_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    note: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("member_id", "effective_from", name="uq_dues_bases_member_id_effective_from"),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


class DuesPayment(Audited, TimestampMixin, Base):
    """Money received for one month. A ledger: never edited or deleted; mistakes are corrections."""

    __tablename__ = "dues_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    month: Mapped[date]  # the first day of the month paid for
    kind: Mapped[PaymentKind] = mapped_column(str_enum(PaymentKind), default=PaymentKind.REGULAR)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    paid_on: Mapped[date]
    method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod))
    collector: Mapped[str] = mapped_column(String(128))
    note: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_dues_payments_member_id_month", "member_id", "month"),
        # One regular payment per member and month; corrections are extra rows.
        Index(
            "uq_dues_payments_member_id_month_regular",
            "member_id",
            "month",
            unique=True,
            postgresql_where=text("kind = 'regular'"),
            sqlite_where=text("kind = 'regular'"),
        ),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


class DuesReduction(Audited, VersionedMixin, TimestampMixin, Base):
    """A request to pay less (少交) or nothing (免交) for a range of months.

    It takes effect only once approved: reviewed by the member's branch, then approved by the superior
    committee (2008 rules); rejected at either step.
    """

    __tablename__ = "dues_reductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    from_month: Mapped[date]
    to_month: Mapped[date]  # inclusive
    kind: Mapped[ReductionKind] = mapped_column(str_enum(ReductionKind))
    reduced_amount: Mapped[Decimal | None] = mapped_column(MONEY)  # the monthly amount payable instead
    reason: Mapped[str] = mapped_column(String(500))
    state: Mapped[ReductionState] = mapped_column(
        str_enum(ReductionState), default=ReductionState.REQUESTED, index=True
    )
    requested_by: Mapped[str] = mapped_column(String(128))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(500))

    def audit_org_id(self) -> int | None:
        return self.org_id
