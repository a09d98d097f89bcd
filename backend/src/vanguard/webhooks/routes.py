from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from vanguard.auth.deps import CurrentPrincipal
from vanguard.core.clock import ClockDep
from vanguard.core.deps import IfMatch, SessionDep
from vanguard.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    problem_responses,
)
from vanguard.core.etag import with_etag
from vanguard.core.exports import add_export_route, col
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from vanguard.core.permissions import Principal
from vanguard.webhooks import service
from vanguard.webhooks.models import DeliveryStatus, EventType, WebhookSubscription, may_receive
from vanguard.webhooks.schemas import (
    DeliveryRead,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
    WebhookWithSecret,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def _webhook_manager(caller: CurrentPrincipal) -> Principal:
    service.Access.of(caller)  # 403 unless service_accounts:manage, or a service account's webhooks:manage
    return caller


# Organisation departments (`service_accounts:manage`) manage every subscription in their subtree; a
# service account with `webhooks:manage` only its own.
WebhookManager = Annotated[Principal, Depends(_webhook_manager)]

_read_errors = problem_responses(NotFound, Forbidden, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, InvalidInput, PreconditionFailed)


def _with_secret(subscription: WebhookSubscription, secret: str, response: Response) -> WebhookWithSecret:
    return with_etag(WebhookWithSecret(**service.to_read(subscription).model_dump(), secret=secret), response)


@router.get("/event-types", response_model=list[EventType])
def list_webhook_event_types(caller: WebhookManager) -> list[EventType]:
    """Every event a subscription may ask for; to a service account, those its scopes let it read."""
    if caller.kind == "service":
        return [t for t in EventType if may_receive(caller.permissions, t.value)]
    return list(EventType)


@router.get("", response_model=Page[WebhookRead], responses=_read_errors)
def list_webhooks(
    session: SessionDep,
    caller: WebhookManager,
    service_account_id: Annotated[
        int | None, Query(ge=1, description="Only the subscriptions of this service account")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[WebhookRead]:
    """The subscriptions in your subtree; a service account with `webhooks:manage` sees its own only."""
    return service.list_subscriptions(
        session,
        service.Access.of(caller),
        service_account_id=service_account_id,
        cursor=cursor,
        limit=limit,
    )


add_export_route(
    router,
    list_webhooks,
    kind="webhooks",
    title="事件订阅",
    columns=[
        col("编号", "id", width=8),
        col("党组织编号", "org_id", width=10),
        col("服务账号编号", "service_account_id", width=10),
        col("接收地址", "url", width=40),
        col("说明", "description", width=24),
        col("事件类型", "event_types", width=40),
        col("启用", "active", width=6),
        col("创建时间", "created_at", width=18),
    ],
)


@router.post(
    "",
    response_model=WebhookWithSecret,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_webhook(
    session: SessionDep, caller: WebhookManager, body: WebhookCreate, request: Request, response: Response
) -> WebhookWithSecret:
    """Subscribe an endpoint to a subtree's events. The response carries the signing secret, once.
    Made with a service account's token, it belongs to that account (422 `webhook_event_not_readable`
    for event types the account's scopes may not read)."""
    subscription, secret = service.create_subscription(session, service.Access.of(caller), body)
    response.headers["Location"] = request.url_for("get_webhook", webhook_id=subscription.id).path
    return _with_secret(subscription, secret, response)


@router.get("/{webhook_id}", response_model=WebhookRead, responses=_read_errors)
def get_webhook(
    session: SessionDep, caller: WebhookManager, webhook_id: int, response: Response
) -> WebhookRead:
    return with_etag(
        service.to_read(service.get_subscription(session, service.Access.of(caller), webhook_id)), response
    )


@router.patch("/{webhook_id}", response_model=WebhookRead, responses=_write_errors)
def update_webhook(
    session: SessionDep,
    caller: WebhookManager,
    webhook_id: int,
    body: WebhookUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> WebhookRead:
    """Change the URL or events, or pause (`active: false`: deliveries wait) and resume."""
    subscription = service.update_subscription(session, service.Access.of(caller), webhook_id, body, if_match)
    return with_etag(service.to_read(subscription), response)


@router.post("/{webhook_id}/rotate-secret", response_model=WebhookWithSecret, responses=_write_errors)
def rotate_webhook_secret(
    session: SessionDep, caller: WebhookManager, webhook_id: int, response: Response, if_match: IfMatch = None
) -> WebhookWithSecret:
    """Replace the signing secret; deliveries from now on are signed with the new one."""
    subscription, secret = service.rotate_secret(session, service.Access.of(caller), webhook_id, if_match)
    return _with_secret(subscription, secret, response)


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_write_errors)
def delete_webhook(session: SessionDep, caller: WebhookManager, webhook_id: int) -> None:
    """Unsubscribe; the subscription's delivery log goes with it."""
    service.delete_subscription(session, service.Access.of(caller), webhook_id)


@router.post(
    "/{webhook_id}/ping",
    response_model=DeliveryRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses=_write_errors,
)
def ping_webhook(
    session: SessionDep, caller: WebhookManager, clock: ClockDep, webhook_id: int
) -> DeliveryRead:
    """Queue a `webhook.ping` event for this endpoint, to test a receiver and its signature check."""
    return DeliveryRead.model_validate(
        service.ping(session, service.Access.of(caller), webhook_id, now=clock.now())
    )


@router.get("/{webhook_id}/deliveries", response_model=Page[DeliveryRead], responses=_read_errors)
def list_webhook_deliveries(
    session: SessionDep,
    caller: WebhookManager,
    webhook_id: int,
    status_filter: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[DeliveryRead]:
    """The delivery log, newest first: attempts, last status code and error."""
    return service.list_deliveries(
        session, service.Access.of(caller), webhook_id, status=status_filter, cursor=cursor, limit=limit
    )


DELIVERY_STATUS_ZH = {
    DeliveryStatus.PENDING: "待发送",
    DeliveryStatus.DELIVERED: "已送达",
    DeliveryStatus.FAILED: "失败",
}

add_export_route(
    router,
    list_webhook_deliveries,
    kind="webhook-deliveries",
    title="事件推送记录",
    columns=[
        col("编号", "id", width=8),
        col("订阅编号", "subscription_id", width=8),
        col("消息编号", "message_id", width=28),
        col("事件类型", "event_type", width=20),
        col("状态", "status", labels=DELIVERY_STATUS_ZH, width=8),
        col("尝试次数", "attempts", width=8),
        col("下次尝试时间", "next_attempt_at", width=18),
        col("最近尝试时间", "last_attempt_at", width=18),
        col("最近状态码", "last_status_code", width=10),
        col("最近错误", "last_error", width=30),
        col("创建时间", "created_at", width=18),
        col("送达时间", "delivered_at", width=18),
    ],
)


@router.post(
    "/deliveries/{delivery_id}/retry",
    response_model=DeliveryRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
def retry_webhook_delivery(
    session: SessionDep, caller: WebhookManager, clock: ClockDep, delivery_id: int
) -> DeliveryRead:
    """Send a failed delivery again, with a fresh round of retries."""
    delivery = service.retry_delivery(session, service.Access.of(caller), delivery_id, now=clock.now())
    return DeliveryRead.model_validate(delivery)
