"""群众诉求台账: complaints, their timeline and the category tree."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum


class Channel(StrEnum):
    WEB = "web"  # 网上信访 / public intake
    HOTLINE = "hotline"  # 专线电话
    VIDEO = "video"  # 视频接访
    AGENT = "agent"  # 信访代理
    LETTER = "letter"  # 来信
    VISIT = "visit"  # 来访 / on-site
    OA = "oa"  # 政务 OA


class Action(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    ASSIGN = "assign"
    START = "start"
    EXTEND = "extend"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    ESCALATE = "escalate"
    RATE = "rate"
    MARK_OVERDUE = "mark_overdue"


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    CRITICAL = "critical"


class Status(StrEnum):
    RECEIVED = "received"  # 已登记
    ACCEPTED = "accepted"  # 已受理
    REJECTED = "rejected"  # 不予受理 (with a reason)
    ASSIGNED = "assigned"  # 已交办 (org + responsible person)
    IN_PROGRESS = "in_progress"  # 办理中 (with a promise)
    RESOLVED = "resolved"  # 已办结 (with the result), awaiting the reporter's rating
    CLOSED = "closed"  # 已销号
    REOPENED = "reopened"  # 重新办理 (the reporter was not satisfied)


# States in which the item still has an SLA clock running against the handling org.
OPEN_STATUSES: tuple[Status, ...] = (
    Status.RECEIVED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.REOPENED,
)


# The same set as SQL text: the partial index's predicate, and what queries repeat verbatim (as literals,
# not bound parameters) so PostgreSQL can prove they match the index.
OPEN_PREDICATE = "status IN ('received', 'accepted', 'assigned', 'in_progress', 'reopened')"


class ClosureReason(StrEnum):
    """FixMyStreet's honest set, each shown to the reporter."""

    FIXED = "fixed"
    NOT_OUR_RESPONSIBILITY = "not_our_responsibility"
    DUPLICATE = "duplicate"
    REFERRED = "referred"
    NO_FURTHER_ACTION = "no_further_action"


class EventKind(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ASSIGNED = "assigned"
    STARTED = "started"
    EXTENDED = "extended"
    RESOLVED = "resolved"
    RATED = "rated"
    CLOSED = "closed"
    REOPENED = "reopened"
    ESCALATED = "escalated"
    OVERDUE = "overdue"


class ActorKind(StrEnum):
    USER = "user"
    SERVICE = "service"
    PUBLIC = "public"  # the reporter, through the tracking code
    SYSTEM = "system"  # the overdue sweep


class Category(Audited, VersionedMixin, TimestampMixin, Base):
    """A node of the classification tree; SLA day counts override the policy defaults when set."""

    __tablename__ = "complaint_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_categories.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(100))
    accept_days: Mapped[int | None] = mapped_column(Integer)
    handle_days: Mapped[int | None] = mapped_column(Integer)
    extension_days: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def audit_org_id(self) -> int | None:
        return None  # system-wide configuration


class Complaint(Audited, VersionedMixin, TimestampMixin, Base):
    __tablename__ = "complaints"
    # The reporter's identity stays out of the audit log (auditors read it across the subtree).
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset(
        {"reporter_name", "reporter_phone", "reporter_email", "tracking_code"}
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    category_id: Mapped[int] = mapped_column(ForeignKey("complaint_categories.id", ondelete="RESTRICT"))
    # The handling org (the intake org until assigned); scoping goes through its path.
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    responsible_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency), default=Urgency.NORMAL)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(4000))
    location_text: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    village: Mapped[str | None] = mapped_column(String(100))
    reporter_name: Mapped[str | None] = mapped_column(String(50))
    reporter_phone: Mapped[str | None] = mapped_column(String(20))
    reporter_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[Status] = mapped_column(str_enum(Status), default=Status.RECEIVED)
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    assigned_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    extension_days: Mapped[int] = mapped_column(Integer, default=0)  # granted so far (one extension)
    extension_reason: Mapped[str | None] = mapped_column(String(500))
    promise: Mapped[str | None] = mapped_column(String(1000))  # 承诺: what will be done…
    promised_by: Mapped[datetime | None]  # …and by when
    promised_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    result: Mapped[str | None] = mapped_column(String(2000))
    closure_reason: Mapped[ClosureReason | None] = mapped_column(str_enum(ClosureReason))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id", ondelete="RESTRICT"))
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(String(500))
    rated_at: Mapped[datetime | None]
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    overdue_at: Mapped[datetime | None]  # set once by the sweep; cleared when the deadline moves
    escalated_at: Mapped[datetime | None]  # 督查
    escalated_to_org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))

    __table_args__ = (
        Index("ix_complaints_org_id_id", "org_id", "id"),
        Index("ix_complaints_responsible_user_id", "responsible_user_id"),
        Index("ix_complaints_category_id", "category_id"),
        # The overdue list and the sweep walk open items by deadline; closed ones never enter the index.
        Index(
            "ix_complaints_open_due_at",
            "due_at",
            "id",
            postgresql_where=text(
                "status IN ('received', 'accepted', 'assigned', 'in_progress', 'reopened')"
            ),
            sqlite_where=text("status IN ('received', 'accepted', 'assigned', 'in_progress', 'reopened')"),
        ),
        Index("ix_complaints_resolved_at", "resolved_at"),
        Index("ix_complaints_received_at", "received_at"),  # alerts: daily counts over a window
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


class ComplaintEvent(Base):
    """One step on an item's timeline. Append-only; `public_note` is what the reporter may read,
    `note` stays with staff."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind))
    from_status: Mapped[Status | None] = mapped_column(str_enum(Status))
    to_status: Mapped[Status] = mapped_column(str_enum(Status))
    actor_kind: Mapped[ActorKind] = mapped_column(str_enum(ActorKind))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str | None] = mapped_column(String(128))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(String(2000))
    public_note: Mapped[str | None] = mapped_column(String(2000))
    rating: Mapped[int | None] = mapped_column(Integer)  # on `rated` events: every rating counts in the stats

    __table_args__ = (
        Index("ix_complaint_events_complaint_id_id", "complaint_id", "id"),
        Index("ix_complaint_events_kind_at", "kind", "at"),
    )
