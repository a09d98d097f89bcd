"""Webhook subscriptions (scoped to an org subtree) and `emit`, the one way features publish events."""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal, select
from sqlalchemy.orm import Session

from vanguard.audit.hook import record_event
from vanguard.core import policy
from vanguard.core.config import get_settings
from vanguard.core.errors import Conflict, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Scope
from vanguard.core.security import pii
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.webhooks.models import DeliveryStatus, EventType, WebhookDelivery, WebhookSubscription
from vanguard.webhooks.schemas import DeliveryRead, WebhookCreate, WebhookRead, WebhookUpdate


class WebhookNotFound(NotFound):
    code = "webhook_not_found"
    message_zh = "未找到该订阅"
    message_en = "Webhook subscription not found"


class DeliveryNotFound(NotFound):
    code = "webhook_delivery_not_found"
    message_zh = "未找到该推送记录"
    message_en = "Webhook delivery not found"


class InsecureWebhookUrl(InvalidInput):
    code = "webhook_url_insecure"
    message_zh = "生产环境中推送地址必须使用 HTTPS"
    message_en = "Webhook URLs must use HTTPS in production"


class DeliveryNotFailed(Conflict):
    code = "webhook_delivery_not_failed"
    message_zh = "只有失败的推送可以重试"
    message_en = "Only a failed delivery can be retried"


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and base64 of random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(policy.WEBHOOK_SECRET_BYTES)).decode()


def _check_url(url: str) -> None:
    # Plain HTTP is fine for a developer's receiver, never for production: payloads carry personal data.
    if url.startswith("http://") and get_settings().environment == "production":
        raise InsecureWebhookUrl.at("url")


def to_read(subscription: WebhookSubscription) -> WebhookRead:
    return WebhookRead.model_validate(subscription)


def _visible(scope: Scope) -> Select[WebhookSubscription]:
    return (
        select(WebhookSubscription)
        .join(Organisation, Organisation.id == WebhookSubscription.org_id)
        .where(scope.clause(Organisation.path))
    )


def get_subscription(session: Session, scope: Scope, subscription_id: int) -> WebhookSubscription:
    found = session.scalars(_visible(scope).where(WebhookSubscription.id == subscription_id)).one_or_none()
    if found is None:
        raise WebhookNotFound()
    return found


def list_subscriptions(
    session: Session, scope: Scope, *, cursor: str | None, limit: int
) -> Page[WebhookRead]:
    return paginate_by_id(
        session,
        _visible(scope),
        WebhookSubscription.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: to_read(row[0]),
    )


def create_subscription(
    session: Session, scope: Scope, data: WebhookCreate
) -> tuple[WebhookSubscription, str]:
    """The new subscription and its signing secret, which is shown to the caller this once."""
    orgs.get(session, scope, data.org_id)
    url = str(data.url)
    _check_url(url)
    secret = new_secret()
    subscription = WebhookSubscription(
        org_id=data.org_id,
        url=url,
        description=data.description,
        event_types=[t.value for t in data.event_types],
        secret_encrypted=pii.encrypt(secret),
    )
    session.add(subscription)
    session.flush()
    return subscription, secret


def update_subscription(
    session: Session, scope: Scope, subscription_id: int, data: WebhookUpdate, if_match: str | None
) -> WebhookSubscription:
    subscription = get_subscription(session, scope, subscription_id)
    check_if_match(if_match, subscription.version)
    if data.url is not None:
        _check_url(str(data.url))
        subscription.url = str(data.url)
    if data.description is not None:
        subscription.description = data.description
    if data.event_types is not None:
        subscription.event_types = [t.value for t in data.event_types]
    if data.active is not None:
        subscription.active = data.active
    session.flush()
    return subscription


def rotate_secret(
    session: Session, scope: Scope, subscription_id: int, if_match: str | None
) -> tuple[WebhookSubscription, str]:
    subscription = get_subscription(session, scope, subscription_id)
    check_if_match(if_match, subscription.version)
    secret = new_secret()
    subscription.secret_encrypted = pii.encrypt(secret)
    session.flush()
    return subscription, secret


