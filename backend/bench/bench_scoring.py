"""Scoring recompute for a county, in a throw-away PostgreSQL database.

The bench_study county (~820 organisations, 20,000 members and a year of meetings with attendance and
make-up study, written with COPY), plus 0–3 pledges per member due in the year (kept, not kept or pending)
and a post for about a third of them. A 2025 scheme with five rules (study hours, meetings attended,
meetings absent, pledges kept, posts held; each capped) is recomputed for the whole county through
`scoring.results.recompute` — the job's work: roster, batched `*_facts` calls, the engine in Python with an
explanation per member, grades with the 优秀 cap, branch stars, bulk insert — and timed beside the floor:
ONE aggregate SQL over the same facts returning each member's capped points (no explanation, no grades,
nothing written). The two must agree on every member's points. Reported as members/s and the ratio.

`--members 1000000 --no-study` scores a province-sized roll (members, pledges and posts only: a year of
attendance for a million members would take far longer to generate than to score).

    make bench   # or: .venv/bin/python -m bench.bench_scoring [--members N] [--iterations N] [--no-study]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy import func, select

from bench import bench_study
from bench.bench_study import County, _copy
from bench.common import psycopg_dsn, report, throwaway_database
from vanguard.audit import hook
from vanguard.core import migrate
from vanguard.core.clock import CST
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.core.permissions import ROLE_PERMISSIONS, Principal, Role, Scope
from vanguard.scoring import results, service
from vanguard.scoring.models import Result
from vanguard.scoring.schemas import RuleIn, SchemeCreate

YEAR = bench_study.YEAR
NOW = datetime(2026, 1, 15, 2, 0, tzinfo=UTC)
STAMP = "2026-01-01 00:00:00+00"
RULES = [
    RuleIn(source="study_hours", points_per_unit=Decimal("0.5"), cap=Decimal(20)),
    RuleIn(source="meetings_attended", points_per_unit=Decimal(1), cap=Decimal(20)),
    RuleIn(source="meetings_absent", points_per_unit=Decimal(-1), cap=Decimal(10)),
    RuleIn(source="pledges_kept", points_per_unit=Decimal(5), cap=Decimal(10)),
    RuleIn(source="posts_held", points_per_unit=Decimal(5)),
]

# The same five rules as one statement: per member, each source's units over the year, capped, summed.
FLOOR_SQL = """
WITH roster AS (
  SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id
  WHERE o.path LIKE %(prefix)s AND m.status = 'normal' AND m.stage IN ('probationary', 'full')
), att AS (
  SELECT a.member_id,
         count(*) FILTER (WHERE a.status = 'present') AS present,
         count(*) FILTER (WHERE a.status = 'absent') AS absent,
         coalesce(sum(act.hours) FILTER (WHERE a.status = 'present'), 0) AS hours
  FROM study_attendance a JOIN study_activities act ON act.id = a.activity_id
  WHERE act.starts_at >= %(lo)s AND act.starts_at < %(hi)s
  GROUP BY a.member_id
), mk AS (
  SELECT mk.member_id, sum(mk.hours) AS hours
  FROM study_makeups mk JOIN study_activities act ON act.id = mk.activity_id
  WHERE act.starts_at >= %(lo)s AND act.starts_at < %(hi)s
  GROUP BY mk.member_id
), pl AS (
  SELECT member_id, count(*) AS kept FROM pledges
  WHERE due_on BETWEEN %(first)s AND %(last)s AND result = 'kept' GROUP BY member_id
), po AS (
  SELECT member_id, count(*) AS held FROM posts
  WHERE started_on <= %(last)s AND (ended_on IS NULL OR ended_on >= %(first)s) GROUP BY member_id
)
SELECT r.id,
       LEAST(GREATEST(
         LEAST((coalesce(att.hours, 0) + coalesce(mk.hours, 0)) * 0.5, 20)
         + LEAST(coalesce(att.present, 0) * 1, 20)
         - LEAST(coalesce(att.absent, 0) * 1, 10)
         + LEAST(coalesce(pl.kept, 0) * 5, 10)
         + coalesce(po.held, 0) * 5, 0), 100) AS points
