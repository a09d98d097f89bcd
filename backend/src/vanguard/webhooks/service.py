"""Webhook subscriptions (scoped to an org subtree, optionally owned by a service account) and `emit`,
the one way features publish events.

Who manages which subscriptions (`Access.of`): a caller holding `service_accounts:manage` (organisation
departments) every subscription on an org in their subtree; a service account holding only
`webhooks:manage` its own subscriptions — another account's are 404 to it. What a service account creates
belongs to it. An account's subscription may only ask for events its scopes let it read
(`EVENT_READ_PERMISSION`), and it receives an event only while the account is active and still holds
that scope: otherwise nothing is queued for it, and deliveries already queued are marked failed by the
worker without being sent.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal, select
from sqlalchemy.orm import Session, aliased

from vanguard.audit.hook import record_event
from vanguard.core import policy
from vanguard.core.config import get_settings
from vanguard.core.errors import Conflict, FieldError, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Permission, Principal, Scope, in_subtree
from vanguard.core.security import pii
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.users.models import ServiceAccount
from vanguard.users.service import ServiceAccountNotFound
from vanguard.webhooks import targets
from vanguard.webhooks.models import (
    EVENT_READ_PERMISSION,
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookSubscription,
    may_receive,
)
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


class WebhookTargetRefused(InvalidInput):
    code = "webhook_url_refused"
    message_zh = "推送地址指向内网或本机地址，且不在允许的网段内（VANGUARD_WEBHOOK_ALLOWED_NETWORKS）"
    message_en = (
        "The webhook URL leads to a private or local address outside VANGUARD_WEBHOOK_ALLOWED_NETWORKS"
    )


class DeliveryNotFailed(Conflict):
    code = "webhook_delivery_not_failed"
    message_zh = "只有失败的推送可以重试"
    message_en = "Only a failed delivery can be retried"


class OrgOutsideAccount(InvalidInput):
    code = "webhook_org_outside_account"
    message_zh = "订阅的组织必须在服务账号的管理范围内"
    message_en = "The subscription's organisation must be inside the service account's subtree"


class EventNotReadable(InvalidInput):
    """An account's subscription may only ask for events its scopes let it read; names each refused type."""

    code = "webhook_event_not_readable"

    @classmethod
    def of(cls, refused: Sequence[tuple[int, EventType]]) -> EventNotReadable:
        def needs(event_type: EventType) -> str:
            needed = EVENT_READ_PERMISSION[event_type]
            return needed.value if needed is not None else ""

        names = "、".join(t.value for _, t in refused)
        errors = [
            FieldError.of(
                f"body.event_types.{index}",
                cls.code,
                f"服务账号无权读取事件 {t.value}（需要权限 {needs(t)}）",
                f"The service account may not read {t.value} events (needs {needs(t)})",
            )
            for index, t in refused
        ]
        return cls(
            f"服务账号无权读取这些事件：{names}",
            f"The service account may not read these events: {', '.join(t.value for _, t in refused)}",
            errors=errors,
        )


# --- who manages what ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Access:
    """Whose subscriptions a caller manages: every one on an org in `scope`, or only `account_id`'s."""

    scope: Scope
    account_id: int | None = None  # only this service account's own subscriptions
    acting_account_id: int | None = None  # the calling service account: what it creates belongs to it

    @classmethod
    def of(cls, caller: Principal) -> Access:
        """403 unless the caller holds `service_accounts:manage`, or is a service account holding
        `webhooks:manage` (then it manages its own subscriptions only)."""
        acting = caller.id if caller.kind == "service" else None
        if caller.can(Permission.SERVICE_ACCOUNTS_MANAGE):
            return cls(caller.scope, None, acting)
        if caller.kind == "service":
            caller.require(Permission.WEBHOOKS_MANAGE)
            return cls(caller.scope, caller.id, caller.id)
        caller.require(Permission.SERVICE_ACCOUNTS_MANAGE)
        raise AssertionError("unreachable: require raised")  # pragma: no cover


def _access(access: Access | Scope) -> Access:
    return access if isinstance(access, Access) else Access(access)


