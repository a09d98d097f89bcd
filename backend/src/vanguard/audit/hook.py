"""Writes an audit event for every insert, update and delete of an `Audited` model.

It runs inside the flush, on the flush's own connection, so the event commits or rolls back
together with the change it describes: there is no write without its audit record. A background pass
(vanguard.audit.sealer) seals committed events into the hash chain (vanguard.audit.chain).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from vanguard.audit import chain, commit_seal
from vanguard.audit.models import AuditEvent
from vanguard.core.permissions import Principal
from vanguard.core.request_context import current_request_id

PRINCIPAL_KEY = "principal"
SYSTEM_ACTOR_KEY = "system_actor"
_NOISE = frozenset({"updated_at", "created_at", "version"})


class Audited:
    """Mixin: changes to this model are audited. Secrets listed in `__audit_exclude__` never appear."""

    __audit_exclude__: ClassVar[frozenset[str]] = frozenset()
    # Personal data that reads mask without `pii`: the log keeps the masked value (auditors lack `pii`),
    # so a change still shows without the data itself.
    __audit_masked__: ClassVar[Mapping[str, Callable[[str | None], str | None]]] = {}

    def audit_org_id(self) -> int | None:
        raise NotImplementedError


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _columns(obj: Audited) -> list[str]:
    mapper = inspect(type(obj))
    return [
        attr.key
        for attr in mapper.column_attrs
        if attr.key not in obj.__audit_exclude__ and attr.key not in _NOISE
    ]


def _logged(obj: Audited, key: str, value: Any) -> Any:
    mask = obj.__audit_masked__.get(key)
    return _plain(mask(value) if mask else value)


def _snapshot(obj: Audited) -> dict[str, Any]:
    return {key: _logged(obj, key, getattr(obj, key)) for key in _columns(obj)}


def _changes(obj: Audited) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _columns(obj):
        history = state.attrs[key].history
        if history.has_changes():
            before[key] = _logged(obj, key, history.deleted[0]) if history.deleted else None
            after[key] = _logged(obj, key, history.added[0]) if history.added else None
    return before, after


def actor_fields(session: Session) -> dict[str, Any]:
    principal: Principal | None = session.info.get(PRINCIPAL_KEY)
    if principal is None:
        return {
            "actor_kind": "system",
            "actor_id": None,
            "actor_name": session.info.get(SYSTEM_ACTOR_KEY, "system"),
        }
    return {"actor_kind": principal.kind, "actor_id": principal.id, "actor_name": principal.name}


def _entity_name(obj: Audited) -> str:
    return str(getattr(type(obj), "__tablename__", type(obj).__name__))


def _entity_id(obj: Audited) -> str:
    # identity keys of new objects are only assigned after the flush; the primary key is already set.
    return ",".join(str(v) for v in inspect(type(obj)).primary_key_from_instance(obj))


def _rows(session: Session) -> list[dict[str, Any]]:
    base = {**actor_fields(session), "request_id": current_request_id()}
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Audited):
            rows.append({**base, "action": "create", "before": None, "after": _snapshot(obj), **_what(obj)})
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after or before:
                rows.append({**base, "action": "update", "before": before, "after": after, **_what(obj)})
    for obj in session.deleted:
        if isinstance(obj, Audited):
            rows.append({**base, "action": "delete", "before": _snapshot(obj), "after": None, **_what(obj)})
    return rows


def _what(obj: Audited) -> dict[str, Any]:
    return {"entity": _entity_name(obj), "entity_id": _entity_id(obj), "org_id": obj.audit_org_id()}


def _after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    rows = _rows(session)
    if rows:
        now = datetime.now().astimezone()
        session.connection().execute(insert(AuditEvent), [{**row, "occurred_at": now} for row in rows])


def record_event(
    session: Session,
    *,
    entity: str,
    entity_id: str | int,
    action: str,
    org_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """An explicit event for what the flush hook cannot see: bulk statements and sensitive reads."""
    session.add(
        AuditEvent(
            **actor_fields(session),
            request_id=current_request_id(),
            entity=entity,
            entity_id=str(entity_id),
            action=action,
            org_id=org_id,
            before=_plain(before) if before is not None else None,
            after=_plain(after) if after is not None else None,
        )
    )


def created_events(session: Session, objs: Sequence[Audited]) -> list[dict[str, Any]]:
    """The audit rows the flush hook would write for `objs`, for inserts it does not see (bulk COPY):
    the caller writes them in the same transaction as the rows themselves."""
    base = {**actor_fields(session), "request_id": current_request_id()}
    now = datetime.now().astimezone()
    return [
        {
            **base,
            "action": "create",
            "before": None,
            "after": _snapshot(obj),
            **_what(obj),
            "occurred_at": now,
            **chain.UNSEALED,
        }
        for obj in objs
    ]


def install() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    commit_seal.install()
