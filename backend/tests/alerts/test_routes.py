"""The alerts API: on-demand runs, the scoped list, acknowledging (once), and who may do what."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.alerts.conftest import API, DAY, add_daily
from tests.world import World
from vanguard.core.clock import FakeClock


@pytest.fixture
def fired(client: TestClient, session: Session, world: World, clock: FakeClock) -> dict[str, Any]:
    """A surge in branch a1, fired by the county's run."""
    add_daily(session, world, "branch_a1", [1] * 28 + [9])
    r = client.post(f"{API}/run", json={"day": DAY.isoformat()}, headers=world.auth("county_admin"))
    assert r.status_code == 200, r.text
    [alert] = [a for a in r.json() if a["kind"] == "surge"]
    return alert  # type: ignore[no-any-return]


def test_run_returns_the_alerts_it_fired_with_why_and_items(fired: dict[str, Any], world: World) -> None:
    assert fired["state"] == "open"
    assert fired["why"]["observed"] == 9
    assert len(fired["items"]) == 9
    assert fired["reason_en"].startswith("9 'Roads and transport' complaints")


def test_run_repeated_the_same_day_fires_nothing(
    client: TestClient, world: World, fired: dict[str, Any]
) -> None:
    r = client.post(f"{API}/run", json={"day": DAY.isoformat()}, headers=world.auth("sec_a1"))
    assert r.status_code == 200
    assert r.json() == []


def test_run_overrides_thresholds(
    client: TestClient, session: Session, world: World, clock: FakeClock
) -> None:
    add_daily(session, world, "branch_a1", [0] * 28 + [3])
    body = {"day": DAY.isoformat(), "min_count": 3}
    [alert] = client.post(f"{API}/run", json=body, headers=world.auth("sec_a1")).json()
    assert alert["why"]["min_count"] == 3


def test_run_names_its_day(client: TestClient, world: World, clock: FakeClock) -> None:
    assert client.post(f"{API}/run", json={}, headers=world.auth("sec_a1")).status_code == 422
    assert client.post(f"{API}/run", json={"day": "2026-03-02"}, headers=world.auth("sec_a1")).json() == []


def test_list_is_scoped_to_the_subtree(client: TestClient, world: World, fired: dict[str, Any]) -> None:
    mine = client.get(API, headers=world.auth("sec_a1")).json()["items"]
    assert [a["id"] for a in mine] == [fired["id"]]
    assert client.get(API, headers=world.auth("sec_b1")).json()["items"] == []


def test_another_branch_gets_404(client: TestClient, world: World, fired: dict[str, Any]) -> None:
    assert client.get(f"{API}/{fired['id']}", headers=world.auth("sec_b1")).status_code == 404
    r = client.post(f"{API}/{fired['id']}/acknowledge", headers=world.auth("sec_b1"))
    assert r.status_code == 404
    assert r.json()["code"] == "alert_not_found"


def test_list_filters_by_state_and_kind(client: TestClient, world: World, fired: dict[str, Any]) -> None:
    auth = world.auth("county_admin")
    assert client.get(API, params={"state": "acknowledged"}, headers=auth).json()["items"] == []
    assert client.get(API, params={"kind": "duplicates", "state": "open"}, headers=auth).json()["items"] == []
    assert len(client.get(API, params={"kind": "surge"}, headers=auth).json()["items"]) == 1
    r = client.get(API, params={"org_id": world.orgs["branch_b1"].id}, headers=auth)
    assert r.json()["items"] == []


def test_acknowledge_twice_is_a_conflict(client: TestClient, world: World, fired: dict[str, Any]) -> None:
    url = f"{API}/{fired['id']}/acknowledge"
    r = client.post(url, json={"note": "已约谈"}, headers=world.auth("sec_a1"))
    assert r.status_code == 200
    assert r.json()["state"] == "acknowledged"
    assert r.json()["acknowledged_by"] == "sec_a1"
    again = client.post(url, headers=world.auth("sec_a1"))
    assert again.status_code == 409
    assert again.json()["code"] == "alert_already_acknowledged"


def test_acknowledge_with_a_stale_etag_is_refused(
    client: TestClient, world: World, fired: dict[str, Any]
) -> None:
    etag = client.get(f"{API}/{fired['id']}", headers=world.auth("sec_a1")).headers["ETag"]
    r = client.post(f"{API}/{fired['id']}/acknowledge", headers=world.auth("sec_a1") | {"If-Match": '"99"'})
    assert r.status_code == 412
    r = client.post(f"{API}/{fired['id']}/acknowledge", headers=world.auth("sec_a1") | {"If-Match": etag})
    assert r.status_code == 200


def test_members_may_not_run_or_read(client: TestClient, world: World, clock: FakeClock) -> None:
    r = client.post(f"{API}/run", json={"day": DAY.isoformat()}, headers=world.auth("member_a1"))
    assert r.status_code == 403
    assert client.get(API, headers=world.auth("member_a1")).status_code == 403


def test_auditors_read_but_do_not_acknowledge(
    client: TestClient, world: World, fired: dict[str, Any]
) -> None:
    assert client.get(f"{API}/{fired['id']}", headers=world.auth("auditor")).status_code == 200
    assert client.post(f"{API}/{fired['id']}/acknowledge", headers=world.auth("auditor")).status_code == 403
