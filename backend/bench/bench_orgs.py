"""Organisation-tree benchmarks on the demo county in a throw-away PostgreSQL database.

Each API timing is reported beside a floor measured in the same run — the hand-written SQL for the
same answer through psycopg — because absolute times on a shared machine are noisy.

    make bench            # or: .venv/bin/python -m bench.bench_orgs [--iterations N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from vanguard.audit import hook
from vanguard.core import migrate
from vanguard.core.config import Settings
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.core.permissions import Role
from vanguard.core.security import jwt
from vanguard.demo.seed import seed_demo
from vanguard.main import create_app
from vanguard.users.models import User

PG_SERVER = os.environ.get("VANGUARD_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
RESULTS = Path(__file__).with_name("results.json")

CHILDREN_SQL = """
SELECT o.id, o.name,
       (SELECT count(*) FROM orgs c WHERE c.parent_id = o.id),
       (SELECT count(*) FROM members m JOIN orgs h ON h.id = m.org_id
         WHERE h.path LIKE o.path || '%%' AND m.status = 'normal')
FROM orgs o WHERE o.parent_id = %(id)s ORDER BY o.id LIMIT 51
"""
STATS_SQL = """
SELECT (SELECT count(*) FROM orgs WHERE path LIKE %(p)s AND status = 'active'),
       (SELECT count(*) FROM members m JOIN orgs o ON o.id = m.org_id
         WHERE o.path LIKE %(p)s AND m.status = 'normal')
"""


def _timings(fn: Callable[[], Any], iterations: int) -> dict[str, float]:
    for _ in range(min(20, iterations)):
        fn()  # warm caches and connection pools
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 3),
    }


def run(iterations: int) -> list[dict[str, Any]]:
    name = f"vanguard_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{PG_SERVER}/{name}"
    try:
        migrate.upgrade(url)
        engine = build_engine(url)
        hook.install()
        with make_sessionmaker(engine)() as session, session.begin():
            summary = seed_demo(session)
            assert summary is not None
            user = User(
                username="bench",
                display_name="bench",
                password_hash="!unusable",  # noqa: S106 - never logs in; the bench mints its token
                role=Role.ORG_ADMIN,
                org_id=summary.county_id,
            )
            session.add(user)
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        token = jwt.encode(jwt.issue(user.id, "access", 0))
        client = TestClient(create_app(Settings(VANGUARD_ENV="test"), engine=engine))  # type: ignore[call-arg]
        headers = {"Authorization": f"Bearer {token}"}
        county = summary.county_id
        dsn = url.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(dsn) as pg:
            county_path = f"/{county}/%"
            cases = [
                (
                    "GET /orgs?parent_id=county (children + counts)",
                    lambda: client.get("/api/v1/orgs", params={"parent_id": county}, headers=headers),
                    lambda: pg.execute(CHILDREN_SQL, {"id": county}).fetchall(),
                ),
                (
                    "GET /orgs/{county}/stats (subtree aggregate)",
                    lambda: client.get(f"/api/v1/orgs/{county}/stats", headers=headers),
                    lambda: pg.execute(STATS_SQL, {"p": county_path}).fetchall(),
                ),
            ]
            results = []
            for label, api, floor in cases:
                api_t, floor_t = _timings(api, iterations), _timings(floor, iterations)
                results.append(
                    {
                        "benchmark": label,
                        "api": api_t,
                        "sql_floor": floor_t,
                        "ratio_p50": round(api_t["p50_ms"] / floor_t["p50_ms"], 2),
                        "orgs": summary.orgs,
                        "members": summary.members,
                        "iterations": iterations,
                    }
                )
        engine.dispose()
        return results
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=300)
    results = run(parser.parse_args().iterations)
    print(f"{'benchmark':<50} {'api p50':>9} {'api p99':>9} {'sql p50':>9} {'ratio':>7}")
    for r in results:
        print(
            f"{r['benchmark']:<50} {r['api']['p50_ms']:>8.2f}ms {r['api']['p99_ms']:>8.2f}ms "
            f"{r['sql_floor']['p50_ms']:>8.2f}ms {r['ratio_p50']:>6.1f}x"
        )
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
