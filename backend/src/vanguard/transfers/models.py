from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum, utcnow


class TransferState(StrEnum):
    PENDING = "pending"  # 待接收: requested, waiting for the receiving org
    ACCEPTED = "accepted"  # 已接收: the member now belongs to the receiving org
    REJECTED = "rejected"  # 已退回: the receiving org declined, the member stays
    CANCELLED = "cancelled"  # 已撤回: the sending org withdrew the request
    COMPLETED = "completed"  # 已转出: out of the system, on the strength of the introduction letter


class Transfer(Audited, VersionedMixin, TimestampMixin, Base):
    """One organisation-relationship transfer (组织关系转接). Rows are never deleted: they are the history."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    from_org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    # Null when the destination is outside the system: then external_org_name and letter_number say where.
    to_org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    external_org_name: Mapped[str | None] = mapped_column(String(200))
    letter_number: Mapped[str | None] = mapped_column(String(64))  # 介绍信编号
    reason: Mapped[str] = mapped_column(String(500))
    state: Mapped[TransferState] = mapped_column(str_enum(TransferState), default=TransferState.PENDING)
    requested_by: Mapped[str] = mapped_column(String(128))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        # At most one open transfer per member, also against two requests racing each other.
        Index(
            "uq_transfers_member_id_pending",
            "member_id",
            unique=True,
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
    )

    def audit_org_id(self) -> int | None:
        return self.from_org_id
