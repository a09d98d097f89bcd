"""Login throttling through the API: 429 with Retry-After, alike for unknown names, keyed by IP too."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from limits.storage import MemoryStorage

from tests.problems import assert_problem
from tests.world import PASSWORD, World
from vanguard.auth.throttle import IP_RULE, LoginThrottle
from vanguard.core import policy
from vanguard.core.clock import FakeClock

API = "/api/v1"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WRONG = "not the password"
MAX = policy.LOGIN_MAX_ACCOUNT_FAILURES
BASE = policy.LOGIN_LOCKOUT_BASE_SECONDS


@pytest.fixture
def clock(app: FastAPI) -> FakeClock:
    fake = FakeClock(NOW)
    app.state.clock = fake
    app.state.login_throttle = LoginThrottle(MemoryStorage())
    return fake


def _login(client: TestClient, username: str, password: str) -> Response:
    r: Response = client.post(f"{API}/auth/token", data={"username": username, "password": password})
    return r


def _without_request_id(r: Response) -> dict[str, object]:
    return {k: v for k, v in r.json().items() if k != "request_id"}


def _fail(client: TestClient, username: str, times: int) -> None:
    for _ in range(times):
        assert_problem(_login(client, username, WRONG), 401, "invalid_credentials")


def test_repeated_failures_lock_the_name_out_even_for_the_right_password(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    _fail(client, "sec_a1", MAX)
    r = _login(client, "sec_a1", PASSWORD)
    body = assert_problem(r, 429, "login_throttled")
    assert r.headers["retry-after"] == str(BASE)
    assert body["messages"]["zh-CN"] == f"登录失败次数过多，请 {BASE // 60} 分钟后再试"
    assert "access_token" not in body
    clock.advance(seconds=BASE - 1)
    assert _login(client, "sec_a1", PASSWORD).headers["retry-after"] == "1"
    clock.advance(seconds=1)
    assert _login(client, "sec_a1", PASSWORD).status_code == 200


def test_an_unknown_name_is_throttled_exactly_like_an_account(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    _fail(client, "sec_a1", MAX)
    _fail(client, "nobody", MAX)
    known = _login(client, "sec_a1", WRONG)
    unknown = _login(client, "nobody", WRONG)
    assert_problem(unknown, 429, "login_throttled")
    assert known.status_code == unknown.status_code
    assert known.headers["retry-after"] == unknown.headers["retry-after"]
    assert _without_request_id(known) == _without_request_id(unknown)


def test_a_successful_login_clears_the_failure_count(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    _fail(client, "sec_a1", MAX - 1)
    assert _login(client, "sec_a1", PASSWORD).status_code == 200
    _fail(client, "sec_a1", MAX - 1)
    assert _login(client, "sec_a1", PASSWORD).status_code == 200


def test_a_further_lockout_makes_the_name_wait_twice_as_long(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    _fail(client, "sec_a1", MAX)
    assert _login(client, "sec_a1", WRONG).headers["retry-after"] == str(BASE)
    clock.advance(seconds=BASE)
    _fail(client, "sec_a1", MAX)
    r = _login(client, "sec_a1", PASSWORD)
    assert_problem(r, 429, "login_throttled")
    assert r.headers["retry-after"] == str(2 * BASE)


@pytest.fixture
def other_ip(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False, client=("203.0.113.9", 50000)) as client:
        yield client


def test_failures_from_one_ip_lock_out_every_name_from_that_ip_only(
    app: FastAPI, client: TestClient, other_ip: TestClient, world: World, clock: FakeClock
) -> None:
    app.state.login_throttle = LoginThrottle(MemoryStorage(), ip_rule=replace(IP_RULE, max_failures=3))
    for name in ("admin", "sec_a1", "nobody"):
        _fail(client, name, 1)
    r = _login(client, "member_a1", PASSWORD)
    assert_problem(r, 429, "login_throttled")
    assert r.headers["retry-after"] == str(policy.LOGIN_IP_LOCKOUT_SECONDS)
    assert _login(other_ip, "member_a1", PASSWORD).status_code == 200


def test_a_password_reset_lifts_the_lockout_of_that_name_only(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    """An attacker who locked an account out by guessing does not keep its owner out past a reset."""
    _fail(client, "sec_a1", MAX)
    _fail(client, "sec_b1", MAX)
    new_password = "a reset passphrase 2026"
    r = client.post(
        f"{API}/users/{world.users['sec_a1'].id}/password",
        headers=world.auth("admin"),
        json={"new_password": new_password},
    )
    assert r.status_code == 204, r.text
    assert _login(client, "sec_a1", new_password).status_code == 200
    assert_problem(_login(client, "sec_b1", PASSWORD), 429, "login_throttled")
