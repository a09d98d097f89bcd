"""Party dues (党费) under the 2008 rules (关于中国共产党党费收缴、使用和管理的规定).

The rules are pure functions at the top (`monthly_due`, `liability`, `DuesTerms.line`, `arrears_of`);
the records below them are always reached through the member roll (`members.service.readable` /
`get_member`), so another subtree's member is `member_not_found` and its dues are invisible.

Decisions worth knowing:
- Each month stands alone. Paying more than is payable is a voluntary extra (the rules: 党员自愿多交党费
  不限), never a credit against another month; paying a later month ahead is a prepayment, allowed up to
  `DUES_MAX_PREPAY_MONTHS` ahead (the rules allow quarterly payment with the branch's consent).
- Payments are a ledger: one regular payment per member and month, then only corrections (a top-up or a
  negative reversal, with a note); nothing is edited or deleted.
- A month is owed from the month the member was approved as probationary member (`probationary_on`,
  else `full_member_on`) until the month before they left (`left_on`, for a member no longer normal),
  and only while the member is a probationary or full member; applicants and activists pay nothing.
- A month's amount needs a dues base in effect: months without one show as `no_base` and are never
  counted as arrears, since what is owed is unknown.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, Select, exists, func, select, true
from sqlalchemy.orm import Session

from vanguard.core import policy
from vanguard.core.clock import local_today
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, scan_by_id
from vanguard.core.permissions import Principal, Scope
from vanguard.dues.errors import (
    AmountInvalid,
    AsOfInFuture,
    BaseBeforeRules,
    BaseMissing,
    CorrectionBelowZero,
    CorrectionNeedsNote,
    FixedAmountNotApplicable,
    IncomeNegative,
    IncomeRequired,
    MonthAlreadyPaid,
    NothingToCorrect,
    NotPayable,
    PaidOnInFuture,
    PrepaymentTooFar,
    RuralAmountOutOfRange,
    RuralAmountRequired,
)
from vanguard.dues.models import (
    DuesBase,
    DuesPayment,
    DuesReduction,
    PaymentKind,
    ReductionKind,
    ReductionState,
)
from vanguard.dues.schemas import (
    ArrearsItem,
    ArrearsSummary,
    DuesBaseRead,
    DuesBaseSet,
    DuesStatement,
    MonthStatus,
    PaymentCreate,
    PaymentRead,
    StatementMonth,
    StatementTotals,
)
from vanguard.members.models import Category, Member, MemberStatus, Stage
from vanguard.members.service import get_member
from vanguard.members.service import readable as readable_members
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

# 流动党员 (floating) and 非公企业 (non_public) members pay on their income exactly like employed members.
EMPLOYED_RATED = frozenset({Category.EMPLOYED, Category.FLOATING, Category.NON_PUBLIC})
INCOME_RATED = EMPLOYED_RATED | {Category.RETIRED}
# Students, laid-off workers (unemployed) and minimum-allowance recipients (low_income) pay a flat amount.
FLAT_RATE = frozenset({Category.STUDENT, Category.UNEMPLOYED, Category.LOW_INCOME})
PAYING_STAGES = frozenset({Stage.PROBATIONARY, Stage.FULL})


# Months ------------------------------------------------------------------------------------------


def month_of(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included."""
    span = (last.year - first.year) * 12 + last.month - first.month
    return [add_months(first, i) for i in range(span + 1)]


# The rules ---------------------------------------------------------------------------------------


def monthly_due(category: Category, income_or_fixed: Decimal | None) -> Decimal:
    """The month's dues for a category and its base: after-tax income, or the rural fixed amount.

    The whole income is charged at the rate of its band; band upper bounds are inclusive; rounded
    half-up to the fen.
    """
    if category in FLAT_RATE:
        return policy.DUES_FLAT_MONTHLY
    if category is Category.RURAL:
        if income_or_fixed is None:
            raise RuralAmountRequired()
        if not policy.DUES_RURAL_MIN_MONTHLY <= income_or_fixed <= policy.DUES_RURAL_MAX_MONTHLY:
            raise RuralAmountOutOfRange()
        return income_or_fixed.quantize(FEN, ROUND_HALF_UP)
    if income_or_fixed is None:
        raise IncomeRequired()
    if income_or_fixed < 0:
        raise IncomeNegative()
    bands = policy.DUES_RETIRED_BANDS if category is Category.RETIRED else policy.DUES_EMPLOYED_BANDS
    for upper, rate in bands:
        if upper is None or income_or_fixed <= upper:
            return (income_or_fixed * rate).quantize(FEN, ROUND_HALF_UP)
    raise AssertionError("the last band is open-ended")  # pragma: no cover


