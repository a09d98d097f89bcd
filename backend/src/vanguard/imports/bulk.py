"""Bulk inserts for imports: on PostgreSQL new rows and their audit events go in by COPY (ids drawn from
the table's sequence first), in the session's own transaction; elsewhere through the ORM, whose flush
batches the inserts and the audit hook's rows."""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, text
from sqlalchemy.orm import Session

from vanguard.audit.hook import Audited, created_events
from vanguard.audit.models import AuditEvent
from vanguard.core.db import Base, utcnow

_AUDIT_COLUMNS = [c.name for c in AuditEvent.__table__.columns if c.name != "id"]


def insert_all(session: Session, objs: Sequence[Base]) -> None:
    """Insert new objects of one mapped class (not added to the session), audited like any insert."""
    if not objs:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.add_all(objs)
        session.flush()
        return
    table = cast(Table, type(objs[0]).__table__)
    connection = session.connection()
    ids = connection.execute(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table.name, "n": len(objs)},
    ).scalars()
    now = utcnow()
    columns = list(table.columns)
    defaults = {c.key: _default(c, now) for c in columns if c.default is not None}
    for obj, new_id in zip(objs, ids, strict=True):
        # Transient objects never added to the session: their values go in directly, without the
        # attribute events a tracked change would need.
        state = obj.__dict__
        state["id"] = new_id
        for key, value in defaults.items():
            if state.get(key) is None:
                state[key] = value
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        names = ", ".join(c.name for c in columns)
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for obj in objs:
                state = obj.__dict__
                copy.write_row([_cell(state.get(c.key)) for c in columns])
        audited = [o for o in objs if isinstance(o, Audited)]
        if audited:
            with cursor.copy(f"COPY audit_events ({', '.join(_AUDIT_COLUMNS)}) FROM STDIN") as copy:
                for row in created_events(session, audited):
                    copy.write_row(
                        [_json(row[c]) if c in ("before", "after") else row[c] for c in _AUDIT_COLUMNS]
                    )


def _default(column: Any, now: datetime) -> Any:
    default = column.default
    if default is None:
        return None
    if column.name in ("created_at", "updated_at"):
        return now
    if default.is_callable:
        return default.arg(None)
    return default.arg if default.is_scalar else None


def _cell(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime, Decimal, int, str)) or value is None:
        return value
    return json.dumps(value, ensure_ascii=False)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)
