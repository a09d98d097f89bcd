"""Early warning (社会风险早期预警) over complaints, and members who need the branch's attention.

- Surges: complaints received per (handling org, category) and China day are counted in SQL; the
  statistics run in Python over that small series. A day fires when observed ≥ max(min_count, mean + z·σ),
  σ = max(std, √mean), over the previous `baseline_days` days (the tested day excluded).
- Near-duplicates: character n-gram shingles, MinHash + LSH for candidates, exact Jaccard to confirm,
  union-find to group (`alerts.similarity`), within a window and the caller's subtree.
- Suggestions: the most similar past complaints that were accepted (or went further) vote for a
  category and a responsible org, weighted by similarity.
- Needs attention: members with no study, dues owed, pledges not kept, or a 基本合格/不合格 grade in the
  latest published evaluation, each through the owning feature's own query.

Every alert says why it fired (the numbers) and which complaints are behind it; (kind, key, day) is
unique, so repeating a run the same day fires nothing twice. A fired alert goes to webhooks as
`alert.fired` in the same transaction. Everything is scoped through the org's path.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import fmean, pstdev
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vanguard.alerts import similarity
from vanguard.alerts.models import Alert, AlertKind, AlertState
from vanguard.alerts.schemas import (
    AlertAcknowledge,
    AlertRead,
    AlertRun,
    AttentionMember,
    AttentionReason,
    Neighbour,
    Suggestion,
)
from vanguard.complaints.models import Category, Complaint, Status
from vanguard.core import policy
from vanguard.core.clock import CST, local_today
from vanguard.core.errors import Conflict, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id, scan_by_id
from vanguard.core.permissions import Principal, Scope
from vanguard.dues import service as dues
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.posts.service import Period, pledges_for
from vanguard.scoring.models import Result, Scheme, SchemeStatus
from vanguard.study.service import study_facts
from vanguard.webhooks import service as webhooks
from vanguard.webhooks.models import EventType

# --- errors ------------------------------------------------------------------------------------


class AlertNotFound(NotFound):
    code = "alert_not_found"
    message_zh = "预警不存在或不在您的管理范围内"
    message_en = "Alert not found, or outside your scope"


class AlreadyAcknowledged(Conflict):
    code = "alert_already_acknowledged"
    message_zh = "该预警已确认"
    message_en = "This alert has already been acknowledged"


# --- days --------------------------------------------------------------------------------------


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(), CST)


_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])


def _scoped(stmt: _S, scope: Scope) -> _S:
    """Complaints in the caller's subtree (through their handling org's path); joins `Organisation`."""
    return stmt.join(Organisation, Organisation.id == Complaint.org_id).where(scope.clause(Organisation.path))


# --- surges ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SurgeParams:
    baseline_days: int = policy.ALERTS_SURGE_BASELINE_DAYS
    z: float = policy.ALERTS_SURGE_Z
    min_count: int = policy.ALERTS_SURGE_MIN_COUNT


@dataclass(frozen=True, slots=True)
class SurgeTest:
    observed: int
    mean: float
    std: float
    sigma: float
    threshold: float

    @property
    def fired(self) -> bool:
        return self.observed >= self.threshold


def surge_test(baseline: Sequence[int], observed: int, params: SurgeParams) -> SurgeTest:
    """Whether `observed` stands out from the daily `baseline` counts: observed ≥ max(min_count,
    mean + z·σ), σ = max(population std, √mean) — counts are at least Poisson-noisy, so a flat series
    (std 0) needs more than its own level to fire."""
    mean = fmean(baseline) if baseline else 0.0
    std = pstdev(baseline) if len(baseline) > 1 else 0.0
    sigma = max(std, math.sqrt(mean))
    threshold = max(float(params.min_count), mean + params.z * sigma)
    return SurgeTest(observed, mean, std, sigma, threshold)


SeriesKey = tuple[int, int]  # (org id, category id)


def daily_counts(
    session: Session, scope: Scope, day: date, params: SurgeParams
) -> dict[SeriesKey, list[int]]:
    """Per (handling org, category) with at least `min_count` complaints received on `day` (China time):
    the counts of the `baseline_days` days before it, oldest first, then the day's own count last.
    Counted in SQL: first the day's candidates, then the baseline of their orgs only."""
    lo, hi = day_start(day), day_start(day + timedelta(days=1))
    received = Complaint.received_at
    candidates = session.execute(
        _scoped(select(Complaint.org_id, Complaint.category_id, func.count()), scope)
        .where(received >= lo, received < hi)
        .group_by(Complaint.org_id, Complaint.category_id)
        .having(func.count() >= params.min_count)
    ).all()
    series: dict[SeriesKey, list[int]] = {
        (org_id, cat_id): [0] * params.baseline_days + [n] for org_id, cat_id, n in candidates
    }
    if not series:
        return series
    cutoffs = [
        day_start(day - timedelta(days=params.baseline_days - i)) for i in range(params.baseline_days + 1)
    ]
    bucket = case(*((received < cutoff, i) for i, cutoff in enumerate(cutoffs[1:])))
    org_ids = sorted({org_id for org_id, _ in series})
    for start in range(0, len(org_ids), 1000):
        chunk = org_ids[start : start + 1000]
        inner = (
            select(Complaint.org_id, Complaint.category_id, bucket.label("d"))
            .where(received >= cutoffs[0], received < cutoffs[-1], Complaint.org_id.in_(chunk))
            .subquery()
        )
        rows = session.execute(
            select(inner.c.org_id, inner.c.category_id, inner.c.d, func.count()).group_by(
                inner.c.org_id, inner.c.category_id, inner.c.d
            )
        )
        for org_id, cat_id, d, n in rows:
            counts = series.get((org_id, cat_id))
            if counts is not None and d is not None:
                counts[int(d)] = n
    return series


