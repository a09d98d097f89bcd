"""Complaints fixtures: a fake clock on the app, generous rate limits (the rate-limit tests set their
own), and helpers that walk an item through the workflow over the API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.core.clock import FakeClock
from vanguard.core.permissions import Scope
from vanguard.core.ratelimit import RateLimiter
from vanguard.webhooks import service as webhooks
from vanguard.webhooks.models import EventType, WebhookDelivery
from vanguard.webhooks.schemas import WebhookCreate

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 CST, Monday 2 March 2026
BASE = "/api/v1/complaints"


@pytest.fixture
def clock(app: FastAPI) -> FakeClock:
    fake = FakeClock(T0)
    app.state.clock = fake
    return fake


@pytest.fixture(autouse=True)
def _generous_limits(app: FastAPI) -> None:
    app.state.rate_limiter = RateLimiter("memory://", {"ip": "10000/minute", "code": "10000/minute"}, 16_384)


COMPLAINT_EVENTS = [t for t in EventType if t.value.startswith("complaint.")]


def subscribe(session: Session, world: World, org: str) -> int:
    """A webhook subscription on `org` for every complaint event; its id."""
    data = WebhookCreate(
        org_id=world.orgs[org].id, url="https://oa.example.gov.cn/hook", event_types=COMPLAINT_EVENTS
    )
    subscription, _secret = webhooks.create_subscription(session, Scope.everything(), data)
    session.commit()
    return subscription.id


def outbox(session: Session, complaint_id: int, subscription_id: int | None = None) -> list[str]:
    """The event types queued for webhooks about this complaint, oldest first."""
    session.rollback()  # a fresh snapshot
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.id)
    if subscription_id is not None:
        stmt = stmt.where(WebhookDelivery.subscription_id == subscription_id)
    return [d.event_type for d in session.scalars(stmt) if d.payload["data"]["id"] == complaint_id]


@pytest.fixture
def api(client: TestClient, world: World, clock: FakeClock) -> Iterator[Api]:
    return Api(client, world, clock)


def report(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "roads",
        "title": "村口道路塌陷",
        "description": "村口主路塌陷一米见方，夜间有摔伤风险",
        "location_text": "甲一村村口",
        "village": "甲一村",
        "reporter_name": "王小明",
        "reporter_phone": "13812345678",
    }
    return body | overrides


class Api:
    """Staff calls as a named user; each step returns the response."""

    def __init__(self, client: TestClient, world: World, clock: FakeClock) -> None:
        self.client, self.world, self.clock = client, world, clock

    def create(self, user: str = "sec_a1", **overrides: Any) -> dict[str, Any]:
        body = report(channel="hotline") | overrides
        r = self.client.post(BASE, json=body, headers=self.world.auth(user))
        assert r.status_code == 201, r.text
        return dict(r.json())

    def step(
        self,
        complaint_id: int,
        action: str,
        body: dict[str, Any] | None = None,
        user: str = "sec_a1",
        **headers: str,
    ) -> Any:
        return self.client.post(
            f"{BASE}/{complaint_id}/{action}", json=body or {}, headers=self.world.auth(user) | headers
        )

    def ok(
        self, complaint_id: int, action: str, body: dict[str, Any] | None = None, user: str = "sec_a1"
    ) -> dict[str, Any]:
        r = self.step(complaint_id, action, body, user)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def assign_body(self, org: str = "branch_a1", user: str = "sec_a1") -> dict[str, Any]:
        return {"org_id": self.world.orgs[org].id, "responsible_user_id": self.world.users[user].id}

    def promise_body(self, days: int = 10) -> dict[str, Any]:
        return {
            "promise": "三日内回填并设置警示",
            "promised_by": (self.clock.now() + timedelta(days=days)).isoformat(),
        }

    def walk_to(self, target: str, user: str = "sec_a1") -> dict[str, Any]:
        """A new item moved along the happy path up to `target`."""
        c = self.create(user)
        path = [
            ("accepted", "accept", {}),
            ("assigned", "assign", self.assign_body()),
            ("in_progress", "start", self.promise_body()),
            ("resolved", "resolve", {"result": "已回填硬化并验收"}),
        ]
        for status, action, body in path:
            if c["status"] == target:
                break
            c = self.ok(c["id"], action, body, user)
            assert c["status"] == status
        assert c["status"] == target
        return c

    def rate(self, code: str, rating: int, comment: str | None = None) -> Any:
        return self.client.post(
            f"/api/v1/public/complaints/{code}/rating", json={"rating": rating, "comment": comment}
        )
