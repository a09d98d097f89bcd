"""Compliance report (组织生活): for every organisation of a subtree that the frequency rules of
core/policy.py bind, the periods of each required meeting it missed, its attendance rate and its members
below the annual minimum of study hours.

Set-based: a fixed handful of grouped queries answers the whole subtree (a county: ~800 orgs, ~20,000
members) however large it is, and the figures are put together here. The summary needs every org's
figures anyway, so the subtree is computed once, sorted in memory and paged with the (sort value, id)
keyset cursor of `paginate_sorted`.

Periods are calendar months and quarters in China time (CST). A period counts only once it is over on
the reporting date `as_of` (a quarter still running is not missed yet), and activities after `as_of` are
not counted; a period that began before the org was established is not required of it.

Expected attendees are study.service's: the roll of the activity's org at the meeting's day (a group's
roll is its parent branch's), or the activity's explicit list when it has one, plus anyone recorded, as
the meeting's attendance list shows them. The common case (the roll) is counted here in SQL — current
roll × meetings, plus members who left on or after a meeting's day, plus recorded members off the roll —
and activities with an explicit list go through `service.expected_member_ids`. Study hours are
`service.study_facts`' (hours of activities attended plus make-up study, by the activity's date).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Select, Subquery, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from vanguard.core import policy
from vanguard.core.clock import CST, local_today
from vanguard.core.errors import FieldError, InvalidInput
from vanguard.core.pagination import decode_sort_cursor, encode_sort_cursor
from vanguard.core.permissions import Scope, in_subtree
from vanguard.members.models import Member, MemberStatus, Stage
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation, OrgKind, OrgStatus
from vanguard.study import service
from vanguard.study.models import (
    Activity,
    ActivityAttendee,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Makeup,
)
from vanguard.study.schemas import (
    AttendanceTally,
    ComplianceOrder,
    CompliancePeriod,
    ComplianceReport,
    ComplianceSort,
    ComplianceSummary,
    KindCompliance,
    OrgCompliance,
)

Frequency = Literal["month", "quarter"]
_FREQUENCIES: dict[str, Frequency] = {"month": "month", "quarter": "quarter"}
_ID_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class Rule:
    """One line of policy.STUDY_FREQUENCY_RULES."""

    kind: ActivityKind
    frequency: Frequency
    times: int
    org_kinds: frozenset[OrgKind]
    min_party_members: int


RULES = tuple(
    Rule(ActivityKind(kind), _FREQUENCIES[freq], times, frozenset(OrgKind(k) for k in org_kinds), least)
    for kind, freq, times, org_kinds, least in policy.STUDY_FREQUENCY_RULES
)
ATTENDANCE_KINDS = frozenset(ActivityKind(k) for k in policy.STUDY_ATTENDANCE_KINDS)
BOUND_ORG_KINDS = frozenset(k for rule in RULES for k in rule.org_kinds)
_COUNTED_KINDS = frozenset(rule.kind for rule in RULES) | ATTENDANCE_KINDS
PARTY_STAGES = (Stage.PROBATIONARY, Stage.FULL)


class BadComplianceQuery(InvalidInput):
    code = "compliance_query_invalid"
    message_zh = "合规报告查询参数有误"
    message_en = "Invalid compliance report query"


def _bad(field: str, zh: str, en: str) -> BadComplianceQuery:
    return BadComplianceQuery(zh, en, errors=[FieldError.of(f"query.{field}", "out_of_range", zh, en)])


# --- the calendar ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: date
    end: date  # exclusive
    months: range  # 0-based month indexes within the year


@dataclass(frozen=True, slots=True)
class Calendar:
    year: int
    as_of: date

    def month_start(self, index: int) -> date:
        """The first day of month `index` (0-based; 12 is the next January)."""
        return date(self.year + index // 12, index % 12 + 1, 1)

    def instant(self, day: date) -> datetime:
        return datetime.combine(day, time(), CST)

    @property
    def lo(self) -> datetime:
        return self.instant(self.month_start(0))

    @property
    def hi(self) -> datetime:
        """Activities before this instant count: the end of `as_of`, or of the year if earlier."""
        return min(self.instant(self.as_of + timedelta(days=1)), self.instant(self.month_start(12)))

    def periods(self, frequency: Frequency) -> list[Period]:
        """The periods begun by `as_of`."""
        if frequency == "month":
            spans = [(f"{self.year}-{m + 1:02d}", range(m, m + 1)) for m in range(12)]
        else:
            spans = [(f"{self.year}-Q{q + 1}", range(3 * q, 3 * q + 3)) for q in range(4)]
        return [
            Period(label, self.month_start(months.start), self.month_start(months.stop), months)
            for label, months in spans
            if self.month_start(months.start) <= self.as_of
        ]


# --- the subtree ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Org:
    id: int
    name: str
    kind: OrgKind
    parent_id: int | None
    path: str
    established_on: date | None
    roll_path: str = ""  # whose roll its activities cover


def _bound(subtree: Scope, as_of: date) -> tuple[Any, ...]:
    """The orgs the rules bind: active, of a bound kind, established by `as_of`, in the subtree."""
    return (
        subtree.clause(Organisation.path),
        Organisation.kind.in_(BOUND_ORG_KINDS),
        Organisation.status == OrgStatus.ACTIVE,
        or_(Organisation.established_on.is_(None), Organisation.established_on <= as_of),
    )


def _bound_orgs(session: Session, subtree: Scope, as_of: date) -> dict[int, Org]:
    """The bound orgs, each with its roll path (a group's is its parent branch's, as in study.service)."""
    columns = (
        Organisation.id,
        Organisation.name,
        Organisation.kind,
        Organisation.parent_id,
        Organisation.path,
        Organisation.established_on,
    )
    found = {row[0]: Org(*row) for row in session.execute(select(*columns).where(*_bound(subtree, as_of)))}
    groups = [o for o in found.values() if o.kind is OrgKind.GROUP and o.parent_id is not None]
    parents = _paths(session, {o.parent_id for o in groups if o.parent_id is not None})
    for o in found.values():
        o.roll_path = o.path
    for o in groups:
        o.roll_path = parents[o.parent_id] if o.parent_id is not None else o.path
    return found


def _in_window(cal: Calendar, kinds: Iterable[ActivityKind]) -> tuple[Any, ...]:
    return (Activity.kind.in_(list(kinds)), Activity.starts_at >= cal.lo, Activity.starts_at < cal.hi)


def _meeting_ids(subtree: Scope, cal: Calendar) -> Select[Any]:
    """The bound orgs' meetings of the whole roll in the window."""
    return (
        select(Activity.id)
        .join(Organisation, Organisation.id == Activity.org_id)
        .where(*_bound(subtree, cal.as_of), *_in_window(cal, ATTENDANCE_KINDS))
    )


