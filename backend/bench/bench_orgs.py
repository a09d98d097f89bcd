"""Organisation-tree benchmarks on the demo county in a throw-away PostgreSQL database.

Each API timing is reported beside a floor measured in the same run — the hand-written SQL for the
same answer through psycopg — because absolute times on a shared machine are noisy.

    make bench            # or: .venv/bin/python -m bench.bench_orgs [--iterations N]
"""

from __future__ import annotations

import argparse
from typing import Any

import psycopg
from sqlalchemy import text

from bench.common import api_client, compare, psycopg_dsn, report, throwaway_database
from vanguard.audit import hook
from vanguard.core import migrate
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.demo.seed import seed_demo

CHILDREN_SQL = """
SELECT o.id, o.name,
       (SELECT count(*) FROM orgs c WHERE c.parent_id = o.id),
       (SELECT count(*) FROM members m JOIN orgs h ON h.id = m.org_id
         WHERE h.path LIKE o.path || '%%' AND m.status = 'normal')
FROM orgs o WHERE o.parent_id = %(id)s ORDER BY o.id LIMIT 51
"""
STATS_SQL = """
SELECT (SELECT count(*) FROM orgs WHERE path LIKE %(p)s AND status = 'active'),
       (SELECT count(*) FROM members m JOIN orgs o ON o.id = m.org_id
         WHERE o.path LIKE %(p)s AND m.status = 'normal')
"""


def run(iterations: int) -> list[dict[str, Any]]:
    with throwaway_database() as url:
        migrate.upgrade(url)
        engine = build_engine(url)
        hook.install()
        with make_sessionmaker(engine)() as session, session.begin():
            summary = seed_demo(session)
            assert summary is not None
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        county = summary.county_id
        client, headers = api_client(engine, county)
        size = {"orgs": summary.orgs, "members": summary.members}
        with psycopg.connect(psycopg_dsn(url)) as pg:
            county_path = f"/{county}/%"
            results = [
                compare(
                    "GET /orgs?parent_id=county (children + counts)",
                    lambda: client.get("/api/v1/orgs", params={"parent_id": county}, headers=headers),
                    lambda: pg.execute(CHILDREN_SQL, {"id": county}).fetchall(),
                    iterations,
                    **size,
                ),
                compare(
                    "GET /orgs/{county}/stats (subtree aggregate)",
                    lambda: client.get(f"/api/v1/orgs/{county}/stats", headers=headers),
                    lambda: pg.execute(STATS_SQL, {"p": county_path}).fetchall(),
                    iterations,
                    **size,
                ),
            ]
        engine.dispose()
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=300)
    report(run(parser.parse_args().iterations))


if __name__ == "__main__":
    main()
