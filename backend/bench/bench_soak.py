"""A bounded soak: 50 clients of mixed reads and writes against the real server for 5 minutes.

The province tree of bench_members with 20,000 members is served by uvicorn (as in bench_api); 50
asyncio clients on loopback, each as fast as it is answered, pick an operation by weight:

- read the county's member list, a member, the county's statistics, the county's complaint list;
- write: edit a member's occupation with If-Match (read first: a 412 when another client edited it in
  between is the right answer, counted apart), and take a complaint in at the hotline.

Passes (issue #12) when no request errs — a 5xx, a transport error or an unexpected status — and memory
stays flat: the server's resident memory at the end is within 10% of what it was after the first minute
(allocators and caches settle in that minute). Memory is sampled every 10 seconds.

    make bench     # or: .venv/bin/python -m bench.bench_soak [--seconds 300] [--clients 50] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import text

from bench.bench_api import memory_mb, server
from bench.bench_members import load
from bench.common import bench_headers, save, throwaway_database
from vanguard.core.db import build_engine

MEMBERS = 20_000
MEMORY_SAMPLE_SECONDS = 10
WARM_UP_SECONDS = 60
TARGET_MEMORY_GROWTH = 0.10
PHONE_LIKE = "1391234{:04d}"


@dataclass
class Tally:
    """What the clients saw, by operation: outcomes, and latencies for the percentiles."""

    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def note(self, operation: str, outcome: str, started: float) -> None:
        self.outcomes[(operation, outcome)] += 1
        self.latencies_ms.append((time.perf_counter() - started) * 1000)


@dataclass(frozen=True)
class Target:
    county: int
    prefix: str
    member_ids: list[int]


Operation = Callable[[httpx.AsyncClient, random.Random], Awaitable[str]]


def _expect(response: httpx.Response, *allowed: int) -> str:
    if response.status_code in allowed:
        return str(response.status_code)
    raise UnexpectedStatus(f"{response.request.method} {response.request.url.path}: {response.status_code}")


class UnexpectedStatus(Exception):
    pass


def operations(target: Target) -> dict[str, tuple[int, Operation]]:
    """Each operation by name, with its weight."""
    county, ids = target.county, target.member_ids

    async def list_members(c: httpx.AsyncClient, _rng: random.Random) -> str:
        return _expect(await c.get("/api/v1/members", params={"org_id": county, "limit": 50}), 200)

    async def read_member(c: httpx.AsyncClient, rng: random.Random) -> str:
        return _expect(await c.get(f"/api/v1/members/{rng.choice(ids)}"), 200)

    async def county_stats(c: httpx.AsyncClient, _rng: random.Random) -> str:
        return _expect(await c.get(f"/api/v1/orgs/{county}/stats"), 200)

    async def list_complaints(c: httpx.AsyncClient, _rng: random.Random) -> str:
        return _expect(await c.get("/api/v1/complaints", params={"org_id": county, "limit": 50}), 200)

    async def edit_member(c: httpx.AsyncClient, rng: random.Random) -> str:
        member = f"/api/v1/members/{rng.choice(ids[:200])}"  # a few hundred, so edits do collide
        read = await c.get(member)
        _expect(read, 200)
        body = {"occupation": f"soak {rng.randrange(10**6)}"}
        return _expect(await c.patch(member, json=body, headers={"If-Match": read.headers["ETag"]}), 200, 412)

    async def take_complaint(c: httpx.AsyncClient, rng: random.Random) -> str:
        body = {
            "channel": "hotline",
            "category": "roads",
            "title": "村口道路塌陷",
            "description": "村口主路塌陷一米见方，夜间有摔伤风险",
            "location_text": "某村村口",
            "reporter_name": "王小明",
            "reporter_phone": PHONE_LIKE.format(rng.randrange(10_000)),
        }
        return _expect(await c.post("/api/v1/complaints", json=body), 201)

    return {
        "GET /members (county, 50)": (30, list_members),
        "GET /members/{id}": (25, read_member),
        "GET /orgs/{county}/stats": (10, county_stats),
        "GET /complaints (county, 50)": (10, list_complaints),
        "PATCH /members/{id} (If-Match)": (15, edit_member),
        "POST /complaints (hotline)": (10, take_complaint),
    }


async def _client(
    base: str,
    headers: dict[str, str],
    ops: dict[str, tuple[int, Operation]],
    until: float,
    seed: int,
    tally: Tally,
) -> None:
    rng = random.Random(seed)
    names = list(ops)
    weights = [ops[n][0] for n in names]
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as c:
        while time.monotonic() < until:
            name = rng.choices(names, weights)[0]
            started = time.perf_counter()
            try:
                tally.note(name, await ops[name][1](c, rng), started)
            except (httpx.HTTPError, UnexpectedStatus) as exc:
                tally.note(name, "error", started)
                tally.errors.append(f"{name}: {exc!r}")


async def _sample_memory(pid: int, until: float, samples: list[dict[str, float]], started: float) -> None:
    while time.monotonic() < until:
        await asyncio.sleep(MEMORY_SAMPLE_SECONDS)
        samples.append({"t_s": round(time.monotonic() - started), **memory_mb(pid)})


async def soak(
    base: str, pid: int, headers: dict[str, str], target: Target, seconds: int, clients: int
) -> tuple[Tally, list[dict[str, float]]]:
    tally = Tally()
    started = time.monotonic()
    samples: list[dict[str, float]] = [{"t_s": 0, **memory_mb(pid)}]
    until = started + seconds
    ops = operations(target)
    await asyncio.gather(
        _sample_memory(pid, until, samples, started),
        *(_client(base, headers, ops, until, seed, tally) for seed in range(clients)),
    )
    return tally, samples


def _target(url: str) -> Target:
    engine = build_engine(url)
    with engine.connect() as conn:
        county, prefix = conn.execute(
            text("SELECT id, path FROM orgs WHERE code = 'P-1-1'")  # the first county
        ).one()
        ids = conn.scalars(
            text(
                "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE :p "
                "ORDER BY m.id LIMIT 1000"
            ),
            {"p": f"{prefix}%"},
        ).all()
    engine.dispose()
    return Target(county=county, prefix=prefix, member_ids=list(ids))


def run(seconds: int, clients: int, workers: int) -> dict[str, Any]:
    with throwaway_database() as url:
        load(url, MEMBERS)
        target = _target(url)
        engine = build_engine(url)
        headers = bench_headers(engine, target.county)
        engine.dispose()
        with server(url, target.prefix, workers) as (base, pid):
            tally, samples = asyncio.run(soak(base, pid, headers, target, seconds, clients))
    return _result(tally, samples, seconds, clients, workers)


def _result(
    tally: Tally, samples: list[dict[str, float]], seconds: int, clients: int, workers: int
) -> dict[str, Any]:
    settled = next((s for s in samples if s["t_s"] >= WARM_UP_SECONDS), samples[0])
    growth = samples[-1]["rss_total_mb"] / settled["rss_total_mb"] - 1
    latencies = sorted(tally.latencies_ms)
    total = len(latencies)
    errors = sum(n for (_, outcome), n in tally.outcomes.items() if outcome == "error")
    by_operation: dict[str, dict[str, int]] = {}
    for (operation, outcome), n in sorted(tally.outcomes.items()):
        by_operation.setdefault(operation, {})[outcome] = n
    return {
        "benchmark": "soak: mixed reads and writes",
        "members": MEMBERS,
        "seconds": seconds,
        "clients": clients,
        "workers": workers,
        "requests": total,
        "rps": round(total / seconds, 1),
        "p50_ms": round(latencies[total // 2], 1),
        "p99_ms": round(latencies[min(total - 1, int(total * 0.99))], 1),
        "errors": errors,
        "first_errors": tally.errors[:10],
        "by_operation": by_operation,
        "memory_samples": samples,
        "rss_after_warm_up_mb": settled["rss_total_mb"],
        "rss_at_end_mb": samples[-1]["rss_total_mb"],
        "rss_growth": round(growth, 3),
        "targets": {"zero errors": errors == 0, "memory flat (≤ 10% growth)": growth <= TARGET_MEMORY_GROWTH},
    }


def print_table(result: dict[str, Any]) -> None:
    print(f"{'operation':<34} " + " ".join(f"{k:>8}" for k in ("200", "201", "412", "error")))
    for operation, outcomes in result["by_operation"].items():
        print(
            f"{operation:<34} " + " ".join(f"{outcomes.get(k, 0):>8}" for k in ("200", "201", "412", "error"))
        )
    print(
        f"{result['requests']} requests in {result['seconds']} s from {result['clients']} clients "
        f"({result['rps']}/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms); "
        f"errors: {result['errors']}; "
        f"server memory {result['rss_after_warm_up_mb']:.0f} MB after the first minute, "
        f"{result['rss_at_end_mb']:.0f} MB at the end ({result['rss_growth']:+.1%})"
    )
    for line in result["first_errors"]:
        print(f"  error: {line}")
    for name, ok in result["targets"].items():
        print(f"  {name}: {'met' if ok else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    result = run(args.seconds, args.clients, args.workers)
    print_table(result)
    save([result])


if __name__ == "__main__":
    main()