def delete_subscription(session: Session, scope: Scope, subscription_id: int) -> None:
    session.delete(get_subscription(session, scope, subscription_id))


def signing_secret(subscription: WebhookSubscription) -> str:
    return pii.decrypt(subscription.secret_encrypted)


# --- publishing --------------------------------------------------------------------------------


def _delivery(
    subscription_id: int, event_type: EventType, data: dict[str, Any], now: datetime
) -> WebhookDelivery:
    return WebhookDelivery(
        subscription_id=subscription_id,
        message_id=f"msg_{uuid.uuid4().hex}",
        event_type=event_type.value,
        payload={"type": event_type.value, "timestamp": now.isoformat(), "data": data},
        next_attempt_at=now,
    )


def emit(session: Session, event_type: EventType, org_id: int, data: dict[str, Any], *, now: datetime) -> int:
    """Queue `event_type` for every active subscription on `org_id` or an org above it, in the caller's
    transaction: the event commits, or rolls back, with the change it reports. Returns the number queued."""
    org_path = session.scalars(select(Organisation.path).where(Organisation.id == org_id)).one()
    # The subscriptions whose org is this org or one of its ancestors (their path is a prefix of ours).
    candidates = session.scalars(
        select(WebhookSubscription)
        .join(Organisation, Organisation.id == WebhookSubscription.org_id)
        .where(WebhookSubscription.active, literal(org_path).like(Organisation.path + "%"))
    )
    queued = [_delivery(s.id, event_type, data, now) for s in candidates if event_type.value in s.event_types]
    session.add_all(queued)
    return len(queued)


def ping(session: Session, scope: Scope, subscription_id: int, *, now: datetime) -> WebhookDelivery:
    """A test event for one subscription, so an integrator can check their receiver and signature code."""
    subscription = get_subscription(session, scope, subscription_id)
    delivery = _delivery(subscription.id, EventType.PING, {"subscription_id": subscription.id}, now)
    session.add(delivery)
    session.flush()
    _audit(session, delivery, subscription, "ping")
    return delivery


# --- the delivery log ----------------------------------------------------------------------------


def list_deliveries(
    session: Session,
    scope: Scope,
    subscription_id: int,
    *,
    status: DeliveryStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[DeliveryRead]:
    get_subscription(session, scope, subscription_id)
    stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    return paginate_by_id(
        session,
        stmt,
        WebhookDelivery.id,
        cursor=cursor,
        limit=limit,
        descending=True,
        to_item=lambda row: DeliveryRead.model_validate(row[0]),
    )


def get_delivery(session: Session, scope: Scope, delivery_id: int) -> WebhookDelivery:
    found = session.scalars(
        select(WebhookDelivery)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .join(Organisation, Organisation.id == WebhookSubscription.org_id)
        .where(WebhookDelivery.id == delivery_id, scope.clause(Organisation.path))
    ).one_or_none()
    if found is None:
        raise DeliveryNotFound()
    return found


def retry_delivery(session: Session, scope: Scope, delivery_id: int, *, now: datetime) -> WebhookDelivery:
    """Send a failed delivery again (e.g. after the receiver was fixed): a fresh round of retries."""
    delivery = get_delivery(session, scope, delivery_id)
    if delivery.status is not DeliveryStatus.FAILED:
        raise DeliveryNotFailed()
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    session.flush()
    _audit(session, delivery, session.get_one(WebhookSubscription, delivery.subscription_id), "retry")
    return delivery


def _audit(
    session: Session, delivery: WebhookDelivery, subscription: WebhookSubscription, action: str
) -> None:
    # Deliveries are the worker's bookkeeping; a person asking for one is a write worth recording.
    record_event(
        session,
        entity="webhook_deliveries",
        entity_id=delivery.id,
        action=action,
        org_id=subscription.org_id,
        after={"message_id": delivery.message_id, "event_type": delivery.event_type},
    )
