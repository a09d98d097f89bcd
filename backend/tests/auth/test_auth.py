"""Login, refresh, bearer-token checks and session revocation."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from httpx import Response
from jose import jwt as jose_jwt
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import PASSWORD, World, add_user
from vanguard.core.config import get_settings
from vanguard.core.permissions import Permission
from vanguard.core.security import jwt, tokens
from vanguard.users.models import ApiToken, ServiceAccount

API = "/api/v1"
NEW_PASSWORD = "a brand new passphrase"


def _login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, object]:
    r = client.post(f"{API}/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()


def _me(client: TestClient, token: str) -> Response:
    return client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {token}"})


def _without_request_id(body: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in body.items() if k != "request_id"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _payload_for(world: World, user: str, kind: jwt.TokenKind = "access") -> dict[str, object]:
    u = world.users[user]
    claims = jwt.issue(u.id, kind, u.session_epoch)
    return {
        "iss": jwt.ISSUER,
        "sub": str(u.id),
        "typ": kind,
        "sep": u.session_epoch,
        "exp": int(claims.expires_at.timestamp()),
        "jti": claims.token_id,
    }


# --- login --------------------------------------------------------------------------------------


def test_login_with_correct_password_issues_a_working_token_pair(client: TestClient, world: World) -> None:
    body = _login(client, "sec_a1")
    assert body["token_type"] == "bearer"
    assert isinstance(body["expires_in"], int)
    assert body["expires_in"] > 0
    access = jwt.decode(str(body["access_token"]), "access")
    refresh = jwt.decode(str(body["refresh_token"]), "refresh")
    assert access.subject == refresh.subject == world.users["sec_a1"].id
    r = _me(client, str(body["access_token"]))
    assert r.status_code == 200
    assert r.json()["username"] == "sec_a1"


def test_login_with_wrong_password_is_refused_as_invalid_credentials(
    client: TestClient, world: World
) -> None:
    r = client.post(f"{API}/auth/token", data={"username": "sec_a1", "password": "not the password"})
    assert_problem(r, 401, "invalid_credentials")
    assert r.headers["www-authenticate"] == "Bearer"
    assert "access_token" not in r.json()


def test_login_with_unknown_username_is_refused_exactly_like_a_wrong_password(
    client: TestClient, world: World
) -> None:
    unknown = client.post(f"{API}/auth/token", data={"username": "nobody", "password": PASSWORD})
    wrong = client.post(f"{API}/auth/token", data={"username": "sec_a1", "password": "not the password"})
    assert_problem(unknown, 401, "invalid_credentials")
    # No user enumeration: the two refusals are indistinguishable apart from the request id.
    assert _without_request_id(unknown.json()) == _without_request_id(wrong.json())


def test_inactive_user_cannot_log_in(client: TestClient, world: World, session: Session) -> None:
    world.users["sec_a1"].is_active = False
    session.commit()
    r = client.post(f"{API}/auth/token", data={"username": "sec_a1", "password": PASSWORD})
    assert_problem(r, 401, "invalid_credentials")


def test_request_without_bearer_token_is_unauthenticated(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/auth/me")
    assert_problem(r, 401, "unauthenticated")
    assert r.headers["www-authenticate"] == "Bearer"


# --- refresh ------------------------------------------------------------------------------------


def test_refresh_token_yields_a_new_working_token_pair(client: TestClient, world: World) -> None:
    first = _login(client, "sec_a1")
    r = client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    pair = r.json()
    assert pair["access_token"] != first["access_token"]
    assert jwt.decode(pair["refresh_token"], "refresh").subject == world.users["sec_a1"].id
    assert _me(client, pair["access_token"]).json()["username"] == "sec_a1"


def test_access_token_is_refused_as_refresh_token(client: TestClient, world: World) -> None:
    r = client.post(f"{API}/auth/refresh", json={"refresh_token": world.token("sec_a1")})
    assert_problem(r, 401, "invalid_refresh_token")


def test_refresh_token_is_refused_as_bearer_access_token(client: TestClient, world: World) -> None:
    u = world.users["sec_a1"]
    refresh = jwt.encode(jwt.issue(u.id, "refresh", u.session_epoch))
    assert_problem(_me(client, refresh), 401, "unauthenticated")


def test_refresh_for_deactivated_user_is_refused(client: TestClient, world: World, session: Session) -> None:
    u = world.users["sec_a1"]
    refresh = jwt.encode(jwt.issue(u.id, "refresh", u.session_epoch))
    u.is_active = False
    session.commit()
    r = client.post(f"{API}/auth/refresh", json={"refresh_token": refresh})
    assert_problem(r, 401, "invalid_refresh_token")


# --- forged, tampered and expired tokens -------------------------------------------------------


def test_token_with_tampered_payload_is_refused(client: TestClient, world: World) -> None:
    header, _payload, signature = world.token("member_a1").split(".")
    forged = _payload_for(world, "member_a1")
    forged["sub"] = str(world.users["admin"].id)  # try to become the administrator
    token = f"{header}.{_b64(json.dumps(forged).encode())}.{signature}"
    assert_problem(_me(client, token), 401, "unauthenticated")


def test_token_with_tampered_signature_is_refused(client: TestClient, world: World) -> None:
    header, payload, signature = world.token("member_a1").split(".")
    raw = bytearray(_unb64(signature))
    raw[0] ^= 0x01
    assert_problem(_me(client, f"{header}.{payload}.{_b64(bytes(raw))}"), 401, "unauthenticated")


def test_token_signed_with_another_key_is_refused(client: TestClient, world: World) -> None:
    token = jose_jwt.encode(
        _payload_for(world, "admin"), "some-other-secret-that-is-long-enough-0123", algorithm="HS256"
    )
    assert_problem(_me(client, token), 401, "unauthenticated")


def test_token_signed_with_hs512_is_refused(client: TestClient, world: World) -> None:
    # Right key, wrong algorithm: only the allow-listed HS256 is accepted.
    token = jose_jwt.encode(_payload_for(world, "admin"), get_settings().secret_key, algorithm="HS512")
    assert jose_jwt.get_unverified_header(token)["alg"] == "HS512"
    assert_problem(_me(client, token), 401, "unauthenticated")


def test_unsigned_alg_none_token_is_refused(client: TestClient, world: World) -> None:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(_payload_for(world, "admin")).encode())
    assert_problem(_me(client, f"{header}.{payload}."), 401, "unauthenticated")


def test_token_without_issuer_is_refused(client: TestClient, world: World) -> None:
    payload = _payload_for(world, "admin")
    del payload["iss"]
    token = jose_jwt.encode(payload, get_settings().secret_key, algorithm="HS256")
    assert_problem(_me(client, token), 401, "unauthenticated")


def test_expired_access_token_is_refused(client: TestClient, world: World) -> None:
    u = world.users["sec_a1"]
    long_ago = datetime.now(UTC) - timedelta(days=1)
    token = jwt.encode(jwt.issue(u.id, "access", u.session_epoch, now=long_ago))
    assert_problem(_me(client, token), 401, "unauthenticated")


def test_expired_refresh_token_is_refused(client: TestClient, world: World) -> None:
    u = world.users["sec_a1"]
    long_ago = datetime.now(UTC) - timedelta(days=get_settings().refresh_token_days + 1)
    token = jwt.encode(jwt.issue(u.id, "refresh", u.session_epoch, now=long_ago))
    r = client.post(f"{API}/auth/refresh", json={"refresh_token": token})
    assert_problem(r, 401, "invalid_refresh_token")


def test_token_for_unknown_user_id_is_refused(client: TestClient, world: World) -> None:
    u = world.users["sec_a1"]
    token = jwt.encode(jwt.issue(999_999, "access", u.session_epoch))
    assert_problem(_me(client, token), 401, "unauthenticated")


# --- /auth/me ------------------------------------------------------------------------------------


def test_me_describes_the_calling_user(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/auth/me", headers=world.auth("sec_a1"))
    assert r.status_code == 200
    me = r.json()
    assert me["kind"] == "user"
    assert me["id"] == world.users["sec_a1"].id
    assert me["username"] == "sec_a1"
    assert me["role"] == "secretary"
    assert me["org_id"] == world.orgs["branch_a1"].id
    assert "users:write" in me["permissions"]
    assert "audit:read" not in me["permissions"]
    assert "service_accounts:manage" not in me["permissions"]


def test_me_describes_a_service_account(client: TestClient, world: World, session: Session) -> None:
    account = ServiceAccount(name="oa-gateway", org_id=world.orgs["town_a"].id, scopes=["orgs:read"])
    session.add(account)
    session.flush()
    raw = tokens.new_service_token()
    session.add(
        ApiToken(
            service_account_id=account.id,
            name="prod",
            token_digest=tokens.digest(raw),
            display_prefix=tokens.display_prefix(raw),
            org_id=account.org_id,
        )
    )
    session.commit()
    r = _me(client, raw)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "kind": "service",
        "id": account.id,
        "username": "service:oa-gateway",
        "display_name": "service:oa-gateway",
        "role": None,
        "org_id": world.orgs["town_a"].id,
        "member_id": None,
        "permissions": [Permission.ORGS_READ.value],
    }


# --- password change -----------------------------------------------------------------------------


def _change_own_password(client: TestClient, world: World, user: str) -> Response:
    return client.post(
        f"{API}/users/{world.users[user].id}/password",
        headers=world.auth(user),
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )


def test_password_change_revokes_previously_issued_access_tokens(client: TestClient, world: World) -> None:
    old = world.auth("sec_a1")
    r = _change_own_password(client, world, "sec_a1")
    assert r.status_code == 204, r.text
    assert_problem(client.get(f"{API}/auth/me", headers=old), 401, "unauthenticated")


def test_password_change_revokes_previously_issued_refresh_tokens(client: TestClient, world: World) -> None:
    pair = _login(client, "sec_a1")
    assert _change_own_password(client, world, "sec_a1").status_code == 204
    r = client.post(f"{API}/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_problem(r, 401, "invalid_refresh_token")


def test_after_password_change_only_the_new_password_logs_in(client: TestClient, world: World) -> None:
    assert _change_own_password(client, world, "sec_a1").status_code == 204
    old = client.post(f"{API}/auth/token", data={"username": "sec_a1", "password": PASSWORD})
    assert_problem(old, 401, "invalid_credentials")
    assert _login(client, "sec_a1", NEW_PASSWORD)["token_type"] == "bearer"


def test_own_password_change_requires_the_current_password(client: TestClient, world: World) -> None:
    r = client.post(
        f"{API}/users/{world.users['sec_a1'].id}/password",
        headers=world.auth("sec_a1"),
        json={"current_password": "a wrong guess", "new_password": NEW_PASSWORD},
    )
    assert_problem(r, 422, "current_password_incorrect")
    assert _me(client, world.token("sec_a1")).status_code == 200


def test_member_can_change_own_password(client: TestClient, world: World) -> None:
    r = _change_own_password(client, world, "member_a1")
    assert r.status_code == 204, r.text
    assert _login(client, "member_a1", NEW_PASSWORD)["token_type"] == "bearer"


def test_secretary_resetting_a_members_password_logs_the_member_out(client: TestClient, world: World) -> None:
    member_headers = world.auth("member_a1")
    r = client.post(
        f"{API}/users/{world.users['member_a1'].id}/password",
        headers=world.auth("sec_a1"),
        json={"new_password": NEW_PASSWORD},
    )
    assert r.status_code == 204, r.text
    assert_problem(client.get(f"{API}/auth/me", headers=member_headers), 401, "unauthenticated")


def test_secretary_cannot_reset_password_of_a_peer_secretary(
    client: TestClient, world: World, session: Session
) -> None:
    peer = add_user(session, "sec_a1_deputy", world.users["sec_a1"].role, world.orgs["branch_a1"])
    session.commit()
    r = client.post(
        f"{API}/users/{peer.id}/password", headers=world.auth("sec_a1"), json={"new_password": NEW_PASSWORD}
    )
    assert_problem(r, 403, "role_not_grantable")


def test_auditor_cannot_reset_another_users_password(client: TestClient, world: World) -> None:
    r = client.post(
        f"{API}/users/{world.users['member_a1'].id}/password",
        headers=world.auth("auditor"),
        json={"new_password": NEW_PASSWORD},
    )
    assert_problem(r, 403, "forbidden")
    assert _me(client, world.token("member_a1")).status_code == 200