# --- the queries ---------------------------------------------------------------------------------


def _monthly_counts(
    session: Session, subtree: Scope, cal: Calendar
) -> dict[tuple[int, ActivityKind], list[int]]:
    """Activities per (org, kind), one count per month: a row per org and kind, not per activity."""
    bounds = [cal.instant(cal.month_start(m)) for m in range(13)]
    months = [
        func.count(case((and_(Activity.starts_at >= bounds[m], Activity.starts_at < bounds[m + 1]), 1)))
        for m in range(12)
    ]
    stmt = (
        select(Activity.org_id, Activity.kind, *months)
        .join(Organisation, Organisation.id == Activity.org_id)
        .where(*_bound(subtree, cal.as_of), *_in_window(cal, _COUNTED_KINDS))
        .group_by(Activity.org_id, Activity.kind)
    )
    return {(org_id, kind): list(counts) for org_id, kind, *counts in session.execute(stmt)}


def _hours_per_member(roll_base: Scope, cal: Calendar) -> Subquery:
    """Study hours of each member under `roll_base`, as `service.study_facts` sums them."""
    on_roll = (
        select(Member.id)
        .join(Organisation, Organisation.id == Member.org_id)
        .where(roll_base.clause(Organisation.path))
    )
    window = (Activity.starts_at >= cal.lo, Activity.starts_at < cal.hi)
    attended = (
        select(Attendance.member_id.label("member_id"), Activity.hours.label("hours"))
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Attendance.status == AttendanceStatus.PRESENT, Attendance.member_id.in_(on_roll), *window)
    )
    made_up = (
        select(Makeup.member_id.label("member_id"), Makeup.hours.label("hours"))
        .join(Activity, Activity.id == Makeup.activity_id)
        .where(Makeup.member_id.in_(on_roll), *window)
    )
    both = union_all(attended, made_up).subquery()
    return (
        select(both.c.member_id, func.sum(both.c.hours).label("hours")).group_by(both.c.member_id).subquery()
    )


