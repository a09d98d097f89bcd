"""Early warning (社会风险早期预警): alerts the analysis fired, each with why (numbers) and what (ids)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum


class AlertKind(StrEnum):
    SURGE = "surge"  # 诉求激增: an org's complaints of one category above their own baseline
    DUPLICATES = "duplicates"  # 重复诉求: a group of near-identical complaints


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"


class Alert(Audited, VersionedMixin, TimestampMixin, Base):
    """One fired alert. `key` names what it is about (the org and category of a surge, the first item
    of a duplicate group); (kind, key, day) is unique, so a run repeated the same day fires nothing new."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AlertKind] = mapped_column(str_enum(AlertKind))
    # The org it concerns; scoping goes through its path (a duplicate group: the lowest org above all items).
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_categories.id", ondelete="RESTRICT")
    )
    day: Mapped[date]  # the China day tested
    key: Mapped[str] = mapped_column(String(100))
    fired_at: Mapped[datetime]
    reason_zh: Mapped[str] = mapped_column(String(500))
    reason_en: Mapped[str] = mapped_column(String(500))
    why: Mapped[dict[str, Any]] = mapped_column(JSON)  # the numbers: baseline, observed, threshold, formula
    items: Mapped[list[int]] = mapped_column(JSON)  # the complaint ids behind it
    state: Mapped[AlertState] = mapped_column(str_enum(AlertState), default=AlertState.OPEN)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(128))
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        UniqueConstraint("kind", "key", "day", name="uq_alerts_kind_key_day"),
        Index("ix_alerts_org_id_id", "org_id", "id"),
        Index("ix_alerts_state_id", "state", "id"),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id
