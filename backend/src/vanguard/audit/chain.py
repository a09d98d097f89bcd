"""The audit log's hash chain: each event's `hash` is SHA-256 over its own fields and the hash before it
(`prev_hash`), and `seq` numbers the chain without gaps, so an edited, removed or reordered event shows.

Events are sealed (given `seq`, `prev_hash` and `hash`) after their transaction commits, by a background
pass (vanguard.audit.sealer, every VANGUARD_AUDIT_SEAL_SECONDS), not by the transaction that wrote them.
Sealing at write time would make a long transaction (an import writes ~100,000 events in one) hold the
chain's head, and so every other audited write, until it ends; sealing at each commit made every
audited request take one global lock, which capped a 2-core server's PII reads at ~140/s under 32
clients (bench_api). Chain order is therefore the order events became visible to the sealer, which need
not be id order: `seq` is the order, and the verifier walks it.

The chain depends only on the columns named here (a table of its own, not the model), so the migration
that sealed the events written before it keeps working as the model grows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Connection,
    Integer,
    RowMapping,
    String,
    bindparam,
    column,
    func,
    select,
    table,
    text,
)

from vanguard.core.db import UtcDateTime

GENESIS = "0" * 64
# The chain columns of an event written but not sealed yet.
UNSEALED: dict[str, Any] = {"seq": None, "prev_hash": None, "hash": None}
SEAL_BATCH = 1000
# Any constant works as long as no other feature takes the same advisory lock.
_LOCK_KEY = 0x5641_4E47_4155_4449  # "VANGAUDI"

# Every field of an event but its id (assigned by the database, and not part of the chain order).
HASHED = (
    "seq",
    "occurred_at",
    "actor_kind",
    "actor_id",
    "actor_name",
    "entity",
    "entity_id",
    "action",
    "org_id",
    "before",
    "after",
    "request_id",
)

events = table(
    "audit_events",
    column("id", BigInteger),
    column("seq", BigInteger),
    column("prev_hash", String),
    column("hash", String),
    column("occurred_at", UtcDateTime()),
    column("actor_kind", String),
    column("actor_id", Integer),
    column("actor_name", String),
    column("entity", String),
    column("entity_id", String),
    column("action", String),
    column("org_id", Integer),
    column("before", JSON),
    column("after", JSON),
    column("request_id", String),
)
_READ = [events.c.id, events.c.prev_hash, events.c.hash, *(events.c[name] for name in HASHED)]


def _utc(value: datetime) -> str:
    # Naive values are UTC, as UtcDateTime stores them; a fixed precision keeps the text stable.
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat(timespec="microseconds")


def canonical(event: Mapping[Any, Any], prev_hash: str) -> bytes:
    """Sorted-key compact JSON of the hashed fields and `prev_hash`: the same bytes for the values
    written and for the values read back (JSON columns hold what `json.dumps` makes of them)."""
    body = {name: event[name] for name in HASHED}
    body["occurred_at"] = _utc(body["occurred_at"])
    body["prev_hash"] = prev_hash
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(event: Mapping[Any, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical(event, prev_hash)).hexdigest()


def head(connection: Connection) -> tuple[int, str]:
    """The last sealed event's seq and hash; (0, GENESIS) for an empty chain."""
    row = connection.execute(
        select(events.c.seq, events.c.hash)
        .where(events.c.seq.is_not(None))
        .order_by(events.c.seq.desc())
        .limit(1)
    ).first()
    return (int(row.seq), str(row.hash)) if row is not None else (0, GENESIS)


def seal(connection: Connection, batch: int = SEAL_BATCH, limit: int | None = None) -> int:
    """Seal the unsealed events this transaction sees (all, or the first `limit`), in id order, after the
    chain's head; how many.

    On PostgreSQL a transaction-scoped advisory lock makes sealers take turns, and each reads the head
    after the previous one committed (READ COMMITTED: every statement sees the latest commits); SQLite
    has one writer at a time. Should either fail, the unique `seq` refuses a second chain: a fork cannot
    commit."""
    if limit is not None:
        batch = min(batch, limit)
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    seq, prev = head(connection)
    after_id, sealed = 0, 0
    while True:
        rows = connection.execute(
            select(*_READ)
            .where(events.c.seq.is_(None), events.c.id > after_id)
            .order_by(events.c.id)
            .limit(batch)
        ).mappings()
        stamps = []
        for row in rows:
            seq += 1
            current = digest({**row, "seq": seq}, prev)
            stamps.append({"event_id": row["id"], "new_seq": seq, "new_prev": prev, "new_hash": current})
            prev = current
        if stamps:
            _stamp(connection, stamps)
            after_id = stamps[-1]["event_id"]
            sealed += len(stamps)
        if len(stamps) < batch or (limit is not None and sealed >= limit):  # a short page is the last
            return sealed


