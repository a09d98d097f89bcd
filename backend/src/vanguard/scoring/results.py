"""Results: the set-based recompute, a member's explained score, rankings, branch stars and publishing.

`recompute` reads the roster of the scheme's subtree once (ordered by org, so each batch holds whole
orgs and the 优秀 cap sees every member of an org), fetches each batch's facts through the features'
batched `*_facts` functions, scores it in Python (`engine`), and bulk-inserts the rows after deleting the
scheme's previous ones — one transaction, one audit event. Ranks are not stored: they are read with
competition ranking (1, 2, 2, 4) over the frozen scores.
"""

from __future__ import annotations

import time as _time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, insert, or_, select, text
from sqlalchemy.orm import Session

from vanguard.audit.hook import record_event
from vanguard.complaints.service import complaint_facts
from vanguard.core.errors import Conflict, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, decode_sort_cursor, encode_sort_cursor, paginate_by_id
from vanguard.core.permissions import Permission, Principal, Scope
from vanguard.core.policy import SCORING_DISTRIBUTION_BAND, SCORING_RECOMPUTE_BATCH
from vanguard.jobs import service as jobs
from vanguard.jobs.context import JobCancelled, JobContext
from vanguard.jobs.models import Job
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus, Stage
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.scoring import engine, facts
from vanguard.scoring.evaluation import EVALUATED_STAGES, ballot_values
from vanguard.scoring.models import (
    BranchResult,
    CaseStatus,
    EvaluationRound,
    FollowUpCase,
    Grade,
    Result,
    RoundStatus,
    Scheme,
    SchemeStatus,
    Source,
)
from vanguard.scoring.schemas import (
    UNGRADED,
    BranchStarRead,
    RankingRow,
    RecomputeReport,
    ResultRead,
    ScoreBand,
    ScoreDistribution,
)
from vanguard.scoring.service import (
    ensure_draft,
    get_scheme,
    managed_scheme,
    manual_entries,
    params_of,
    period_of,
    window_period,
)
from vanguard.webhooks import service as webhooks
from vanguard.webhooks.models import EventType

Progress = Callable[[int, int], None]  # (members done, members in all)


class ResultNotFound(NotFound):
    code = "result_not_found"
    message_zh = "尚无该党员的积分结果"
    message_en = "No score has been computed for this member"


class ResultsNotComputed(Conflict):
    code = "results_not_computed"
    message_zh = "请先按当前方案计算积分，再发布"
    message_en = "Recompute the results under the current scheme before publishing"


class RoundsOpen(Conflict):
    code = "rounds_open"
    message_zh = "尚有民主评议未结束"
    message_en = "Some evaluation rounds are still open"


def _needs(scheme: Scheme, params: engine.Params) -> dict[str, tuple[Any, frozenset[Source]]]:
    wanted: dict[str, set[Source]] = defaultdict(set)
    for rule in params.rules:
        for label in params.windows[rule.window]:
            wanted[label].add(rule.source)
    return {label: (window_period(scheme, label), frozenset(s)) for label, s in wanted.items()}


def _batches(roster: list[Any]) -> list[list[Any]]:
    """Rows (ordered by org) cut into batches of whole orgs, each at least the batch size but the last."""
    out: list[list[Any]] = []
    current: list[Any] = []
    for i, row in enumerate(roster):
        current.append(row)
        org_ends = i + 1 == len(roster) or roster[i + 1].org_id != row.org_id
        if org_ends and len(current) >= SCORING_RECOMPUTE_BATCH:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _insert_rows(
    session: Session, model: type[Result] | type[BranchResult], rows: list[dict[str, Any]]
) -> None:
    """One executemany (pipelined on PostgreSQL): measured faster than multi-row VALUES statements, whose
    thousands of placeholders cost more to build and parse than they save in round trips."""
    if rows:
        session.execute(insert(model), rows)


