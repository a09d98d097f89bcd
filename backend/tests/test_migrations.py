"""One Alembic chain, on both databases: it matches the models, and it goes down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from vanguard.core import migrate
from vanguard.core.db import Base
from vanguard.models import load_all


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
