"""Managing subscriptions: secrets shown once, optimistic locking, scope, and the permission boundary."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.boundary import Endpoint, assert_boundary, each
from tests.problems import assert_problem
from tests.webhooks.conftest import API, subscribe
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.core.config import Settings
from vanguard.webhooks import service
from vanguard.webhooks.models import WebhookSubscription

URL = "https://oa.example.gov.cn/hooks/vanguard"


def test_create_returns_the_secret_once_and_stores_it_encrypted(
    client: TestClient, world: World, session: Session
) -> None:
    created = subscribe(client, world, URL, description="县信访OA")
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["complaint.received"]
    assert created["active"] is True

    read = client.get(f"{API}/{created['id']}", headers=world.auth("town_a_admin"))
    assert read.status_code == 200
    assert "secret" not in read.json()
    assert read.headers["ETag"] == '"1"'

    stored = session.get_one(WebhookSubscription, created["id"])
    assert created["secret"] not in stored.secret_encrypted
    assert service.signing_secret(stored) == created["secret"]
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "webhook_subscriptions", AuditEvent.entity_id == str(created["id"])
        )
    ).one()
    assert "secret_encrypted" not in (event.after or {})


def test_update_is_guarded_by_if_match_and_rotation_changes_the_secret(
    client: TestClient, world: World
) -> None:
    created = subscribe(client, world, URL)
    path, auth = f"{API}/{created['id']}", world.auth("town_a_admin")
    r = client.patch(
        path,
        json={"active": False, "event_types": ["complaint.closed", "complaint.closed"]},
        headers={**auth, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False
    assert r.json()["event_types"] == ["complaint.closed"]  # duplicates collapse
    assert_problem(
        client.patch(path, json={"description": "旧版本"}, headers={**auth, "If-Match": '"1"'}),
        412,
        "stale_version",
    )
    rotated = client.post(f"{path}/rotate-secret", headers={**auth, "If-Match": '"2"'})
    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event_types": ["complaint.eaten"]}, "body.event_types.0"),
        ({"event_types": []}, "body.event_types"),
        ({"url": "ftp://oa.example.gov.cn/x"}, "body.url"),
        ({"url": "not a url"}, "body.url"),
    ],
)
def test_bad_input_names_the_field(
    client: TestClient, world: World, body: dict[str, Any], field: str
) -> None:
    full = {"org_id": world.orgs["town_a"].id, "url": URL, "event_types": ["complaint.received"], **body}
    problem = assert_problem(
        client.post(API, json=full, headers=world.auth("town_a_admin")), 422, "validation_failed"
    )
    assert [e["field"] for e in problem["errors"]] == [field]


def test_plain_http_is_refused_in_production(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    production = Settings(VANGUARD_ENV="production", VANGUARD_SECRET_KEY="x" * 40, VANGUARD_PII_KEY="y" * 40)
    monkeypatch.setattr(service, "get_settings", lambda: production)
    body = {
        "org_id": world.orgs["town_a"].id,
        "url": "http://oa.internal/hook",
        "event_types": ["webhook.ping"],
    }
    problem = assert_problem(
        client.post(API, json=body, headers=world.auth("town_a_admin")), 422, "webhook_url_insecure"
    )
    assert problem["errors"][0]["field"] == "body.url"


def test_lists_only_the_callers_subtree(client: TestClient, world: World, town_b_admin: str) -> None:
    mine = subscribe(client, world, URL)
    subscribe(client, world, URL, org="town_b", by=town_b_admin)
    listed = client.get(API, headers=world.auth("town_a_admin")).json()
    assert [s["id"] for s in listed["items"]] == [mine["id"]]
    assert len(client.get(API, headers=world.auth("county_admin")).json()["items"]) == 2


# --- the permission boundary -------------------------------------------------------------------

ENDPOINTS = [
    Endpoint("GET", "/webhooks", reads=False),
    Endpoint(
        "POST",
        "/webhooks",
        lambda ids: {"org_id": ids["org"], "url": URL, "event_types": ["webhook.ping"]},
        "org_not_found",
        reads=False,
    ),
    Endpoint("GET", "/webhooks/{w}", None, "webhook_not_found", reads=False),
    Endpoint("PATCH", "/webhooks/{w}", {"description": "改"}, "webhook_not_found"),
    Endpoint("POST", "/webhooks/{w}/rotate-secret", None, "webhook_not_found"),
    Endpoint("POST", "/webhooks/{w}/ping", None, "webhook_not_found"),
    Endpoint("GET", "/webhooks/{w}/deliveries", None, "webhook_not_found", reads=False),
    Endpoint("DELETE", "/webhooks/{w}", None, "webhook_not_found"),
]


@each(ENDPOINTS)
def test_permission_boundary(client: TestClient, world: World, town_b_admin: str, endpoint: Endpoint) -> None:
    created = subscribe(client, world, URL)
    # Webhooks belong to organisation departments: branch secretaries and auditors may not manage them.
    assert_problem(client.get(API, headers=world.auth("sec_a1")), 403, "forbidden")
    ids = {"w": created["id"], "org": world.orgs["town_a"].id}
    assert_boundary(client, world, endpoint, ids, insider="town_a_admin", outsider=town_b_admin)