def basis_of(base: DuesBase) -> Decimal | None:
    """What the base charges on: the income, the rural fixed amount, or nothing for flat rates."""
    if base.category is Category.RURAL:
        return base.fixed_amount
    if base.category in INCOME_RATED:
        return base.monthly_income
    return None


@dataclass(frozen=True, slots=True)
class Liability:
    """The months a member owes dues for: from `start` (None: unknown, the first base decides) up to,
    not including, `end` (None: still a member)."""

    start: date | None
    end: date | None

    def covers(self, month: date) -> bool:
        return (self.start is None or month >= self.start) and (self.end is None or month < self.end)


def liability(member: Member) -> Liability | None:
    """None for those who pay nothing (applicants, activists, candidates)."""
    if member.stage not in PAYING_STAGES:
        return None
    joined = member.probationary_on or member.full_member_on
    left = member.left_on if member.status is not MemberStatus.NORMAL else None
    return Liability(month_of(joined) if joined else None, month_of(left) if left else None)


@dataclass(frozen=True, slots=True)
class MonthLine:
    month: date
    status: MonthStatus
    category: Category | None = None
    basis: Decimal | None = None
    due: Decimal | None = None
    reduction: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def payable(self) -> Decimal | None:
        return None if self.due is None else self.due - self.reduction

    @property
    def balance(self) -> Decimal | None:
        payable = self.payable
        return None if payable is None else payable - self.paid

    @property
    def outstanding(self) -> Decimal:
        balance = self.balance
        if self.status in (MonthStatus.UNPAID, MonthStatus.PARTIAL) and balance is not None:
            return balance
        return ZERO

    @property
    def extra(self) -> Decimal:
        balance = self.balance
        return -balance if self.status is MonthStatus.OVERPAID and balance is not None else ZERO


@dataclass(frozen=True, slots=True)
class DuesTerms:
    """Everything that decides what a member owes: who they are, their bases, their approved reductions."""

    liability: Liability | None
    bases: Sequence[DuesBase] = ()  # by effective_from
    reductions: Sequence[DuesReduction] = ()  # approved ones only
    _starts: list[date] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self._starts.extend(b.effective_from for b in self.bases)

    def base_for(self, month: date) -> DuesBase | None:
        i = bisect.bisect_right(self._starts, month)
        return self.bases[i - 1] if i else None

    def reduction_for(self, month: date, due: Decimal) -> Decimal:
        for r in self.reductions:
            if r.from_month <= month <= r.to_month:
                if r.kind is ReductionKind.WAIVER or r.reduced_amount is None:
                    return due
                return max(due - r.reduced_amount, ZERO)
        return ZERO

    def line(self, month: date, paid: Decimal, *, due_through: date) -> MonthLine:
        """The month's account; months after `due_through` are not yet due."""
        if self.liability is None or not self.liability.covers(month):
            return MonthLine(month, MonthStatus.NOT_LIABLE, paid=paid)
        base = self.base_for(month)
        if base is None:
            return MonthLine(month, MonthStatus.NO_BASE, paid=paid)
        basis = basis_of(base)
        due = monthly_due(base.category, basis)
        reduction = self.reduction_for(month, due)
        payable = due - reduction
        if paid > payable:
            status = MonthStatus.OVERPAID
        elif paid == payable:
            status = MonthStatus.WAIVED if reduction > 0 and payable == 0 else MonthStatus.PAID
        elif month > due_through:
            status = MonthStatus.NOT_YET_DUE
        elif paid <= 0:
            status = MonthStatus.UNPAID
        else:
            status = MonthStatus.PARTIAL
        return MonthLine(month, status, base.category, basis, due, reduction, paid)

    def arrears_months(self, through: date) -> list[date]:
        """The months that can be in arrears by `through`: owed, and with a base in effect."""
        if self.liability is None or not self.bases:
            return []
        first = self.bases[0].effective_from
        if self.liability.start is not None and self.liability.start > first:
            first = self.liability.start
        last = through
        if self.liability.end is not None and self.liability.end <= last:
            last = add_months(self.liability.end, -1)
        return months_between(first, last) if first <= last else []


@dataclass(frozen=True, slots=True)
class Arrears:
    amount: Decimal
    months: int
    oldest: date | None
    consecutive_unpaid: int

    @property
    def lapse_warning(self) -> bool:
        return self.consecutive_unpaid >= policy.DUES_LAPSE_MONTHS


