"""The webhook delivery job: one HTTP client for the process, one batch per pass."""

from __future__ import annotations

from datetime import datetime

import httpx
from sqlalchemy.orm import Session

from vanguard.core.background import PeriodicJob
from vanguard.core.config import Settings, get_settings
from vanguard.webhooks.delivery import DeliveryRun, deliver_due
from vanguard.webhooks.targets import GuardedTransport

# No redirects: one could lead a signed payload elsewhere. The transport re-checks where the URL leads.
_client = httpx.Client(follow_redirects=False, transport=GuardedTransport(get_settings))


def _deliver(session: Session, now: datetime) -> DeliveryRun | None:
    run = deliver_due(session, _client, now=now)
    return run if run != DeliveryRun() else None


def delivery_job(settings: Settings) -> PeriodicJob:
    return PeriodicJob("webhook-delivery", settings.webhook_delivery_seconds, _deliver)