def recompute(
    session: Session,
    caller: Principal,
    scheme_id: int,
    progress: Progress | None = None,
    *,
    now: datetime,
    today: date,
) -> RecomputeReport:
    started = _time.perf_counter()
    if session.get_bind().dialect.name == "postgresql":
        # The facts functions repeat the same statement with a thousand ids per chunk; psycopg prepares it
        # after five runs and PostgreSQL then settles on a generic plan that scans the roster for every
        # chunk (measured: batches slowing from 0.7 s to 8 s over a 100,000-member run). Custom plans keep
        # every chunk at its first speed. SET LOCAL: this transaction only.
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    scheme, path = managed_scheme(session, caller, scheme_id, for_update=True)
    ensure_draft(scheme)
    params = params_of(scheme)
    needs = _needs(scheme, params)
    period = period_of(scheme)
    roster = session.execute(
        select(Member.id, Member.org_id, Member.category, Member.stage)
        .join(Organisation, Organisation.id == Member.org_id)
        .where(
            Organisation.path.like(path + "%"),
            caller.scope.clause(Organisation.path),
            Member.status == MemberStatus.NORMAL,
            Member.stage.in_(EVALUATED_STAGES),
        )
        .order_by(Member.org_id, Member.id)
    ).all()
    org_ids = sorted({row.org_id for row in roster})
    overdue = {
        org_id: f.overdue_open
        for org_id, f in complaint_facts(
            session, caller.scope, by="org", ids=org_ids, start=period.start, end=period.end, now=now
        ).items()
    }
    session.execute(delete(Result).where(Result.scheme_id == scheme.id))
    session.execute(delete(BranchResult).where(BranchResult.scheme_id == scheme.id))
    done = 0
    for batch in _batches(list(roster)):
        ids = [row.id for row in batch]
        units = facts.gather(session, caller.scope, ids, needs, today=today)
        manual = manual_entries(session, scheme.id, ids)
        ballots = ballot_values(session, scheme.id, ids)
        scores = [
            engine.score_member(
                engine.MemberInput(
                    member_id=row.id,
                    org_id=row.org_id,
                    category=row.category.value,
                    probationary=row.stage is Stage.PROBATIONARY,
                    units=units.get(row.id, {}),
                    manual=manual.get(row.id, []),
                    ballots=dict(ballots.get(row.id, {})),
                ),
                params,
            )
            for row in batch
        ]
        grades = engine.grade_all(scores, params)
        _insert_rows(
            session,
            Result,
            [
                {
                    "scheme_id": scheme.id,
                    "member_id": s.member_id,
                    "org_id": s.org_id,
                    "category": s.category,
                    "probationary": s.probationary,
                    "points": s.points,
                    "points_component": s.points_component,
                    "evaluation_component": s.evaluation_component,
                    "score": s.score,
                    "grade": grades[s.member_id][0],
                    "grade_note": grades[s.member_id][1],
                    "explanation": {"lines": list(s.lines)},
                    "computed_at": now,
                }
                for s in scores
            ],
        )
        by_org: dict[int, list[engine.MemberScore]] = defaultdict(list)
        for s in scores:
            by_org[s.org_id].append(s)
        _insert_rows(
            session,
            BranchResult,
            [
                {
                    "scheme_id": scheme.id,
                    "org_id": b.org_id,
                    "members": b.members,
                    "graded": b.graded,
                    "average_score": b.average_score,
                    "excellent": b.excellent,
                    "unqualified": b.unqualified,
                    "complaints_overdue": b.complaints_overdue,
                    "stars": b.stars,
                    "explanation": b.explanation,
                }
                for b in (
                    engine.branch_stars(org_id, group, grades, overdue.get(org_id, 0))
                    for org_id, group in by_org.items()
                )
            ],
        )
        done += len(batch)
        if progress is not None:
            progress(done, len(roster))
    scheme.computed_at = now
    session.flush()
    seconds = _time.perf_counter() - started
    record_event(
        session,
        entity="scoring_results",
        entity_id=scheme.id,
        action="recompute",
        org_id=scheme.org_id,
        after={"members": len(roster), "branches": len(org_ids), "scheme_version": scheme.version},
    )
    return RecomputeReport(
        scheme_id=scheme.id,
        members=len(roster),
        branches=len(org_ids),
        seconds=round(seconds, 3),
        members_per_second=round(len(roster) / seconds, 1) if seconds > 0 else 0.0,
    )


def start_recompute(
    session: Session, caller: Principal, scheme_id: int, *, now: datetime, today: date
) -> Job:
    """Recompute as a job (`vanguard.jobs`): refused at once when the scheme is missing, above the
    caller or locked; otherwise queued, run after this request commits, with progress per batch."""
    scheme, _ = managed_scheme(session, caller, scheme_id)
    ensure_draft(scheme)

    def work(job_session: Session, context: JobContext) -> dict[str, Any]:
        def progress(done: int, total: int) -> None:
            context.progress(done, 0, total)
            if context.cancelled():
                raise JobCancelled()

        report = recompute(job_session, caller, scheme_id, progress, now=now, today=today)
        return report.model_dump()

    return jobs.start(
        session,
        caller,
        kind="scoring.recompute",
        org_id=scheme.org_id,
        work=work,
        params={"scheme_id": scheme.id, "scheme_version": scheme.version},
    )


