"""Member-roll import throughput: a 100,000-row XLSX through the API as a job (dry run, the real run,
then the same file again), beside COPY of the same rows into a bare table — the floor no validating import
reaches — and the import's peak memory at 10,000 and at 100,000 rows (the CLI in a child process), to show
that rows are streamed, not held.

    python -m bench.bench_imports [--rows 100000] [--no-rss]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import psycopg
from sqlalchemy.orm import Session

from bench.common import api_client, psycopg_dsn, report, throwaway_database
from vanguard.core import migrate, policy
from vanguard.core.db import build_engine
from vanguard.core.idcard import check_char
from vanguard.core.permissions import Scope
from vanguard.jobs.runner import get_runner
from vanguard.orgs import service as orgs
from vanguard.orgs.models import OrgKind
from vanguard.orgs.schemas import OrgCreate

HEADER = ["姓名", "所在党组织", "身份证号", "学历", "党员类别", "入党日期", "联系电话"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def rows(count: int, branch_codes: list[str]) -> list[list[Any]]:
    rng = random.Random(11643)
    out = []
    seen: set[str] = set()
    for i in range(count):
        while True:
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
            body = f"430124{born:%Y%m%d}{rng.randrange(1000):03d}"
            if body not in seen:
                seen.add(body)
                break
        joined = min(born + timedelta(days=365 * 20 + rng.randrange(365 * 10)), date(2025, 12, 31))
        out.append(
            [
                rng.choice(SURNAMES) + f"党员{i}",
                branch_codes[i % len(branch_codes)],
                body + check_char(body),
                rng.choice(["本科", "大专", "高中", "初中"]),
                rng.choice(["农村", "在职", "离退休"]),
                joined,
                f"13{rng.randrange(10**9):09d}",
            ]
        )
    return out


def workbook(data: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("党员名册")
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def copy_floor(url: str, data: list[list[Any]]) -> float:
    """COPY the same cells into an unindexed table: no parsing, no checks — the I/O floor."""
    with psycopg.connect(psycopg_dsn(url)) as pg:
        pg.execute(
            "CREATE TABLE bare_members (name text, org text, id_number text, education text, "
            "category text, joined date, phone text)"
        )
        started = time.perf_counter()
        with pg.cursor().copy("COPY bare_members FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
        pg.commit()
        return time.perf_counter() - started


def _county(url: str) -> tuple[int, list[str]]:
    engine = build_engine(url)
    with Session(engine) as session, session.begin():
        town = orgs.create(
            session,
            Scope.everything(),
            OrgCreate(name="镇党委", kind=OrgKind.COMMITTEE, parent_id=None, code="T"),
        )
        codes = []
        for b in range(20):
            orgs.create(
                session,
                Scope.everything(),
                OrgCreate(name=f"第{b}村党支部", kind=OrgKind.BRANCH, parent_id=town.id, code=f"T-{b}"),
            )
            codes.append(f"T-{b}")
        town_id = town.id
    engine.dispose()
    return town_id, codes


def run(count: int) -> list[dict[str, Any]]:
    policy.IMPORT_MAX_ROWS = max(policy.IMPORT_MAX_ROWS, count)  # type: ignore[misc]
    with throwaway_database() as url:
        migrate.upgrade(url)
        town_id, codes = _county(url)
        engine = build_engine(url)
        client, headers = api_client(engine, town_id)
        data = rows(count, codes)
        file = workbook(data)
        results = []
        for label, dry_run in (("dry run", True), ("real run", False), ("same file again", False)):
            started = time.perf_counter()
            response = client.post(
                "/api/v1/imports/members",
                headers=headers,
                files={"file": ("roll.xlsx", file, "application/octet-stream")},
                data={"dry_run": str(dry_run).lower()},
            )
            job_id = response.raise_for_status().json()["id"]
            get_runner().wait(job_id)
            seconds = time.perf_counter() - started
            job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).raise_for_status().json()
            body = job["result"]
            assert job["state"] == "succeeded", job
            assert not body["errors"], body["errors"][:3]
            results.append((label, seconds, body))
        floor = copy_floor(url, data)
        engine.dispose()
    size = {"rows": count, "copy_rows_per_s": round(count / floor), "file_bytes": len(file)}
    return [
        {
            "benchmark": f"POST /imports/members ({label}, {count:,} rows)",
            "api": {"p50_ms": round(seconds * 1000, 1), "p99_ms": round(seconds * 1000, 1)},
            "sql_floor": {"p50_ms": round(floor * 1000, 1), "p99_ms": round(floor * 1000, 1)},
            "ratio_p50": round(seconds / floor, 1),
            "rows_per_s": round(count / seconds),
            "outcome": {k: body[k] for k in ("created", "updated", "unchanged")},
            **size,
            "iterations": 1,
        }
        for label, seconds, body in results
    ]


def csv_file(data: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(data)
    return out.getvalue().encode("utf-8-sig")


def peak_rss(count: int, fmt: str = "xlsx") -> dict[str, Any]:
    """`vanguard import members FILE --commit` in a child process against a fresh database: its peak
    resident memory (VmHWM, read by the child itself: a forked child's ru_maxrss would count the pages it
    shared with this process before exec) and time, for a file of `count` rows."""
    with throwaway_database() as url, tempfile.TemporaryDirectory() as tmp:
        migrate.upgrade(url)
        _, codes = _county(url)
        path = Path(tmp) / f"roll.{fmt}"
        path.write_bytes((workbook if fmt == "xlsx" else csv_file)(rows(count, codes)))
        peak = Path(tmp) / "peak"
        env = {**os.environ, "DATABASE_URL": url}
        code = (
            "import sys, pathlib; from vanguard.core import policy; policy.IMPORT_MAX_ROWS = 10**6\n"
            "from vanguard import cli\n"
            "status = cli.main(sys.argv[2:])\n"
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
            "pathlib.Path(sys.argv[1]).write_text(hwm)\n"
            "sys.exit(status)"
        )
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own interpreter and CLI
            [sys.executable, "-c", code, str(peak), "import", "members", str(path), "--commit"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        seconds = time.perf_counter() - started
        assert done.returncode == 0, done.returncode
        peak_kb = int(peak.read_text())
    mb = round(peak_kb / 1024, 1)
    return {"format": fmt, "rows": count, "peak_rss_mb": mb, "seconds": round(seconds, 1)}


def rss_runs(large: int, formats: list[str]) -> list[dict[str, Any]]:
    return [peak_rss(n, fmt) for fmt in formats for n in (10_000, large)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-rss", action="store_true", help="skip the peak-memory runs")
    parser.add_argument("--rss-only", action="store_true", help="only the peak-memory runs")
    parser.add_argument("--rss-formats", default="csv,xlsx", help="files for the peak-memory runs")
    args = parser.parse_args()
    if args.rss_only:
        for m in rss_runs(args.rows, args.rss_formats.split(",")):
            print(f"CLI import peak RSS: {m}")
        return
    results = run(args.rows)
    memory = [] if args.no_rss else rss_runs(args.rows, args.rss_formats.split(","))
    for r in results:
        if memory:
            r["peak_rss_mb"] = {f"{m['format']} {m['rows']:,} rows": m["peak_rss_mb"] for m in memory}
    report(results)
    for r in results:
        print(f"{r['benchmark']:<58} {r['rows_per_s']:>8,} rows/s   (COPY: {r['copy_rows_per_s']:,} rows/s)")
    for m in memory:
        print(f"CLI import peak RSS: {m}")


if __name__ == "__main__":
    main()