def arrears_of(lines: Sequence[MonthLine]) -> Arrears:
    """What is still owed over consecutive months; the unpaid run is the one ending with the last month."""
    owed = [line for line in lines if line.outstanding > 0]
    run = 0
    for line in reversed(lines):
        if line.status is not MonthStatus.UNPAID:
            break
        run += 1
    return Arrears(
        amount=sum((line.outstanding for line in owed), ZERO),
        months=len(owed),
        oldest=owed[0].month if owed else None,
        consecutive_unpaid=run,
    )


# Loading -----------------------------------------------------------------------------------------


def _terms(session: Session, members: Sequence[Member]) -> dict[int, DuesTerms]:
    ids = [m.id for m in members]
    bases: dict[int, list[DuesBase]] = defaultdict(list)
    for base in session.scalars(
        select(DuesBase).where(DuesBase.member_id.in_(ids)).order_by(DuesBase.effective_from)
    ):
        bases[base.member_id].append(base)
    reductions: dict[int, list[DuesReduction]] = defaultdict(list)
    for reduction in session.scalars(
        select(DuesReduction).where(
            DuesReduction.member_id.in_(ids), DuesReduction.state == ReductionState.APPROVED
        )
    ):
        reductions[reduction.member_id].append(reduction)
    return {m.id: DuesTerms(liability(m), bases[m.id], reductions[m.id]) for m in members}


def _paid_by_month(
    session: Session, member_ids: Iterable[int], *, through: date | None = None
) -> dict[int, dict[date, Decimal]]:
    stmt = (
        select(DuesPayment.member_id, DuesPayment.month, func.sum(DuesPayment.amount))
        .where(DuesPayment.member_id.in_(list(member_ids)))
        .group_by(DuesPayment.member_id, DuesPayment.month)
    )
    if through is not None:
        stmt = stmt.where(DuesPayment.month <= through)
    paid: dict[int, dict[date, Decimal]] = defaultdict(dict)
    for member_id, month, total in session.execute(stmt):
        paid[member_id][month] = Decimal(total).quantize(FEN, ROUND_HALF_UP)
    return paid


def _lines(
    terms: DuesTerms, months: Iterable[date], paid: Mapping[date, Decimal], due_through: date
) -> list[MonthLine]:
    return [terms.line(m, paid.get(m, ZERO), due_through=due_through) for m in months]


# Bases -------------------------------------------------------------------------------------------


def base_read(base: DuesBase) -> DuesBaseRead:
    fields = {name: getattr(base, name) for name in DuesBaseRead.model_fields if name != "monthly_due"}
    return DuesBaseRead.model_validate({**fields, "monthly_due": monthly_due(base.category, basis_of(base))})


def set_base(
    session: Session, scope: Scope, member_id: int, data: DuesBaseSet, if_match: str | None = None
) -> DuesBase:
    """Set the member's base from a month on; the same month again replaces that month's base."""
    member = get_member(session, scope, member_id, for_update=True)
    if data.effective_from < month_of(policy.DUES_RULES_IN_FORCE_FROM):
        raise BaseBeforeRules()
    category = data.category or member.category
    if data.fixed_amount is not None and category is not Category.RURAL:
        raise FixedAmountNotApplicable()
    monthly_due(category, data.fixed_amount if category is Category.RURAL else data.monthly_income)
    base = session.scalars(
        select(DuesBase)
        .where(DuesBase.member_id == member.id, DuesBase.effective_from == data.effective_from)
        .with_for_update()
    ).one_or_none()
    if base is None:
        base = DuesBase(member_id=member.id, effective_from=data.effective_from)
        session.add(base)
    else:
        check_if_match(if_match, base.version)
    base.org_id = member.org_id
    base.category = category
    base.monthly_income = data.monthly_income
    base.fixed_amount = data.fixed_amount
    base.note = data.note
    session.flush()
    return base


def list_bases(session: Session, scope: Scope, member_id: int) -> list[DuesBaseRead]:
    member = get_member(session, scope, member_id)
    bases = session.scalars(
        select(DuesBase).where(DuesBase.member_id == member.id).order_by(DuesBase.effective_from)
    )
    return [base_read(b) for b in bases]


# Payments ----------------------------------------------------------------------------------------


