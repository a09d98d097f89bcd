"""The API under load, as a ratio to its floors measured on the same server in the same run.

The province of bench_members (~41,000 orgs, 1,000,000 members, COPY) is served by uvicorn
(`bench.floor_app`, the real app plus its floors) with N workers; wrk on loopback drives, with 1 and 32
connections, for a few seconds each:

- `GET /api/v1/members?org_id=<county>&gender=female&limit=50` (an org admin of one county: scoped and
  filtered) and `GET /api/v1/members/{id}` (ids rotating over 1,000 of the county's members);
- the framework floor: `GET /bench/constant` (the same server, middleware and all, returning a constant);
- the DB floor: the same SQL through psycopg 3 with rows dumped as JSON, sync (threadpool) and async.

Targets (issue #11): member list p99 within 3× the DB floor's, and ≥ 40% of the framework floor's
requests/s at 32 clients. The server's peak memory (VmHWM of every process) is reported too.

    make bench       # or: .venv/bin/python -m bench.bench_api [--members N] [--workers N] [--seconds N]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.bench_members import SEED, load
from bench.common import bench_headers, psycopg_dsn, save, throwaway_database
from vanguard.core.db import build_engine

POOL_SIZE = 8
TARGET_P99_VS_DB = 3.0
TARGET_RPS_VS_FRAMEWORK = 0.4
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(url: str, prefix: str, workers: int) -> Iterator[tuple[str, int]]:
    """uvicorn serving bench.floor_app on a free port; yields its base URL and pid."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "VANGUARD_BENCH_PREFIX": prefix,
        "VANGUARD_COMPLAINTS_SWEEP_SECONDS": "0",
        "VANGUARD_WEBHOOK_DELIVERY_SECONDS": "0",
        # 8 connections per pool and worker, for the app and each floor alike: 2 cores saturate long
        # before, and 2 workers × 3 pools stay well under max_connections (100 by default).
        "VANGUARD_DB_POOL_SIZE": str(POOL_SIZE),
        "VANGUARD_DB_MAX_OVERFLOW": "0",
    }
    command = [sys.executable, "-m", "uvicorn", "bench.floor_app:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).parent.parent)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/bench/constant", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                raise RuntimeError("the bench server exited at startup")
            time.sleep(0.1)
        else:
            raise RuntimeError("the bench server did not start in 30 s")
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (uvicorn's supervisor and its worker processes)."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = next(int(line.split()[1]) for line in status.open() if line.startswith("PPid"))
        except (OSError, StopIteration):
            continue
        children.setdefault(ppid, []).append(int(status.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def memory_mb(pid: int) -> dict[str, float]:
    """Peak (VmHWM) and current (VmRSS) resident memory of the server's processes, summed and largest."""
    peaks, current = [], []
    for p in _tree(pid):
        try:
            text = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
        current.append(int(fields["VmRSS"].split()[0]) / 1024)
    return {
        "peak_total_mb": round(sum(peaks), 1),
        "peak_largest_process_mb": round(max(peaks), 1),
        "rss_total_mb": round(sum(current), 1),
        "processes": len(peaks),
    }


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return round(float(value) * _UNITS[unit], 3)


def wrk(
    url: str, headers: dict[str, str], clients: int, seconds: int, script: Path | None
) -> dict[str, float]:
    """p50, p99 and requests/s of one wrk run; any non-2xx response or socket error fails the bench."""
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw errors on {url}:\n{out}")
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps, out
    assert set(percentiles) == {"50", "99"}, out
    measured = {"p50_ms": _ms(percentiles["50"]), "p99_ms": _ms(percentiles["99"]), "rps": float(rps[1])}
    print(f"  {clients:>2} clients  {url.split('/', 3)[3]:<56} {measured}", flush=True)
    return measured


def rotating_ids_script(directory: Path, ids: list[int], suffix: str = "") -> Path:
    """A wrk script requesting `<path>/<id><suffix>` for each id in turn (the path is wrk's URL's)."""
    script = directory / f"ids{suffix.replace('/', '_')}.lua"
    script.write_text(
        "local ids = {" + ",".join(map(str, ids)) + "}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #ids + 1\n"
        f'  return wrk.format(nil, wrk.path .. "/" .. ids[i] .. "{suffix}")\n'
        "end\n",
        encoding="utf-8",
    )
    return script


def check_agreement(base: str, headers: dict[str, str], county: int, some_id: int) -> None:
    """The API and the floors answer the same question: same rows, same record."""
    api = httpx.get(
        f"{base}/api/v1/members",
        params={"org_id": county, "gender": "female", "limit": 50},
        headers=headers,
    ).raise_for_status()
    for mode in ("sync", "async"):
        floor = httpx.get(f"{base}/bench/db/{mode}/members").raise_for_status().json()["items"]
        assert [m["id"] for m in api.json()["items"]] == [r["id"] for r in floor][:50], mode
        one = httpx.get(f"{base}/bench/db/{mode}/members/{some_id}").raise_for_status().json()
        record = httpx.get(f"{base}/api/v1/members/{some_id}", headers=headers).raise_for_status().json()
        assert one["id"] == record["id"] == some_id, mode


def run(members: int, workers: int, seconds: int, concurrency: list[int]) -> list[dict[str, Any]]:
    if shutil.which("wrk") is None:
        raise SystemExit(
            "bench_api needs wrk on PATH (Debian: apt-get install wrk; `make bench` installs it as root)"
        )
    with throwaway_database() as url, tempfile.TemporaryDirectory() as tmp:
        tree = load(url, members)
        county = tree.counties[len(tree.counties) // 2]
        engine = build_engine(url)
        headers = bench_headers(engine, county)
        engine.dispose()
        with psycopg.connect(psycopg_dsn(url)) as pg:
            prefix = pg.execute("SELECT path FROM orgs WHERE id = %s", (county,)).fetchone()[0]  # type: ignore[index]
            county_ids = [
                row[0]
                for row in pg.execute(
                    "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id "
                    "WHERE o.path LIKE %s AND m.status = 'normal'",
                    (prefix + "%",),
                )
            ]
        ids = random.Random(SEED).sample(county_ids, min(1000, len(county_ids)))
        one_by_one = rotating_ids_script(Path(tmp), ids)
        results = []
        with server(url, prefix, workers) as (base, pid):
            check_agreement(base, headers, county, ids[0])
            roll = f"?org_id={county}&gender=female&limit=50"
            cases = {
                "GET /members?org_id=county&gender=female&limit=50": (
                    f"/api/v1/members{roll}",
                    "/bench/db/{mode}/members",
                    None,
                ),
                "GET /members/{id} (1,000 ids in turn)": (
                    "/api/v1/members",
                    "/bench/db/{mode}/members",
                    one_by_one,
                ),
            }
            for clients in concurrency:
                framework = wrk(f"{base}/bench/constant", {}, clients, seconds, None)
                for label, (api_path, floor_path, script) in cases.items():
                    wrk(f"{base}{api_path}", headers, clients, 2, script)  # warm the worker's caches
                    measured = {
                        "api": wrk(f"{base}{api_path}", headers, clients, seconds, script),
                        "db_floor_sync": wrk(
                            f"{base}{floor_path.format(mode='sync')}", {}, clients, seconds, script
                        ),
                        "db_floor_async": wrk(
                            f"{base}{floor_path.format(mode='async')}", {}, clients, seconds, script
                        ),
                        "framework_floor": framework,
                    }
                    results.append(_record(label, clients, measured, workers, tree, members))
            memory = memory_mb(pid)
        for r in results:
            r["server_memory"] = memory
        return results


def _record(
    label: str, clients: int, m: dict[str, dict[str, float]], workers: int, tree: Any, members: int
) -> dict[str, Any]:
    db = m["db_floor_sync"]
    p99_vs_db = round(m["api"]["p99_ms"] / db["p99_ms"], 2)
    rps_vs_framework = round(m["api"]["rps"] / m["framework_floor"]["rps"], 3)
    return {
        "benchmark": f"load: {label}, {clients} client{'s' if clients > 1 else ''}",
        **m,
        "p99_vs_db_floor": p99_vs_db,
        "rps_vs_db_floor": round(m["api"]["rps"] / db["rps"], 3),
        "rps_vs_framework_floor": rps_vs_framework,
        "async_vs_sync_db_rps": round(m["db_floor_async"]["rps"] / db["rps"], 3),
        "targets": {
            f"p99 within {TARGET_P99_VS_DB:g}x the DB floor": p99_vs_db <= TARGET_P99_VS_DB,
            **(
                {
                    f">= {TARGET_RPS_VS_FRAMEWORK:.0%} of the framework floor's requests/s": rps_vs_framework
                    >= TARGET_RPS_VS_FRAMEWORK
                }
                if clients >= 32
                else {}
            ),
        },
        "workers": workers,
        "clients": clients,
        "orgs": len(tree.rows),
        "members": members,
    }


def print_table(results: list[dict[str, Any]]) -> None:
    print(
        f"{'benchmark':<72} {'api p50':>8} {'api p99':>8} {'api r/s':>8} {'db p99':>8} {'db r/s':>8} "
        f"{'async r/s':>9} {'const r/s':>9} {'p99/db':>6} {'r/s/const':>9}"
    )
    for r in results:
        api, db, const = r["api"], r["db_floor_sync"], r["framework_floor"]
        print(
            f"{r['benchmark']:<72} {api['p50_ms']:>6.2f}ms {api['p99_ms']:>6.2f}ms {api['rps']:>8.0f} "
            f"{db['p99_ms']:>6.2f}ms {db['rps']:>8.0f} {r['db_floor_async']['rps']:>9.0f} "
            f"{const['rps']:>9.0f} {r['p99_vs_db_floor']:>5.1f}x {r['rps_vs_framework_floor']:>8.0%}"
        )
    memory = results[0]["server_memory"]
    print(
        f"server memory: peak {memory['peak_total_mb']} MB over {memory['processes']} processes "
        f"(largest {memory['peak_largest_process_mb']} MB), {memory['rss_total_mb']} MB at the end"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="uvicorn workers (default: cores)"
    )
    parser.add_argument("--seconds", type=int, default=8, help="per wrk run")
    parser.add_argument("--clients", default="1,32", help="comma-separated connection counts")
    args = parser.parse_args()
    results = run(args.members, args.workers, args.seconds, [int(c) for c in args.clients.split(",")])
    print_table(results)
    save(results)


if __name__ == "__main__":
    main()