FROM roster r
LEFT JOIN att ON att.member_id = r.id
LEFT JOIN mk ON mk.member_id = r.id
LEFT JOIN pl ON pl.member_id = r.id
LEFT JOIN po ON po.member_id = r.id
"""
FLOOR_POINTS_CAPPED = Decimal(100)  # the scheme's full points (the floor caps the same way)


def _pledges_and_posts(rng: random.Random, members: int) -> tuple[list[str], list[str]]:
    pledges, posts = [], []
    for member_id in range(1, members + 1):
        for i in range(rng.randrange(4)):
            result = rng.choice(("kept", "kept", "not_kept", "pending"))
            evaluated = f"{YEAR}-12-20" if result != "pending" else r"\N"
            due = f"{YEAR}-{rng.randrange(1, 13):02d}-28"
            pledges.append(
                f"{member_id}\t承诺{i}\t{YEAR}-01-15\t{due}\t{result}\t{evaluated}\t1\t{STAMP}\t{STAMP}\n"
            )
        if rng.random() < 0.33:
            posts.append(f"{member_id}\t宣传岗\t宣讲政策\t{YEAR - 1}-03-01\t\\N\t1\t{STAMP}\t{STAMP}\n")
    return pledges, posts


def load(url: str, members: int, *, study: bool) -> tuple[int, dict[str, Any]]:
    started = time.perf_counter()
    if study:
        county, size = bench_study.load(url, members)
    else:
        migrate.upgrade(url)
        county = County(random.Random(bench_study.SEED), members)
        with psycopg.connect(psycopg_dsn(url)) as pg:
            _copy(pg, "orgs", bench_study.ORG_COLUMNS, county.orgs)
            _copy(pg, "members", bench_study.MEMBER_COLUMNS, county.members)
            for table in ("orgs", "members"):
                pg.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
        size = {"orgs": len(county.orgs), "members": members}
    pledges, posts = _pledges_and_posts(random.Random(bench_study.SEED + 1), members)
    with psycopg.connect(psycopg_dsn(url)) as pg:
        _copy(
            pg,
            "pledges",
            "member_id, content, made_on, due_on, result, evaluated_on, version, created_at, updated_at",
            pledges,
        )
        _copy(
            pg,
            "posts",
            "member_id, title, duties, started_on, ended_on, version, created_at, updated_at",
            posts,
        )
    with psycopg.connect(psycopg_dsn(url), autocommit=True) as pg:
        for table in ("pledges", "posts", "members", "orgs"):
            pg.execute(f"VACUUM ANALYZE {table}")
    size |= {"pledges": len(pledges), "posts": len(posts)}
    print(f"loaded {size} in {time.perf_counter() - started:.0f}s")
    return county.root, size


def _principal(root: int) -> Principal:
    return Principal(
        kind="user",
        id=0,
        name="bench",
        role=Role.ORG_ADMIN,
        org_id=root,
        scope=Scope(f"/{root}/"),
        permissions=ROLE_PERMISSIONS[Role.ORG_ADMIN],
    )


def _stats(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {"p50_ms": round(statistics.median(samples), 1), "p99_ms": round(samples[-1], 1)}


def run(members: int, iterations: int, *, study: bool) -> list[dict[str, Any]]:
    with throwaway_database() as url:
        root, size = load(url, members, study=study)
        engine = build_engine(url)
        hook.install()
        sessions = make_sessionmaker(engine)
        caller = _principal(root)
        with sessions() as session:
            session.info["principal"] = caller
            scheme = service.create_scheme(
                session, caller, SchemeCreate(org_id=root, name="县党员积分", year=YEAR, rules=RULES)
            )
            session.commit()
            scheme_id = scheme.id
        recompute_ms: list[float] = []
        scored = 0
        for _ in range(iterations):
            with sessions() as session:
                session.info["principal"] = caller
                started = time.perf_counter()
                out = results.recompute(session, caller, scheme_id, now=NOW, today=date(YEAR + 1, 1, 15))
                session.commit()
                recompute_ms.append((time.perf_counter() - started) * 1000)
                scored = out.members
        params = {
            "prefix": f"/{root}/%",
            "lo": datetime(YEAR, 1, 1, tzinfo=CST),  # China's calendar year, as study_facts counts it
            "hi": datetime(YEAR + 1, 1, 1, tzinfo=CST),
            "first": date(YEAR, 1, 1),
            "last": date(YEAR, 12, 31),
        }
        floor_ms: list[float] = []
        with psycopg.connect(psycopg_dsn(url)) as pg:
            for _ in range(iterations):
                started = time.perf_counter()
                rows = pg.execute(FLOOR_SQL, params).fetchall()
                floor_ms.append((time.perf_counter() - started) * 1000)
        floor_points = {member_id: Decimal(points) for member_id, points in rows}
        with sessions() as session:
            ours = dict(
                session.execute(
                    select(Result.member_id, Result.points).where(Result.scheme_id == scheme_id)
                ).all()
            )
            excellent = session.scalar(
                select(func.count()).where(Result.scheme_id == scheme_id, Result.grade == "excellent")
            )
        capped = {m: min(max(p, Decimal(0)), FLOOR_POINTS_CAPPED) for m, p in ours.items()}
        assert capped == floor_points, "recompute and the aggregate SQL disagree on some member's points"
        engine.dispose()
        api, floor = _stats(recompute_ms), _stats(floor_ms)
        per_second = round(scored / (api["p50_ms"] / 1000), 1)
        floor_per_second = round(len(rows) / (floor["p50_ms"] / 1000), 1)
        print(
            f"recompute: {scored} members in {api['p50_ms'] / 1000:.2f}s = {per_second} members/s; "
            f"aggregate SQL {floor['p50_ms'] / 1000:.2f}s = {floor_per_second} members/s; {excellent} 优秀"
        )
        return [
            {
                "benchmark": f"scoring recompute, {members:,} members{'' if study else ' (no study facts)'}",
                "api": api,
                "sql_floor": floor,
                "ratio_p50": round(api["p50_ms"] / floor["p50_ms"], 2),
                "members_per_second": per_second,
                "floor_members_per_second": floor_per_second,
                **size,
                "iterations": iterations,
            }
        ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--no-study", action="store_true", help="members, pledges and posts only")
    args = parser.parse_args()
    report(run(args.members, args.iterations, study=not args.no_study))


if __name__ == "__main__":
    main()