# --- reading results ---------------------------------------------------------------------------


def _rank(session: Session, r: Result, *, same_org: bool) -> int:
    stmt = (
        select(func.count())
        .select_from(Result)
        .where(Result.scheme_id == r.scheme_id, Result.score > r.score)
    )
    if same_org:
        stmt = stmt.where(Result.org_id == r.org_id)
    return 1 + (session.scalar(stmt) or 0)


def member_result(session: Session, caller: Principal, member_id: int, scheme_id: int | None) -> ResultRead:
    """ "Why is my score 83.5?": the member's result under the scheme (default: the latest that has one).
    Readers of scores see every result in their subtree; a member whose account is linked to their record
    sees their own, once it is published."""
    own_only = caller.require_unless_own(Permission.SCORING_READ, member_id)
    member = members.get_member(session, caller.scope, member_id)
    stmt = (
        select(Result, Scheme)
        .join(Scheme, Scheme.id == Result.scheme_id)
        .where(Result.member_id == member.id)
        .order_by(Scheme.year.desc(), Scheme.quarter.desc(), Scheme.id.desc())
        .limit(1)
    )
    if scheme_id is not None:
        stmt = stmt.where(Result.scheme_id == scheme_id)
    if own_only:
        stmt = stmt.where(Scheme.status == SchemeStatus.PUBLISHED)
    row = session.execute(stmt).one_or_none()
    if row is None:
        raise ResultNotFound()
    r, scheme = row
    return ResultRead(
        id=r.id,
        scheme_id=r.scheme_id,
        member_id=r.member_id,
        member_name=member.name,
        org_id=r.org_id,
        category=r.category,
        probationary=r.probationary,
        points=r.points,
        points_component=r.points_component,
        evaluation_component=r.evaluation_component,
        score=r.score,
        grade=r.grade,
        grade_note=r.grade_note,
        rank_in_org=_rank(session, r, same_org=True),
        rank_in_scheme=_rank(session, r, same_org=False),
        explanation=r.explanation["lines"],
        computed_at=r.computed_at,
        published=scheme.status is SchemeStatus.PUBLISHED,
    )


def _results_of(
    session: Session, scope: Scope, scheme_id: int, *, org_id: int | None, subtree: bool
) -> tuple[Organisation | None, list[ColumnElement[bool]]]:
    """The org asked for (default: the top of the caller's subtree) and the conditions that pick the
    scheme's results in it (`subtree=false`: its own roll only), for a query joined to `Organisation`."""
    scheme, _ = get_scheme(session, scope, scheme_id)
    org = orgs.requested_or_root(session, scope, org_id)
    where = [Result.scheme_id == scheme.id, scope.clause(Organisation.path)]
    if org is not None:
        where.append(Scope(org.path).clause(Organisation.path) if subtree else Result.org_id == org.id)
    return org, where


