"""The webhook delivery job: one HTTP client for the process, one batch per pass."""

from __future__ import annotations

from datetime import datetime

import httpx
from sqlalchemy.orm import Session

from vanguard.core.background import PeriodicJob
from vanguard.core.config import Settings
from vanguard.webhooks.delivery import DeliveryRun, deliver_due

_client = httpx.Client(follow_redirects=False)  # a redirect could lead a signed payload elsewhere


def _deliver(session: Session, now: datetime) -> DeliveryRun | None:
    run = deliver_due(session, _client, now=now)
    return run if run != DeliveryRun() else None


def delivery_job(settings: Settings) -> PeriodicJob:
    return PeriodicJob("webhook-delivery", settings.webhook_delivery_seconds, _deliver)