@dataclass(slots=True)
class RollCounts:
    """Per org path, over its subtree: members on the roll, Party members, members under the minimum."""

    members: dict[str, int]
    party: dict[str, int]
    under_min: dict[str, int]
    paths: dict[int, str]  # of the orgs members are in


def _ancestors(path: str) -> Iterable[str]:
    """`/1/7/42/` → `/1/`, `/1/7/`, `/1/7/42/`."""
    ids = path.strip("/").split("/")
    return ("/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids)))


def _roll_counts(session: Session, roll_base: Scope, cal: Calendar) -> RollCounts:
    hours = _hours_per_member(roll_base, cal)
    # Hours are multiples of 0.1: half a tenth below the minimum tells "below" from "exactly at" whatever
    # the floating-point error of a SQLite sum.
    threshold = literal(float(policy.STUDY_MIN_ANNUAL_HOURS - Decimal("0.05")))
    stmt = (
        select(
            Organisation.id,
            Organisation.path,
            func.count(),
            func.count(case((Member.stage.in_(PARTY_STAGES), 1))),
            func.count(case((func.coalesce(hours.c.hours, 0) < threshold, 1))),
        )
        .select_from(Member)
        .join(Organisation, Organisation.id == Member.org_id)
        .outerjoin(hours, hours.c.member_id == Member.id)
        .where(roll_base.clause(Organisation.path), Member.status == MemberStatus.NORMAL)
        .group_by(Organisation.id, Organisation.path)
    )
    counts = RollCounts(defaultdict(int), defaultdict(int), defaultdict(int), {})
    for org_id, path, total, party, under in session.execute(stmt):
        counts.paths[org_id] = path
        for prefix in _ancestors(path):
            counts.members[prefix] += total
            counts.party[prefix] += party
            counts.under_min[prefix] += under
    return counts


@dataclass(slots=True)
class Tally:
    meetings: int = 0
    expected: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0

    def add(self, other: Tally) -> None:
        self.meetings += other.meetings
        self.expected += other.expected
        self.present += other.present
        self.excused += other.excused
        self.absent += other.absent

    @property
    def rate(self) -> float | None:
        return round(self.present / self.expected, 4) if self.expected else None

    def read(self) -> AttendanceTally:
        return AttendanceTally(
            meetings=self.meetings,
            expected=self.expected,
            present=self.present,
            excused=self.excused,
            absent=self.absent,
            unrecorded=self.expected - self.present - self.excused - self.absent,
            rate=self.rate,
        )


def _attendance(
    session: Session,
    subtree: Scope,
    roll_base: Scope,
    cal: Calendar,
    bound: dict[int, Org],
    monthly: dict[tuple[int, ActivityKind], list[int]],
    rolls: RollCounts,
) -> dict[int, Tally]:
    """Meetings, expected attendees and recorded statuses per org (see the module docstring)."""
    tallies = {org_id: Tally() for org_id in bound}
    meetings = _meeting_ids(subtree, cal)
    listed_ids = meetings.where(Activity.id.in_(select(ActivityAttendee.activity_id)))

    for (org_id, kind), months in monthly.items():
        if kind in ATTENDANCE_KINDS and org_id in tallies:
            tallies[org_id].meetings += sum(months)

    # Activities with an explicit list of expected attendees: few; the service's own rule, one by one.
    listed = list(session.scalars(select(Activity).where(Activity.id.in_(listed_ids))))
    recorded: dict[int, set[int]] = defaultdict(set)
    for activity_id, member_id in session.execute(
        select(Attendance.activity_id, Attendance.member_id).where(Attendance.activity_id.in_(listed_ids))
    ):
        recorded[activity_id].add(member_id)
    listed_count: dict[int, int] = defaultdict(int)
    held_by = {a.id: a.org_id for a in listed}
    for activity_id, expected in service.expected_member_ids(session, listed).items():
        org_id = held_by[activity_id]
        tallies[org_id].expected += len(expected | recorded[activity_id])
        listed_count[org_id] += 1

    # The rest cover the roll: everyone on it now, at every meeting…
    on_roll_meetings = {org_id: t.meetings - listed_count[org_id] for org_id, t in tallies.items()}
    for org_id, t in tallies.items():
        t.expected += on_roll_meetings[org_id] * rolls.members.get(bound[org_id].roll_path, 0)
    roll_meetings = meetings.where(Activity.id.not_in(listed_ids))
    # …plus those who left on or after a meeting's day…
    leavers = session.execute(
        select(Organisation.path, Member.left_on)
        .join(Organisation, Organisation.id == Member.org_id)
        .where(
            roll_base.clause(Organisation.path),
            Member.status != MemberStatus.NORMAL,
            Member.left_on >= cal.month_start(0),
        )
    ).all()
    for org_id, extra in _leaver_places(session, cal, bound, leavers, roll_meetings, on_roll_meetings):
        tallies[org_id].expected += extra

    # …plus anyone recorded and not on the roll at the meeting's day: one still on a roll but in another org
    # (moved since), or one who left before it. One pass, grouped by where the member is now; the meeting's
    # day and the leaving day are group keys only for those who left (few).
    gone = Member.status != MemberStatus.NORMAL
    keys = (
        Activity.org_id,
        Attendance.status,
        Member.org_id,
        gone,
        Activity.id.in_(listed_ids),
        case((gone, Activity.starts_at)),
        case((gone, Member.left_on)),
    )
    statuses = (
        select(*keys, func.count())
        .select_from(Attendance)
        .join(Activity, Activity.id == Attendance.activity_id)
        .join(Member, Member.id == Attendance.member_id)
        .where(Activity.id.in_(meetings))
        .group_by(*keys)
    )
    rows = session.execute(statuses).all()
    paths = rolls.paths | _paths(session, {row[2] for row in rows} - rolls.paths.keys())
    for org_id, status, member_org, left, on_list, starts_at, left_on, n in rows:
        t = tallies[org_id]
        if status is AttendanceStatus.PRESENT:
            t.present += n
        elif status is AttendanceStatus.EXCUSED:
            t.excused += n
        else:
            t.absent += n
        if on_list:
            continue
        on_roll = in_subtree(paths[member_org], bound[org_id].roll_path)
        if left:
            on_roll = on_roll and left_on is not None and left_on >= local_today(starts_at)
        if not on_roll:
            t.expected += n
    return tallies


def _paths(session: Session, org_ids: set[int]) -> dict[int, str]:
    ordered = sorted(org_ids)
    found: dict[int, str] = {}
    for i in range(0, len(ordered), _ID_CHUNK):
        chunk = ordered[i : i + _ID_CHUNK]
        rows = session.execute(select(Organisation.id, Organisation.path).where(Organisation.id.in_(chunk)))
        found.update((org_id, path) for org_id, path in rows)
    return found


def _leaver_places(
    session: Session,
    cal: Calendar,
    bound: dict[int, Org],
    leavers: Iterable[Any],
    roll_meetings: Select[Any],
    on_roll_meetings: dict[int, int],
) -> Iterable[tuple[int, int]]:
    """For each member who left this year and each org whose roll held them: (org, meetings on the roll
    held on or before their last day). Only orgs with someone who left before the window's end need the
    meetings' days."""
    by_roll: dict[str, list[int]] = defaultdict(list)
    for org_id, o in bound.items():
        by_roll[o.roll_path].append(org_id)
    last_day = local_today(cal.hi - timedelta(microseconds=1))
    places = [
        (org_id, left_on)
        for path, left_on in leavers
        for prefix in _ancestors(path)
        for org_id in by_roll.get(prefix, ())
    ]
    ordered = sorted({org_id for org_id, left_on in places if left_on < last_day})
    days: dict[int, list[date]] = defaultdict(list)
    for i in range(0, len(ordered), _ID_CHUNK):
        rows = session.execute(
            select(Activity.org_id, Activity.starts_at).where(
                Activity.id.in_(roll_meetings), Activity.org_id.in_(ordered[i : i + _ID_CHUNK])
            )
        )
        for org_id, starts_at in rows:
            days[org_id].append(local_today(starts_at))
    for held in days.values():
        held.sort()
    for org_id, left_on in places:
        if left_on < last_day:
            yield org_id, bisect_right(days[org_id], left_on)
        else:
            yield org_id, on_roll_meetings[org_id]


# --- the report ----------------------------------------------------------------------------------


Status = Literal["met", "missed", "running", "not_required"]
_NONE = [0] * 12  # the months of a kind never held


def _statuses(o: Org, rule: Rule, months: list[int], periods: list[Period], as_of: date) -> list[Status]:
    result: list[Status] = []
    for p in periods:
        if o.established_on is not None and o.established_on > p.start:
            result.append("not_required")
        elif sum(months[m] for m in p.months) >= rule.times:
            result.append("met")
        elif p.end <= as_of:
            result.append("missed")
        else:
            result.append("running")
    return result


@dataclass(slots=True)
class Figures:
    """One org's figures: cheap to build for the whole subtree; only a page becomes `OrgCompliance`."""

    org: Org
    rules: list[Rule]
    missed_count: int
    tally: Tally
    members: int
    under_min_hours: int

    def sort_value(self, sort: ComplianceSort) -> Any:
        if sort == "attendance_rate":
            # No expected attendees sorts below every rate, so the keyset never compares a null.
            return -1.0 if self.tally.rate is None else self.tally.rate
        if sort == "name":
            return self.org.name
        return self.missed_count if sort == "missed_count" else self.under_min_hours


def _figures(
    o: Org,
    cal: Calendar,
    periods: dict[Frequency, list[Period]],
    monthly: dict[tuple[int, ActivityKind], list[int]],
    rolls: RollCounts,
    tally: Tally,
) -> Figures:
    rules = [
        rule
        for rule in RULES
        if o.kind in rule.org_kinds and rolls.party.get(o.path, 0) >= rule.min_party_members
    ]
    missed = sum(
        _statuses(o, rule, monthly.get((o.id, rule.kind), _NONE), periods[rule.frequency], cal.as_of).count(
            "missed"
        )
        for rule in rules
    )
    own_roll = o.kind is not OrgKind.GROUP  # a Party group holds no roll of its own
    return Figures(
        org=o,
        rules=rules,
        missed_count=missed,
        tally=tally,
        members=rolls.members.get(o.path, 0) if own_roll else 0,
        under_min_hours=rolls.under_min.get(o.path, 0) if own_roll else 0,
    )


def _read(
    f: Figures,
    cal: Calendar,
    periods: dict[Frequency, list[Period]],
    monthly: dict[tuple[int, ActivityKind], list[int]],
) -> OrgCompliance:
    kinds = []
    for rule in f.rules:
        months = monthly.get((f.org.id, rule.kind), _NONE)
        spans = periods[rule.frequency]
        statuses = _statuses(f.org, rule, months, spans, cal.as_of)
        kinds.append(
            KindCompliance(
                kind=rule.kind,
                frequency=rule.frequency,
                required_per_period=rule.times,
                held=sum(months),
                missed=[p.label for p, status in zip(spans, statuses, strict=True) if status == "missed"],
                periods=[
                    CompliancePeriod(period=p.label, held=sum(months[m] for m in p.months), status=status)
                    for p, status in zip(spans, statuses, strict=True)
                ],
            )
        )
    return OrgCompliance(
        org_id=f.org.id,
        name=f.org.name,
        kind=f.org.kind,
        parent_id=f.org.parent_id,
        met=f.missed_count == 0,
        missed_count=f.missed_count,
        kinds=kinds,
        attendance=f.tally.read(),
        members=f.members,
        under_min_hours=f.under_min_hours,
        under_min_share=_share(f.under_min_hours, f.members),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


_SORT_TYPES: dict[str, type[Any]] = {
    "missed_count": int,
    "attendance_rate": float,
    "under_min_hours": int,
    "name": str,
}


def _page(
    figures: list[Figures], sort: ComplianceSort, order: ComplianceOrder, cursor: str | None, limit: int
) -> tuple[list[Figures], str | None]:
    """Keyset paging on (sort value, org id), the cursor of `paginate_sorted`."""
    descending = order == "desc"
    keyed = sorted(((f.sort_value(sort), f.org.id), f) for f in figures)
    if descending:
        keyed.reverse()
    if cursor is not None:
        after = decode_sort_cursor(cursor, _SORT_TYPES[sort])
        keyed = [(k, f) for k, f in keyed if (k < after if descending else k > after)]
    page = [f for _, f in keyed[:limit]]
    next_cursor = encode_sort_cursor(*keyed[limit - 1][0]) if len(keyed) > limit else None
    return page, next_cursor


def compliance_report(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    year: int | None,
    as_of: date | None,
    sort: ComplianceSort = "missed_count",
    order: ComplianceOrder = "desc",
    cursor: str | None = None,
    limit: int = policy.DEFAULT_PAGE_SIZE,
) -> ComplianceReport:
    """The compliance of every bound org in `org_id`'s subtree (default: the caller's scope root) for
    `year` (default: the year of `as_of`), as of `as_of` (default: today in China time)."""
    as_of = as_of or local_today()
    first, last = policy.STUDY_COMPLIANCE_YEARS
    if not first <= as_of.year <= last:
        raise _bad(
            "as_of", f"报告日期应在{first}年至{last}年之间", f"as_of must fall in the years {first}-{last}"
        )
    year = as_of.year if year is None else year
    if year > as_of.year:
        raise _bad("year", "年度不能晚于报告日期", "year cannot be after the reporting date (as_of)")
    cal = Calendar(year, as_of)
    subject = orgs.requested_or_root(session, scope, org_id)
    subtree = Scope(subject.path) if subject else Scope.everything()
    roll_base = subtree
    if subject is not None and subject.kind is OrgKind.GROUP and subject.parent_id is not None:
        roll_base = Scope(session.get_one(Organisation, subject.parent_id).path)

    bound = _bound_orgs(session, subtree, as_of)
    monthly = _monthly_counts(session, subtree, cal)
    rolls = _roll_counts(session, roll_base, cal)
    tallies = _attendance(session, subtree, roll_base, cal, bound, monthly, rolls)
    periods: dict[Frequency, list[Period]] = {f: cal.periods(f) for f in ("month", "quarter")}
    figures = [_figures(o, cal, periods, monthly, rolls, tallies[o.id]) for o in bound.values()]

    total = Tally()
    for f in figures:
        total.add(f.tally)
    members = sum(f.members for f in figures)
    under = sum(f.under_min_hours for f in figures)
    summary = ComplianceSummary(
        orgs_considered=len(figures),
        orgs_met=sum(1 for f in figures if f.missed_count == 0),
        missed_count=sum(f.missed_count for f in figures),
        attendance=total.read(),
        members=members,
        under_min_hours=under,
        under_min_share=_share(under, members),
    )
    page, next_cursor = _page(figures, sort, order, cursor, limit)
    return ComplianceReport(
        org_id=subject.id if subject else None,
        year=year,
        as_of=as_of,
        min_annual_hours=float(policy.STUDY_MIN_ANNUAL_HOURS),
        summary=summary,
        items=[_read(f, cal, periods, monthly) for f in page],
        next_cursor=next_cursor,
    )
