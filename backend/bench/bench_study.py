"""The study compliance report for a county, in a throw-away PostgreSQL database.

A county-sized tree (county → 39 committees, each with 13 branches, a general branch with 3 more and 3
Party groups: ~820 organisations) and ~20,000 members, with a year (2025) of meetings at a realistic
frequency — each branch 12 支委会, 4 党员大会, 4 党课 and 4–8 主题党日, each group 12 党小组会, one in ten
branches deliberately behind — and an attendance row for every expected member of every meeting (a
committee's five for a 支委会), some make-up study and members who left during the year, all written with
COPY. Then `GET /study/compliance` for the county (first page, and a later page sorted by attendance
rate) is timed beside its grouped SQL written by hand (the floor).

    make bench            # or: .venv/bin/python -m bench.bench_study [--members N] [--iterations N]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from bench.common import api_client, compare, psycopg_dsn, report, throwaway_database
from vanguard.core import migrate, policy
from vanguard.core.db import build_engine

SEED = 20251231
COMMITTEES = 39
BRANCHES_PER_COMMITTEE = 13  # directly under the committee, plus a general branch with 3 more
GROUPS_PER_COMMITTEE = 3  # Party groups of the committee's first branches
YEAR, AS_OF = 2025, date(2026, 1, 15)
NOW = "2026-01-01 00:00:00+00"
BOOKKEEPING = f"\t1\t{NOW}\t{NOW}\n"  # version, created_at, updated_at
HOURS = {
    "committee_meeting": "2.0",
    "branch_meeting": "2.0",
    "party_lecture": "3.0",
    "theme_day": "4.0",
    "group_meeting": "1.5",
}

ORG_COLUMNS = "id, name, kind, parent_id, path, depth, code, status, version, created_at, updated_at"
MEMBER_COLUMNS = (
    "id, org_id, name, name_initials, gender, ethnicity, category, stage, status, left_on, version, "
    "created_at, updated_at"
)
ACTIVITY_COLUMNS = "id, org_id, kind, starts_at, topic, hours, materials, version, created_at, updated_at"
ATTENDANCE_COLUMNS = "activity_id, member_id, status, leave_reason, version, created_at, updated_at"
MAKEUP_COLUMNS = "activity_id, member_id, studied_on, method, hours, version, created_at, updated_at"


def _line(*values: object) -> str:
    return "\t".join(r"\N" if v is None else str(v) for v in values) + BOOKKEEPING


class County:
    """The tree and its people, as COPY lines."""

    def __init__(self, rng: random.Random, members: int) -> None:
        self.rng = rng
        self.orgs: list[str] = []
        self.branches: list[int] = []
        self.groups: list[tuple[int, int]] = []  # (group, its branch)
        self.root = self._org("中共某县委员会", "committee", None, "/", "X")[0]
        for c in range(1, COMMITTEES + 1):
            committee = self._org(f"中共第{c}乡镇委员会", "committee", self.root, "/1/", f"X-{c}")
            for b in range(1, BRANCHES_PER_COMMITTEE + 1):
                branch = self._org(f"第{c}乡镇第{b}村党支部", "branch", *committee, f"X-{c}-{b}")
                self.branches.append(branch[0])
                if b <= GROUPS_PER_COMMITTEE:
                    group = self._org(f"第{c}乡镇第{b}村第一党小组", "group", *branch, f"X-{c}-{b}-G")
                    self.groups.append((group[0], branch[0]))
            general = self._org(f"第{c}乡镇机关党总支", "general_branch", *committee, f"X-{c}-Z")
            for b in range(1, 4):
                self.branches.append(
                    self._org(f"第{c}乡镇机关第{b}党支部", "branch", *general, f"X-{c}-Z{b}")[0]
                )
        self.rolls: dict[int, list[int]] = {b: [] for b in self.branches}
        self.left: dict[int, date] = {}
        self.members: list[str] = []
        for member_id in range(1, members + 1):
            home = self.branches[rng.randrange(len(self.branches))]
            self.rolls[home].append(member_id)
            left_on = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365)) if rng.random() < 0.01 else None
            if left_on:
                self.left[member_id] = left_on
            stage = "probationary" if rng.random() < 0.04 else "full"
            self.members.append(
                _line(
                    member_id,
                    home,
                    f"党员{member_id}",
                    "dy",
                    rng.choice(("male", "female")),
                    "汉族",
                    "rural",
                    stage,
                    "withdrawn" if left_on else "normal",
                    left_on,
                )
            )

    def _org(self, name: str, kind: str, parent: int | None, parent_path: str, code: str) -> tuple[int, str]:
        org_id = len(self.orgs) + 1
        path = f"{parent_path}{org_id}/"
        self.orgs.append(_line(org_id, name, kind, parent, path, path.count("/") - 2, code, "active"))
        return org_id, path


def _meetings(
    rng: random.Random, org: int, kind: str, months: Iterable[int]
) -> Iterator[tuple[int, str, datetime]]:
    for month in months:
        yield org, kind, datetime(YEAR, month, rng.randint(1, 28), rng.randint(0, 10), 0, tzinfo=UTC)


def schedule(county: County) -> list[tuple[int, str, datetime]]:
    """Every meeting of the year; one branch in ten falls behind (a skipped quarter, three skipped months)."""
    rng = county.rng
    held: list[tuple[int, str, datetime]] = []
    for branch in county.branches:
        behind = rng.random() < 0.1
        skipped_months = set(rng.sample(range(1, 13), 3)) if behind else set()
        skipped_quarter = rng.randrange(4) if behind else None
        held += _meetings(
            rng, branch, "committee_meeting", (m for m in range(1, 13) if m not in skipped_months)
        )
        held += _meetings(
            rng, branch, "branch_meeting", (3 * q + 2 for q in range(4) if q != skipped_quarter)
        )
        held += _meetings(rng, branch, "party_lecture", (3 * q + 2 for q in range(4)))
        held += _meetings(rng, branch, "theme_day", sorted(rng.sample(range(1, 13), rng.randint(4, 8))))
    for group, _branch in county.groups:
        held += _meetings(rng, group, "group_meeting", (m for m in range(1, 13) if rng.random() < 0.95))
    return held


def attendance(
    county: County, held: list[tuple[int, str, datetime]]
) -> tuple[list[str], list[str], list[str]]:
    """Activities, attendance rows (each expected member; a committee's first five at 支委会), make-ups."""
    rng = county.rng
    branch_of = dict(county.groups)
    activities, rows, makeups = [], [], []
    for activity_id, (org, kind, starts_at) in enumerate(held, start=1):
        activities.append(_line(activity_id, org, kind, starts_at.isoformat(), "学习", HOURS[kind], "[]"))
        roll = county.rolls[branch_of.get(org, org)]
        day = (starts_at + timedelta(hours=8)).date()
        expected = [m for m in roll if county.left.get(m, day) >= day]
        if kind == "committee_meeting":
            expected = expected[:5]
        elif kind == "group_meeting":
            expected = expected[: len(expected) // 3]
        for member_id in expected:
            roll_of_dice = rng.random()
            if roll_of_dice < 0.85:
                rows.append(_line(activity_id, member_id, "present", None))
                continue
            excused = roll_of_dice < 0.93
            rows.append(
                _line(activity_id, member_id, "excused" if excused else "absent", "因事" if excused else None)
            )
            if rng.random() < 0.5:
                makeups.append(_line(activity_id, member_id, day + timedelta(days=7), "观看录像", "1.5"))
    return activities, rows, makeups


def _copy(
    pg: psycopg.Connection[Any], table: str, columns: str, lines: list[str], chunk: int = 50_000
) -> None:
    with pg.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for i in range(0, len(lines), chunk):
            copy.write("".join(lines[i : i + chunk]))


def load(url: str, members: int) -> tuple[County, dict[str, int]]:
    migrate.upgrade(url)
    started = time.perf_counter()
    county = County(random.Random(SEED), members)
    held = schedule(county)
    activities, rows, makeups = attendance(county, held)
    with psycopg.connect(psycopg_dsn(url)) as pg:
        _copy(pg, "orgs", ORG_COLUMNS, county.orgs)
        _copy(pg, "members", MEMBER_COLUMNS, county.members)
        _copy(pg, "study_activities", ACTIVITY_COLUMNS, activities)
        _copy(pg, "study_attendance", ATTENDANCE_COLUMNS, rows)
        _copy(pg, "study_makeups", MAKEUP_COLUMNS, makeups)
        for table in ("orgs", "members", "study_activities"):
            pg.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    with psycopg.connect(psycopg_dsn(url), autocommit=True) as pg:
        for table in ("orgs", "members", "study_activities", "study_attendance", "study_makeups"):
            pg.execute(f"VACUUM ANALYZE {table}")
    size = {
        "orgs": len(county.orgs),
        "members": members,
        "activities": len(activities),
        "attendance_rows": len(rows),
        "makeups": len(makeups),
    }
    print(f"loaded {size} in {time.perf_counter() - started:.0f}s")
    return county, size


# --- the floor: the report's grouped queries, written by hand ------------------------------------------


def floor_sql() -> list[str]:
    """Monthly counts per (org, kind), statuses per org (by where the member is now), members and those
    under the minimum per org: the report's grouped queries, without the small ones (leavers, lists)."""
    lo, hi = f"'{YEAR}-01-01 00:00+08'", f"'{YEAR + 1}-01-01 00:00+08'"
    window = f"a.starts_at >= {lo} AND a.starts_at < {hi}"
    months = ", ".join(
        f"count(*) FILTER (WHERE a.starts_at >= '{YEAR}-{m:02d}-01 00:00+08' AND a.starts_at < "
        f"'{YEAR + m // 12}-{m % 12 + 1:02d}-01 00:00+08')"
        for m in range(1, 13)
    )
    kinds = ", ".join(f"'{k}'" for k in policy.STUDY_ATTENDANCE_KINDS)
    minimum = policy.STUDY_MIN_ANNUAL_HOURS
    bound = "o.path LIKE %(prefix)s AND o.kind IN ('branch', 'group')"
    return [
        f"""SELECT a.org_id, a.kind, {months}
            FROM study_activities a JOIN orgs o ON o.id = a.org_id
            WHERE {bound} AND {window} GROUP BY a.org_id, a.kind""",
        # Statuses by where the member is now, and for those who left, the meeting's day and theirs.
        f"""SELECT a.org_id, t.status, m.org_id, m.status <> 'normal',
                CASE WHEN m.status <> 'normal' THEN a.starts_at END,
                CASE WHEN m.status <> 'normal' THEN m.left_on END, count(*)
            FROM study_attendance t JOIN study_activities a ON a.id = t.activity_id
            JOIN orgs o ON o.id = a.org_id JOIN members m ON m.id = t.member_id
            WHERE {bound} AND a.kind IN ({kinds}) AND {window} GROUP BY 1, 2, 3, 4, 5, 6""",
        f"""WITH roll AS (
                SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE %(prefix)s),
            hours AS (
                SELECT member_id, sum(hours) AS hours FROM (
                    SELECT t.member_id, a.hours
                    FROM study_attendance t JOIN study_activities a ON a.id = t.activity_id
                    WHERE t.status = 'present' AND t.member_id IN (SELECT id FROM roll) AND {window}
                    UNION ALL
                    SELECT k.member_id, k.hours
                    FROM study_makeups k JOIN study_activities a ON a.id = k.activity_id
                    WHERE k.member_id IN (SELECT id FROM roll) AND {window}
                ) x GROUP BY member_id)
            SELECT o.path, count(*), count(*) FILTER (WHERE coalesce(h.hours, 0) < {minimum})
            FROM members m JOIN orgs o ON o.id = m.org_id LEFT JOIN hours h ON h.member_id = m.id
            WHERE o.path LIKE %(prefix)s AND m.status = 'normal' GROUP BY o.path""",
    ]


def run(members: int, iterations: int) -> list[dict[str, Any]]:
    with throwaway_database() as url:
        county, size = load(url, members)
        engine = build_engine(url)
        client, headers = api_client(engine, county.root)
        statements = floor_sql()
        with psycopg.connect(psycopg_dsn(url)) as pg:
            params = {"prefix": f"/{county.root}/%"}

            def floor() -> Any:
                return [pg.execute(sql, params).fetchall() for sql in statements]

            def call(**query: Any) -> dict[str, Any]:
                query |= {"year": YEAR, "as_of": AS_OF.isoformat()}
                r = client.get("/api/v1/study/compliance", params=query, headers=headers)
                body: dict[str, Any] = r.raise_for_status().json()
                return body

            first = call()
            statuses = floor()[1]
            present = sum(row[-1] for row in statuses if row[1] == "present")
            assert first["summary"]["attendance"]["present"] == present, "API and floor disagree"
            summary = first["summary"]
            print(
                f"county: {summary['orgs_considered']} orgs considered, {summary['orgs_met']} met every "
                f"frequency, attendance {summary['attendance']['rate']}, "
                f"{summary['under_min_hours']} of {summary['members']} members under the minimum hours"
            )
            by_rate = call(sort="attendance_rate", order="asc")
            context = {**size, "orgs_considered": summary["orgs_considered"]}
            results = [
                compare(
                    "GET /study/compliance?org=county (first page, missed desc)",
                    call,
                    floor,
                    iterations,
                    **context,
                ),
                compare(
                    "GET /study/compliance?org=county (page 2, attendance asc)",
                    lambda: call(sort="attendance_rate", order="asc", cursor=by_rate["next_cursor"]),
                    floor,
                    iterations,
                    **context,
                ),
            ]
        engine.dispose()
        return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--iterations", type=int, default=10)
    args = parser.parse_args()
    report(run(args.members, args.iterations))


if __name__ == "__main__":
    main()
