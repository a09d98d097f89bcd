"""results.json as Markdown: the table the README shows (`make bench` prints it last).

.venv/bin/python -m bench.summary
"""

from __future__ import annotations

import json
from typing import Any

from bench.common import RESULTS


def _ms(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.1f} s"
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def _size(r: dict[str, Any]) -> str:
    keys = ("orgs", "members", "complaints", "rows", "meetings")
    return ", ".join(f"{r[k]:,} {k}" for k in keys if isinstance(r.get(k), int))


def floors_table(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| benchmark | data | API p50 | API p99 | floor p50 | API ÷ floor |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['benchmark']} | {_size(r)} | {_ms(r['api']['p50_ms'])} | {_ms(r['api']['p99_ms'])} | "
            f"{_ms(r['sql_floor']['p50_ms'])} | {r['ratio_p50']:.1f}× |"
        )
    return lines


def load_table(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| under load (wrk, loopback) | API p50 / p99 | API req/s | DB floor p99 (sync) | DB floor req/s "
        "sync / async | framework floor req/s | API p99 ÷ DB p99 | API req/s ÷ framework | targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        api, db, db_async = r["api"], r["db_floor_sync"], r["db_floor_async"]
        targets = "; ".join(f"{name}: {'met' if ok else '**missed**'}" for name, ok in r["targets"].items())
        lines.append(
            f"| {r['benchmark'].removeprefix('load: ')} ({r['workers']} workers) | {_ms(api['p50_ms'])} / "
            f"{_ms(api['p99_ms'])} | {api['rps']:,.0f} | {_ms(db['p99_ms'])} | {db['rps']:,.0f} / "
            f"{db_async['rps']:,.0f} | {r['framework_floor']['rps']:,.0f} | {r['p99_vs_db_floor']:.1f}× | "
            f"{r['rps_vs_framework_floor']:.0%} | {targets} |"
        )
    memory = results[0]["server_memory"]
    lines += [
        "",
        f"Server memory during the load runs: peak {memory['peak_total_mb']:,.0f} MB over "
        f"{memory['processes']} processes (largest {memory['peak_largest_process_mb']:,.0f} MB).",
    ]
    return lines


def _find(results: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    return [r for r in results if r["benchmark"].startswith(prefix)]


def targets_table(results: list[dict[str, Any]]) -> list[str]:
    """The issue's targets against what this run measured (a throughput share is floor time ÷ ours)."""
    rows = []
    for r in _find(results, "GET /stats/members?org_id=county"):
        rows.append(
            (
                "county statistics well under 100 ms",
                f"{_ms(r['api']['p50_ms'])} p50",
                r["api"]["p50_ms"] < 100,
            )
        )
    for r in _find(results, "POST /imports/members (real run"):
        rows.append(
            (
                "import ≥ 20% of COPY's rate",
                f"{1 / r['ratio_p50']:.2%} ({r['rows_per_s']:,} rows/s)",
                1 / r["ratio_p50"] >= 0.2,
            )
        )
    for r in _find(results, "scoring recompute"):
        share = 1 / r["ratio_p50"]
        rows.append((f"{r['benchmark']}: ≥ 10% of one aggregate SQL", f"{share:.2%}", share >= 0.1))
    lines = ["| target (issue #11) | measured | |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {'met' if ok else '**missed**'} |" for name, value, ok in rows]
    memory = [r["peak_rss_mb"] for r in _find(results, "POST /imports/members") if "peak_rss_mb" in r][:1]
    if memory:
        sizes = ", ".join(f"{label}: {mb:,.0f} MB" for label, mb in memory[0].items())
        lines += ["", f"Peak memory of `vanguard import members FILE --commit` — {sizes}."]
    return lines


def soak_table(r: dict[str, Any]) -> list[str]:
    targets = "; ".join(f"{name}: {'met' if ok else '**missed**'}" for name, ok in r["targets"].items())
    return [
        "| soak (issue #12) | requests | req/s | p50 / p99 | errors | 412 (stale edits refused) | "
        "server memory after 1 min → end | targets |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| {r['clients']} clients × {r['seconds']} s, mixed reads and writes ({r['workers']} workers) | "
        f"{r['requests']:,} | {r['rps']:,.0f} | {_ms(r['p50_ms'])} / {_ms(r['p99_ms'])} | {r['errors']} | "
        f"{sum(o.get('412', 0) for o in r['by_operation'].values())} | {r['rss_after_warm_up_mb']:,.0f} → "
        f"{r['rss_at_end_mb']:,.0f} MB ({r['rss_growth']:+.1%}) | {targets} |",
    ]


def render(results: list[dict[str, Any]]) -> str:
    load = [r for r in results if "framework_floor" in r]
    soak = _find(results, "soak:")
    floors = [r for r in results if "sql_floor" in r]
    stamps = sorted({r.get("measured_at", "?") for r in results})
    machines = sorted({r.get("machine", "?") for r in results})
    lines = [f"Measured {stamps[0]} – {stamps[-1]} on {'; '.join(machines)}.", ""]
    if load:
        lines += [*load_table(load), ""]
    if floors:
        lines += [*floors_table(floors), "", *targets_table(floors)]
    if soak:
        lines += ["", *soak_table(soak[0])]
    return "\n".join(lines) + "\n"


def main() -> None:
    print(render(json.loads(RESULTS.read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
