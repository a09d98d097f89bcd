"""The app under load (bench_api), plus its floors on the same server:

- `GET /bench/constant`: returns a constant — the framework floor (uvicorn, Starlette, our middleware).
- `GET /bench/db/{sync,async}/members` and `/bench/db/{sync,async}/members/{id}`: the bare SQL of the
  member list and record, through psycopg 3, rows dumped as JSON — the DB floor. Sync runs in the
  threadpool on a `ConnectionPool` (as the app's endpoints do); async awaits an `AsyncConnectionPool` on
  the event loop: the pair is how the driver mode was chosen.

Served by `uvicorn bench.floor_app:app` with DATABASE_URL and VANGUARD_BENCH_PREFIX (the county's org
path, the scope of the bench user) in the environment; each worker process opens its own pools.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from fastapi import APIRouter, Response
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from vanguard.core.config import get_settings
from vanguard.main import create_app

MEMBERS_SQL = (
    "SELECT m.*, o.name AS org_name FROM members m JOIN orgs o ON o.id = m.org_id "
    "WHERE o.path LIKE %(prefix)s AND m.status = 'normal' AND m.gender = %(gender)s "
    "ORDER BY m.id LIMIT 51"
)
MEMBER_SQL = (
    "SELECT m.*, o.name AS org_name FROM members m JOIN orgs o ON o.id = m.org_id "
    "WHERE m.id = %(id)s AND o.path LIKE %(prefix)s"
)

settings = get_settings()
_dsn = settings.database_url.replace("postgresql+psycopg", "postgresql")
_prefix = os.environ.get("VANGUARD_BENCH_PREFIX", "/") + "%"
# As many connections as the app's own pool may hold, so the three compete on equal terms.
_size = settings.db_pool_size + settings.db_max_overflow
_rows = {"row_factory": dict_row}
_sync_pool = ConnectionPool(_dsn, min_size=1, max_size=_size, kwargs=_rows, open=False)
_async_pool = AsyncConnectionPool(_dsn, min_size=1, max_size=_size, kwargs=_rows, open=False)
_async_open = asyncio.Lock()


def _json(rows: Any) -> Response:
    return Response(json.dumps(rows, default=str, ensure_ascii=False), media_type="application/json")


def _sync(sql: str, params: dict[str, Any], one: bool) -> Response:
    if _sync_pool.closed:
        _sync_pool.open(wait=True)
    with _sync_pool.connection() as conn:
        cursor = conn.execute(sql, params)
        return _json(cursor.fetchone() if one else {"items": cursor.fetchall()})


async def _async(sql: str, params: dict[str, Any], one: bool) -> Response:
    if _async_pool.closed:
        async with _async_open:
            if _async_pool.closed:
                await _async_pool.open(wait=True)
    async with _async_pool.connection() as conn:
        cursor = await conn.execute(sql, params)
        return _json(await cursor.fetchone() if one else {"items": await cursor.fetchall()})


floors = APIRouter(prefix="/bench")


@floors.get("/constant")
async def constant() -> dict[str, bool]:
    return {"ok": True}


@floors.get("/db/sync/members")
def members_sync(gender: str = "female") -> Response:
    return _sync(MEMBERS_SQL, {"prefix": _prefix, "gender": gender}, one=False)


@floors.get("/db/sync/members/{member_id}")
def member_sync(member_id: int) -> Response:
    return _sync(MEMBER_SQL, {"prefix": _prefix, "id": member_id}, one=True)


@floors.get("/db/async/members")
async def members_async(gender: str = "female") -> Response:
    return await _async(MEMBERS_SQL, {"prefix": _prefix, "gender": gender}, one=False)


@floors.get("/db/async/members/{member_id}")
async def member_async(member_id: int) -> Response:
    return await _async(MEMBER_SQL, {"prefix": _prefix, "id": member_id}, one=True)


app = create_app()
app.include_router(floors)
