"""What every benchmark shares: a throw-away PostgreSQL database, timings, a bench user's token, and
the results table (printed, and merged into results.json by benchmark name)."""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from vanguard.audit import hook
from vanguard.core.config import Settings
from vanguard.core.db import make_sessionmaker
from vanguard.core.permissions import Role
from vanguard.core.security import jwt
from vanguard.main import create_app
from vanguard.users.models import User

PG_SERVER = os.environ.get("VANGUARD_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
RESULTS = Path(__file__).with_name("results.json")


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (its SQLAlchemy URL), dropped afterwards whatever happens."""
    name = f"vanguard_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def psycopg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg", "postgresql")


def api_client(engine: Engine, org_id: int) -> tuple[TestClient, dict[str, str]]:
    """The app on `engine`, and headers of an org admin whose scope is `org_id`'s subtree."""
    hook.install()
    with make_sessionmaker(engine)() as session, session.begin():
        user = User(
            username="bench",
            display_name="bench",
            password_hash="!unusable",  # noqa: S106 - never logs in; the bench mints its token
            role=Role.ORG_ADMIN,
            org_id=org_id,
        )
        session.add(user)
    token = jwt.encode(jwt.issue(user.id, "access", 0))
    client = TestClient(create_app(Settings(VANGUARD_ENV="test"), engine=engine))  # type: ignore[call-arg]
    return client, {"Authorization": f"Bearer {token}"}


def timings(fn: Callable[[], Any], iterations: int) -> dict[str, float]:
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


def compare(
    label: str, api: Callable[[], Any], floor: Callable[[], Any], iterations: int, **context: Any
) -> dict[str, Any]:
    """Time the API call and its hand-written SQL floor in the same run."""
    api_t, floor_t = timings(api, iterations), timings(floor, iterations)
    return {
        "benchmark": label,
        "api": api_t,
        "sql_floor": floor_t,
        "ratio_p50": round(api_t["p50_ms"] / floor_t["p50_ms"], 2),
        **context,
        "iterations": iterations,
    }


def report(results: list[dict[str, Any]]) -> None:
    """Print the table; merge into results.json, replacing earlier runs of the same benchmarks."""
    print(f"{'benchmark':<58} {'api p50':>9} {'api p99':>9} {'sql p50':>9} {'sql p99':>9} {'ratio':>7}")
    for r in results:
        print(
            f"{r['benchmark']:<58} {r['api']['p50_ms']:>8.2f}ms {r['api']['p99_ms']:>8.2f}ms "
            f"{r['sql_floor']['p50_ms']:>8.2f}ms {r['sql_floor']['p99_ms']:>8.2f}ms {r['ratio_p50']:>6.1f}x"
        )
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    fresh = {r["benchmark"] for r in results}
    merged = [r for r in previous if r["benchmark"] not in fresh] + results
    RESULTS.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")