def _surge_items(session: Session, key: SeriesKey, day: date) -> list[int]:
    org_id, cat_id = key
    received = Complaint.received_at
    return list(
        session.scalars(
            select(Complaint.id)
            .where(
                Complaint.org_id == org_id,
                Complaint.category_id == cat_id,
                received >= day_start(day),
                received < day_start(day + timedelta(days=1)),
            )
            .order_by(Complaint.id)
            .limit(policy.ALERTS_MAX_ITEMS)
        )
    )


def find_surges(
    session: Session, scope: Scope, day: date, params: SurgeParams
) -> list[tuple[SeriesKey, SurgeTest, list[int]]]:
    """The (org, category) series that fire on `day`, with the test's numbers and their baselines."""
    found = []
    for key, counts in sorted(daily_counts(session, scope, day, params).items()):
        test = surge_test(counts[:-1], counts[-1], params)
        if test.fired:
            found.append((key, test, counts[:-1]))
    return found


# --- near-duplicates ---------------------------------------------------------------------------


def complaint_text(title: str, description: str) -> str:
    return f"{title} {description}"


def _common_org(paths: Iterable[str]) -> int:
    """The lowest org above (or at) every path: the last id of their common whole-segment prefix."""
    split = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for segments in zip(*split, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return int(common[-1])


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    ids: list[int]
    org_id: int
    closest: float  # the highest confirmed Jaccard within the group
    new_today: int


def find_duplicate_groups(
    session: Session, scope: Scope, day: date, *, window_days: int, threshold: float
) -> list[DuplicateGroup]:
    """Groups of near-identical complaints received in the `window_days` days up to `day`'s end, with
    at least one received on `day` (older groups were reported on their own day)."""
    hi = day_start(day + timedelta(days=1))
    lo = hi - timedelta(days=window_days)
    today_lo = day_start(day)
    rows = session.execute(
        _scoped(
            select(
                Complaint.id, Complaint.title, Complaint.description, Complaint.received_at, Organisation.path
            ),
            scope,
        )
        .where(Complaint.received_at >= lo, Complaint.received_at < hi)
        .order_by(Complaint.id.desc())
        .limit(policy.ALERTS_DUPLICATE_MAX_ITEMS)
    ).all()
    by_id = {r.id: r for r in rows}
    groups = similarity.near_duplicate_groups(
        ((r.id, complaint_text(r.title, r.description)) for r in rows), threshold=threshold
    )
    out = []
    for ids in groups:
        new_today = sum(1 for i in ids if by_id[i].received_at >= today_lo)
        if not new_today:
            continue
        sets = [similarity.shingles(complaint_text(by_id[i].title, by_id[i].description)) for i in ids[:50]]
        closest = max(
            (similarity.jaccard(a, b) for n, a in enumerate(sets) for b in sets[n + 1 :]), default=threshold
        )
        org_id = _common_org(by_id[i].path for i in ids)
        out.append(DuplicateGroup(ids[: policy.ALERTS_MAX_ITEMS], org_id, round(closest, 3), new_today))
    return out


# --- firing ------------------------------------------------------------------------------------


def payload(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "kind": alert.kind.value,
        "org_id": alert.org_id,
        "category_id": alert.category_id,
        "day": alert.day.isoformat(),
        "reason_zh": alert.reason_zh,
        "reason_en": alert.reason_en,
        "why": alert.why,
        "items": alert.items,
    }


def _fire(session: Session, alert: Alert, now: datetime) -> Alert | None:
    """Insert the alert unless one with its (kind, key, day) exists (then None); announce it to webhooks."""
    exists = session.scalar(
        select(Alert.id).where(Alert.kind == alert.kind, Alert.key == alert.key, Alert.day == alert.day)
    )
    if exists is not None:
        return None
    try:
        with session.begin_nested():
            session.add(alert)
            session.flush()
    except IntegrityError:
        return None  # a concurrent run fired it first
    webhooks.emit(session, EventType.ALERT_FIRED, alert.org_id, payload(alert), now=now)
    return alert


def _category_codes(session: Session, ids: Iterable[int]) -> dict[int, Category]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {c.id: c for c in session.scalars(select(Category).where(Category.id.in_(wanted)))}


def run(session: Session, scope: Scope, data: AlertRun, now: datetime) -> list[Alert]:
    """Test the day in the caller's subtree and fire what stands out; returns the alerts fired by this
    run (none that an earlier run for the same day already fired)."""
    day = data.day
    params = SurgeParams(data.baseline_days, data.z, data.min_count)
    fired: list[Alert] = []
    surges = find_surges(session, scope, day, params)
    categories = _category_codes(session, (key[1] for key, _, _ in surges))
    for (org_id, cat_id), test, baseline in surges:
        cat = categories[cat_id]
        formula = (
            f"observed ≥ max(min_count, mean + z·σ), σ = max(std, √mean) = "
            f"max({params.min_count}, {test.mean:.2f} + {params.z:g}·{test.sigma:.2f}) = {test.threshold:.2f}"
        )
        alert = Alert(
            kind=AlertKind.SURGE,
            org_id=org_id,
            category_id=cat_id,
            day=day,
            key=f"surge:{org_id}:{cat_id}",
            fired_at=now,
            reason_zh=(
                f"{day.isoformat()}「{cat.name_zh}」类诉求{test.observed}件，"
                f"高于前{params.baseline_days}天基线（日均{test.mean:.2f}件）的阈值{test.threshold:.2f}件"
            )[:500],
            reason_en=(
                f"{test.observed} '{cat.name_en}' complaints on {day.isoformat()}, at or above the threshold "
                f"{test.threshold:.2f} from the previous {params.baseline_days} days "
                f"(mean {test.mean:.2f}/day)"
            )[:500],
            why={
                "observed": test.observed,
                "baseline_days": params.baseline_days,
                "baseline_mean": round(test.mean, 4),
                "baseline_std": round(test.std, 4),
                "sigma": round(test.sigma, 4),
                "z": params.z,
                "min_count": params.min_count,
                "threshold": round(test.threshold, 4),
                "formula": formula,
                "baseline": baseline,
            },
            items=_surge_items(session, (org_id, cat_id), day),
            state=AlertState.OPEN,
        )
        if _fire(session, alert, now) is not None:
            fired.append(alert)
    groups = find_duplicate_groups(
        session, scope, day, window_days=data.duplicate_window_days, threshold=data.duplicate_jaccard
    )
    for g in groups:
        alert = Alert(
            kind=AlertKind.DUPLICATES,
            org_id=g.org_id,
            category_id=None,
            day=day,
            key=f"duplicates:{g.ids[0]}",
            fired_at=now,
            reason_zh=(
                f"近{data.duplicate_window_days}天内{len(g.ids)}件诉求内容高度相似"
                f"（字符n-gram Jaccard ≥ {data.duplicate_jaccard:g}），其中{g.new_today}件为当天新收"
            ),
            reason_en=(
                f"{len(g.ids)} near-identical complaints in the last {data.duplicate_window_days} days "
                f"(character n-gram Jaccard ≥ {data.duplicate_jaccard:g}), {g.new_today} received that day"
            ),
            why={
                "size": len(g.ids),
                "new_on_day": g.new_today,
                "window_days": data.duplicate_window_days,
                "jaccard_threshold": data.duplicate_jaccard,
                "closest_pair_jaccard": g.closest,
                "ngram_sizes": list(policy.ALERTS_NGRAM_SIZES),
            },
            items=g.ids,
            state=AlertState.OPEN,
        )
        if _fire(session, alert, now) is not None:
            fired.append(alert)
    return fired


def daily_run(session: Session, now: datetime) -> int:
    """The periodic pass over everything, with the policy defaults; returns how many alerts fired."""
    return len(run(session, Scope.everything(), AlertRun(day=local_today(now)), now))


# --- reads and acknowledging --------------------------------------------------------------------


def readable(scope: Scope) -> Select[Any]:
    """The one place that decides which alerts a caller may see: those on orgs in their subtree."""
    return (
        select(Alert)
        .join(Organisation, Organisation.id == Alert.org_id)
        .where(scope.clause(Organisation.path))
    )


def get(session: Session, scope: Scope, alert_id: int, *, for_update: bool = False) -> Alert:
    stmt = readable(scope).where(Alert.id == alert_id)
    if for_update:
        stmt = stmt.with_for_update(of=Alert)
    alert: Alert | None = session.scalars(stmt).one_or_none()
    if alert is None:
        raise AlertNotFound()
    return alert


def to_read(alert: Alert) -> AlertRead:
    return AlertRead.model_validate(alert)


def list_alerts(
    session: Session,
    scope: Scope,
    *,
    kind: AlertKind | None,
    state: AlertState | None,
    org_id: int | None,
    cursor: str | None,
    limit: int,
) -> Page[AlertRead]:
    """Newest first; `org_id` narrows to that org's subtree."""
    stmt = readable(scope)
    if org_id is not None:
        org = orgs.get(session, scope, org_id)
        stmt = stmt.where(Scope(org.path).clause(Organisation.path))
    if kind is not None:
        stmt = stmt.where(Alert.kind == kind)
    if state is not None:
        stmt = stmt.where(Alert.state == state)
    return paginate_by_id(
        session,
        stmt,
        Alert.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: to_read(row[0]),
        descending=True,
    )


def acknowledge(
    session: Session,
    caller: Principal,
    alert_id: int,
    data: AlertAcknowledge,
    if_match: str | None,
    now: datetime,
) -> Alert:
    alert = get(session, caller.scope, alert_id, for_update=True)
    check_if_match(if_match, alert.version)
    if alert.state is AlertState.ACKNOWLEDGED:
        raise AlreadyAcknowledged()
    alert.state = AlertState.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by = caller.name
    alert.note = data.note
    session.flush()
    return alert


# --- suggestion ----------------------------------------------------------------------------------

# Complaints whose category and handling org a person confirmed: accepted, or further along.
_DECIDED = (
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.RESOLVED,
    Status.CLOSED,
    Status.REOPENED,
)


def suggest(session: Session, scope: Scope, text: str, now: datetime) -> Suggestion:
    """The likely category and responsible org for a new complaint's `text`: the k past complaints most
    similar to it (character n-gram Jaccard ≥ the floor) vote, weighted by their similarity, among the
    newest decided complaints of the lookback in the caller's subtree. Confidence is the winner's share
    of the weight; `basis` the neighbours that voted for the winning category."""
    wanted = similarity.shingles(text)
    since = now - timedelta(days=policy.ALERTS_SUGGEST_LOOKBACK_DAYS)
    rows = session.execute(
        _scoped(
            select(
                Complaint.id, Complaint.title, Complaint.description, Complaint.org_id, Category.code
            ).join(Category, Category.id == Complaint.category_id),
            scope,
        )
        .where(Complaint.status.in_(_DECIDED), Complaint.received_at >= since)
        .order_by(Complaint.id.desc())
        .limit(policy.ALERTS_SUGGEST_MAX_PAST)
    ).all()
    scored = []
    for r in rows:
        sim = similarity.jaccard(wanted, similarity.shingles(complaint_text(r.title, r.description)))
        if sim >= policy.ALERTS_SUGGEST_MIN_SIMILARITY:
            scored.append(
                Neighbour(complaint_id=r.id, similarity=round(sim, 4), category=r.code, org_id=r.org_id)
            )
    scored.sort(key=lambda n: (-n.similarity, -n.complaint_id))
    near = scored[: policy.ALERTS_SUGGEST_NEIGHBOURS]
    if not near:
        return Suggestion(category=None, org_id=None, confidence=0, org_confidence=0, basis=[], neighbours=[])
    total = sum(n.similarity for n in near)
    cat_votes: dict[str, float] = defaultdict(float)
    org_votes: dict[int, float] = defaultdict(float)
    for n in near:
        cat_votes[n.category] += n.similarity
        org_votes[n.org_id] += n.similarity
    # Ties go to the one whose best neighbour is most similar (the first in `near`).
    order = {n.category: i for i, n in reversed(list(enumerate(near)))}
    org_order = {n.org_id: i for i, n in reversed(list(enumerate(near)))}
    category = max(cat_votes, key=lambda c: (cat_votes[c], -order[c]))
    org_id = max(org_votes, key=lambda o: (org_votes[o], -org_order[o]))
    return Suggestion(
        category=category,
        org_id=org_id,
        confidence=round(cat_votes[category] / total, 4),
        org_confidence=round(org_votes[org_id] / total, 4),
        basis=[n.complaint_id for n in near if n.category == category],
        neighbours=near,
    )


# --- members needing attention -------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


@dataclass(frozen=True, slots=True)
class AttentionParams:
    no_study_months: int = policy.ALERTS_NO_STUDY_MONTHS
    arrears_min_months: int = policy.ALERTS_ARREARS_MIN_MONTHS
    pledge_months: int = policy.ALERTS_PLEDGE_MONTHS


_GRADE_ZH = {"basic": "基本合格", "unqualified": "不合格"}


def _latest_grades(session: Session, member_ids: list[int]) -> dict[int, tuple[str, Scheme]]:
    """Each member's grade in the latest published scheme that graded them (year, quarter, id order)."""
    rows = session.execute(
        select(Result.member_id, Result.grade, Scheme)
        .join(Scheme, Scheme.id == Result.scheme_id)
        .where(Result.member_id.in_(member_ids), Scheme.status == SchemeStatus.PUBLISHED)
        .order_by(Result.member_id, Scheme.year.desc(), Scheme.quarter.desc(), Scheme.id.desc())
    )
    latest: dict[int, tuple[str, Scheme]] = {}
    for member_id, grade, scheme in rows:
        if member_id not in latest and grade is not None:
            latest[member_id] = (grade.value, scheme)
    return latest


def _reasons(
    session: Session, scope: Scope, batch: Sequence[Member], today: date, params: AttentionParams
) -> dict[int, list[AttentionReason]]:
    ids = [m.id for m in batch]
    out: dict[int, list[AttentionReason]] = defaultdict(list)
    since = months_before(today, params.no_study_months)
    for member_id, f in study_facts(session, scope, ids, since, today).items():
        if f.attended == 0 and not any(f.hours_by_kind.values()):
            out[member_id].append(
                AttentionReason(
                    code="no_study",
                    message_zh=f"近{params.no_study_months}个月（{since.isoformat()}起）无学习出勤记录",
                    message_en=f"No study attendance in the last {params.no_study_months} months "
                    f"(since {since.isoformat()})",
                    details={
                        "months": params.no_study_months,
                        "since": since.isoformat(),
                        "absent": f.absent,
                    },
                )
            )
    for member_id, owed in dues.arrears_for(session, batch, dues.month_of(today)).items():
        if owed.amount > 0 and owed.months >= params.arrears_min_months:
            out[member_id].append(
                AttentionReason(
                    code="dues_arrears",
                    message_zh=f"欠缴党费{owed.months}个月，共{owed.amount}元",
                    message_en=f"Dues owed for {owed.months} months, {owed.amount} yuan in all",
                    details={
                        "months_unpaid": owed.months,
                        "amount_owed": str(owed.amount),
                        "oldest_unpaid_month": owed.oldest.isoformat() if owed.oldest else None,
                        "consecutive_unpaid_months": owed.consecutive_unpaid,
                        "lapse_warning": owed.lapse_warning,
                    },
                )
            )
    period = Period(months_before(today, params.pledge_months), today)
    for member_id, tally in pledges_for(session, scope, ids, period).items():
        missed = [p.id for p in tally.pledges if p.result.value == "not_kept"]
        if missed:
            out[member_id].append(
                AttentionReason(
                    code="pledge_not_kept",
                    message_zh=f"近{params.pledge_months}个月有{len(missed)}项承诺未践诺",
                    message_en=f"{len(missed)} pledge(s) not kept in the last {params.pledge_months} months",
                    details={"pledge_ids": missed, "months": params.pledge_months},
                )
            )
    for member_id, (grade, scheme) in _latest_grades(session, ids).items():
        if grade in policy.ALERTS_ATTENTION_GRADES:
            out[member_id].append(
                AttentionReason(
                    code="low_grade",
                    message_zh=f"最近一次已发布的评议（{scheme.name}）等次为{_GRADE_ZH.get(grade, grade)}",
                    message_en=f"Graded '{grade}' in the latest published evaluation ({scheme.name})",
                    details={"grade": grade, "scheme_id": scheme.id, "year": scheme.year},
                )
            )
    return out


def attention(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    cursor: str | None,
    limit: int,
    today: date,
    params: AttentionParams,
) -> Page[AttentionMember]:
    """Members on the roll (normal status, probationary or full) of the org's subtree (default: the
    caller's) with at least one reason, in member id order. Members are scanned a bounded number per
    request, so a page may hold fewer than `limit` items and still have a `next_cursor`."""
    org = orgs.requested_or_root(session, scope, org_id)
    stmt = members.readable(scope).where(
        Member.status == MemberStatus.NORMAL, Member.stage.in_(dues.PAYING_STAGES)
    )
    if org is not None:
        stmt = stmt.where(Scope(org.path).clause(Organisation.path))

    def needing_attention(batch: Sequence[Member]) -> dict[int, AttentionMember]:
        reasons = _reasons(session, scope, batch, today, params)
        return {
            member.id: AttentionMember(
                member_id=member.id, member_name=member.name, org_id=member.org_id, reasons=reasons[member.id]
            )
            for member in batch
            if reasons.get(member.id)
        }

    return scan_by_id(
        session,
        stmt,
        Member.id,
        cursor=cursor,
        limit=limit,
        batch_size=policy.ALERTS_ATTENTION_SCAN_BATCH,
        budget=policy.ALERTS_ATTENTION_SCAN_BUDGET,
        keep=needing_attention,
    )
