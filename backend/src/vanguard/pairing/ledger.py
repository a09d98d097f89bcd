"""结对帮扶台账: coverage and outcomes for an org's subtree over a quarter or a year, per org.

Figures are computed per org (each org's own records) with grouped queries, and the subtree's totals
are the sums of those rows, so the rows always add up to the total. The register and the running pairs
are read on `as_of` (the period's end, or today while the period is still under way); visits, outcomes
and help given are counted from the period's start to `as_of`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from vanguard.core.clock import local_today
from vanguard.core.errors import InvalidInput
from vanguard.core.permissions import Scope
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.pairing.models import Beneficiary, BeneficiaryKind, Pair, PairStatus, Visit, VisitTask
from vanguard.pairing.schemas import (
    CoverageRead,
    PairingOrgLedger,
    PairingQuarterVisits,
)
from vanguard.pairing.service import in_scope, overlapping
from vanguard.posts.service import Period

ZERO = Decimal("0.00")


class PeriodInvalid(InvalidInput):
    code = "period_invalid"
    message_zh = "统计期间无效：按季度须同时给出年份，as_of 不能与年份同用，且期间不能晚于今天"
    message_en = (
        "Invalid period: a quarter needs a year, as_of excludes year, and the period cannot start after today"
    )


@dataclass(frozen=True, slots=True)
class LedgerPeriod:
    """The period counted and the day the register is read (`as_of` ≤ today, within the period)."""

    period: Period
    as_of: date

    @property
    def counted(self) -> Period:
        """Visits and outcomes count from the period's start up to `as_of`."""
        return Period(self.period.start, self.as_of)

    def quarters(self) -> list[tuple[int, int, Period]]:
        found: list[tuple[int, int, Period]] = []
        year, quarter = self.period.start.year, (self.period.start.month - 1) // 3 + 1
        while True:
            q = Period.quarter(year, quarter)
            if q.start > self.as_of or q.start > self.period.end:
                return found
            found.append((year, quarter, Period(q.start, min(q.end, self.as_of))))
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _period_error(field_name: str) -> PeriodInvalid:
    return PeriodInvalid.at(field_name, part="query")


