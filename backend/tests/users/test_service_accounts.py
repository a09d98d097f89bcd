"""Service accounts: scoped machine callers whose secrets are shown once and stored as digests."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import World
from vanguard.users.models import ApiToken, ServiceAccount

API = "/api/v1"
BEIJING = timezone(timedelta(hours=8))


def _create_account(
    client: TestClient,
    world: World,
    *,
    by: str = "town_a_admin",
    org: str = "branch_a1",
    scopes: list[str] | None = None,
    name: str = "oa-gateway",
) -> dict[str, Any]:
    r = client.post(
        f"{API}/service-accounts",
        headers=world.auth(by),
        json={"name": name, "org_id": world.orgs[org].id, "scopes": scopes or ["orgs:read"]},
    )
    assert r.status_code == 201, r.text
    account: dict[str, Any] = r.json()
    return account


def _issue(
    client: TestClient, world: World, account_id: int, *, by: str = "town_a_admin", **extra: Any
) -> dict[str, Any]:
    r = client.post(
        f"{API}/service-accounts/{account_id}/tokens",
        headers=world.auth(by),
        json={"name": "prod", **extra},
    )
    assert r.status_code == 201, r.text
    issued: dict[str, Any] = r.json()
    return issued


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _token_for(client: TestClient, world: World, **account: Any) -> tuple[dict[str, Any], str]:
    acc = _create_account(client, world, **account)
    return acc, _issue(client, world, acc["id"])["token"]


# --- creating and issuing ----------------------------------------------------------------------------


def test_org_admin_creates_service_account_scoped_to_a_branch(client: TestClient, world: World) -> None:
    account = _create_account(client, world, scopes=["orgs:read", "members:read", "orgs:read"])
    assert account["org_id"] == world.orgs["branch_a1"].id
    assert account["scopes"] == ["members:read", "orgs:read"]
    assert account["is_active"] is True


def test_issued_token_secret_is_in_the_issuing_response(client: TestClient, world: World) -> None:
    account = _create_account(client, world)
    issued = _issue(client, world, account["id"])
    assert issued["token"].startswith("vgs_")
    assert len(issued["token"]) > 40
    assert issued["display_prefix"] == issued["token"][: len(issued["display_prefix"])]
    assert issued["service_account_id"] == account["id"]


def test_token_list_never_shows_the_secret(client: TestClient, world: World) -> None:
    account, raw = _token_for(client, world)
    r = client.get(f"{API}/service-accounts/{account['id']}/tokens", headers=world.auth("town_a_admin"))
    assert r.status_code == 200
    assert [t["name"] for t in r.json()] == ["prod"]
    assert "token" not in r.json()[0]
    assert raw not in r.text
    assert raw[len(r.json()[0]["display_prefix"]) :] not in r.text


def test_account_list_never_shows_the_secret(client: TestClient, world: World) -> None:
    account, raw = _token_for(client, world)
    r = client.get(f"{API}/service-accounts", headers=world.auth("town_a_admin"))
    assert r.status_code == 200
    assert [a["id"] for a in r.json()["items"]] == [account["id"]]
    assert raw not in r.text
    assert hashlib.sha256(raw.encode()).hexdigest() not in r.text


def test_database_stores_only_the_sha256_digest_of_the_token(
    client: TestClient, world: World, session: Session
) -> None:
    account, raw = _token_for(client, world)
    row = session.scalars(select(ApiToken).where(ApiToken.service_account_id == account["id"])).one()
    assert row.token_digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(getattr(row, c.key)) for c in ApiToken.__table__.columns]
    assert not any(raw in value for value in stored)


def test_secretary_cannot_manage_service_accounts(client: TestClient, world: World) -> None:
    r = client.post(
        f"{API}/service-accounts",
        headers=world.auth("sec_a1"),
        json={"name": "x", "org_id": world.orgs["branch_a1"].id, "scopes": ["orgs:read"]},
    )
    assert_problem(r, 403, "forbidden")


def test_duplicate_service_account_name_is_a_conflict(client: TestClient, world: World) -> None:
    _create_account(client, world)
    r = client.post(
        f"{API}/service-accounts",
        headers=world.auth("town_a_admin"),
        json={"name": "oa-gateway", "org_id": world.orgs["branch_a2"].id, "scopes": ["orgs:read"]},
    )
    assert_problem(r, 409, "conflict")


def test_unknown_scope_is_refused(client: TestClient, world: World) -> None:
    r = client.post(
        f"{API}/service-accounts",
        headers=world.auth("town_a_admin"),
        json={"name": "x", "org_id": world.orgs["branch_a1"].id, "scopes": ["everything"]},
    )
    problem = assert_problem(r, 422, "validation_failed")
    assert [e["field"] for e in problem["errors"]] == ["body.scopes.0"]


# --- using the token ---------------------------------------------------------------------------------


def test_service_token_authenticates_as_the_service_account(client: TestClient, world: World) -> None:
    account, raw = _token_for(client, world)
    r = client.get(f"{API}/auth/me", headers=_bearer(raw))
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "service"
    assert r.json()["id"] == account["id"]
    assert r.json()["permissions"] == ["orgs:read"]


def test_service_token_reads_orgs_in_its_subtree(client: TestClient, world: World) -> None:
    _, raw = _token_for(client, world)
    r = client.get(f"{API}/orgs", headers=_bearer(raw))
    assert r.status_code == 200, r.text
    assert {o["code"] for o in r.json()["items"]} == {"C-A-1", "C-A-1-G1"}


def test_service_token_cannot_read_org_outside_its_subtree(client: TestClient, world: World) -> None:
    _, raw = _token_for(client, world)
    r = client.get(f"{API}/orgs/{world.orgs['branch_b1'].id}", headers=_bearer(raw))
    assert_problem(r, 404, "org_not_found")


def test_service_token_cannot_read_its_parent_org(client: TestClient, world: World) -> None:
    _, raw = _token_for(client, world)
    r = client.get(f"{API}/orgs/{world.orgs['town_a'].id}", headers=_bearer(raw))
    assert_problem(r, 404, "org_not_found")


def test_service_token_lacking_a_scope_is_forbidden(client: TestClient, world: World) -> None:
    _, raw = _token_for(client, world, scopes=["orgs:read"])
    r = client.get(f"{API}/users", headers=_bearer(raw))
    problem = assert_problem(r, 403, "forbidden")
    assert "users:read" in problem["messages"]["en"]


def test_service_account_cannot_grant_scopes_it_lacks(client: TestClient, world: World) -> None:
    _, raw = _token_for(client, world, scopes=["service_accounts:manage", "orgs:read"])
    r = client.post(
        f"{API}/service-accounts",
        headers=_bearer(raw),
        json={"name": "child", "org_id": world.orgs["branch_a1"].id, "scopes": ["orgs:read", "audit:read"]},
    )
    assert_problem(r, 403, "scope_not_grantable")


def test_service_account_cannot_widen_scopes_it_lacks_on_update(
    client: TestClient, world: World, session: Session
) -> None:
    manager, raw = _token_for(client, world, scopes=["service_accounts:manage", "orgs:read"])
    r = client.patch(
        f"{API}/service-accounts/{manager['id']}",
        headers=_bearer(raw),
        json={"scopes": ["service_accounts:manage", "orgs:read", "users:write"]},
    )
    assert_problem(r, 403, "scope_not_grantable")
    stored = session.get(ServiceAccount, manager["id"])
    assert stored is not None
    assert stored.scopes == ["orgs:read", "service_accounts:manage"]


def test_service_account_cannot_issue_a_token_for_a_wider_account(client: TestClient, world: World) -> None:
    _, raw = _token_for(client, world, scopes=["service_accounts:manage", "orgs:read"], name="manager")
    wider = _create_account(client, world, scopes=["orgs:read", "users:write", "audit:read"], name="wider")
    r = client.post(f"{API}/service-accounts/{wider['id']}/tokens", headers=_bearer(raw), json={"name": "x"})
    assert_problem(r, 403, "scope_not_grantable")
    listed = client.get(f"{API}/service-accounts/{wider['id']}/tokens", headers=world.auth("town_a_admin"))
    assert listed.json() == []


def test_service_account_cannot_reactivate_a_wider_account(client: TestClient, world: World) -> None:
    _, raw = _token_for(client, world, scopes=["service_accounts:manage", "orgs:read"], name="manager")
    wider, wider_raw = _token_for(client, world, scopes=["orgs:read", "audit:read"], name="wider")
    admin = world.auth("town_a_admin")
    url = f"{API}/service-accounts/{wider['id']}"
    assert client.patch(url, headers=admin, json={"is_active": False}).status_code == 200
    r = client.patch(url, headers=_bearer(raw), json={"is_active": True})
    assert_problem(r, 403, "scope_not_grantable")
    assert_problem(client.get(f"{API}/auth/me", headers=_bearer(wider_raw)), 401, "unauthenticated")


def test_service_account_cannot_revoke_a_wider_accounts_token(client: TestClient, world: World) -> None:
    _, raw = _token_for(client, world, scopes=["service_accounts:manage", "orgs:read"], name="manager")
    wider = _create_account(client, world, scopes=["orgs:read", "audit:read"], name="wider")
    issued = _issue(client, world, wider["id"])
    r = client.delete(f"{API}/service-accounts/{wider['id']}/tokens/{issued['id']}", headers=_bearer(raw))
    assert_problem(r, 403, "scope_not_grantable")
    assert client.get(f"{API}/auth/me", headers=_bearer(issued["token"])).status_code == 200


def test_service_account_can_issue_a_token_for_a_narrower_account(client: TestClient, world: World) -> None:
    _, raw = _token_for(client, world, scopes=["service_accounts:manage", "orgs:read"], name="manager")
    narrower = _create_account(client, world, scopes=["orgs:read"], name="narrower")
    r = client.post(
        f"{API}/service-accounts/{narrower['id']}/tokens", headers=_bearer(raw), json={"name": "x"}
    )
    assert r.status_code == 201, r.text
    assert client.get(f"{API}/auth/me", headers=_bearer(r.json()["token"])).json()["id"] == narrower["id"]


def test_unknown_service_token_is_refused(client: TestClient, world: World) -> None:
    _token_for(client, world)
    r = client.get(f"{API}/auth/me", headers=_bearer("vgs_" + "A" * 43))
    assert_problem(r, 401, "unauthenticated")


def test_revoked_token_is_refused(client: TestClient, world: World) -> None:
    account = _create_account(client, world)
    issued = _issue(client, world, account["id"])
    r = client.delete(
        f"{API}/service-accounts/{account['id']}/tokens/{issued['id']}", headers=world.auth("town_a_admin")
    )
    assert r.status_code == 200, r.text
    assert r.json()["revoked_at"] is not None
    assert_problem(client.get(f"{API}/auth/me", headers=_bearer(issued["token"])), 401, "unauthenticated")


def test_expired_token_is_refused(client: TestClient, world: World, session: Session) -> None:
    account, raw = _token_for(client, world)
    session.execute(
        update(ApiToken)
        .where(ApiToken.service_account_id == account["id"])
        .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    session.commit()
    assert_problem(client.get(f"{API}/auth/me", headers=_bearer(raw)), 401, "unauthenticated")


def test_token_with_future_expiry_works(client: TestClient, world: World) -> None:
    account = _create_account(client, world)
    expires = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    issued = _issue(client, world, account["id"], expires_at=expires)
    assert client.get(f"{API}/auth/me", headers=_bearer(issued["token"])).status_code == 200


def test_token_expiry_given_with_a_utc_offset_is_honoured(client: TestClient, world: World) -> None:
    # An hour ahead, written at UTC-12: its wall-clock digits lie 11 hours in the past, so only a
    # server that compares instants (not digits) accepts the expiry and the token.
    account = _create_account(client, world)
    expires = (datetime.now(UTC) + timedelta(hours=1)).astimezone(timezone(timedelta(hours=-12))).isoformat()
    issued = _issue(client, world, account["id"], expires_at=expires)
    assert client.get(f"{API}/auth/me", headers=_bearer(issued["token"])).status_code == 200


def test_token_expiry_round_trips_as_the_same_instant(client: TestClient, world: World) -> None:
    account = _create_account(client, world)
    expires = datetime(2030, 1, 1, 8, 0, tzinfo=BEIJING)
    _issue(client, world, account["id"], expires_at=expires.isoformat())
    r = client.get(f"{API}/service-accounts/{account['id']}/tokens", headers=world.auth("town_a_admin"))
    listed = datetime.fromisoformat(r.json()[0]["expires_at"])
    assert listed.tzinfo is not None
    assert listed == expires


def test_deactivated_accounts_token_is_refused(client: TestClient, world: World) -> None:
    account, raw = _token_for(client, world)
    r = client.patch(
        f"{API}/service-accounts/{account['id']}",
        headers=world.auth("town_a_admin"),
        json={"is_active": False},
    )
    assert r.status_code == 200, r.text
    assert r.json()["is_active"] is False
    assert_problem(client.get(f"{API}/auth/me", headers=_bearer(raw)), 401, "unauthenticated")


# --- subtree ------------------------------------------------------------------------------------


def test_org_admin_cannot_create_service_account_outside_its_subtree(
    client: TestClient, world: World
) -> None:
    r = client.post(
        f"{API}/service-accounts",
        headers=world.auth("town_a_admin"),
        json={"name": "b-gateway", "org_id": world.orgs["branch_b1"].id, "scopes": ["orgs:read"]},
    )
    assert_problem(r, 404, "org_not_found")


def test_org_admin_cannot_read_another_towns_service_account(client: TestClient, world: World) -> None:
    other = _create_account(client, world, by="county_admin", org="branch_b1", name="b-gateway")
    r = client.get(f"{API}/service-accounts/{other['id']}", headers=world.auth("town_a_admin"))
    assert_problem(r, 404, "service_account_not_found")


def test_org_admin_does_not_list_another_towns_service_accounts(client: TestClient, world: World) -> None:
    _create_account(client, world, by="county_admin", org="branch_b1", name="b-gateway")
    own = _create_account(client, world, by="town_a_admin", org="branch_a1", name="a-gateway")
    r = client.get(f"{API}/service-accounts", headers=world.auth("town_a_admin"))
    assert [a["id"] for a in r.json()["items"]] == [own["id"]]


def test_org_admin_cannot_issue_token_for_another_towns_account(client: TestClient, world: World) -> None:
    other = _create_account(client, world, by="county_admin", org="branch_b1", name="b-gateway")
    r = client.post(
        f"{API}/service-accounts/{other['id']}/tokens", headers=world.auth("town_a_admin"), json={"name": "x"}
    )
    assert_problem(r, 404, "service_account_not_found")


def test_org_admin_cannot_revoke_another_towns_token(client: TestClient, world: World) -> None:
    other = _create_account(client, world, by="county_admin", org="branch_b1", name="b-gateway")
    issued = _issue(client, world, other["id"], by="county_admin")
    r = client.delete(
        f"{API}/service-accounts/{other['id']}/tokens/{issued['id']}", headers=world.auth("town_a_admin")
    )
    assert_problem(r, 404, "service_account_not_found")
    assert client.get(f"{API}/auth/me", headers=_bearer(issued["token"])).status_code == 200


def test_token_cannot_be_revoked_through_another_account(client: TestClient, world: World) -> None:
    first = _create_account(client, world, name="first")
    second = _create_account(client, world, name="second")
    issued = _issue(client, world, first["id"])
    r = client.delete(
        f"{API}/service-accounts/{second['id']}/tokens/{issued['id']}", headers=world.auth("town_a_admin")
    )
    assert_problem(r, 404, "not_found")
    assert client.get(f"{API}/auth/me", headers=_bearer(issued["token"])).status_code == 200


def test_service_account_reads_carry_an_etag_that_guards_updates(client: TestClient, world: World) -> None:
    account = _create_account(client, world)
    url, headers = f"{API}/service-accounts/{account['id']}", world.auth("town_a_admin")
    etag = client.get(url, headers=headers).headers["etag"]
    updated = client.patch(url, headers={**headers, "If-Match": etag}, json={"description": "市政务OA"})
    assert updated.status_code == 200
    assert updated.headers["etag"] != etag
    stale = client.patch(url, headers={**headers, "If-Match": etag}, json={"description": "旧版本"})
    assert_problem(stale, 412, "stale_version")


def test_a_token_that_expires_in_the_past_is_refused(client: TestClient, world: World) -> None:
    account = _create_account(client, world)
    r = client.post(
        f"{API}/service-accounts/{account['id']}/tokens",
        headers=world.auth("town_a_admin"),
        json={"name": "late", "expires_at": "2020-01-01T00:00:00+08:00"},
    )
    assert_problem(r, 422, "expiry_in_past")
