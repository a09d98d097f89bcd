"""Member statistics at province scale, in a throw-away PostgreSQL database.

A province-like tree (province → 10 cities → 50 counties of ~825 organisations each, ~41,000 in all)
and 1,000,000 members are written with COPY in a minute or two: the members are drawn from a pool of
demo people (`vanguard.demo.people`, so the distributions are believable), each with its own ID digest,
scattered over the branches in random order (the worst case for locality: no county's members are
stored together). Then the county's roll (`GET /members`, first page and a deep keyset page) and
`GET /stats/members` for a county (~20,000 members) and for the province root (all of them) are
timed, each beside the same query written by hand in SQL (the floor).

    make bench            # or: .venv/bin/python -m bench.bench_members [--members N] [--iterations N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg

from bench.common import api_client, compare, psycopg_dsn, report, throwaway_database
from bench.plans import explain_request
from vanguard.core import migrate
from vanguard.core.db import build_engine
from vanguard.core.pagination import encode_sort_cursor
from vanguard.demo.people import REFERENCE_DATE, BranchKind, People
from vanguard.members.models import Category, Education, Gender, Stage

SEED = 20261123
CITIES, COUNTIES_PER_CITY = 10, 5
COMMITTEES_PER_COUNTY = 25  # townships, organs, systems
BRANCHES_PER_COMMITTEE = 28  # directly under the committee, plus a general branch with 3 more
POOL = 20_000  # distinct demo people the members are drawn from
# Branch kinds in the demo county's proportions (by members), for the pool.
POOL_KINDS = {
    BranchKind.VILLAGE: 0.70,
    BranchKind.COMMUNITY: 0.10,
    BranchKind.OFFICE: 0.03,
    BranchKind.UNIT: 0.17,
}
NOW = "2026-01-01 00:00:00+00"

ORG_COLUMNS = (
    "id, name, kind, parent_id, path, depth, code, status, population, version, created_at, updated_at"
)
MEMBER_COLUMNS = (
    "org_id, id_number_digest, name, name_initials, gender, ethnicity, birth_date, id_number_cipher, "
    "id_number_masked, phone, education, occupation, category, stage, applied_on, activist_on, "
    "candidate_on, probationary_on, full_member_on, status, left_on, left_reason, version, created_at, "
    "updated_at"
)
_POOLED = MEMBER_COLUMNS.split(", ")[2:-3]  # everything but org_id, the digest and the bookkeeping


@dataclass
class Tree:
    rows: list[str] = field(default_factory=list)  # COPY lines
    branches: list[int] = field(default_factory=list)
    counties: list[int] = field(default_factory=list)
    root: int = 0

    def add(
        self, name: str, kind: str, parent: tuple[int, str] | None, code: str, population: int | None = None
    ) -> tuple[int, str]:
        """Adds an org; returns its id and path, for its children."""
        org_id = len(self.rows) + 1
        parent_id, parent_path = parent if parent else (None, "/")
        path = f"{parent_path}{org_id}/"
        self.rows.append(
            "\t".join(
                _text(v)
                for v in (
                    org_id,
                    name,
                    kind,
                    parent_id,
                    path,
                    path.count("/") - 2,
                    code,
                    "active",
                    population,
                )
            )
            + f"\t1\t{NOW}\t{NOW}\n"
        )
        return org_id, path


def _text(value: object) -> str:
    return r"\N" if value is None else str(value)


def build_tree(rng: random.Random) -> Tree:
    tree = Tree()
    province = tree.add("中共某某省委员会", "committee", None, "P")
    tree.root = province[0]
    for c in range(1, CITIES + 1):
        city = tree.add(f"中共第{c}市委员会", "committee", province, f"P-{c}")
        for k in range(1, COUNTIES_PER_CITY + 1):
            county = tree.add(f"中共第{c}市第{k}县委员会", "committee", city, f"P-{c}-{k}")
            tree.counties.append(county[0])
            for t in range(1, COMMITTEES_PER_COUNTY + 1):
                code = f"P-{c}-{k}-{t}"
                committee = tree.add(f"中共{code}委员会", "committee", county, code)
                for b in range(1, BRANCHES_PER_COMMITTEE + 1):
                    population = rng.randint(800, 4000)
                    tree.branches.append(
                        tree.add(f"{code}-{b}党支部", "branch", committee, f"{code}-{b}", population)[0]
                    )
                general = tree.add(f"{code}机关党总支", "general_branch", committee, f"{code}-Z")
                for b in range(1, 4):
                    tree.branches.append(tree.add(f"{code}-Z{b}党支部", "branch", general, f"{code}-Z{b}")[0])
    return tree


def member_pool(rng: random.Random) -> list[str]:
    """Demo people as COPY text, without org and digest: each is reused ~50 times."""
    people, kinds = People(rng), list(POOL_KINDS)
    pool = []
    for _ in range(POOL):
        row = people.member(0, rng.choices(kinds, weights=list(POOL_KINDS.values()))[0])
        pool.append("\t".join(_text(row[c]) for c in _POOLED) + f"\t1\t{NOW}\t{NOW}\n")
    return pool


def member_lines(rng: random.Random, tree: Tree, pool: list[str], count: int) -> Iterator[str]:
    branches = tree.branches
    for i in range(count):
        digest = hashlib.sha256(f"{SEED}:{i}".encode()).hexdigest()
        yield f"{branches[rng.randrange(len(branches))]}\t{digest}\t{pool[rng.randrange(POOL)]}"


def _copy(
    pg: psycopg.Connection[Any], table: str, columns: str, lines: Iterator[str], chunk: int = 20_000
) -> None:
    with pg.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) == chunk:
                copy.write("".join(batch))
                batch = []
        copy.write("".join(batch))


def load(url: str, members: int) -> Tree:
    """Migrate, then COPY the tree and the members; VACUUM ANALYZE as autovacuum would."""
    migrate.upgrade(url)
    rng = random.Random(SEED)
    started = time.perf_counter()
    tree, pool = build_tree(rng), member_pool(rng)
    with psycopg.connect(psycopg_dsn(url)) as pg:
        _copy(pg, "orgs", ORG_COLUMNS, iter(tree.rows))
        pg.execute("SELECT setval(pg_get_serial_sequence('orgs', 'id'), (SELECT max(id) FROM orgs))")
        _copy(pg, "members", MEMBER_COLUMNS, member_lines(rng, tree, pool, members))
    with psycopg.connect(psycopg_dsn(url), autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE orgs")
        pg.execute("VACUUM ANALYZE members")
    print(
        f"loaded {len(tree.rows)} organisations and {members} members in {time.perf_counter() - started:.0f}s"
    )
    return tree


# --- the floor: the same aggregate, written by hand ---------------------------------------------------


def _born_on_or_before(age: int, on: date) -> str:
    try:
        return on.replace(year=on.year - age).isoformat()
    except ValueError:
        return on.replace(year=on.year - age, day=28).isoformat()


def floor_sql(as_of: date) -> str:
    def n(condition: str) -> str:
        return f"count(*) FILTER (WHERE {condition})"

    c35, c45, c60 = (_born_on_or_before(a, as_of) for a in (36, 46, 61))
    columns = [n(f"m.category = '{v}'") for v in Category]
    columns += [n(f"m.gender = '{v}'") for v in Gender]
    columns += [
        n(f"m.birth_date > '{c35}'"),
        n(f"m.birth_date <= '{c35}' AND m.birth_date > '{c45}'"),
        n(f"m.birth_date <= '{c45}' AND m.birth_date > '{c60}'"),
        n(f"m.birth_date <= '{c60}'"),
        n("m.birth_date IS NULL"),
    ]
    columns += [n(f"m.education = '{v}'") for v in Education] + [n("m.education IS NULL")]
    columns += [n(f"m.stage = '{v}'") for v in Stage]
    last = max(as_of, date.today()).year // 10 * 10
    columns.append(n("m.probationary_on < '1950-01-01'"))
    for start in range(1950, last, 10):
        columns.append(
            n(f"m.probationary_on >= '{start}-01-01' AND m.probationary_on < '{start + 10}-01-01'")
        )
    columns += [n(f"m.probationary_on >= '{last}-01-01'"), n("m.probationary_on IS NULL")]
    return (
        f"SELECT m.ethnicity, count(*), {', '.join(columns)} FROM members m JOIN orgs o ON o.id = m.org_id "
        "WHERE o.path LIKE %(prefix)s AND m.status = 'normal' GROUP BY m.ethnicity"
    )


ROLL_SQL = (
    "SELECT m.* FROM members m JOIN orgs o ON o.id = m.org_id "
    "WHERE o.path LIKE %(prefix)s AND m.status = 'normal' AND m.id > %(after)s ORDER BY m.id LIMIT 51"
)


def roll_pages(
    client: Any,
    headers: dict[str, str],
    pg: psycopg.Connection[Any],
    county: int,
    path: str,
    iterations: int,
    size: dict[str, int],
) -> list[dict[str, Any]]:
    """The county's roll, 50 a page, first page and a page ~90% deep (keyset: both should cost the same),
    each beside the same keyset query in bare SQL."""
    prefix = path + "%"
    ids = [
        row[0]
        for row in pg.execute(
            "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE %s "
            "AND m.status = 'normal' ORDER BY m.id",
            (prefix,),
        )
    ]
    deep_after = ids[len(ids) * 9 // 10]
    results = []
    for label, after in (("first page", 0), ("a page 90% deep", deep_after)):
        params: dict[str, Any] = {"org_id": county, "limit": 50}
        if after:
            params["cursor"] = encode_sort_cursor(after, after)

        def api(params: dict[str, Any] = params) -> Any:
            return client.get("/api/v1/members", params=params, headers=headers).raise_for_status().json()

        def floor(after: int = after) -> Any:
            return pg.execute(ROLL_SQL, {"prefix": prefix, "after": after}).fetchall()

        assert [m["id"] for m in api()["items"]] == [row[0] for row in floor()][:50], "API and floor disagree"
        results.append(
            compare(f"GET /members?org_id=county&limit=50 ({label})", api, floor, iterations, **size)
        )
    return results


def keep_plans(
    engine: Any, client: Any, headers: dict[str, str], county: int, province: int, size: Any
) -> None:
    """The plans of the county's roll and record and of the statistics, in bench/plans/."""
    as_of = REFERENCE_DATE.isoformat()
    roll = f"/api/v1/members?org_id={county}&gender=female&limit=50"
    first = client.get(roll, headers=headers).raise_for_status().json()["items"][0]["id"]
    requests = {
        "members_list_county": roll,
        "member_record": f"/api/v1/members/{first}",
        "stats_members_county": f"/api/v1/stats/members?org_id={county}&as_of={as_of}",
        "stats_members_province": f"/api/v1/stats/members?org_id={province}&as_of={as_of}",
    }
    for name, url in requests.items():

        def call(url: str = url) -> Any:
            return client.get(url, headers=headers).raise_for_status()

        explain_request(engine, name, f"GET {url}", call, **size)


