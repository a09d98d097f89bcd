"""Complaints at scale, in a throw-away PostgreSQL database.

Intake throughput: complaints per second through the API (in-process client, one at a time, each a full
request: auth, validation, tracking code, SLA, timeline event, audit rows, commit), for staff intake
(`POST /api/v1/complaints`) and public intake (`POST /api/v1/public/complaints`), each beside its floor:
the same rows (complaint, timeline event, audit event) inserted by hand in one transaction.

The overdue list at 1,000,000 complaints: the bench_members org tree (~41,000 orgs), then 1,000,000
complaints written with COPY, scattered over the branches, received over two years, 20% still open
(about a third of those past due). `GET /complaints?overdue=true` for a township committee (~30
branches), a county (1 of 50) and the whole province, first page and a deep keyset page, each beside
the same query by hand; the plans of the API's first pages go to bench/plans/complaints_overdue_*.txt
(the partial index of open items walked by deadline for large subtrees; the subtree's orgs first for
small ones).

    make bench            # or: .venv/bin/python -m bench.bench_complaints [--complaints N] [--iterations N]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from bench.bench_members import ORG_COLUMNS, SEED, Tree, _copy, build_tree
from bench.common import api_client, compare, psycopg_dsn, report, throwaway_database
from bench.plans import explain_request
from vanguard.core import migrate
from vanguard.core.clock import FakeClock
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.core.permissions import Role
from vanguard.core.ratelimit import RateLimiter
from vanguard.core.security import jwt
from vanguard.users.models import User

NOW = datetime(2026, 1, 1, tzinfo=UTC)
COMPLAINT_COLUMNS = (
    "tracking_code, channel, category_id, org_id, urgency, title, description, status, received_at, due_at, "
    "extension_days, reopen_count, version, created_at, updated_at"
)
CHANNELS = ("web", "hotline", "video", "agent", "letter", "visit", "oa")
OPEN = ("received", "accepted", "assigned", "in_progress", "reopened")
INTAKE = 500  # complaints per intake run

FLOOR_SQL = """
SELECT c.id, c.due_at FROM complaints c JOIN orgs o ON o.id = c.org_id
WHERE c.status IN ('received', 'accepted', 'assigned', 'in_progress', 'reopened')
  AND c.due_at < %(now)s AND o.path LIKE %(prefix)s
  AND (c.due_at, c.id) > (%(after)s, %(after_id)s)