def record_payment(
    session: Session, caller: Principal, member_id: int, data: PaymentCreate, *, today: date | None = None
) -> DuesPayment:
    today = today or local_today()
    # Locking the member serialises payments for them: the one-regular-payment check cannot race.
    member = get_member(session, caller.scope, member_id, for_update=True)
    if data.paid_on > today:
        raise PaidOnInFuture()
    existing = session.execute(
        select(DuesPayment.kind, DuesPayment.amount).where(
            DuesPayment.member_id == member.id, DuesPayment.month == data.month
        )
    ).all()
    has_regular = any(kind is PaymentKind.REGULAR for kind, _ in existing)
    if data.kind is PaymentKind.REGULAR:
        terms = _terms(session, [member])[member.id]
        if terms.liability is None or not terms.liability.covers(data.month):
            raise NotPayable()
        if data.month > add_months(month_of(today), policy.DUES_MAX_PREPAY_MONTHS):
            raise PrepaymentTooFar()
        if terms.base_for(data.month) is None:
            raise BaseMissing()
        if data.amount <= 0:
            raise AmountInvalid()
        if has_regular:
            raise MonthAlreadyPaid()
    else:
        # A correction fixes money already recorded, so it stays possible even if the member's dates or
        # bases were corrected since and the month is no longer owed.
        if data.amount == 0:
            raise AmountInvalid()
        if not (data.note and data.note.strip()):
            raise CorrectionNeedsNote()
        if not has_regular:
            raise NothingToCorrect()
        if sum((Decimal(amount) for _, amount in existing), ZERO) + data.amount < 0:
            raise CorrectionBelowZero()
    payment = DuesPayment(
        member_id=member.id,
        org_id=member.org_id,
        month=data.month,
        kind=data.kind,
        amount=data.amount,
        paid_on=data.paid_on,
        method=data.method,
        collector=data.collector or caller.name,
        note=data.note,
    )
    session.add(payment)
    session.flush()
    return payment


# Statement and arrears ---------------------------------------------------------------------------


def statement(
    session: Session, scope: Scope, member_id: int, year: int, *, today: date | None = None
) -> DuesStatement:
    """The member's year, month by month, with their arrears (all years) as of the current month."""
    current = month_of(today or local_today())
    member = get_member(session, scope, member_id)
    terms = _terms(session, [member])[member.id]
    payments: dict[date, list[PaymentRead]] = defaultdict(list)
    for p in session.scalars(
        select(DuesPayment)
        .where(
            DuesPayment.member_id == member.id,
            DuesPayment.month >= date(year, 1, 1),
            DuesPayment.month <= date(year, 12, 1),
        )
        .order_by(DuesPayment.month, DuesPayment.id)
    ):
        payments[p.month].append(PaymentRead.model_validate(p))
    paid = _paid_by_month(session, [member.id]).get(member.id, {})
    lines = _lines(terms, months_between(date(year, 1, 1), date(year, 12, 1)), paid, current)
    owed = arrears_of(_lines(terms, terms.arrears_months(current), paid, current))
    return DuesStatement(
        member_id=member.id,
        member_name=member.name,
        year=year,
        months=[_statement_month(line, payments[line.month]) for line in lines],
        totals=StatementTotals(
            due=sum((line.due or ZERO for line in lines), ZERO),
            reduction=sum((line.reduction for line in lines), ZERO),
            payable=sum((line.payable or ZERO for line in lines), ZERO),
            paid=sum((line.paid for line in lines), ZERO),
            outstanding=sum((line.outstanding for line in lines), ZERO),
            extra=sum((line.extra for line in lines), ZERO),
        ),
        arrears=ArrearsSummary(
            amount=owed.amount,
            months=owed.months,
            oldest_month=owed.oldest,
            consecutive_unpaid_months=owed.consecutive_unpaid,
            lapse_warning=owed.lapse_warning,
        ),
    )


def _statement_month(line: MonthLine, payments: list[PaymentRead]) -> StatementMonth:
    return StatementMonth(
        month=line.month,
        status=line.status,
        category=line.category,
        basis=line.basis,
        due=line.due,
        reduction=line.reduction,
        payable=line.payable,
        paid=line.paid,
        balance=line.balance,
        payments=payments,
    )


def _in_org(session: Session, scope: Scope, org_id: int | None) -> ColumnElement[bool]:
    """Members of the org's subtree (the org must be visible to the caller), or no extra filter."""
    if org_id is None:
        return true()
    org = orgs.get(session, scope, org_id)
    return Member.org_id.in_(select(Organisation.id).where(Organisation.path.like(org.path + "%")))


