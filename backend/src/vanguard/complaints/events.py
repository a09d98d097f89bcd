"""The one place complaint integration events leave from: the webhook outbox, in the same transaction as
the change they announce. Payloads carry no reporter data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from vanguard.complaints.models import Complaint
from vanguard.webhooks import service as webhooks
from vanguard.webhooks.models import EventType


def payload(complaint: Complaint) -> dict[str, Any]:
    return {
        "id": complaint.id,
        "status": complaint.status.value,
        "channel": complaint.channel.value,
        "category_id": complaint.category_id,
        "org_id": complaint.org_id,
        "responsible_user_id": complaint.responsible_user_id,
        "due_at": complaint.due_at.isoformat() if complaint.due_at else None,
        "closure_reason": complaint.closure_reason.value if complaint.closure_reason else None,
    }


def emit(
    session: Session, complaint: Complaint, event: EventType, now: datetime, *, org_id: int | None = None
) -> None:
    """Announce `event` for `complaint` to the subscriptions on its org and above; `org_id` addresses
    another org (the superior, for escalations)."""
    webhooks.emit(
        session, event, org_id if org_id is not None else complaint.org_id, payload(complaint), now=now
    )