def choose_period(
    *, year: int | None, quarter: int | None, as_of: date | None, today: date | None = None
) -> LedgerPeriod:
    """`year` (+ `quarter`): that year or quarter, read on its end (or today, if earlier); `as_of` alone:
    the quarter of that day, read on it; nothing: the current quarter, read today."""
    today = today or local_today()
    if as_of is not None:
        if year is not None or quarter is not None:
            raise _period_error("as_of")
        if as_of > today:
            raise _period_error("as_of")
        return LedgerPeriod(Period.quarter(as_of.year, (as_of.month - 1) // 3 + 1), as_of)
    if year is None:
        if quarter is not None:
            raise _period_error("year")
        return choose_period(year=None, quarter=None, as_of=today, today=today)
    period = Period.year(year) if quarter is None else Period.quarter(year, quarter)
    if period.start > today:
        raise _period_error("year")
    return LedgerPeriod(period, min(period.end, today))


def _share(part: int | Decimal, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.01")) if whole else ZERO


def running_on(day: date) -> ColumnElement[bool]:
    """Pairs running on a day: started by then, and still active or ended on or after it."""
    return (Pair.started_on <= day) & (
        (Pair.status == PairStatus.ACTIVE) | Pair.ends_on.is_(None) | (Pair.ends_on >= day)
    )


@dataclass(slots=True)
class _Tally:
    hardship_members: int = 0
    hardship_members_paired: int = 0
    households: int = 0
    households_paired: int = 0
    active_pairs: int = 0
    pairs_in_period: int = 0
    visits: int = 0
    overdue_tasks: int = 0
    pairs_completed: int = 0
    pairs_ended_early: int = 0
    money_given: Decimal = ZERO
    goods_value: Decimal = ZERO
    jobs_found: int = 0

    def add(self, other: _Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def is_empty(self) -> bool:
        return self == _Tally()

    def figures(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in self.__dataclass_fields__},
            "hardship_member_share": _share(self.hardship_members_paired, self.hardship_members),
            "household_share": _share(self.households_paired, self.households),
            "visits_per_pair": _share(self.visits, self.pairs_in_period),
        }


@dataclass(slots=True)
class _Tallies:
    by_org: defaultdict[int, _Tally] = field(default_factory=lambda: defaultdict(_Tally))

    def put(self, rows: Any, **columns: int) -> None:
        """Rows of (org_id, value…): add each value to the named field of that org's tally."""
        for row in rows:
            tally = self.by_org[row[0]]
            for name, index in columns.items():
                setattr(tally, name, getattr(tally, name) + (row[index] or 0))


def _registered_by(day: date) -> ColumnElement[bool]:
    return Beneficiary.created_at < datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def coverage(
    session: Session,
    scope: Scope,
    org_id: int,
    *,
    year: int | None = None,
    quarter: int | None = None,
    as_of: date | None = None,
    today: date | None = None,
) -> CoverageRead:
    org = orgs.get(session, scope, org_id)
    chosen = choose_period(year=year, quarter=quarter, as_of=as_of, today=today)
    subtree = Scope(org.path)
    d, counted = chosen.as_of, chosen.counted
    tallies = _Tallies()

    paired_on_d = select(Pair.beneficiary_id).where(running_on(d))
    registered = in_scope(
        select(
            Beneficiary.org_id,
            Beneficiary.kind,
            func.count(),
            func.count(Beneficiary.id).filter(Beneficiary.id.in_(paired_on_d)),
        ),
        subtree,
        Beneficiary.org_id,
    ).where(_registered_by(d))
    for org_key, kind, count, paired in session.execute(
        registered.group_by(Beneficiary.org_id, Beneficiary.kind)
    ).all():
        own = tallies.by_org[org_key]
        if kind is BeneficiaryKind.MEMBER:
            own.hardship_members += count
            own.hardship_members_paired += paired
        else:
            own.households += count
            own.households_paired += paired

    ended_in_period = (Pair.ends_on >= counted.start) & (Pair.ends_on <= counted.end)
    pairs = in_scope(
        select(
            Pair.org_id,
            func.count(Pair.id).filter(running_on(d)),
            func.count(Pair.id).filter(overlapping(counted)),
            func.count(Pair.id).filter(ended_in_period & (Pair.status == PairStatus.COMPLETED)),
            func.count(Pair.id).filter(ended_in_period & (Pair.status == PairStatus.ENDED_EARLY)),
        ),
        subtree,
        Pair.org_id,
    )
    tallies.put(
        session.execute(pairs.group_by(Pair.org_id)).all(),
        active_pairs=1,
        pairs_in_period=2,
        pairs_completed=3,
        pairs_ended_early=4,
    )

    visits = in_scope(
        select(
            Pair.org_id,
            func.count(Visit.id),
            func.sum(Visit.money_given),
            func.sum(Visit.goods_value),
            func.sum(Visit.jobs_found),
        ).join(Pair, Pair.id == Visit.pair_id),
        subtree,
        Pair.org_id,
    ).where(Visit.visited_on >= counted.start, Visit.visited_on <= counted.end)
    tallies.put(
        session.execute(visits.group_by(Pair.org_id)).all(),
        visits=1,
        money_given=2,
        goods_value=3,
        jobs_found=4,
    )

    # Overdue on d: opened by then, due before it, and neither visited nor closed by hand by then.
    closing_visit = select(Visit.visited_on).where(Visit.id == VisitTask.visit_id).scalar_subquery()
    overdue = in_scope(select(VisitTask.org_id, func.count(VisitTask.id)), subtree, VisitTask.org_id).where(
        VisitTask.occurred_on <= d,
        VisitTask.due_on < d,
        VisitTask.visit_id.is_(None) | (closing_visit > d),
        VisitTask.closed_on.is_(None) | (VisitTask.closed_on > d),
    )
    tallies.put(session.execute(overdue.group_by(VisitTask.org_id)).all(), overdue_tasks=1)

    total = _Tally()
    rows: list[PairingOrgLedger] = []
    orgs_found = {
        org_id: (name, path)
        for org_id, name, path in session.execute(
            select(Organisation.id, Organisation.name, Organisation.path).where(
                Organisation.id.in_(tallies.by_org.keys())
            )
        ).all()
    }
    for key in sorted(tallies.by_org, key=lambda k: orgs_found[k][1]):
        tally = tallies.by_org[key]
        if tally.is_empty():
            continue
        total.add(tally)
        rows.append(PairingOrgLedger(org_id=key, org_name=orgs_found[key][0], **tally.figures()))

    return CoverageRead(
        org_id=org.id,
        period_start=chosen.period.start,
        period_end=chosen.period.end,
        as_of=d,
        quarters=_quarters(session, subtree, chosen),
        orgs=rows,
        **total.figures(),
    )


def _quarters(session: Session, subtree: Scope, chosen: LedgerPeriod) -> list[PairingQuarterVisits]:
    found: list[PairingQuarterVisits] = []
    for year, quarter, q in chosen.quarters():
        pairs = session.scalar(
            in_scope(select(func.count(Pair.id)), subtree, Pair.org_id).where(overlapping(q))
        )
        visits = session.scalar(
            in_scope(
                select(func.count(Visit.id)).join(Pair, Pair.id == Visit.pair_id), subtree, Pair.org_id
            ).where(Visit.visited_on >= q.start, Visit.visited_on <= q.end)
        )
        found.append(
            PairingQuarterVisits(
                year=year,
                quarter=quarter,
                pairs=pairs or 0,
                visits=visits or 0,
                visits_per_pair=_share(visits or 0, pairs or 0),
            )
        )
    return found