def list_arrears(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    as_of: date | None,
    cursor: str | None,
    limit: int,
    today: date | None = None,
) -> Page[ArrearsItem]:
    """Members (normal, probationary or full) with something still owed for months up to `as_of`.

    Members are scanned in id order, a bounded number per request: a page may hold fewer than `limit`
    items and still have a `next_cursor`; the list ends when `next_cursor` is null.
    """
    current = month_of(today or local_today())
    through = as_of or current
    if through > current:
        raise AsOfInFuture()
    stmt: Select[Member] = readable_members(scope).where(
        _in_org(session, scope, org_id),
        Member.status == MemberStatus.NORMAL,
        Member.stage.in_(PAYING_STAGES),
        exists(select(DuesBase.id).where(DuesBase.member_id == Member.id)),
    )

    def owing(batch: Sequence[Member]) -> dict[int, ArrearsItem]:
        owed_by = arrears_for(session, batch, through)
        return {
            member.id: _arrears_item(member, owed)
            for member in batch
            if (owed := owed_by[member.id]).amount > 0 and owed.oldest is not None
        }

    return scan_by_id(
        session,
        stmt,
        Member.id,
        cursor=cursor,
        limit=limit,
        batch_size=policy.DUES_ARREARS_SCAN_BATCH,
        budget=policy.DUES_ARREARS_SCAN_BUDGET,
        keep=owing,
    )


def arrears_for(session: Session, members: Sequence[Member], through: date) -> dict[int, Arrears]:
    """What each of `members` (already scoped by the caller) owes for the months up to `through`."""
    terms = _terms(session, members)
    paid = _paid_by_month(session, [m.id for m in members], through=through)
    return {
        m.id: arrears_of(_lines(terms[m.id], terms[m.id].arrears_months(through), paid[m.id], through))
        for m in members
    }


def _arrears_item(member: Member, owed: Arrears) -> ArrearsItem:
    assert owed.oldest is not None
    return ArrearsItem(
        member_id=member.id,
        member_name=member.name,
        org_id=member.org_id,
        months_unpaid=owed.months,
        amount_owed=owed.amount,
        oldest_unpaid_month=owed.oldest,
        consecutive_unpaid_months=owed.consecutive_unpaid,
        lapse_warning=owed.lapse_warning,
    )


# For scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DuesFacts:
    """One member's dues for the months of a period that are over: months with something payable,
    those paid in full by the month's last day (on time), and those that were not (late or still owed).
    Waived months, months without a base and months before joining or after leaving count in none."""

    member_id: int
    months_payable: int = 0
    months_on_time: int = 0
    months_late: int = 0


def dues_facts(
    session: Session,
    scope: Scope,
    member_ids: Iterable[int],
    first: date,
    last: date,
    *,
    today: date | None = None,
) -> dict[int, DuesFacts]:
    """`DuesFacts` for each requested member the caller can see, for the months from `first` to `last`
    (days; only months whose last day is before `today` count). Members outside the scope are left out."""
    today = today or local_today()
    wanted = sorted(set(member_ids))
    months = [m for m in months_between(month_of(first), month_of(last)) if add_months(m, 1) <= today]
    out: dict[int, DuesFacts] = {}
    for i in range(0, len(wanted), policy.DUES_ARREARS_SCAN_BATCH):
        batch = session.scalars(
            readable_members(scope).where(Member.id.in_(wanted[i : i + policy.DUES_ARREARS_SCAN_BATCH]))
        ).all()
        if not batch or not months:
            out.update({m.id: DuesFacts(m.id) for m in batch})
            continue
        terms = _terms(session, batch)
        in_time: dict[int, dict[date, Decimal]] = defaultdict(dict)
        for member_id, month, amount, paid_on in session.execute(
            select(DuesPayment.member_id, DuesPayment.month, DuesPayment.amount, DuesPayment.paid_on).where(
                DuesPayment.member_id.in_([m.id for m in batch]),
                DuesPayment.month >= months[0],
                DuesPayment.month <= months[-1],
            )
        ):
            if paid_on < add_months(month, 1):  # paid by the month's last day (or ahead)
                in_time[member_id][month] = in_time[member_id].get(month, ZERO) + Decimal(amount)
        for member in batch:
            payable = on_time = 0
            for month in months:
                line = terms[member.id].line(month, ZERO, due_through=month)
                owed = line.payable
                if line.status is MonthStatus.NOT_LIABLE or owed is None or owed <= 0:
                    continue
                payable += 1
                on_time += in_time[member.id].get(month, ZERO) >= owed
            out[member.id] = DuesFacts(member.id, payable, on_time, payable - on_time)
    return dict(sorted(out.items()))
