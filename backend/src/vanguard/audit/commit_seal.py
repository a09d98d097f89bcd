"""On SQLite the transaction that wrote seals its own audit events just before it commits.

SQLite has one writer at a time, so that transaction already holds the only lock sealing needs, while a
separate sealer would be one more writer — and a request that read and then writes fails at once
(SQLITE_BUSY_SNAPSHOT, no busy wait) when another transaction commits in between: every pass of a
periodic sealer could cost a concurrent request a 503 database_busy. PostgreSQL seals in the background
(vanguard.audit.sealer; chain.py says why).
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from vanguard.audit import chain

# The SQLite connection's count of changed rows when the session's transaction began.
_CHANGES_AT_BEGIN = "audit_sqlite_changes_at_begin"
# Set in a session's info by a sealer that commits its batches itself.
SEALS_ITSELF = "audit_seals_itself"


def _changes(connection: Connection) -> int:
    return int(connection.connection.dbapi_connection.total_changes)  # type: ignore[union-attr]


def _note_begin(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        session.info[_CHANGES_AT_BEGIN] = _changes(connection)


def _seal_before_commit(session: Session) -> None:
    if session.info.get(SEALS_ITSELF):
        return
    # Commit flushes after this hook: write what is pending (and its events) first. A session that had
    # no connection yet begins one here, which notes where its changes start.
    session.flush()
    began = session.info.pop(_CHANGES_AT_BEGIN, None)
    if began is None:
        return  # PostgreSQL, or nothing was ever executed
    connection = session.connection()
    if _changes(connection) != began:  # it wrote: its events, at least, are to be sealed
        chain.seal(connection)


def _forget_begin(session: Session, _transaction: SessionTransaction) -> None:
    if session.in_transaction():
        return  # a savepoint ended; the transaction goes on
    session.info.pop(_CHANGES_AT_BEGIN, None)


def install() -> None:
    """Seal at commit on SQLite (idempotent; installed with the audit hook)."""
    for name, listener in (
        ("after_begin", _note_begin),
        ("before_commit", _seal_before_commit),
        ("after_transaction_end", _forget_begin),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
