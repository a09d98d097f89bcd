"""Users are visible and editable only within the caller's subtree, and never above the caller's rank."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import World, add_user
from vanguard.core.permissions import Role
from vanguard.users.models import User

API = "/api/v1"
NEW_PASSWORD = "a fresh passphrase"


def _new_user(
    world: World, org: str | None, role: str = "member", username: str = "new_user"
) -> dict[str, Any]:
    return {
        "username": username,
        "display_name": "新用户",
        "password": NEW_PASSWORD,
        "role": role,
        "org_id": world.orgs[org].id if org else None,
    }


def _usernames(r: Response) -> set[str]:
    assert r.status_code == 200, r.text
    return {u["username"] for u in r.json()["items"]}


# --- reading -------------------------------------------------------------------------------------


def test_secretary_lists_only_users_of_its_subtree(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/users", headers=world.auth("sec_a1"))
    assert _usernames(r) == {"sec_a1", "member_a1"}


def test_secretary_lists_users_of_sub_organisations(
    client: TestClient, world: World, session: Session
) -> None:
    add_user(session, "group_leader", Role.MEMBER, world.orgs["group_a1"])
    session.commit()
    r = client.get(f"{API}/users", headers=world.auth("sec_a1"))
    assert _usernames(r) == {"sec_a1", "member_a1", "group_leader"}


def test_secretary_cannot_read_another_branchs_user(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/users/{world.users['sec_b1'].id}", headers=world.auth("sec_a1"))
    assert_problem(r, 404, "user_not_found")


def test_filtering_by_an_org_outside_the_subtree_returns_nothing(client: TestClient, world: World) -> None:
    r = client.get(
        f"{API}/users", params={"org_id": world.orgs["branch_b1"].id}, headers=world.auth("sec_a1")
    )
    assert _usernames(r) == set()


def test_search_matches_username_or_display_name_ignoring_case(
    client: TestClient, world: World, session: Session
) -> None:
    world.users["member_a1"].display_name = "王小明"
    session.commit()
    by_name = client.get(f"{API}/users", params={"q": "小明"}, headers=world.auth("town_a_admin"))
    assert _usernames(by_name) == {"member_a1"}
    by_username = client.get(f"{API}/users", params={"q": "SEC_"}, headers=world.auth("town_a_admin"))
    assert _usernames(by_username) == {"sec_a1"}


def test_search_stays_within_the_callers_subtree(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/users", params={"q": "sec"}, headers=world.auth("sec_a1"))
    assert _usernames(r) == {"sec_a1"}


def test_search_wildcards_match_only_themselves(client: TestClient, world: World) -> None:
    for q in ("%", "sec%a1", "m_mber"):
        r = client.get(f"{API}/users", params={"q": q}, headers=world.auth("admin"))
        assert _usernames(r) == set(), q


def test_active_filter_separates_deactivated_users(
    client: TestClient, world: World, session: Session
) -> None:
    world.users["member_a1"].is_active = False
    session.commit()
    inactive = client.get(f"{API}/users", params={"is_active": False}, headers=world.auth("sec_a1"))
    assert _usernames(inactive) == {"member_a1"}
    active = client.get(f"{API}/users", params={"is_active": True}, headers=world.auth("sec_a1"))
    assert _usernames(active) == {"sec_a1"}


def test_org_admin_does_not_list_county_level_users(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/users", headers=world.auth("town_a_admin"))
    assert _usernames(r) == {"town_a_admin", "sec_a1", "member_a1"}


def test_org_admin_cannot_read_county_level_user(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/users/{world.users['county_admin'].id}", headers=world.auth("town_a_admin"))
    assert_problem(r, 404, "user_not_found")


def test_org_admin_cannot_read_global_admin(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/users/{world.users['admin'].id}", headers=world.auth("town_a_admin"))
    assert_problem(r, 404, "user_not_found")


def test_member_cannot_list_users(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/users", headers=world.auth("member_a1"))
    assert_problem(r, 403, "forbidden")


def test_user_read_never_exposes_password_hash_or_session_epoch(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/users/{world.users['member_a1'].id}", headers=world.auth("sec_a1"))
    assert r.status_code == 200
    assert r.json()["username"] == "member_a1"
    assert "password_hash" not in r.json()
    assert "session_epoch" not in r.json()
    assert "$argon2" not in r.text


# --- creating ------------------------------------------------------------------------------------


def test_secretary_can_create_member_user_in_own_branch(
    client: TestClient, world: World, session: Session
) -> None:
    r = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=_new_user(world, "branch_a1"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["username"] == "new_user"
    assert body["role"] == "member"
    assert body["org_id"] == world.orgs["branch_a1"].id
    assert body["is_active"] is True
    assert r.headers["etag"] == f'"{body["version"]}"'
    stored = session.get(User, body["id"])
    assert stored is not None
    assert stored.password_hash.startswith("$argon2")
    assert NEW_PASSWORD not in stored.password_hash


def test_secretary_cannot_create_user_in_another_branch(client: TestClient, world: World) -> None:
    r = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=_new_user(world, "branch_b1"))
    assert_problem(r, 404, "org_not_found")


@pytest.mark.parametrize("role", ["secretary", "org_admin", "auditor", "admin"])
def test_secretary_cannot_grant_a_role_above_member(client: TestClient, world: World, role: str) -> None:
    r = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=_new_user(world, "branch_a1", role))
    assert_problem(r, 403, "role_not_grantable")


def test_org_admin_cannot_grant_admin_role(client: TestClient, world: World) -> None:
    r = client.post(
        f"{API}/users", headers=world.auth("town_a_admin"), json=_new_user(world, "town_a", "admin")
    )
    assert_problem(r, 403, "role_not_grantable")


def test_org_admin_cannot_create_user_without_org(client: TestClient, world: World) -> None:
    r = client.post(
        f"{API}/users", headers=world.auth("county_admin"), json=_new_user(world, None, "org_admin")
    )
    assert_problem(r, 403, "global_user_forbidden")


def test_admin_cannot_create_non_admin_user_without_org(client: TestClient, world: World) -> None:
    # An org-less secretary would act on the whole system.
    r = client.post(f"{API}/users", headers=world.auth("admin"), json=_new_user(world, None, "secretary"))
    assert_problem(r, 403, "global_user_forbidden")


def test_admin_can_create_admin_without_org(client: TestClient, world: World) -> None:
    r = client.post(f"{API}/users", headers=world.auth("admin"), json=_new_user(world, None, "admin"))
    assert r.status_code == 201, r.text
    assert r.json()["org_id"] is None
    assert r.json()["role"] == "admin"


def test_duplicate_username_is_a_conflict(client: TestClient, world: World) -> None:
    r = client.post(
        f"{API}/users",
        headers=world.auth("sec_a1"),
        json=_new_user(world, "branch_a1", username="member_a1"),
    )
    assert_problem(r, 409, "duplicate_username")


def test_duplicate_username_outside_the_subtree_is_still_a_conflict(client: TestClient, world: World) -> None:
    r = client.post(
        f"{API}/users",
        headers=world.auth("sec_a1"),
        json=_new_user(world, "branch_a1", username="sec_b1"),
    )
    assert_problem(r, 409, "duplicate_username")


@pytest.mark.parametrize("field", ["password_hash", "id", "session_epoch", "is_active"])
def test_user_create_refuses_unknown_fields(client: TestClient, world: World, field: str) -> None:
    body = {**_new_user(world, "branch_a1"), field: "x"}
    r = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=body)
    problem = assert_problem(r, 422, "validation_failed")
    assert {"field": f"body.{field}", "code": "extra_forbidden"} in [
        {"field": e["field"], "code": e["code"]} for e in problem["errors"]
    ]
    assert field in problem["messages"]["en"]


@pytest.mark.parametrize("field", ["password_hash", "id", "session_epoch", "username", "version"])
def test_user_update_refuses_unknown_fields(client: TestClient, world: World, field: str) -> None:
    r = client.patch(
        f"{API}/users/{world.users['member_a1'].id}", headers=world.auth("sec_a1"), json={field: "x"}
    )
    problem = assert_problem(r, 422, "validation_failed")
    assert [e["field"] for e in problem["errors"]] == [f"body.{field}"]


def test_short_password_is_refused(client: TestClient, world: World) -> None:
    body = {**_new_user(world, "branch_a1"), "password": "short"}
    r = client.post(f"{API}/users", headers=world.auth("sec_a1"), json=body)
    problem = assert_problem(r, 422, "validation_failed")
    assert [e["field"] for e in problem["errors"]] == ["body.password"]


# --- updating ------------------------------------------------------------------------------------


def test_org_admin_cannot_edit_county_level_user(client: TestClient, world: World, session: Session) -> None:
    target = world.users["auditor"]
    r = client.patch(
        f"{API}/users/{target.id}", headers=world.auth("town_a_admin"), json={"display_name": "改名"}
    )
    assert_problem(r, 404, "user_not_found")
    session.refresh(target)
    assert target.display_name == "auditor"


def test_org_admin_cannot_move_a_user_out_of_its_subtree(client: TestClient, world: World) -> None:
    r = client.patch(
        f"{API}/users/{world.users['sec_a1'].id}",
        headers=world.auth("town_a_admin"),
        json={"org_id": world.orgs["branch_b1"].id},
    )
    assert_problem(r, 404, "org_not_found")


def test_org_admin_cannot_make_a_user_global(client: TestClient, world: World) -> None:
    r = client.patch(
        f"{API}/users/{world.users['sec_a1'].id}", headers=world.auth("town_a_admin"), json={"org_id": None}
    )
    assert_problem(r, 403, "global_user_forbidden")


def test_secretary_cannot_promote_member_to_secretary(client: TestClient, world: World) -> None:
    r = client.patch(
        f"{API}/users/{world.users['member_a1'].id}", headers=world.auth("sec_a1"), json={"role": "secretary"}
    )
    assert_problem(r, 403, "role_not_grantable")


def test_secretary_cannot_edit_a_peer_secretary(client: TestClient, world: World, session: Session) -> None:
    peer = add_user(session, "sec_a1_deputy", Role.SECRETARY, world.orgs["branch_a1"])
    session.commit()
    r = client.patch(f"{API}/users/{peer.id}", headers=world.auth("sec_a1"), json={"display_name": "x"})
    assert_problem(r, 403, "role_not_grantable")


def test_patch_with_stale_if_match_is_refused(client: TestClient, world: World, session: Session) -> None:
    target = world.users["member_a1"]
    url = f"{API}/users/{target.id}"
    etag = client.get(url, headers=world.auth("sec_a1")).headers["etag"]
    first = client.patch(url, headers={**world.auth("sec_a1"), "If-Match": etag}, json={"display_name": "一"})
    assert first.status_code == 200, first.text
    r = client.patch(url, headers={**world.auth("sec_a1"), "If-Match": etag}, json={"display_name": "二"})
    assert_problem(r, 412, "stale_version")
    session.refresh(target)
    assert target.display_name == "一"


def test_patch_with_current_etag_succeeds_and_returns_new_etag(client: TestClient, world: World) -> None:
    url = f"{API}/users/{world.users['member_a1'].id}"
    before = client.get(url, headers=world.auth("sec_a1"))
    etag = before.headers["etag"]
    r = client.patch(url, headers={**world.auth("sec_a1"), "If-Match": etag}, json={"display_name": "新名字"})
    assert r.status_code == 200, r.text
    assert r.json()["display_name"] == "新名字"
    assert r.json()["version"] == before.json()["version"] + 1
    assert r.headers["etag"] == f'"{r.json()["version"]}"'
    assert r.headers["etag"] != etag
    assert client.get(url, headers=world.auth("sec_a1")).headers["etag"] == r.headers["etag"]


def test_deactivated_users_token_stops_working(client: TestClient, world: World) -> None:
    member_headers = world.auth("member_a1")
    assert client.get(f"{API}/auth/me", headers=member_headers).status_code == 200
    r = client.patch(
        f"{API}/users/{world.users['member_a1'].id}", headers=world.auth("sec_a1"), json={"is_active": False}
    )
    assert r.status_code == 200, r.text
    assert r.json()["is_active"] is False
    assert_problem(client.get(f"{API}/auth/me", headers=member_headers), 401, "unauthenticated")


def test_reactivated_user_does_not_regain_old_tokens(client: TestClient, world: World) -> None:
    url = f"{API}/users/{world.users['member_a1'].id}"
    member_headers = world.auth("member_a1")
    assert client.patch(url, headers=world.auth("sec_a1"), json={"is_active": False}).status_code == 200
    assert client.patch(url, headers=world.auth("sec_a1"), json={"is_active": True}).status_code == 200
    assert_problem(client.get(f"{API}/auth/me", headers=member_headers), 401, "unauthenticated")
