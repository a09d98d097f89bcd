"""Server-side request forgery: in production a webhook may lead only to public addresses and the networks
an operator allows, checked when the subscription is saved and again before each delivery."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.webhooks.conftest import API, Receiver, subscribe
from tests.world import World
from vanguard.core.config import Settings
from vanguard.webhooks import service, targets
from vanguard.webhooks.delivery import deliver_due
from vanguard.webhooks.models import DeliveryStatus, EventType, WebhookDelivery
from vanguard.webhooks.targets import GuardedTransport, IPAddress


def _production(*allowed: str) -> Settings:
    return Settings(
        VANGUARD_ENV="production",
        VANGUARD_SECRET_KEY="x" * 40,
        VANGUARD_PII_KEY="y" * 40,
        VANGUARD_WEBHOOK_ALLOWED_NETWORKS=list(allowed),
    )


def _resolving_to(*addresses: str) -> targets.Resolver:
    def resolver(_host: str) -> list[IPAddress]:
        return [ipaddress.ip_address(a) for a in addresses]

    return resolver


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
        "::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_production_refuses_addresses_inside_the_servers_network(address: str) -> None:
    refused = targets.refusal("https://oa.example.gov.cn/hook", _production(), _resolving_to(address))
    assert refused is not None
    assert str(ipaddress.ip_address(address)) in refused  # the message names the address


def test_one_bad_address_among_good_ones_is_enough_to_refuse() -> None:
    resolver = _resolving_to("202.96.128.86", "10.0.0.8")
    assert targets.refusal("https://oa.example.gov.cn/hook", _production(), resolver) is not None


def test_public_addresses_and_allowed_networks_pass() -> None:
    assert (
        targets.refusal("https://oa.example.gov.cn/h", _production(), _resolving_to("202.96.128.86")) is None
    )
    intranet = _production("10.20.0.0/16")
    assert targets.refusal("https://oa.county/h", intranet, _resolving_to("10.20.3.4")) is None
    assert targets.refusal("https://oa.county/h", intranet, _resolving_to("10.21.3.4")) is not None


def test_a_name_that_does_not_resolve_is_refused() -> None:
    def failing(_host: str) -> list[IPAddress]:
        raise OSError("Name or service not known")

    refused = targets.refusal("https://nowhere.invalid/h", _production(), failing)
    assert refused is not None
    assert "does not resolve" in refused


def test_ip_literals_are_checked_without_a_lookup() -> None:
    assert targets.refusal("https://127.0.0.1:8443/h", _production()) is not None
    assert targets.refusal("https://[::1]/h", _production()) is not None


def test_outside_production_a_developer_may_use_loopback() -> None:
    development = Settings(VANGUARD_ENV="development")
    assert targets.refusal("http://127.0.0.1:9000/h", development) is None


@pytest.mark.parametrize("allowed", [[], ["127.0.0.0/8"]])
def test_saving_a_subscription_checks_where_it_leads(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch, allowed: list[str]
) -> None:
    production = _production(*allowed)
    monkeypatch.setattr(service, "get_settings", lambda: production)
    body = {
        "org_id": world.orgs["town_a"].id,
        "url": "https://127.0.0.1:8443/hook",
        "event_types": ["webhook.ping"],
    }
    r = client.post(API, json=body, headers=world.auth("town_a_admin"))
    if allowed:
        assert r.status_code == 201, r.text
        return
    problem = assert_problem(r, 422, "webhook_url_refused")
    assert problem["errors"][0]["field"] == "body.url"
    assert "127.0.0.1" in problem["errors"][0]["messages"]["en"]


def test_an_update_to_a_refused_address_is_refused_and_changes_nothing(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = subscribe(client, world, "https://oa.example.gov.cn/hook")
    production = _production()
    monkeypatch.setattr(service, "get_settings", lambda: production)
    url = f"{API}/{created['id']}"
    headers = {**world.auth("town_a_admin"), "If-Match": '"1"'}
    r = client.patch(url, json={"url": "https://169.254.169.254/latest/meta-data"}, headers=headers)
    assert_problem(r, 422, "webhook_url_refused")
    assert client.get(url, headers=world.auth("town_a_admin")).json()["url"] == created["url"]


def test_delivery_rechecks_the_address_and_records_the_refusal(
    client: TestClient, world: World, session: Session, receiver: Receiver
) -> None:
    """The subscription was saved when the name led elsewhere (here: outside production); at delivery
    time it leads to loopback, so nothing is sent and the attempt says why."""
    subscribe(client, world, receiver.url, event_types=["complaint.received"])
    now = datetime.now(UTC)
    service.emit(
        session, EventType.COMPLAINT_RECEIVED, world.orgs["branch_a1"].id, {"complaint_id": 1}, now=now
    )
    session.commit()
    production = _production()
    with httpx.Client(transport=GuardedTransport(lambda: production)) as guarded:
        run = deliver_due(session, guarded, now=now)
    session.commit()
    assert run.delivered == 0
    assert receiver.requests == []
    delivery = session.scalars(select(WebhookDelivery)).one()
    assert delivery.status != DeliveryStatus.DELIVERED
    assert delivery.last_error is not None
    assert "refused" in delivery.last_error


def test_the_guarded_transport_sends_where_it_may(
    client: TestClient, world: World, session: Session, receiver: Receiver
) -> None:
    subscribe(client, world, receiver.url, event_types=["complaint.received"])
    now = datetime.now(UTC)
    service.emit(
        session, EventType.COMPLAINT_RECEIVED, world.orgs["branch_a1"].id, {"complaint_id": 1}, now=now
    )
    session.commit()
    allowed = _production("127.0.0.0/8")
    with httpx.Client(transport=GuardedTransport(lambda: allowed)) as guarded:
        run = deliver_due(session, guarded, now=now)
    session.commit()
    assert run.delivered == 1
    assert len(receiver.requests) == 1
