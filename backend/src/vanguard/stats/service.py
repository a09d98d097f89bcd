"""Member statistics over an organisation's subtree, in one aggregate query.

Every bucket of every breakdown is a `count(CASE WHEN … THEN 1 END)` column of a single statement
grouped by ethnicity (the one open-ended dimension): one scan of the subtree's members, one round trip,
plain SQL that PostgreSQL and SQLite both run. Date rules (ages, decades) become bound date cutoffs
computed here, so the SQL needs no dialect-specific date arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func
from sqlalchemy.orm import InstrumentedAttribute, Session

from vanguard.core import ethnicity, policy
from vanguard.core.clock import local_today
from vanguard.core.errors import FieldError, InvalidInput
from vanguard.core.permissions import Scope
from vanguard.members import service as members
from vanguard.members.models import Category, Education, Gender, Member, MemberStatus, Stage
from vanguard.orgs import service as orgs
from vanguard.stats.schemas import MemberStats

UNKNOWN = policy.STATS_UNKNOWN_BUCKET


@dataclass(frozen=True, slots=True)
class Bucket:
    dimension: str  # the MemberStats field it belongs to
    key: str
    condition: ColumnElement[bool]


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 28 February when that year has no 29 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _values(
    dimension: str, column: InstrumentedAttribute[Any], values: Iterable[StrEnum], *, unknown: bool = False
) -> list[Bucket]:
    buckets = [Bucket(dimension, value.value, column == value) for value in values]
    if unknown:
        buckets.append(Bucket(dimension, UNKNOWN, column.is_(None)))
    return buckets


def age_bands(as_of: date) -> list[Bucket]:
    """Whole years on `as_of`: someone is at most N years old when born after the day N+1 years earlier."""
    birth = Member.birth_date
    buckets: list[Bucket] = []
    older_cutoff: date | None = None  # born on or before it: too old for the bands so far
    for key, oldest in policy.STATS_AGE_BANDS:
        bounds: list[ColumnElement[bool]] = []
        if older_cutoff is not None:
            bounds.append(birth <= older_cutoff)
        if oldest is not None:
            older_cutoff = years_before(as_of, oldest + 1)
            bounds.append(birth > older_cutoff)
        buckets.append(Bucket("by_age_band", key, and_(*bounds)))
    buckets.append(Bucket("by_age_band", UNKNOWN, birth.is_(None)))
    return buckets


def join_decades(as_of: date, today: date) -> list[Bucket]:
    """Decades of `probationary_on` through the later of `as_of` and today, the last one open-ended."""
    joined = Member.probationary_on
    first = policy.STATS_FIRST_JOIN_DECADE
    last = max(as_of, today).year // 10 * 10
    buckets = [Bucket("by_join_decade", f"before_{first}", joined < date(first, 1, 1))]
    for start in range(first, last + 1, 10):
        condition = joined >= date(start, 1, 1)
        if start < last:
            condition = and_(condition, joined < date(start + 10, 1, 1))
        buckets.append(Bucket("by_join_decade", f"{start}s", condition))
    buckets.append(Bucket("by_join_decade", UNKNOWN, joined.is_(None)))
    return buckets


def buckets(as_of: date, today: date) -> list[Bucket]:
    return [
        *_values("by_category", Member.category, Category),
        *_values("by_gender", Member.gender, Gender),
        *age_bands(as_of),
        *_values("by_education", Member.education, Education, unknown=True),
        *_values("by_stage", Member.stage, Stage),
        *join_decades(as_of, today),
    ]


def _check_as_of(as_of: date) -> None:
    earliest, latest = policy.STATS_AS_OF_YEARS
    if not earliest <= as_of.year <= latest:
        zh = f"统计日期应在{earliest}年至{latest}年之间"
        en = f"as_of must fall in the years {earliest}–{latest}"
        raise InvalidInput(zh, en, errors=[FieldError.of("query.as_of", "out_of_range", zh, en)])


def _tally(session: Session, subtree: Scope, columns: Sequence[Bucket]) -> tuple[dict[str, int], list[int]]:
    """Members per ethnicity, and per bucket, in one statement."""
    stmt = (
        members.readable(subtree)
        .with_only_columns(
            Member.ethnicity, func.count(), *(func.count(case((b.condition, 1))) for b in columns)
        )
        .where(Member.status == MemberStatus.NORMAL)
        .group_by(Member.ethnicity)
    )
    by_ethnicity = dict.fromkeys((*ethnicity.ETHNIC_GROUPS, ethnicity.OTHER), 0)
    counts = [0] * len(columns)
    for name, total, *per_bucket in session.execute(stmt):
        by_ethnicity[name if name in by_ethnicity else ethnicity.OTHER] += total
        counts = [a + b for a, b in zip(counts, per_bucket, strict=True)]
    return by_ethnicity, counts


def member_stats(
    session: Session, scope: Scope, org_id: int | None, *, as_of: date | None = None
) -> MemberStats:
    today = local_today()
    as_of = as_of or today
    _check_as_of(as_of)
    org = orgs.requested_or_root(session, scope, org_id)
    columns = buckets(as_of, today)
    by_ethnicity, counts = _tally(session, Scope(org.path) if org else Scope.everything(), columns)
    breakdowns: dict[str, dict[str, int]] = {}
    for bucket, count in zip(columns, counts, strict=True):
        breakdowns.setdefault(bucket.dimension, {})[bucket.key] = count
    total = sum(by_ethnicity.values())
    population = org.population if org else None
    return MemberStats.model_validate(
        {
            "org_id": org.id if org else None,
            "as_of": as_of,
            "total": total,
            "population": population,
            "share_of_population": total / population if population else None,
            "by_ethnicity": by_ethnicity,
            **breakdowns,
        }
    )
