"""An administrator's password reset ends every session of that user, and only theirs (the user's own
change is covered in test_auth)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.problems import assert_problem
from tests.world import PASSWORD, World

API = "/api/v1"
NEW_PASSWORD = "a reset passphrase 2026"


def _pair(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post(f"{API}/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    pair: dict[str, str] = r.json()
    return pair


def _me(client: TestClient, access: str) -> int:
    status: int = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {access}"}).status_code
    return status


def _reset(client: TestClient, world: World, admin: str, user: str) -> None:
    r = client.post(
        f"{API}/users/{world.users[user].id}/password",
        headers=world.auth(admin),
        json={"new_password": NEW_PASSWORD},
    )
    assert r.status_code == 204, r.text


def test_an_admin_reset_revokes_the_users_access_and_refresh_tokens(client: TestClient, world: World) -> None:
    first, second = _pair(client, "sec_a1"), _pair(client, "sec_a1")  # two devices
    assert _me(client, first["access_token"]) == 200
    _reset(client, world, "admin", "sec_a1")
    for pair in (first, second):
        assert _me(client, pair["access_token"]) == 401
        r = client.post(f"{API}/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        assert_problem(r, 401, "invalid_refresh_token")
    fresh = _pair(client, "sec_a1", NEW_PASSWORD)
    assert _me(client, fresh["access_token"]) == 200


def test_a_reset_leaves_other_users_sessions_alone(client: TestClient, world: World) -> None:
    other = _pair(client, "member_a1")
    admin_access = world.token("admin")
    _reset(client, world, "admin", "sec_a1")
    assert _me(client, other["access_token"]) == 200
    assert (
        client.post(f"{API}/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 200
    )
    assert _me(client, admin_access) == 200
