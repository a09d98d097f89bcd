"""Subscriptions of service accounts: each account manages its own, asks only for events its scopes may
read, and stops receiving when a scope is removed or the account is deactivated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.exports.helpers import read_csv
from tests.problems import assert_problem
from tests.webhooks.conftest import API, Account, Receiver, service_account, subscribe
from tests.world import World
from vanguard.core.errors import Forbidden
from vanguard.core.permissions import Permission, Principal, Scope
from vanguard.users.models import ServiceAccount
from vanguard.webhooks import service
from vanguard.webhooks.delivery import deliver_due
from vanguard.webhooks.models import (
    EVENT_READ_PERMISSION,
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    may_receive,
)

URL = "https://oa.example.gov.cn/hooks/vanguard"


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def _own(
    client: TestClient, world: World, account: Account, url: str = URL, **extra: object
) -> dict[str, object]:
    body = {"org_id": world.orgs["town_a"].id, "url": url, "event_types": ["complaint.received"], **extra}
    r = client.post(API, json=body, headers=account.auth)
    assert r.status_code == 201, r.text
    created: dict[str, object] = r.json()
    return created


def _deliveries(session: Session) -> list[WebhookDelivery]:
    session.expire_all()
    return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


# --- rules ------------------------------------------------------------------------------------------


def test_every_event_type_names_the_scope_that_reads_it() -> None:
    assert set(EVENT_READ_PERMISSION) == set(EventType)
    assert may_receive(["complaints:read"], "complaint.overdue")
    assert not may_receive(["complaints:read"], "scoring.published")
    assert may_receive(["scoring:read"], "scoring.published")
    assert may_receive([], "webhook.ping")
    assert not may_receive(["complaints:read"], "complaint.eaten")


def _principal(kind: str, permissions: set[Permission]) -> Principal:
    return Principal(kind, 5, "x", None, 1, Scope("/1/"), frozenset(permissions))  # type: ignore[arg-type]


def test_who_manages_which_subscriptions() -> None:
    own = service.Access.of(_principal("service", {Permission.WEBHOOKS_MANAGE}))
    assert (own.account_id, own.acting_account_id) == (5, 5)
    manager = service.Access.of(_principal("service", {Permission.SERVICE_ACCOUNTS_MANAGE}))
    assert (manager.account_id, manager.acting_account_id) == (None, 5)
    department = service.Access.of(_principal("user", {Permission.SERVICE_ACCOUNTS_MANAGE}))
    assert (department.account_id, department.acting_account_id) == (None, None)
    for kind, permissions in (("service", set()), ("user", {Permission.WEBHOOKS_MANAGE})):
        with pytest.raises(Forbidden):
            service.Access.of(_principal(kind, permissions))


# --- managing ---------------------------------------------------------------------------------------


def test_a_service_account_manages_its_own_subscriptions(client: TestClient, world: World) -> None:
    oa = service_account(client, world, "县信访OA")
    created = _own(client, world, oa, description="信访推送")
    assert created["service_account_id"] == oa.id
    assert str(created["secret"]).startswith("whsec_")
    path = f"{API}/{created['id']}"

    assert client.get(path, headers=oa.auth).json()["service_account_id"] == oa.id
    patched = client.patch(
        path, json={"event_types": ["complaint.closed"]}, headers={**oa.auth, "If-Match": '"1"'}
    )
    assert patched.status_code == 200, patched.text
    rotated = client.post(f"{path}/rotate-secret", headers=oa.auth)
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != created["secret"]
    ping = client.post(f"{path}/ping", headers=oa.auth)
    assert ping.status_code == 202, ping.text
    log = client.get(f"{path}/deliveries", headers=oa.auth)
    assert [d["event_type"] for d in log.json()["items"]] == ["webhook.ping"]
    assert [s["id"] for s in client.get(API, headers=oa.auth).json()["items"]] == [created["id"]]
    header, rows = read_csv(client.get(f"{API}/export", headers=oa.auth))
    assert header[2] == "服务账号编号"
    assert [(int(r[0]), int(r[2])) for r in rows] == [(created["id"], oa.id)]
    assert client.delete(path, headers=oa.auth).status_code == 204
    assert client.get(API, headers=oa.auth).json()["items"] == []


def test_another_accounts_subscription_is_404(client: TestClient, world: World, session: Session) -> None:
    oa, hotline = service_account(client, world, "县信访OA"), service_account(client, world, "12345热线")
    theirs = _own(client, world, oa)
    departments = subscribe(client, world, URL)  # a subscription of nobody's account: users' only
    ping = client.post(f"{API}/{theirs['id']}/ping", headers=oa.auth).json()
    session.get_one(WebhookDelivery, ping["id"]).status = DeliveryStatus.FAILED
    session.commit()

    for other in (theirs, departments):
        path = f"{API}/{other['id']}"
        for method, url, body in (
            ("GET", path, None),
            ("PATCH", path, {"description": "改"}),
            ("POST", f"{path}/rotate-secret", None),
            ("POST", f"{path}/ping", None),
            ("GET", f"{path}/deliveries", None),
            ("GET", f"{path}/deliveries/export", None),
            ("DELETE", path, None),
        ):
            r = client.request(method, url, json=body, headers=hotline.auth)
            assert_problem(r, 404, "webhook_not_found")
    retry = f"{API}/deliveries/{ping['id']}/retry"
    assert_problem(client.post(retry, headers=hotline.auth), 404, "webhook_delivery_not_found")
    assert client.get(API, headers=hotline.auth).json()["items"] == []
    # Nor may it make one for the other account.
    made = {"org_id": world.orgs["town_a"].id, "url": URL, "event_types": ["webhook.ping"]}
    r = client.post(API, json={**made, "service_account_id": oa.id}, headers=hotline.auth)
    assert_problem(r, 404, "service_account_not_found")
    # The owner still may: retrying its failed ping.
    assert client.post(retry, headers=oa.auth).status_code == 202


def test_a_token_without_webhooks_manage_is_forbidden(client: TestClient, world: World) -> None:
    reader = service_account(client, world, "只读", scopes=("complaints:read",))
    assert_problem(client.get(API, headers=reader.auth), 403, "forbidden")
    body = {"org_id": world.orgs["town_a"].id, "url": URL, "event_types": ["complaint.received"]}
    assert_problem(client.post(API, json=body, headers=reader.auth), 403, "forbidden")


def test_departments_see_every_accounts_subscriptions_and_filter_by_account(
    client: TestClient, world: World
) -> None:
    oa, hotline = service_account(client, world, "县信访OA"), service_account(client, world, "12345热线")
    of_oa, of_hotline = _own(client, world, oa), _own(client, world, hotline)
    departments = subscribe(client, world, URL)
    admin = world.auth("town_a_admin")
    listed = client.get(API, headers=admin).json()["items"]
    assert [s["id"] for s in listed] == [of_oa["id"], of_hotline["id"], departments["id"]]
    filtered = client.get(API, params={"service_account_id": oa.id}, headers=admin).json()["items"]
    assert [s["id"] for s in filtered] == [of_oa["id"]]
    _header, rows = read_csv(
        client.get(f"{API}/export", params={"service_account_id": hotline.id}, headers=admin)
    )
    assert [int(r[0]) for r in rows] == [of_hotline["id"]]
    # …and manage them, and make one for an account.
    r = client.patch(f"{API}/{of_oa['id']}", json={"active": False}, headers=admin)
    assert r.status_code == 200, r.text
    made = subscribe(client, world, URL, service_account_id=hotline.id)
    assert made["service_account_id"] == hotline.id
    mine = client.get(API, headers=hotline.auth).json()["items"]
    assert [s["id"] for s in mine] == [of_hotline["id"], made["id"]]


def test_another_towns_department_cannot_name_the_account(
    client: TestClient, world: World, town_b_admin: str
) -> None:
    oa = service_account(client, world, "县信访OA")
    body = {
        "org_id": world.orgs["town_b"].id,
        "url": URL,
        "event_types": ["webhook.ping"],
        "service_account_id": oa.id,
    }
    assert_problem(
        client.post(API, json=body, headers=world.auth(town_b_admin)), 404, "service_account_not_found"
    )


# --- what an account may ask for -------------------------------------------------------------------


def test_events_the_account_may_not_read_are_refused_by_name(client: TestClient, world: World) -> None:
    oa = service_account(client, world, "县信访OA")  # complaints:read, not scoring:read
    body = {
        "org_id": world.orgs["town_a"].id,
        "url": URL,
        "event_types": ["complaint.received", "scoring.published"],
    }
    problem = assert_problem(client.post(API, json=body, headers=oa.auth), 422, "webhook_event_not_readable")
    assert "scoring.published" in problem["messages"]["en"]
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("body.event_types.1", "webhook_event_not_readable")
    ]
    assert "scoring:read" in problem["errors"][0]["messages"]["en"]

    created = _own(client, world, oa)
    r = client.patch(f"{API}/{created['id']}", json={"event_types": ["scoring.published"]}, headers=oa.auth)
    assert_problem(r, 422, "webhook_event_not_readable")
    # A department making one for the account meets the same rule.
    r = client.post(API, json={**body, "service_account_id": oa.id}, headers=world.auth("town_a_admin"))
    assert_problem(r, 422, "webhook_event_not_readable")
    # The account's list of event types is what it may read.
    types = client.get(f"{API}/event-types", headers=oa.auth).json()
    assert "scoring.published" not in types
    assert "complaint.received" in types
    assert "webhook.ping" in types
    assert len(client.get(f"{API}/event-types", headers=world.auth("town_a_admin")).json()) == len(EventType)


def test_the_org_must_be_inside_the_accounts_subtree(client: TestClient, world: World) -> None:
    branch = service_account(client, world, "村级OA", org="branch_a1")
    body = {"org_id": world.orgs["town_a"].id, "url": URL, "event_types": ["complaint.received"]}
    assert_problem(client.post(API, json=body, headers=branch.auth), 404, "org_not_found")
    r = client.post(API, json={**body, "service_account_id": branch.id}, headers=world.auth("town_a_admin"))
    problem = assert_problem(r, 422, "webhook_org_outside_account")
    assert problem["errors"][0]["field"] == "body.org_id"
    inside = {**body, "org_id": world.orgs["group_a1"].id}
    assert client.post(API, json=inside, headers=branch.auth).status_code == 201


# --- delivery ---------------------------------------------------------------------------------------


def _emit(session: Session, world: World, event: EventType, now: datetime) -> int:
    queued = service.emit(session, event, world.orgs["branch_a1"].id, {"complaint_id": 7}, now=now)
    session.commit()
    return queued


def _set_account(session: Session, account: Account, **values: object) -> None:
    row = session.get_one(ServiceAccount, account.id)
    for name, value in values.items():
        setattr(row, name, value)
    session.commit()


def test_an_account_receives_only_what_it_may_read(
    client: TestClient, world: World, session: Session, receiver: Receiver
) -> None:
    both = service_account(
        client, world, "县信访OA", scopes=("webhooks:manage", "complaints:read", "scoring:read")
    )
    mine = _own(client, world, both, receiver.url, event_types=["complaint.received", "scoring.published"])
    department = subscribe(
        client, world, receiver.url, event_types=["complaint.received", "scoring.published"]
    )
    now = datetime.now(UTC)
    assert _emit(session, world, EventType.SCORING_PUBLISHED, now) == 2

    _set_account(session, both, scopes=["webhooks:manage", "complaints:read"])  # scoring:read taken away
    assert _emit(session, world, EventType.SCORING_PUBLISHED, now) == 1
    assert _emit(session, world, EventType.COMPLAINT_RECEIVED, now) == 2
    queued = [(d.subscription_id, d.event_type) for d in _deliveries(session)]
    assert queued == [
        (mine["id"], "scoring.published"),
        (department["id"], "scoring.published"),
        (department["id"], "scoring.published"),
        (mine["id"], "complaint.received"),
        (department["id"], "complaint.received"),
    ]


def test_queued_deliveries_of_a_lost_scope_are_failed_unsent(
    client: TestClient, world: World, session: Session, receiver: Receiver, http: httpx.Client
) -> None:
    oa = service_account(
        client, world, "县信访OA", scopes=("webhooks:manage", "complaints:read", "scoring:read")
    )
    _own(client, world, oa, receiver.url, event_types=["complaint.received", "scoring.published"])
    now = datetime.now(UTC)
    _emit(session, world, EventType.SCORING_PUBLISHED, now)
    _emit(session, world, EventType.COMPLAINT_RECEIVED, now)
    _set_account(session, oa, scopes=["webhooks:manage", "complaints:read"])

    run = deliver_due(session, http, now=now)
    session.commit()
    assert (run.delivered, run.failed) == (1, 1)
    assert [r[1] for r in receiver.requests if b"scoring" in r[1]] == []
    scoring, complaint = _deliveries(session)
    assert (scoring.status, scoring.attempts) == (DeliveryStatus.FAILED, 0)
    assert scoring.last_error == "not sent: service account lacks the scope scoring:read"
    assert complaint.status is DeliveryStatus.DELIVERED


def test_a_deactivated_account_receives_nothing_until_reactivated(
    client: TestClient, world: World, session: Session, receiver: Receiver, http: httpx.Client
) -> None:
    oa = service_account(client, world, "县信访OA")
    _own(client, world, oa, receiver.url)
    now = datetime.now(UTC)
    assert _emit(session, world, EventType.COMPLAINT_RECEIVED, now) == 1  # queued while active
    _set_account(session, oa, is_active=False)
    assert _emit(session, world, EventType.COMPLAINT_RECEIVED, now) == 0

    assert deliver_due(session, http, now=now).failed == 1
    session.commit()
    assert receiver.requests == []
    [delivery] = _deliveries(session)
    assert delivery.last_error == "not sent: service account deactivated"
    assert_problem(client.get(API, headers=oa.auth), 401, "unauthenticated")  # its tokens stop too

    # Put right, the account's subscription receives again, and a department may resend the failed one.
    _set_account(session, oa, is_active=True)
    retried = client.post(f"{API}/deliveries/{delivery.id}/retry", headers=world.auth("town_a_admin"))
    assert retried.status_code == 202, retried.text
    session.commit()
    assert deliver_due(session, http, now=now + timedelta(seconds=1)).delivered == 1
    assert len(receiver.requests) == 1