ORDER BY c.due_at, c.id LIMIT 51
"""


def complaint_lines(rng: random.Random, tree: Tree, categories: list[int], count: int) -> Iterator[str]:
    branches = tree.branches
    span = int(timedelta(days=730).total_seconds())
    stamp = NOW.isoformat()
    for i in range(count):
        received = NOW - timedelta(seconds=rng.randrange(span))
        if rng.random() < 0.2:  # still open: a third past due
            status = rng.choice(OPEN)
            due = NOW + timedelta(days=rng.uniform(-30, 60))
        else:
            status = rng.choice(("closed", "closed", "closed", "rejected", "resolved"))
            due = received + timedelta(days=60)
        yield (
            f"B{i:011d}\t{rng.choice(CHANNELS)}\t{rng.choice(categories)}\t{branches[rng.randrange(len(branches))]}"
            f"\tnormal\t诉求{i}\t群众反映的问题描述\t{status}\t{received.isoformat()}\t{due.isoformat()}"
            f"\t0\t0\t1\t{stamp}\t{stamp}\n"
        )


def load(url: str, complaints: int) -> Tree:
    """Migrate, then COPY the tree and the complaints; VACUUM ANALYZE as autovacuum would."""
    migrate.upgrade(url)
    rng = random.Random(SEED)
    started = time.perf_counter()
    tree = build_tree(rng)
    with psycopg.connect(psycopg_dsn(url)) as pg:
        _copy(pg, "orgs", ORG_COLUMNS, iter(tree.rows))
        pg.execute("SELECT setval(pg_get_serial_sequence('orgs', 'id'), (SELECT max(id) FROM orgs))")
        categories = [row[0] for row in pg.execute("SELECT id FROM complaint_categories")]
        _copy(pg, "complaints", COMPLAINT_COLUMNS, complaint_lines(rng, tree, categories, complaints))
    with psycopg.connect(psycopg_dsn(url), autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE orgs")
        pg.execute("VACUUM ANALYZE complaints")
    took = time.perf_counter() - started
    print(f"loaded {len(tree.rows)} organisations and {complaints} complaints in {took:.0f}s")
    return tree


def _body(i: int) -> dict[str, Any]:
    return {
        "category": "roads",
        "title": f"道路塌陷 {i}",
        "description": "村口主路塌陷一米见方，夜间有摔伤风险",
        "location_text": "某村村口",
        "reporter_name": "王小明",
        "reporter_phone": "13812345678",
    }


def intake(
    client: TestClient, headers: dict[str, str], pg: psycopg.Connection[Any], org: int
) -> list[dict[str, Any]]:
    """Complaints/s through the API, staff and public, beside hand-written inserts of the same rows."""
    counter = iter(range(10**9))
    results = []
    for label, path, extra, auth in (
        ("POST /complaints (staff intake)", "/api/v1/complaints", {"channel": "hotline"}, headers),
        ("POST /public/complaints (public intake)", "/api/v1/public/complaints", {}, {}),
    ):

        def api(path: str = path, extra: dict[str, Any] = extra, auth: dict[str, str] = auth) -> Any:
            r = client.post(path, json=_body(next(counter)) | extra, headers=auth)
            assert r.status_code == 201, r.text

        def floor() -> Any:
            i = next(counter)
            with pg.transaction():
                cid = pg.execute(
                    f"INSERT INTO complaints ({COMPLAINT_COLUMNS}) VALUES (%s, 'hotline', 1, %s, "
                    "'normal', %s, 'desc', 'received', now(), now() + interval '15 days', 0, 0, 1, now(), "
                    "now()) RETURNING id",
                    (f"F{i:011d}", org, f"t{i}"),
                ).fetchone()
                assert cid is not None
                pg.execute(
                    "INSERT INTO complaint_events (complaint_id, kind, to_status, actor_kind, at) "
                    "VALUES (%s, 'received', 'received', 'user', now())",
                    (cid[0],),
                )
                pg.execute(
                    "INSERT INTO audit_events (occurred_at, actor_kind, actor_name, entity, entity_id, "
                    "action) VALUES (now(), 'user', 'bench', 'complaints', %s, 'create')",
                    (str(cid[0]),),
                )

        started = time.perf_counter()
        for _ in range(INTAKE):
            api()
        per_second = INTAKE / (time.perf_counter() - started)
        print(f"{label}: {per_second:.0f} complaints/s over {INTAKE} sequential requests")
        results.append(compare(label, api, floor, 200, complaints_per_s=round(per_second, 1)))
    return results


def _page(client: TestClient, headers: dict[str, str], cursor: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"overdue": "true", "limit": 50} | ({"cursor": cursor} if cursor else {})
    body: dict[str, Any] = (
        client.get("/api/v1/complaints", params=params, headers=headers).raise_for_status().json()
    )
    return body


def overdue(
    client: TestClient,
    engine: Engine,
    scopes: dict[str, tuple[str, dict[str, str]]],
    pg: psycopg.Connection[Any],
    iterations: int,
    size: dict[str, int],
) -> list[dict[str, Any]]:
    """The overdue list per subtree (scopes: label → (org path, a caller scoped there)), first page and
    page 21 (its cursor found by walking the pages once), each beside the floor."""
    results = []
    for label, (path, headers) in scopes.items():
        # Walk to page 21 (or the last page) once, to time that page's cursor.
        start = datetime(1970, 1, 1, tzinfo=UTC)
        cursors: list[tuple[str, datetime, int, str | None]] = [("first page", start, 0, None)]
        page, number = _page(client, headers, None), 1
        while number < 21 and page["next_cursor"]:
            last, cursor = page["items"][-1], page["next_cursor"]
            page, number = _page(client, headers, cursor), number + 1
        if number > 1:
            cursors.append((f"page {number}", datetime.fromisoformat(last["due_at"]), last["id"], cursor))
        for depth, after, after_id, cur in cursors:
            floor_params = {"now": NOW, "prefix": path + "%", "after": after, "after_id": after_id}

            def api(h: dict[str, str] = headers, c: str | None = cur) -> Any:
                return _page(client, h, c)

            def floor(p: dict[str, Any] = floor_params) -> Any:
                return pg.execute(FLOOR_SQL, p).fetchall()

            assert [i["id"] for i in api()["items"]] == [r[0] for r in floor()][:50], "API and floor disagree"
            results.append(
                compare(f"GET /complaints?overdue=true ({label}, {depth})", api, floor, iterations, **size)
            )
            if depth == "first page":
                scope = label.split(",")[0]
                request = f"GET /api/v1/complaints?overdue=true&limit=50 by an org admin of the {scope}"
                print(f"plan: {explain_request(engine, f'complaints_overdue_{scope}', request, api, **size)}")
    return results


def run(complaints: int, iterations: int) -> list[dict[str, Any]]:
    with throwaway_database() as url:
        tree = load(url, complaints)
        engine = build_engine(url)
        county = tree.counties[len(tree.counties) // 2]
        client, province_headers = api_client(engine, tree.root)
        client.app.state.clock = FakeClock(NOW)  # type: ignore[attr-defined]
        client.app.state.rate_limiter = RateLimiter(  # type: ignore[attr-defined]
            "memory://", {"ip": "1000000/minute", "code": "1000000/minute"}, 16_384
        )
        size = {"orgs": len(tree.rows), "complaints": complaints}
        with psycopg.connect(psycopg_dsn(url), autocommit=True) as pg:
            town = pg.execute("SELECT parent_id FROM orgs WHERE id = %s", (tree.branches[0],)).fetchone()
            assert town is not None
            ids = (town[0], county, tree.root)
            paths: dict[int, str] = dict(
                pg.execute("SELECT id, path FROM orgs WHERE id IN (%s, %s, %s)", ids).fetchall()
            )
            scopes = {
                "township, ~30 branches": (paths[town[0]], _scoped_headers(engine, town[0])),
                "county, 1 of 50": (paths[county], _scoped_headers(engine, county)),
                "province, the whole tree": (paths[tree.root], province_headers),
            }
            results = overdue(client, engine, scopes, pg, iterations, size)
            results += intake(client, province_headers, pg, county)
        engine.dispose()
        return results


def _scoped_headers(engine: Engine, org_id: int) -> dict[str, str]:
    """A second org admin, scoped to `org_id`'s subtree."""
    with make_sessionmaker(engine)() as session, session.begin():
        user = User(
            username=f"bench_{org_id}",
            display_name="bench",
            password_hash="!unusable",  # noqa: S106 - never logs in; the bench mints its token
            role=Role.ORG_ADMIN,
            org_id=org_id,
        )
        session.add(user)
    return {"Authorization": f"Bearer {jwt.encode(jwt.issue(user.id, 'access', 0))}"}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=100)
    args = parser.parse_args()
    report(run(args.complaints, args.iterations))


if __name__ == "__main__":
    main()