def _account(session: Session, scope: Scope, account_id: int) -> ServiceAccount:
    account = session.scalar(
        select(ServiceAccount)
        .join(Organisation, Organisation.id == ServiceAccount.org_id)
        .where(ServiceAccount.id == account_id, scope.clause(Organisation.path))
    )
    if account is None:
        raise ServiceAccountNotFound.at("service_account_id")
    return account


def _check_readable(account: ServiceAccount, event_types: Sequence[EventType]) -> None:
    refused = [(i, t) for i, t in enumerate(event_types) if not may_receive(account.scopes, t.value)]
    if refused:
        raise EventNotReadable.of(refused)


def _check_inside_account(session: Session, account: ServiceAccount, org_id: int) -> None:
    account_path = session.scalars(select(Organisation.path).where(Organisation.id == account.org_id)).one()
    org_path = session.scalars(select(Organisation.path).where(Organisation.id == org_id)).one()
    if not in_subtree(org_path, account_path):
        raise OrgOutsideAccount.at("org_id")


def refusal(account: ServiceAccount | None, event_type: str) -> str | None:
    """Why `account`'s subscription may not receive `event_type` now, or None when it may."""
    if account is None:
        return None
    if not account.is_active:
        return "service account deactivated"
    if not may_receive(account.scopes, event_type):
        needed = next((p for t, p in EVENT_READ_PERMISSION.items() if t.value == event_type), None)
        return f"service account lacks the scope {needed.value}" if needed else f"unknown event {event_type}"
    return None


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and base64 of random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(policy.WEBHOOK_SECRET_BYTES)).decode()


def _check_url(url: str) -> None:
    settings = get_settings()
    # Plain HTTP is fine for a developer's receiver, never for production: payloads carry personal data.
    if url.startswith("http://") and settings.environment == "production":
        raise InsecureWebhookUrl.at("url")
    refused = targets.refusal(url, settings)
    if refused is not None:
        error = WebhookTargetRefused
        raise error(
            errors=[FieldError.of("body.url", error.code, error.message_zh, f"{error.message_en}: {refused}")]
        )


def to_read(subscription: WebhookSubscription) -> WebhookRead:
    return WebhookRead.model_validate(subscription)


def _visible(access: Access | Scope) -> Select[WebhookSubscription]:
    access = _access(access)
    stmt = (
        select(WebhookSubscription)
        .join(Organisation, Organisation.id == WebhookSubscription.org_id)
        .where(access.scope.clause(Organisation.path))
    )
    if access.account_id is not None:
        stmt = stmt.where(WebhookSubscription.service_account_id == access.account_id)
    return stmt


def get_subscription(session: Session, access: Access | Scope, subscription_id: int) -> WebhookSubscription:
    found = session.scalars(_visible(access).where(WebhookSubscription.id == subscription_id)).one_or_none()
    if found is None:
        raise WebhookNotFound()
    return found


def list_subscriptions(
    session: Session,
    access: Access | Scope,
    *,
    service_account_id: int | None = None,
    cursor: str | None,
    limit: int,
) -> Page[WebhookRead]:
    stmt = _visible(access)
    if service_account_id is not None:
        stmt = stmt.where(WebhookSubscription.service_account_id == service_account_id)
    return paginate_by_id(
        session,
        stmt,
        WebhookSubscription.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: to_read(row[0]),
    )


def create_subscription(
    session: Session, access: Access | Scope, data: WebhookCreate
) -> tuple[WebhookSubscription, str]:
    """The new subscription and its signing secret, which is shown to the caller this once."""
    access = _access(access)
    orgs.get(session, access.scope, data.org_id)
    owner_id = data.service_account_id if data.service_account_id is not None else access.acting_account_id
    if access.account_id is not None and owner_id != access.account_id:
        raise ServiceAccountNotFound.at("service_account_id")  # another account's: as if it did not exist
    if owner_id is not None:
        account = _account(session, access.scope, owner_id)
        _check_inside_account(session, account, data.org_id)
        _check_readable(account, data.event_types)
    url = str(data.url)
    _check_url(url)
    secret = new_secret()
    subscription = WebhookSubscription(
        org_id=data.org_id,
        service_account_id=owner_id,
        url=url,
        description=data.description,
        event_types=[t.value for t in data.event_types],
        secret_encrypted=pii.encrypt(secret),
    )
    session.add(subscription)
    session.flush()
    return subscription, secret


