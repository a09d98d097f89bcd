"""/healthz (the process answers) and /readyz (the database answers, its schema at the chain's head):
public, outside /api/v1, in the contract; 503 problems naming the failed check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.problems import assert_problem
from vanguard.core import migrate
from vanguard.core.config import Settings
from vanguard.core.db import build_engine
from vanguard.main import create_app
from vanguard.ops.service import migration_heads


@pytest.fixture
def unreachable(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """An app whose database cannot be opened: a directory as the SQLite file, a PostgreSQL database
    that does not exist on the test server."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        url = url.set(database=str(tmp_path))
    else:
        url = url.set(database="vanguard_no_such_database")
    engine = build_engine(url.render_as_string(hide_password=False))
    app = create_app(Settings(VANGUARD_ENV="test"), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    engine.dispose()


def test_healthz_answers_without_the_database(unreachable: TestClient) -> None:
    r = unreachable.get("/healthz")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok"}


def test_readyz_on_a_migrated_database(client: TestClient) -> None:
    r = client.get("/readyz")  # no credentials: probes are public
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok"}


def test_readyz_refuses_when_the_database_does_not_answer(unreachable: TestClient) -> None:
    assert_problem(unreachable.get("/readyz"), 503, "database_unavailable")


def test_readyz_refuses_a_schema_behind_the_chain_until_migrated(client: TestClient, db_url: str) -> None:
    (head,) = migration_heads()
    migrate.downgrade(db_url, "-1")
    body = assert_problem(client.get("/readyz", headers={"Accept-Language": "en"}), 503, "schema_not_current")
    assert f"this release needs {head}" in body["detail"]
    assert f"at revision {head}" not in body["detail"]
    migrate.upgrade(db_url)
    assert client.get("/readyz").status_code == 200


def test_readyz_refuses_a_database_without_alembic_version(client: TestClient, db_url: str) -> None:
    engine = build_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    body = assert_problem(client.get("/readyz", headers={"Accept-Language": "en"}), 503, "schema_not_current")
    assert "at revision none" in body["detail"]


def test_probes_are_in_the_contract_outside_the_versioned_api() -> None:
    paths = create_app().openapi()["paths"]
    assert set(paths["/healthz"]) == {"get"}
    assert "security" not in paths["/readyz"]["get"]
    assert "503" in paths["/readyz"]["get"]["responses"]
