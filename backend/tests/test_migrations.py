"""One Alembic chain, on both databases: it matches the models, and it goes down and up again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, text

from vanguard.core import migrate
from vanguard.core.db import Base
from vanguard.models import load_all

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_migrations_match_the_models(engine: Engine) -> None:
    load_all()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(engine: Engine, db_url: str) -> None:
    migrate.downgrade(db_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(db_url)
    assert {"orgs", "users", "audit_events"} <= set(inspect(engine).get_table_names())


def _insert(conn: Connection, table: str, **given: Any) -> None:
    """A row with the given values and a placeholder in every other required column."""
    values = dict(given)
    for column in inspect(conn).get_columns(table):
        if column["name"] in values or column["nullable"] or column.get("autoincrement") is True:
            continue
        kind = str(column["type"]).upper()
        placeholders = {"BOOL": True, "INT": 1, "NUM": 1, "TIME": NOW, "DATE": NOW}
        values[column["name"]] = next((v for t, v in placeholders.items() if t in kind), "x")
    names, params = ", ".join(values), ", ".join(":" + k for k in values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({params})"), values)  # noqa: S608 - our names


def test_rebuilding_referenced_tables_keeps_every_row(engine: Engine, db_url: str) -> None:
    """SQLite rebuilds a table to alter it (batch mode: copy, drop, rename). 0018 rebuilds `users`, which
    dues reductions refer to (RESTRICT), and 0019 `webhook_subscriptions`, whose deliveries go with it
    (CASCADE): nothing may be refused or cascaded away, on either database."""
    migrate.downgrade(db_url, "0017")
    with engine.begin() as c:
        _insert(c, "orgs", id=1, path="/1/", kind="committee", status="active")
        _insert(c, "users", id=1, org_id=1, role="admin")
        _insert(c, "members", id=1, org_id=1, stage="full", status="normal", gender="male", category="rural")
        _insert(c, "dues_reductions", id=1, member_id=1, org_id=1, reviewed_by_id=1, state="approved")
        _insert(c, "webhook_subscriptions", id=1, org_id=1, event_types="[]")
        _insert(c, "webhook_deliveries", id=1, subscription_id=1, payload="{}", status="pending")
    migrate.upgrade(db_url)
    with engine.connect() as c:
        counts = [c.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES]  # noqa: S608
    assert counts == [1, 1, 1, 1]


TABLES = ("users", "dues_reductions", "webhook_subscriptions", "webhook_deliveries")