def rankings(
    session: Session,
    scope: Scope,
    scheme_id: int,
    *,
    org_id: int | None,
    subtree: bool,
    cursor: str | None,
    limit: int,
) -> Page[RankingRow]:
    """Members by score, highest first, ranked within the org (`subtree=false`: its own roll only) or
    its subtree (default); ties share a rank (1, 2, 2, 4) and are listed by member id."""
    _, where = _results_of(session, scope, scheme_id, org_id=org_id, subtree=subtree)
    rank = func.rank().over(order_by=Result.score.desc()).label("rank")
    ranked = (
        select(
            rank,
            Result.member_id,
            Member.name,
            Result.org_id,
            Result.score,
            Result.grade,
            Result.probationary,
        )
        .join(Organisation, Organisation.id == Result.org_id)
        .join(Member, Member.id == Result.member_id)
        .where(*where)
        .subquery()
    )
    stmt = select(ranked)
    if cursor is not None:
        last_rank, last_id = decode_sort_cursor(cursor, int)
        stmt = stmt.where(
            or_(ranked.c.rank > last_rank, and_(ranked.c.rank == last_rank, ranked.c.member_id > last_id))
        )
    rows = session.execute(stmt.order_by(ranked.c.rank, ranked.c.member_id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        RankingRow(
            rank=row.rank,
            member_id=row.member_id,
            member_name=row.name,
            org_id=row.org_id,
            score=row.score,
            grade=row.grade,
            probationary=row.probationary,
        )
        for row in rows
    ]
    next_cursor = encode_sort_cursor(rows[-1].rank, rows[-1].member_id) if more and rows else None
    return Page[RankingRow](items=items, next_cursor=next_cursor)


def distribution(
    session: Session, scope: Scope, scheme_id: int, *, org_id: int | None, subtree: bool
) -> ScoreDistribution:
    """The latest computed results in the org's subtree (default: the caller's), in one statement:
    members per score band of `SCORING_DISTRIBUTION_BAND` points (the top band includes 100) and per
    grade, probationary members (not graded) apart."""
    org, where = _results_of(session, scope, scheme_id, org_id=org_id, subtree=subtree)
    width = SCORING_DISTRIBUTION_BAND
    lows = list(range(0, 100, width))
    bands = [
        and_(Result.score >= low, Result.score < low + width) if low + width < 100 else Result.score >= low
        for low in lows
    ]
    grades: list[ColumnElement[bool]] = [Result.grade == g for g in Grade]
    grades.append(Result.grade.is_(None))
    stmt = (
        select(
            func.count(),
            func.avg(Result.score),
            func.max(Result.computed_at),
            *(func.count(case((condition, 1))) for condition in (*bands, *grades)),
        )
        .select_from(Result)
        .join(Organisation, Organisation.id == Result.org_id)
        .where(*where)
    )
    total, average, computed_at, *counts = session.execute(stmt).one()
    per_band, per_grade = counts[: len(lows)], counts[len(lows) :]
    return ScoreDistribution(
        scheme_id=scheme_id,
        org_id=org.id if org else None,
        total=total,
        average_score=None if average is None else round(Decimal(average), 2),
        computed_at=computed_at,
        bands=[
            ScoreBand(low=low, high=min(low + width, 100), count=n)
            for low, n in zip(lows, per_band, strict=True)
        ],
        by_grade=dict(zip([*(g.value for g in Grade), UNGRADED], per_grade, strict=True)),
    )


def branch_stars(
    session: Session, scope: Scope, scheme_id: int, *, cursor: str | None, limit: int
) -> Page[BranchStarRead]:
    get_scheme(session, scope, scheme_id)
    stmt: Any = (
        select(BranchResult, Organisation.name)
        .join(Organisation, Organisation.id == BranchResult.org_id)
        .where(BranchResult.scheme_id == scheme_id, scope.clause(Organisation.path))
    )

    def item(row: Any) -> BranchStarRead:
        b, name = row
        return BranchStarRead(
            org_id=b.org_id,
            org_name=name,
            members=b.members,
            graded=b.graded,
            average_score=b.average_score,
            excellent=b.excellent,
            unqualified=b.unqualified,
            complaints_overdue=b.complaints_overdue,
            stars=b.stars,
            explanation=b.explanation,
        )

    return paginate_by_id(session, stmt, BranchResult.id, cursor=cursor, limit=limit, to_item=item)


# --- publishing --------------------------------------------------------------------------------


def publish(
    session: Session, caller: Principal, scheme_id: int, if_match: str | None, *, now: datetime
) -> Scheme:
    """Freeze the results: the scheme locks, each 不合格 member gets a follow-up case, and a
    `scoring.published` event leaves for the webhook subscriptions on the scheme's org and above."""
    scheme, _ = managed_scheme(session, caller, scheme_id, for_update=True)
    check_if_match(if_match, scheme.version)
    ensure_draft(scheme)
    if scheme.computed_at is None:
        raise ResultsNotComputed()
    still_open = session.scalar(
        select(func.count())
        .select_from(EvaluationRound)
        .where(EvaluationRound.scheme_id == scheme.id, EvaluationRound.status == RoundStatus.OPEN)
    )
    if still_open:
        raise RoundsOpen()
    scheme.status = SchemeStatus.PUBLISHED
    scheme.published_at, scheme.published_by = now, caller.name
    failing = session.execute(
        select(Result.member_id, Result.org_id).where(
            Result.scheme_id == scheme.id, Result.grade == Grade.UNQUALIFIED
        )
    ).all()
    session.add_all(
        FollowUpCase(scheme_id=scheme.id, member_id=m, org_id=o, status=CaseStatus.OPEN, talks=[])
        for m, o in failing
    )
    counts = dict(
        session.execute(
            select(Result.grade, func.count()).where(Result.scheme_id == scheme.id).group_by(Result.grade)
        ).all()
    )
    session.flush()
    webhooks.emit(
        session,
        EventType.SCORING_PUBLISHED,
        scheme.org_id,
        {
            "scheme_id": scheme.id,
            "org_id": scheme.org_id,
            "year": scheme.year,
            "quarter": scheme.quarter or None,
            "members": sum(counts.values()),
            "grades": {(g.value if g is not None else "ungraded"): n for g, n in counts.items()},
        },
        now=now,
    )
    return scheme