def update_subscription(
    session: Session, access: Access | Scope, subscription_id: int, data: WebhookUpdate, if_match: str | None
) -> WebhookSubscription:
    subscription = get_subscription(session, access, subscription_id)
    check_if_match(if_match, subscription.version)
    if data.url is not None:
        _check_url(str(data.url))
        subscription.url = str(data.url)
    if data.description is not None:
        subscription.description = data.description
    if data.event_types is not None:
        if subscription.service_account_id is not None:
            _check_readable(
                session.get_one(ServiceAccount, subscription.service_account_id), data.event_types
            )
        subscription.event_types = [t.value for t in data.event_types]
    if data.active is not None:
        subscription.active = data.active
    session.flush()
    return subscription


def rotate_secret(
    session: Session, access: Access | Scope, subscription_id: int, if_match: str | None
) -> tuple[WebhookSubscription, str]:
    subscription = get_subscription(session, access, subscription_id)
    check_if_match(if_match, subscription.version)
    secret = new_secret()
    subscription.secret_encrypted = pii.encrypt(secret)
    session.flush()
    return subscription, secret


def delete_subscription(session: Session, access: Access | Scope, subscription_id: int) -> None:
    session.delete(get_subscription(session, access, subscription_id))


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
    transaction: the event commits, or rolls back, with the change it reports. A service account's
    subscription gets it only while the account is active, holds the scope that reads it, and has the
    event's org in its subtree. Returns the number queued."""
    org_path = session.scalars(select(Organisation.path).where(Organisation.id == org_id)).one()
    account_org = aliased(Organisation)
    # The subscriptions whose org is this org or one of its ancestors (their path is a prefix of ours).
    candidates = session.execute(
        select(WebhookSubscription, ServiceAccount, account_org.path)
        .join(Organisation, Organisation.id == WebhookSubscription.org_id)
        .outerjoin(ServiceAccount, ServiceAccount.id == WebhookSubscription.service_account_id)
        .outerjoin(account_org, account_org.id == ServiceAccount.org_id)
        .where(WebhookSubscription.active, literal(org_path).like(Organisation.path + "%"))
    ).all()
    queued = [
        _delivery(s.id, event_type, data, now)
        for s, account, account_path in candidates
        if event_type.value in s.event_types
        and refusal(account, event_type.value) is None
        and (account_path is None or in_subtree(org_path, account_path))
    ]
    session.add_all(queued)
    return len(queued)


def ping(session: Session, access: Access | Scope, subscription_id: int, *, now: datetime) -> WebhookDelivery:
    """A test event for one subscription, so an integrator can check their receiver and signature code."""
    subscription = get_subscription(session, access, subscription_id)
    delivery = _delivery(subscription.id, EventType.PING, {"subscription_id": subscription.id}, now)
    session.add(delivery)
    session.flush()
    _audit(session, delivery, subscription, "ping")
    return delivery


# --- the delivery log ----------------------------------------------------------------------------


def list_deliveries(
    session: Session,
    access: Access | Scope,
    subscription_id: int,
    *,
    status: DeliveryStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[DeliveryRead]:
    get_subscription(session, access, subscription_id)
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


def get_delivery(session: Session, access: Access | Scope, delivery_id: int) -> WebhookDelivery:
    visible = _visible(access).with_only_columns(WebhookSubscription.id)
    found = session.scalars(
        select(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.subscription_id.in_(visible)
        )
    ).one_or_none()
    if found is None:
        raise DeliveryNotFound()
    return found


def retry_delivery(
    session: Session, access: Access | Scope, delivery_id: int, *, now: datetime
) -> WebhookDelivery:
    """Send a failed delivery again (e.g. after the receiver was fixed): a fresh round of retries."""
    delivery = get_delivery(session, access, delivery_id)
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
