from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.core.db import Base, utcnow

BigId = BigInteger().with_variant(Integer, "sqlite")


class AuditEvent(Base):
    """One write (or sensitive read): who, when, what, before/after. Append-only."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None]
    actor_name: Mapped[str] = mapped_column(String(128))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    # The organisation the record belongs to, so auditors see only their subtree's events.
    org_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(64))
    # The hash chain (vanguard.audit.chain), set when the writing transaction commits: until then NULL.
    seq: Mapped[int | None] = mapped_column(BigInteger, index=True, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_events_entity", "entity", "entity_id"),
        # Only the events awaiting their seal, in the order sealing takes them.
        Index(
            "ix_audit_events_unsealed",
            "id",
            postgresql_where=text("seq IS NULL"),
            sqlite_where=text("seq IS NULL"),
        ),
    )
