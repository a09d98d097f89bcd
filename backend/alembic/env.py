"""One migration chain for PostgreSQL and SQLite (batch mode makes ALTERs portable to SQLite)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
    with _sqlite_foreign_keys_deferred(connection) as check, context.begin_transaction():
        context.run_migrations()
        check()


@contextmanager
def _sqlite_foreign_keys_deferred(connection: Connection) -> Iterator[Callable[[], None]]:
    """SQLite's ALTER is a table rebuild (batch mode): copy, DROP the old table, rename. With foreign keys
    enforced, that DROP fails when any row refers to the table — or, for ON DELETE CASCADE, silently
    deletes the referring rows. So, as SQLite's own procedure says, enforcement is off while migrating
    (the pragma only takes effect outside a transaction, hence on the driver connection before BEGIN) and
    every foreign key is checked before the migration commits (`check`)."""
    if connection.dialect.name != "sqlite":
        yield lambda: None
        return
    raw = connection.connection.driver_connection
    assert raw is not None

    def check() -> None:
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration would leave rows with broken foreign keys: {broken[:5]}")

    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield check
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = build_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()  # also when a migration fails: no pooled connection left for the GC to close


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
