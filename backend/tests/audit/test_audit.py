"""Every write leaves one audit event in the same transaction: who, what, before/after, request id."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import World, add_user
from vanguard.audit.models import AuditEvent
from vanguard.core.permissions import Role
from vanguard.orgs.models import Organisation
from vanguard.users.models import User

API = "/api/v1"
BEIJING = timezone(timedelta(hours=8))
NEW_PASSWORD = "a fresh passphrase"


def _events(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    r = client.get(f"{API}/audit", headers=headers, params={"limit": 500, **params})
    assert r.status_code == 200, r.text
    assert r.json()["next_cursor"] is None
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def _create_org(
    client: TestClient,
    world: World,
    *,
    by: str,
    parent: str,
    code: str,
    headers: dict[str, str] | None = None,
) -> Response:
    return client.post(
        f"{API}/orgs",
        headers={**world.auth(by), **(headers or {})},
        json={"name": f"新支部{code}", "kind": "branch", "parent_id": world.orgs[parent].id, "code": code},
    )


def _event_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


# --- what an event records -------------------------------------------------------------------------


def test_org_create_is_audited_with_actor_entity_and_snapshot(client: TestClient, world: World) -> None:
    r = _create_org(client, world, by="town_a_admin", parent="town_a", code="C-A-3")
    assert r.status_code == 201, r.text
    org = r.json()
    events = _events(client, world.auth("admin"), entity="orgs", entity_id=str(org["id"]))
    assert len(events) == 1
    event = events[0]
    assert event["action"] == "create"
    assert (event["actor_kind"], event["actor_id"], event["actor_name"]) == (
        "user",
        world.users["town_a_admin"].id,
        "town_a_admin",
    )
    assert event["org_id"] == org["id"]
    assert event["before"] is None
    assert event["after"]["name"] == "新支部C-A-3"
    assert event["after"]["code"] == "C-A-3"
    assert event["after"]["parent_id"] == world.orgs["town_a"].id
    assert event["after"]["path"] == org["path"]


def test_request_id_is_echoed_and_stored_with_the_event(client: TestClient, world: World) -> None:
    r = _create_org(
        client,
        world,
        by="town_a_admin",
        parent="town_a",
        code="C-A-3",
        headers={"X-Request-ID": "test-req-1"},
    )
    assert r.status_code == 201, r.text
    assert r.headers["x-request-id"] == "test-req-1"
    [event] = _events(client, world.auth("admin"), entity="orgs", entity_id=str(r.json()["id"]))
    assert event["request_id"] == "test-req-1"


def test_generated_request_id_is_stored_when_none_is_sent(client: TestClient, world: World) -> None:
    r = _create_org(client, world, by="town_a_admin", parent="town_a", code="C-A-3")
    generated = r.headers["x-request-id"]
    assert generated
    [event] = _events(client, world.auth("admin"), entity="orgs", entity_id=str(r.json()["id"]))
    assert event["request_id"] == generated


def test_unsafe_request_id_is_replaced_not_stored(client: TestClient, world: World) -> None:
    unsafe = "x" * 65
    r = _create_org(
        client, world, by="town_a_admin", parent="town_a", code="C-A-3", headers={"X-Request-ID": unsafe}
    )
    assert r.headers["x-request-id"] != unsafe
    [event] = _events(client, world.auth("admin"), entity="orgs", entity_id=str(r.json()["id"]))
    assert event["request_id"] == r.headers["x-request-id"]


def test_user_update_records_only_the_changed_fields(client: TestClient, world: World) -> None:
    target = world.users["member_a1"]
    r = client.patch(
        f"{API}/users/{target.id}", headers=world.auth("sec_a1"), json={"display_name": "新名字"}
    )
    assert r.status_code == 200, r.text
    [event] = _events(client, world.auth("admin"), entity="users", entity_id=str(target.id), action="update")
    assert event["before"] == {"display_name": "member_a1"}
    assert event["after"] == {"display_name": "新名字"}
    assert event["actor_name"] == "sec_a1"
    assert event["org_id"] == world.orgs["branch_a1"].id


def test_org_move_is_audited_as_move_subtree(client: TestClient, world: World) -> None:
    branch = world.orgs["branch_a1"]
    old_path = branch.path
    r = client.post(
        f"{API}/orgs/{branch.id}/move",
        headers=world.auth("county_admin"),
        json={"new_parent_id": world.orgs["town_b"].id},
    )
    assert r.status_code == 200, r.text
    [event] = _events(
        client, world.auth("admin"), entity="orgs", entity_id=str(branch.id), action="move_subtree"
    )
    assert event["before"] == {"parent_id": world.orgs["town_a"].id, "path": old_path}
    assert event["after"] == {
        "parent_id": world.orgs["town_b"].id,
        "path": r.json()["path"],
        "descendants_repathed": 1,
    }
    assert event["actor_name"] == "county_admin"


def test_service_account_and_token_issue_are_audited(client: TestClient, world: World) -> None:
    account = client.post(
        f"{API}/service-accounts",
        headers=world.auth("town_a_admin"),
        json={"name": "oa", "org_id": world.orgs["branch_a1"].id, "scopes": ["orgs:read"]},
    ).json()
    issued = client.post(
        f"{API}/service-accounts/{account['id']}/tokens",
        headers=world.auth("town_a_admin"),
        json={"name": "p"},
    ).json()
    admin = world.auth("admin")
    [created] = _events(client, admin, entity="service_accounts", entity_id=str(account["id"]))
    assert created["action"] == "create"
    assert created["after"]["scopes"] == ["orgs:read"]
    [token] = _events(client, admin, entity="api_tokens", entity_id=str(issued["id"]))
    assert token["action"] == "create"
    assert token["after"]["service_account_id"] == account["id"]


def test_writes_by_a_service_account_are_attributed_to_it(client: TestClient, world: World) -> None:
    account = client.post(
        f"{API}/service-accounts",
        headers=world.auth("town_a_admin"),
        json={"name": "oa", "org_id": world.orgs["town_a"].id, "scopes": ["orgs:read", "orgs:write"]},
    ).json()
    raw = client.post(
        f"{API}/service-accounts/{account['id']}/tokens",
        headers=world.auth("town_a_admin"),
        json={"name": "p"},
    ).json()["token"]
    r = client.post(
        f"{API}/orgs",
        headers={"Authorization": f"Bearer {raw}"},
        json={"name": "新支部", "kind": "branch", "parent_id": world.orgs["town_a"].id, "code": "C-A-9"},
    )
    assert r.status_code == 201, r.text
    [event] = _events(client, world.auth("admin"), entity="orgs", entity_id=str(r.json()["id"]))
    assert (event["actor_kind"], event["actor_id"], event["actor_name"]) == (
        "service",
        account["id"],
        "service:oa",
    )


def test_actor_kind_filter_separates_service_accounts_from_users(client: TestClient, world: World) -> None:
    account = client.post(
        f"{API}/service-accounts",
        headers=world.auth("town_a_admin"),
        json={"name": "oa", "org_id": world.orgs["town_a"].id, "scopes": ["orgs:read"]},
    ).json()
    by_service = _events(client, world.auth("admin"), actor_kind="service")
    by_users = _events(client, world.auth("admin"), actor_kind="user")
    assert by_service == []
    assert any(e["entity"] == "service_accounts" and e["entity_id"] == str(account["id"]) for e in by_users)
    assert all(e["actor_kind"] == "user" for e in by_users)


def test_reading_with_a_service_token_writes_no_audit_event(
    client: TestClient, world: World, session: Session
) -> None:
    account = client.post(
        f"{API}/service-accounts",
        headers=world.auth("town_a_admin"),
        json={"name": "oa", "org_id": world.orgs["town_a"].id, "scopes": ["orgs:read"]},
    ).json()
    raw = client.post(
        f"{API}/service-accounts/{account['id']}/tokens",
        headers=world.auth("town_a_admin"),
        json={"name": "p"},
    ).json()["token"]
    before = _event_count(session)
    assert client.get(f"{API}/orgs", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert _event_count(session) == before


# --- secrets never leak -------------------------------------------------------------------------


def test_password_hashes_never_appear_in_audit_events(
    client: TestClient, world: World, session: Session
) -> None:
    created = client.post(
        f"{API}/users",
        headers=world.auth("sec_a1"),
        json={
            "username": "new_member",
            "display_name": "新党员",
            "password": NEW_PASSWORD,
            "role": "member",
            "org_id": world.orgs["branch_a1"].id,
        },
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    first_hash = session.scalars(select(User.password_hash).where(User.id == user_id)).one()
    reset = client.post(
        f"{API}/users/{user_id}/password",
        headers=world.auth("sec_a1"),
        json={"new_password": "another passphrase"},
    )
    assert reset.status_code == 204, reset.text
    session.expire_all()
    second_hash = session.scalars(select(User.password_hash).where(User.id == user_id)).one()
    events = _events(client, world.auth("admin"), entity="users", entity_id=str(user_id))
    assert [e["action"] for e in events] == ["update", "create"]
    dumped = json.dumps(events, ensure_ascii=False)
    for secret in (first_hash, second_hash, NEW_PASSWORD, "another passphrase", "$argon2", "password"):
        assert secret not in dumped


def test_token_secrets_and_digests_never_appear_in_audit_events(client: TestClient, world: World) -> None:
    admin_auth = world.auth("town_a_admin")
    account = client.post(
        f"{API}/service-accounts",
        headers=admin_auth,
        json={"name": "oa", "org_id": world.orgs["branch_a1"].id, "scopes": ["orgs:read"]},
    ).json()
    issued = client.post(
        f"{API}/service-accounts/{account['id']}/tokens", headers=admin_auth, json={"name": "p"}
    )
    raw = issued.json()["token"]
    revoked = client.delete(
        f"{API}/service-accounts/{account['id']}/tokens/{issued.json()['id']}", headers=admin_auth
    )
    assert revoked.status_code == 200
    events = _events(client, world.auth("admin"), entity="api_tokens")
    assert [e["action"] for e in events] == ["update", "create"]
    dumped = json.dumps(events)
    for secret in (raw, raw.removeprefix("vgs_"), hashlib.sha256(raw.encode()).hexdigest(), "token_digest"):
        assert secret not in dumped


# --- who may read what ------------------------------------------------------------------------------


def _town_orgs(client: TestClient, world: World) -> tuple[int, int]:
    a = _create_org(client, world, by="admin", parent="town_a", code="C-A-3")
    b = _create_org(client, world, by="admin", parent="town_b", code="C-B-2")
    assert a.status_code == b.status_code == 201
    return a.json()["id"], b.json()["id"]


def test_auditor_sees_events_of_its_subtree_only(client: TestClient, world: World, session: Session) -> None:
    in_a, in_b = _town_orgs(client, world)
    world.users["auditor_a"] = add_user(session, "auditor_a", Role.AUDITOR, world.orgs["town_a"])
    session.commit()
    org_events = _events(client, world.auth("auditor_a"), entity="orgs")
    subtree = {world.orgs[o].id for o in ("town_a", "branch_a1", "branch_a2", "group_a1")} | {in_a}
    assert {int(e["entity_id"]) for e in org_events} == subtree
    assert in_b not in {int(e["entity_id"]) for e in org_events}
    assert {e["org_id"] for e in _events(client, world.auth("auditor_a"))} <= subtree


def test_county_auditor_sees_events_of_both_towns(client: TestClient, world: World) -> None:
    in_a, in_b = _town_orgs(client, world)
    ids = {e["entity_id"] for e in _events(client, world.auth("auditor"), entity="orgs")}
    assert {str(in_a), str(in_b)} <= ids


def test_org_filter_keeps_the_events_of_that_subtree_only(client: TestClient, world: World) -> None:
    in_a, in_b = _town_orgs(client, world)
    town_a = world.orgs["town_a"].id
    events = _events(client, world.auth("auditor"), org_id=town_a)
    subtree = {world.orgs[o].id for o in ("town_a", "branch_a1", "branch_a2", "group_a1")} | {in_a}
    assert {e["org_id"] for e in events} <= subtree
    org_ids = {int(e["entity_id"]) for e in events if e["entity"] == "orgs"}
    assert in_a in org_ids
    assert in_b not in org_ids


def test_org_filter_outside_the_callers_subtree_is_not_found(
    client: TestClient, world: World, session: Session
) -> None:
    world.users["auditor_a"] = add_user(session, "auditor_a", Role.AUDITOR, world.orgs["town_a"])
    session.commit()
    outside = {"org_id": world.orgs["town_b"].id}
    r = client.get(f"{API}/audit", params=outside, headers=world.auth("auditor_a"))
    assert_problem(r, 404, "org_not_found")


def test_events_without_org_are_hidden_from_scoped_auditors(client: TestClient, world: World) -> None:
    admin_id = str(world.users["admin"].id)
    assert [
        e["action"] for e in _events(client, world.auth("admin"), entity="users", entity_id=admin_id)
    ] == ["create"]
    assert _events(client, world.auth("auditor"), entity="users", entity_id=admin_id) == []


@pytest.mark.parametrize("user", ["member_a1", "sec_a1"])
def test_audit_log_is_forbidden_without_audit_permission(client: TestClient, world: World, user: str) -> None:
    r = client.get(f"{API}/audit", headers=world.auth(user))
    problem = assert_problem(r, 403, "forbidden")
    assert "audit:read" in problem["messages"]["en"]


# --- failed writes leave nothing -----------------------------------------------------------------


def test_duplicate_org_code_leaves_no_audit_event_and_no_org(
    client: TestClient, world: World, session: Session
) -> None:
    before = _event_count(session)
    r = _create_org(client, world, by="town_a_admin", parent="town_a", code="C-A-1")
    assert_problem(r, 409, "duplicate_org_code")
    assert _event_count(session) == before
    assert session.scalar(select(Organisation.id).where(Organisation.name == "新支部C-A-1")) is None


def test_stale_update_leaves_no_audit_event_and_no_change(
    client: TestClient, world: World, session: Session
) -> None:
    target = world.users["member_a1"]
    before = _event_count(session)
    r = client.patch(
        f"{API}/users/{target.id}",
        headers={**world.auth("sec_a1"), "If-Match": f'"{target.version + 5}"'},
        json={"display_name": "改名"},
    )
    assert_problem(r, 412, "stale_version")
    assert _event_count(session) == before
    session.refresh(target)
    assert target.display_name == "member_a1"


def test_refused_user_creation_leaves_no_audit_event_and_no_user(
    client: TestClient, world: World, session: Session
) -> None:
    before = _event_count(session)
    r = client.post(
        f"{API}/users",
        headers=world.auth("sec_a1"),
        json={
            "username": "would_be_secretary",
            "display_name": "x",
            "password": NEW_PASSWORD,
            "role": "secretary",
            "org_id": world.orgs["branch_a1"].id,
        },
    )
    assert_problem(r, 403, "role_not_grantable")
    assert _event_count(session) == before
    assert session.scalar(select(User.id).where(User.username == "would_be_secretary")) is None


# --- paging and filters ----------------------------------------------------------------------------


def test_paging_returns_newest_first_without_duplicates(client: TestClient, world: World) -> None:
    _town_orgs(client, world)
    everything = [e["id"] for e in _events(client, world.auth("admin"))]
    assert len(everything) > 10
    seen: list[int] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{API}/audit", headers=world.auth("admin"), params=params).json()
        assert len(page["items"]) <= 4
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything
    assert len(set(seen)) == len(seen)
    assert seen == sorted(seen, reverse=True)


def test_newest_event_is_first(client: TestClient, world: World) -> None:
    _, in_b = _town_orgs(client, world)
    first = client.get(f"{API}/audit", headers=world.auth("admin"), params={"limit": 1}).json()["items"][0]
    assert (first["entity"], first["entity_id"]) == ("orgs", str(in_b))


def test_malformed_cursor_is_refused(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/audit", headers=world.auth("admin"), params={"cursor": "not-a-cursor!"})
    assert_problem(r, 422, "invalid_cursor")


def test_since_filter_compares_instants_not_wall_clock_digits(client: TestClient, world: World) -> None:
    # One hour ago written in Beijing time is still one hour ago: every fresh event is after it.
    since = (datetime.now(UTC) - timedelta(hours=1)).astimezone(BEIJING).isoformat()
    events = _events(client, world.auth("admin"), since=since)
    assert len(events) == len(_events(client, world.auth("admin")))


def test_until_filter_compares_instants_not_wall_clock_digits(client: TestClient, world: World) -> None:
    until = (datetime.now(UTC) - timedelta(hours=1)).astimezone(BEIJING).isoformat()
    assert _events(client, world.auth("admin"), until=until) == []


@pytest.fixture
def server_in_beijing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("server_in_beijing")
def test_event_time_does_not_depend_on_the_server_timezone(client: TestClient, world: World) -> None:
    r = _create_org(client, world, by="admin", parent="town_a", code="C-A-3")
    assert r.status_code == 201
    in_an_hour = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert (
        _events(client, world.auth("admin"), entity="orgs", entity_id=str(r.json()["id"]), since=in_an_hour)
        == []
    )
