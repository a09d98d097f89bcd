"""One migration chain for PostgreSQL and SQLite (batch mode makes ALTERs portable to SQLite)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from vanguard.core.db import Base, build_engine
from vanguard.models import load_all

load_all()
target_metadata = Base.metadata


def _url() -> str:
    configured = context.config.attributes.get("database_url")
    if configured:
        return str(configured)
    from vanguard.core.config import get_settings

    return get_settings().database_url


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = build_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
