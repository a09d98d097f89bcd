"""Streamed exports at scale, in a throw-away PostgreSQL database.

The bench_members province tree (~41,000 orgs) with 100,000 members scattered over its branches. The
member roll is exported through a live server (uvicorn on 127.0.0.1, the body read by an httpx stream,
as `vanguard export --server` does) for one city (~10% of the rows) and for the whole province, as CSV
and as XLSX, each in a fresh child process so that its peak RSS is the export's own: rows per second and
peak RSS before and after (memory must not grow with the row count). The floor is PostgreSQL's
`COPY (SELECT … the same rows, same order …) TO STDOUT` read by psycopg.

    make bench            # or: .venv/bin/python -m bench.bench_exports [--members N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from typing import Any

import httpx
import psycopg
import uvicorn

from bench.bench_members import load
from bench.common import api_client, psycopg_dsn, report, throwaway_database
from vanguard.core.config import Settings
from vanguard.core.db import build_engine
from vanguard.main import create_app

FLOOR_SQL = """
COPY (
  SELECT m.id, m.name, o.name, m.gender, m.ethnicity, m.birth_date, m.id_number_masked, m.phone, m.education,
         m.occupation, m.category, m.stage, m.applied_on, m.activist_on, m.candidate_on, m.probationary_on,
         m.full_member_on, m.status, m.left_on, m.left_reason
  FROM members m JOIN orgs o ON o.id = m.org_id
  WHERE o.path LIKE '{prefix}%' AND m.status = 'normal'
  ORDER BY m.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Start the peak-RSS mark afresh (Linux ≥ 4.0), so it shows the export's own peak."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def child(url: str, token: str, org_id: int, fmt: str) -> None:
    """One export through a live server in this process; prints its numbers as JSON."""
    engine = build_engine(url)
    app = create_app(Settings(VANGUARD_ENV="test"), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
        # one small call first, so the baseline includes a warmed-up app and connection pool
        client.get("/api/v1/orgs/roots", headers={"Authorization": f"Bearer {token}"}).raise_for_status()
        before = _status_mb("VmRSS")
        _reset_peak()
        started = time.perf_counter()
        size = lines = 0
        params: dict[str, Any] = {"org_id": org_id, "format": fmt}
        headers = {"Authorization": f"Bearer {token}"}
        with client.stream("GET", "/api/v1/members/export", params=params, headers=headers) as response:
            response.raise_for_status()
            for piece in response.iter_bytes(64 * 1024):
                size += len(piece)
                lines += piece.count(b"\n")  # one byte: never split between two pieces
        seconds = time.perf_counter() - started
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()
    print(
        json.dumps(
            {
                "rows": lines - 1 if fmt == "csv" else None,
                "bytes": size,
                "seconds": seconds,
                "rss_before_mb": before,
                "rss_peak_mb": _status_mb("VmHWM"),
            }
        )
    )


def _export(url: str, token: str, org_id: int, fmt: str) -> dict[str, Any]:
    out = subprocess.run(  # noqa: S603 - our own module, our arguments
        [
            sys.executable,
            "-W",
            "ignore::DeprecationWarning",
            "-m",
            "bench.bench_exports",
            "--child",
            url,
            token,
            str(org_id),
            fmt,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _floor(pg: psycopg.Connection[Any], prefix: str) -> tuple[int, float]:
    started = time.perf_counter()
    rows = 0
    with pg.cursor().copy(FLOOR_SQL.format(prefix=prefix)) as copy:
        for block in copy:
            rows += bytes(block).count(b"\n")
    return rows - 1, time.perf_counter() - started


def run(members: int) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with throwaway_database() as url:
        tree = load(url, members)
        engine = build_engine(url)
        client, headers = api_client(engine, tree.root)
        client.close()
        engine.dispose()
        token = headers["Authorization"].removeprefix("Bearer ")
        with psycopg.connect(psycopg_dsn(url)) as pg:
            city = pg.execute("SELECT id, path FROM orgs WHERE depth = 1 ORDER BY id LIMIT 1").fetchone()
            root = pg.execute("SELECT id, path FROM orgs WHERE id = %s", (tree.root,)).fetchone()
            assert city is not None
            assert root is not None
            for label, (org_id, prefix) in (("one city", city), ("the province", root)):
                floor_rows, floor_s = min((_floor(pg, prefix) for _ in range(3)), key=lambda r: r[1])
                csv_run = _export(url, token, org_id, "csv")
                assert csv_run["rows"] == floor_rows, f"export has {csv_run['rows']} rows, COPY {floor_rows}"
                for fmt, numbers in (("csv", csv_run), ("xlsx", _export(url, token, org_id, "xlsx"))):
                    seconds = numbers["seconds"]
                    results.append(
                        {
                            "benchmark": f"GET /members/export?format={fmt} ({label}, {floor_rows:,} rows)",
                            "api": {"p50_ms": round(seconds * 1000, 1), "p99_ms": round(seconds * 1000, 1)},
                            "sql_floor": {
                                "p50_ms": round(floor_s * 1000, 1),
                                "p99_ms": round(floor_s * 1000, 1),
                            },
                            "ratio_p50": round(seconds / floor_s, 1),
                            "rows": floor_rows,
                            "rows_per_s": round(floor_rows / seconds),
                            "copy_rows_per_s": round(floor_rows / floor_s),
                            "bytes": numbers["bytes"],
                            "rss_before_mb": round(numbers["rss_before_mb"], 1),
                            "rss_peak_mb": round(numbers["rss_peak_mb"], 1),
                            "orgs": len(tree.rows),
                            "members": members,
                            "iterations": 1,
                        }
                    )
    print(f"\n{'export':<62} {'rows/s':>9} {'COPY rows/s':>12} {'RSS before':>11} {'RSS peak':>9}")
    for r in results:
        print(
            f"{r['benchmark']:<62} {r['rows_per_s']:>9,} {r['copy_rows_per_s']:>12,} "
            f"{r['rss_before_mb']:>9.0f}MB {r['rss_peak_mb']:>7.0f}MB"
        )
    print()
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        url, token, org_id, fmt = sys.argv[2:6]
        child(url, token, int(org_id), fmt)
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()
    report(run(args.members))


if __name__ == "__main__":
    main()
