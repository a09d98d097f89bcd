"""Publishing and delivery: the outbox follows the transaction, deliveries are signed, retried and logged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook

from tests.problems import assert_problem
from tests.webhooks.conftest import API, Receiver, subscribe
from tests.world import World
from vanguard.core import policy
from vanguard.webhooks import service
from vanguard.webhooks.delivery import DeliveryRun, deliver_due
from vanguard.webhooks.models import DeliveryStatus, EventType, WebhookDelivery


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def _emit(
    session: Session, world: World, org: str, now: datetime, event: EventType = EventType.COMPLAINT_RECEIVED
) -> int:
    queued = service.emit(session, event, world.orgs[org].id, {"complaint_id": 7, "org": org}, now=now)
    session.commit()
    return queued


def _deliveries(session: Session) -> list[WebhookDelivery]:
    session.expire_all()
    return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_events_reach_subscriptions_on_the_org_and_above_only(
    client: TestClient, world: World, session: Session, receiver: Receiver, town_b_admin: str
) -> None:
    now = datetime.now(UTC)
    on_town_a = subscribe(client, world, receiver.url)
    on_county = subscribe(client, world, receiver.url, org="county", by="county_admin")
    subscribe(client, world, receiver.url, org="town_b", by=town_b_admin)  # another subtree
    subscribe(client, world, receiver.url, org="branch_a1", by="town_a_admin")  # below the event's org
    subscribe(client, world, receiver.url, event_types=["complaint.closed"])  # another event

    assert _emit(session, world, "town_a", now) == 2
    assert {d.subscription_id for d in _deliveries(session)} == {on_town_a["id"], on_county["id"]}


def test_a_paused_subscription_gets_nothing_new(
    client: TestClient, world: World, session: Session, receiver: Receiver
) -> None:
    created = subscribe(client, world, receiver.url)
    client.patch(f"{API}/{created['id']}", json={"active": False}, headers=world.auth("town_a_admin"))
    assert _emit(session, world, "branch_a1", datetime.now(UTC)) == 0


def test_an_event_rolls_back_with_its_transaction(
    client: TestClient, world: World, session: Session, receiver: Receiver
) -> None:
    subscribe(client, world, receiver.url)
    service.emit(session, EventType.COMPLAINT_RECEIVED, world.orgs["branch_a1"].id, {}, now=datetime.now(UTC))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_delivery_is_signed_per_standard_webhooks(
    client: TestClient, world: World, session: Session, receiver: Receiver, http: httpx.Client
) -> None:
    created = subscribe(client, world, receiver.url)
    now = datetime.now(UTC)
    _emit(session, world, "branch_a1", now)

    run = deliver_due(session, http, now=now)
    session.commit()

    assert (run.delivered, run.retrying, run.failed) == (1, 0, 0)
    [(headers, body)] = receiver.requests
    payload = json.loads(body)
    assert payload["type"] == "complaint.received"
    assert payload["data"] == {"complaint_id": 7, "org": "branch_a1"}
    # What a receiver does with any Standard Webhooks library: verify, or raise.
    assert Webhook(created["secret"]).verify(body, headers) == payload
    tampered = body.replace(b"7", b"8")
    with pytest.raises(Exception, match="signature"):
        Webhook(created["secret"]).verify(tampered, headers)

    [delivery] = _deliveries(session)
    assert delivery.status is DeliveryStatus.DELIVERED
    assert headers["webhook-id"] == delivery.message_id
    assert (delivery.attempts, delivery.last_status_code) == (1, 204)
    # Delivered rows are not sent again.
    assert deliver_due(session, http, now=now + timedelta(days=1)).delivered == 0
    assert len(receiver.requests) == 1


def test_failures_back_off_then_give_up_and_can_be_retried_by_hand(
    client: TestClient, world: World, session: Session, receiver: Receiver, http: httpx.Client
) -> None:
    subscribe(client, world, receiver.url)
    receiver.status = 503
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    _emit(session, world, "branch_a1", now)

    delays = policy.WEBHOOK_RETRY_DELAYS_SECONDS
    for attempt, delay in enumerate(delays, start=1):
        assert deliver_due(session, http, now=now).retrying == 1
        session.commit()
        [delivery] = _deliveries(session)
        assert (delivery.attempts, delivery.last_status_code) == (attempt, 503)
        assert delivery.next_attempt_at == now + timedelta(seconds=delay)
        # Nothing is due a second before the next attempt.
        early = delivery.next_attempt_at - timedelta(seconds=1)
        assert deliver_due(session, http, now=early) == DeliveryRun()
        now = delivery.next_attempt_at

    assert deliver_due(session, http, now=now).failed == 1
    session.commit()
    [delivery] = _deliveries(session)
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.attempts == len(delays) + 1
    assert len(receiver.requests) == len(delays) + 1
    # Every retry carries the same webhook-id, so the receiver can dedupe.
    assert {h["webhook-id"] for h, _ in receiver.requests} == {delivery.message_id}

    retry = f"{API}/deliveries/{delivery.id}/retry"
    r = client.post(retry, headers=world.auth("town_a_admin"))
    assert r.status_code == 202, r.text
    assert (r.json()["status"], r.json()["attempts"]) == ("pending", 0)
    assert_problem(client.post(retry, headers=world.auth("town_a_admin")), 409, "webhook_delivery_not_failed")

    receiver.status = 200
    session.commit()  # a fresh snapshot: SQLite's read transaction would not see the API's retry
    assert deliver_due(session, http, now=datetime.now(UTC)).delivered == 1


def test_an_unreachable_receiver_is_logged_and_retried(
    client: TestClient, world: World, session: Session, receiver: Receiver, http: httpx.Client
) -> None:
    subscribe(client, world, "http://127.0.0.1:9/nothing-listens-here")
    now = datetime.now(UTC)
    _emit(session, world, "branch_a1", now)
    assert deliver_due(session, http, now=now).retrying == 1
    session.commit()
    [delivery] = _deliveries(session)
    assert delivery.last_status_code is None
    assert delivery.last_error is not None
    assert delivery.last_error.startswith("ConnectError")


def test_ping_queues_a_test_event_and_the_log_shows_it(
    client: TestClient, world: World, session: Session, receiver: Receiver, http: httpx.Client
) -> None:
    created = subscribe(client, world, receiver.url)
    auth = world.auth("town_a_admin")
    queued = client.post(f"{API}/{created['id']}/ping", headers=auth)
    assert queued.status_code == 202
    assert queued.json()["event_type"] == "webhook.ping"

    deliver_due(session, http, now=datetime.now(UTC) + timedelta(seconds=1))
    session.commit()
    log = client.get(f"{API}/{created['id']}/deliveries", headers=auth).json()["items"]
    assert [(d["event_type"], d["status"]) for d in log] == [("webhook.ping", "delivered")]
    pending = client.get(
        f"{API}/{created['id']}/deliveries", params={"status": "pending"}, headers=auth
    ).json()["items"]
    assert pending == []
