from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum
from vanguard.core.permissions import Role


class User(Audited, VersionedMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"password_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    # The root of the subtree this user may act on; None (admins only) means the whole system.
    org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    # The member record this account belongs to (at most one account per member): what the member sees of
    # their own (score, explanation) and whose complaint handling counts towards which member's points.
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True, unique=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change or forced logout: tokens issued under an older epoch stop working.
    session_epoch: Mapped[int] = mapped_column(default=0)

    def audit_org_id(self) -> int | None:
        return self.org_id


class ServiceAccount(Audited, VersionedMixin, TimestampMixin, Base):
    """A machine caller (government OA, hotline system) acting on one subtree with explicit scopes."""

    __tablename__ = "service_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(String(500))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)

    def audit_org_id(self) -> int | None:
        return self.org_id


class ApiToken(Audited, TimestampMixin, Base):
    __tablename__ = "api_tokens"
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"token_digest"})

    id: Mapped[int] = mapped_column(primary_key=True)
    service_account_id: Mapped[int] = mapped_column(
        ForeignKey("service_accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    display_prefix: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    # Denormalised from the account so the audit hook needs no lazy load inside a flush.
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))

    def audit_org_id(self) -> int | None:
        return self.org_id
