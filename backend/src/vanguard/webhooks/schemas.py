from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, UrlConstraints, field_validator

from vanguard.webhooks.models import DeliveryStatus, EventType

WebhookUrl = Annotated[AnyHttpUrl, UrlConstraints(max_length=500)]
EventTypes = Annotated[
    list[EventType], Field(min_length=1, max_length=len(EventType), description="Events to receive")
]


def _distinct(value: list[EventType] | None) -> list[EventType] | None:
    return None if value is None else list(dict.fromkeys(value))


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")  # as every request body: no field is set by accident

    org_id: int = Field(description="Events of this organisation's subtree are sent")
    url: WebhookUrl = Field(description="HTTPS endpoint (plain HTTP only outside production)")
    description: str = Field(default="", max_length=200)
    event_types: EventTypes
    service_account_id: int | None = Field(
        default=None,
        ge=1,
        description=(
            "The service account it belongs to: it receives only events the account's scopes may read, "
            "and the account manages it with its own token. A service account's own calls set it to itself."
        ),
    )

    _distinct = field_validator("event_types")(_distinct)


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl | None = None
    description: str | None = Field(default=None, max_length=200)
    event_types: EventTypes | None = None
    active: bool | None = None

    _distinct = field_validator("event_types")(_distinct)


class WebhookRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int
    service_account_id: int | None = Field(description="The service account it belongs to, if any")
    url: str
    description: str
    event_types: list[EventType]
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(WebhookRead):
    secret: str = Field(
        description="Signing secret (`whsec_…`), shown only now: verify `webhook-signature` with it"
    )


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subscription_id: int
    message_id: str = Field(description="Sent as `webhook-id`; the same on every retry")
    event_type: str
    payload: dict[str, Any]
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