_STAMP = (
    events.update()
    .where(events.c.id == bindparam("event_id"))
    .values(seq=bindparam("new_seq"), prev_hash=bindparam("new_prev"), hash=bindparam("new_hash"))
)
# One statement per batch: PostgreSQL's executemany is a round trip per row, SQLite's is in-process.
_PG_STAMP = text(
    "UPDATE audit_events SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash "
    "FROM unnest(CAST(:ids AS bigint[]), CAST(:seqs AS bigint[]), CAST(:prevs AS varchar[]), "
    "CAST(:hashes AS varchar[])) AS v(id, seq, prev_hash, hash) WHERE audit_events.id = v.id"
)


def _stamp(connection: Connection, stamps: list[dict[str, Any]]) -> None:
    if connection.dialect.name != "postgresql":
        connection.execute(_STAMP, stamps)
        return
    connection.execute(
        _PG_STAMP,
        {
            "ids": [s["event_id"] for s in stamps],
            "seqs": [s["new_seq"] for s in stamps],
            "prevs": [s["new_prev"] for s in stamps],
            "hashes": [s["new_hash"] for s in stamps],
        },
    )


@dataclass(frozen=True)
class Break:
    event_id: int
    seq: int
    reason: str  # hash_mismatch | gap | prev_link_broken
    detail: str


@dataclass(frozen=True)
class Verdict:
    count: int  # sealed events checked (up to the break, if any)
    head_seq: int
    head_hash: str
    unsealed: int  # events no commit has sealed yet (written around the session, e.g. raw SQL)
    broken: Break | None


def _sealed(connection: Connection, batch: int) -> Iterator[RowMapping]:
    """Sealed events in chain order, a page at a time (constant memory, no long-lived cursor)."""
    after_seq = 0
    while True:
        page: Sequence[RowMapping] = (
            connection.execute(
                select(*_READ).where(events.c.seq > after_seq).order_by(events.c.seq).limit(batch)
            )
            .mappings()
            .all()
        )
        yield from page
        if len(page) < batch:
            return
        after_seq = int(page[-1]["seq"])


def check(event: RowMapping, expected_seq: int, expected_prev: str) -> Break | None:
    """What is wrong with `event` where the chain expects `expected_seq` after `expected_prev`."""
    event_id, seq = int(event["id"]), int(event["seq"])
    if digest(event, event["prev_hash"]) != event["hash"]:
        return Break(event_id, seq, "hash_mismatch", "its fields do not match its hash (edited)")
    # Walked in seq order and seq is unique, so a different seq is a higher one: events are missing.
    if seq != expected_seq:
        missing = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}..{seq - 1}"
        return Break(event_id, seq, "gap", f"seq {missing} missing before it (deleted)")
    if event["prev_hash"] != expected_prev:
        return Break(
            event_id, seq, "prev_link_broken", "its prev_hash is not the hash of the event before it"
        )
    return None


def verify(connection: Connection, batch: int = 5000) -> Verdict:
    """Walk the sealed chain from the genesis; stop at the first broken event."""
    count, prev = 0, GENESIS
    broken: Break | None = None
    for event in _sealed(connection, batch):
        broken = check(event, count + 1, prev)
        if broken is not None:
            break
        count, prev = count + 1, str(event["hash"])
    unsealed = connection.scalar(select(func.count()).select_from(events).where(events.c.seq.is_(None)))
    return Verdict(count, count, prev, int(unsealed or 0), broken)


def describe(verdict: Verdict) -> str:
    """One line for the operator: the count and head when intact, the first broken event otherwise."""
    pending = f"; {verdict.unsealed} event(s) not sealed yet" if verdict.unsealed else ""
    if verdict.broken is None:
        return (
            f"audit chain intact: {verdict.count} events, head seq {verdict.head_seq} "
            f"hash {verdict.head_hash}{pending}"
        )
    b = verdict.broken
    return (
        f"audit chain broken at event id {b.event_id} (seq {b.seq}): {b.reason.replace('_', ' ')} — "
        f"{b.detail}; {verdict.count} events before it are intact{pending}"
    )
