"""Idempotency keys: the first response to a POST, kept so a retry with the same key gets it again."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.core.db import Base, str_enum


class KeyState(StrEnum):
    IN_FLIGHT = "in_flight"  # the first request is running
    DONE = "done"  # its response is stored for replays


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Keys are per caller: two OA systems may both send "1".
    principal: Mapped[str] = mapped_column(String(40))  # "user:12" or "service:3"
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path, query and body
    state: Mapped[KeyState] = mapped_column(str_enum(KeyState))
    status_code: Mapped[int | None]
    headers: Mapped[list[list[str]] | None] = mapped_column(JSON)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("principal", "key"),
        Index("ix_idempotency_keys_expires_at", "expires_at"),
    )
