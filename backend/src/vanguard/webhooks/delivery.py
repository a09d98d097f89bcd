"""The delivery worker: sends due outbox rows, signed per the Standard Webhooks spec, with retries.

Receivers verify `webhook-signature` (HMAC-SHA256 over `id.timestamp.body`) with any Standard Webhooks
library, and dedupe on `webhook-id`, which stays the same across retries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook

from vanguard.core import policy
from vanguard.users.models import ServiceAccount
from vanguard.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from vanguard.webhooks.service import refusal, signing_secret

USER_AGENT = "Vanguard-Webhooks/1"


@dataclass(frozen=True)
class DeliveryRun:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(session: Session, client: httpx.Client, *, now: datetime) -> DeliveryRun:
    """Attempt up to one batch of due deliveries of active subscriptions, committing each one's outcome.

    Each delivery is taken on its own (row lock, SKIP LOCKED on PostgreSQL, so several workers never send
    the same row twice), sent, and its outcome committed before the next is taken: a process killed in the
    middle re-sends only the delivery that was in flight (the receiver dedupes it on its `webhook-id`),
    never the ones already acknowledged, and no transaction stays open across a whole batch of requests.
    A paused (inactive) subscription keeps its deliveries pending until it is switched back on. A delivery
    of a service account's subscription is not sent once the account is deactivated or has lost the scope
    that reads the event: it is marked failed at once, with the reason as its error (a person may retry it
    after the account is put right)."""
    next_due = (
        select(WebhookDelivery, WebhookSubscription, ServiceAccount)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .outerjoin(ServiceAccount, ServiceAccount.id == WebhookSubscription.service_account_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
            WebhookSubscription.active,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    )
    counts = dict.fromkeys(DeliveryStatus, 0)
    for _ in range(policy.WEBHOOK_DELIVERY_BATCH):
        taken = session.execute(next_due).first()
        if taken is None:
            break
        delivery, subscription, account = taken
        refused = refusal(account, delivery.event_type)
        if refused is None:
            _attempt(delivery, subscription, client, now)
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = f"not sent: {refused}"
        counts[delivery.status] += 1
        session.commit()  # the row has left the due set (sent, failed, or due later): never taken twice
    return DeliveryRun(
        delivered=counts[DeliveryStatus.DELIVERED],
        retrying=counts[DeliveryStatus.PENDING],
        failed=counts[DeliveryStatus.FAILED],
    )


def signed_headers(delivery: WebhookDelivery, secret: str, body: str, now: datetime) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(delivery.message_id, now, body),
    }


def _attempt(
    delivery: WebhookDelivery, subscription: WebhookSubscription, client: httpx.Client, now: datetime
) -> None:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))
    headers = signed_headers(delivery, signing_secret(subscription), body, now)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        response = client.post(
            subscription.url, content=body.encode(), headers=headers, timeout=policy.WEBHOOK_TIMEOUT_SECONDS
        )
    except httpx.HTTPError as exc:
        delivery.last_status_code = None
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:500]
    else:
        delivery.last_status_code = response.status_code
        if response.is_success:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.last_error = None
            return
        delivery.last_error = response.text[:500] or response.reason_phrase
    delays = policy.WEBHOOK_RETRY_DELAYS_SECONDS
    if delivery.attempts > len(delays):
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + timedelta(seconds=delays[delivery.attempts - 1])
