"""Webhooks: subscriptions of outside systems (OA, hotline) and the outbox of deliveries to them.

Events are written to the outbox in the same transaction as the change they report, so an event is
never lost and never sent for a change that rolled back; a worker delivers them afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from vanguard.core.permissions import Permission


class EventType(StrEnum):
    """Every event an outside system may subscribe to; features emit only these."""

    PING = "webhook.ping"
    COMPLAINT_RECEIVED = "complaint.received"
    COMPLAINT_ASSIGNED = "complaint.assigned"
    COMPLAINT_OVERDUE = "complaint.overdue"
    COMPLAINT_ESCALATED = "complaint.escalated"
    COMPLAINT_RESOLVED = "complaint.resolved"
    COMPLAINT_CLOSED = "complaint.closed"
    SCORING_PUBLISHED = "scoring.published"  # a scheme's results are frozen (scoring.results.publish)
    ALERT_FIRED = "alert.fired"  # the early-warning analysis fired an alert (alerts.service)


# What a service account must be allowed to read to receive an event: its subscriptions are refused, and
# stop receiving, event types its scopes do not cover. None: any account may receive it.
EVENT_READ_PERMISSION: dict[EventType, Permission | None] = {
    EventType.PING: None,
    EventType.COMPLAINT_RECEIVED: Permission.COMPLAINTS_READ,
    EventType.COMPLAINT_ASSIGNED: Permission.COMPLAINTS_READ,
    EventType.COMPLAINT_OVERDUE: Permission.COMPLAINTS_READ,
    EventType.COMPLAINT_ESCALATED: Permission.COMPLAINTS_READ,
    EventType.COMPLAINT_RESOLVED: Permission.COMPLAINTS_READ,
    EventType.COMPLAINT_CLOSED: Permission.COMPLAINTS_READ,
    EventType.SCORING_PUBLISHED: Permission.SCORING_READ,
    EventType.ALERT_FIRED: Permission.COMPLAINTS_READ,
}


def may_receive(scopes: Iterable[str], event_type: str) -> bool:
    """Whether an account holding `scopes` may receive `event_type` (an unknown type: never)."""
    if event_type not in EventType._value2member_map_:
        return False
    needed = EVENT_READ_PERMISSION[EventType(event_type)]
    return needed is None or needed.value in scopes


class WebhookSubscription(Audited, VersionedMixin, TimestampMixin, Base):
    """An endpoint that receives the events of one organisation's subtree; when it belongs to a service
    account, only those events the account's scopes let it read, and only while the account is active."""

    __tablename__ = "webhook_subscriptions"
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"secret_encrypted"})

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    # The service account that owns it (made with its token, or for it by an organisation department);
    # None: managed by users only.
    service_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_accounts.id", ondelete="CASCADE")
    )
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(200), default="")
    event_types: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    # The signing secret, encrypted with the PII key: it must be recoverable to sign, and a dump alone
    # must not let anyone forge our signatures.
    secret_encrypted: Mapped[str] = mapped_column(String(500))

    __table_args__ = (
        Index("ix_webhook_subscriptions_org_id", "org_id"),
        Index("ix_webhook_subscriptions_service_account_id", "service_account_id"),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    DELIVERED = "delivered"  # the endpoint answered 2xx
    FAILED = "failed"  # gave up after the last retry; can be retried by hand


class WebhookDelivery(Base):
    """One event for one subscription, and how its delivery went."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(40), unique=True)  # `webhook-id`: receivers dedupe on it
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_subscription_id_id", "subscription_id", "id"),
    )