def run(members: int, iterations: int) -> list[dict[str, Any]]:
    with throwaway_database() as url:
        tree = load(url, members)
        engine = build_engine(url)
        client, headers = api_client(engine, tree.root)
        county, province = tree.counties[len(tree.counties) // 2], tree.root
        sql = floor_sql(REFERENCE_DATE)
        size = {"orgs": len(tree.rows), "members": members}
        keep_plans(engine, client, headers, county, province, size)
        with psycopg.connect(psycopg_dsn(url)) as pg:
            rows = pg.execute("SELECT id, path FROM orgs WHERE id IN (%s, %s)", (county, province))
            paths: dict[int, str] = dict(rows.fetchall())

            def cases(org_id: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
                params = {"org_id": org_id, "as_of": REFERENCE_DATE.isoformat()}

                def api() -> Any:
                    return (
                        client.get("/api/v1/stats/members", params=params, headers=headers)
                        .raise_for_status()
                        .json()
                    )

                def floor() -> Any:
                    return pg.execute(sql, {"prefix": paths[org_id] + "%"}).fetchall()

                # Both answer the same question: check it once before timing them.
                assert api()["total"] == sum(row[1] for row in floor()), "API and floor disagree"
                return api, floor

            results = [
                *roll_pages(client, headers, pg, county, paths[county], iterations, size),
                compare(
                    "GET /stats/members?org_id=county (1 of 50 counties)", *cases(county), iterations, **size
                ),
                compare(
                    "GET /stats/members?org_id=province (the whole tree)",
                    *cases(province),
                    max(5, iterations // 10),
                    **size,
                ),
            ]
        engine.dispose()
        return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument(
        "--iterations", type=int, default=100, help="for the county; a tenth for the province"
    )
    args = parser.parse_args()
    report(run(args.members, args.iterations))


if __name__ == "__main__":
    main()
