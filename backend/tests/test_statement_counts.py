"""No N+1: every paged list endpoint runs the same number of SQL statements for a page of 5 rows as for a
page of 50. Found from the OpenAPI contract (every GET answering `items` + `next_cursor`), so a new list
is checked without being added here, against the demo county loaded once per database.

A list can only be checked where the demo gives it more than 5 rows; `MUST_CHECK` names the lists that
must be, so that thinner demo data cannot quietly shrink what this test proves."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session

from tests.conftest import BACKENDS, PG_SERVER, _pg_admin
from tests.world import add_user
from vanguard.audit import hook
from vanguard.core.config import Settings
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.core.permissions import Role
from vanguard.core.security import jwt
from vanguard.main import create_app
from vanguard.orgs.models import Organisation

SMALL, LARGE = 5, 50

# The parent each nested list is read under: the one with the most children, so the page can fill.
PARENTS: dict[str, str] = {
    "member_id": "",  # per path, below
    "pair_id": "SELECT pair_id FROM pairing_visits GROUP BY pair_id ORDER BY count(*) DESC, pair_id LIMIT 1",
    "scheme_id": "SELECT scheme_id FROM scoring_results GROUP BY scheme_id ORDER BY count(*) DESC LIMIT 1",
    "round_id": "SELECT round_id FROM scoring_ballots GROUP BY round_id ORDER BY count(*) DESC LIMIT 1",
    "webhook_id": "SELECT subscription_id FROM webhook_deliveries GROUP BY subscription_id "
    "ORDER BY count(*) DESC LIMIT 1",
    # the public page of the org with the most items, and the item with the most feedback
    "org_id": "SELECT org_id FROM publicity_items GROUP BY org_id ORDER BY count(*) DESC, org_id LIMIT 1",
    "publication_id": "SELECT publication_id FROM publicity_feedback GROUP BY publication_id "
    "ORDER BY count(*) DESC LIMIT 1",
}
MEMBER_CHILDREN = {"transfers": "transfers", "posts": "posts", "pledges": "pledges"}

MUST_CHECK = {
    "/api/v1/orgs",
    "/api/v1/members",
    "/api/v1/complaints",
    "/api/v1/pairing/beneficiaries",
    "/api/v1/pairing/pairs",
    "/api/v1/pairing/tasks",
    "/api/v1/audit",
    "/api/v1/study/activities",
    "/api/v1/study/compliance",
    "/api/v1/scoring/schemes/{scheme_id}/rankings",
    "/api/v1/scoring/schemes/{scheme_id}/branches",
    "/api/v1/scoring/schemes/{scheme_id}/rounds",
    "/api/v1/scoring/rounds/{round_id}/ballots",
    "/api/v1/scoring/cases",
}


@dataclass(frozen=True)
class Demo:
    engine: Engine
    headers: dict[str, str]
    county_id: int


def _seed(url: str, workdir: Path) -> None:
    cli = Path(sys.executable).with_name("vanguard")
    env = {**os.environ, "DATABASE_URL": url, "VANGUARD_ADMIN_PASSWORD": "statement-counts"}
    subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [str(cli), "seed-demo", "--credentials-file", str(workdir / "credentials.txt")],
        env=env,
        check=True,
        capture_output=True,
    )


def _admin_sql(statement: str) -> None:
    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()  # an engine left to the garbage collector warns about its open connection


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    workdir = tmp_path_factory.mktemp("statements")
    pg_name = None
    if request.param == "sqlite":
        target = workdir / "demo.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        url = f"sqlite:///{target}"
    else:
        template = request.getfixturevalue("pg_template")
        pg_name = f"vanguard_n1_{uuid.uuid4().hex[:12]}"
        _admin_sql(f'CREATE DATABASE "{pg_name}" TEMPLATE "{template}"')
        url = f"{PG_SERVER}/{pg_name}"
    _seed(url, workdir)
    engine = build_engine(url)
    hook.install()
    with make_sessionmaker(engine)() as session, session.begin():
        session.info[hook.SYSTEM_ACTOR_KEY] = "tests"
        county = session.scalars(select(Organisation).where(Organisation.parent_id.is_(None))).one()
        reader = add_user(session, f"n1_{uuid.uuid4().hex[:6]}", Role.ORG_ADMIN, county)
        county_id = county.id
    token = jwt.encode(jwt.issue(reader.id, "access", reader.session_epoch))
    try:
        yield Demo(engine, {"Authorization": f"Bearer {token}"}, county_id)
    finally:
        engine.dispose()
        if pg_name:
            _admin_sql(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def _list_endpoints(spec: dict[str, Any]) -> list[tuple[str, list[str], list[str]]]:
    """(path, path parameter names, required query parameter names) of every paged GET list with a `limit`."""
    schemas = spec["components"]["schemas"]

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    found = []
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        content = (get or {}).get("responses", {}).get("200", {}).get("content", {}).get("application/json")
        if not content:
            continue
        properties = resolve(content["schema"]).get("properties", {})
        parameters = get.get("parameters", [])
        if {"items", "next_cursor"} <= properties.keys() and any(p["name"] == "limit" for p in parameters):
            in_path = [p["name"] for p in parameters if p["in"] == "path"]
            required = [p["name"] for p in parameters if p["in"] == "query" and p.get("required")]
            found.append((path, in_path, required))
    return found


def _parent_id(session: Session, path: str, name: str) -> int | None:
    if name == "member_id":
        table = MEMBER_CHILDREN[path.rsplit("/", 1)[-1]]
        sql = f"SELECT member_id FROM {table} GROUP BY member_id ORDER BY count(*) DESC, member_id LIMIT 1"  # noqa: S608 - fixed names
    else:
        sql = PARENTS[name]
    return session.scalar(text(sql))


def _counted_get(demo: Demo, client: TestClient, url: str, params: dict[str, Any]) -> tuple[int, int]:
    """(statements run, rows returned) for one request."""
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(demo.engine, "before_cursor_execute", count)
    try:
        response = client.get(url, params=params, headers=demo.headers)
    finally:
        event.remove(demo.engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.text)
    return statements, len(response.json()["items"])


def test_list_statements_do_not_grow_with_the_page(demo: Demo) -> None:
    app = create_app(Settings(VANGUARD_ENV="test"), engine=demo.engine)  # type: ignore[call-arg]
    grew: dict[str, tuple[int, int]] = {}
    checked: set[str] = set()
    too_few_rows: set[str] = set()
    client = TestClient(app, raise_server_exceptions=False)
    with client, make_sessionmaker(demo.engine)() as session:
        for path, names, required in _list_endpoints(app.openapi()):
            assert set(required) <= {"org_id"}, f"{path} requires {required}: say here what to send"
            ids = {name: _parent_id(session, path, name) for name in names}
            if any(value is None for value in ids.values()):
                too_few_rows.add(path)
                continue
            url = path.format(**ids)
            query = dict.fromkeys(required, demo.county_id)
            small, small_rows = _counted_get(demo, client, url, {**query, "limit": SMALL})
            large, large_rows = _counted_get(demo, client, url, {**query, "limit": LARGE})
            if large_rows <= small_rows:
                too_few_rows.add(path)
                continue
            checked.add(path)
            if large != small:
                grew[path] = (small, large)
    assert grew == {}, f"statements per request grow with the page size (at {SMALL} rows, at {LARGE}): {grew}"
    assert checked >= MUST_CHECK, f"not checked for want of demo rows: {sorted(MUST_CHECK - checked)}"
    print(f"checked {len(checked)} lists; too few demo rows for {sorted(too_few_rows)}")
