"""What every benchmark shares: a throw-away PostgreSQL database, timings, a bench user's token, and
the results table (printed, and merged into results.json by benchmark name)."""

from __future__ import annotations

import json
import os
import re
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
    headers = bench_headers(engine, org_id)
    client = TestClient(create_app(Settings(VANGUARD_ENV="test"), engine=engine))
    return client, headers


def bench_headers(engine: Engine, org_id: int) -> dict[str, str]:
    """Headers of a new org admin whose scope is `org_id`'s subtree (the token signed with the
    settings' key, so a server started with the same environment accepts it)."""
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
    return {"Authorization": f"Bearer {token}"}


def timings(fn: Callable[[], Any], iterations: int) -> dict[str, float]:
    for _ in range(min(5, iterations)):
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
    label: str, api: Callable[[], Any], floor: Callable[[], Any], iterations: int, /, **context: Any
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
    """Print the table of API-beside-floor results, and save them."""
    print(f"{'benchmark':<58} {'api p50':>9} {'api p99':>9} {'sql p50':>9} {'sql p99':>9} {'ratio':>7}")
    for r in results:
        print(
            f"{r['benchmark']:<58} {r['api']['p50_ms']:>8.2f}ms {r['api']['p99_ms']:>8.2f}ms "
            f"{r['sql_floor']['p50_ms']:>8.2f}ms {r['sql_floor']['p99_ms']:>8.2f}ms {r['ratio_p50']:>6.1f}x"
        )
    save(results)


def save(results: list[dict[str, Any]]) -> None:
    """Merge into results.json, replacing earlier runs of the same benchmarks; stamp when and where."""
    stamp = {"measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine()}
    results = [{**r, **stamp} for r in results]
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    fresh = {r["benchmark"] for r in results}
    merged = [r for r in previous if r["benchmark"] not in fresh] + results
    RESULTS.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


def machine() -> str:
    """CPU model, cores, memory and PostgreSQL's version: what the numbers were measured on."""
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    mem_kb = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.MULTILINE)
    admin = create_engine(f"{PG_SERVER}/postgres")
    with admin.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar_one().split()[0]
    admin.dispose()
    memory = f"{int(mem_kb[1]) // 1024**2} GiB" if mem_kb else "unknown memory"
    return f"{cpu[1] if cpu else 'unknown CPU'}, {os.cpu_count()} cores, {memory}, PostgreSQL {version}"
