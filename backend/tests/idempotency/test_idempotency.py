"""Idempotency-Key on POST: a retry gets the first response, never a second record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import World
from vanguard.core import policy
from vanguard.core.clock import FakeClock
from vanguard.idempotency import service
from vanguard.idempotency.models import IdempotencyKey, KeyState
from vanguard.members.models import Member

API = "/api/v1/members"


def create(
    client: TestClient, world: World, key: str | None, name: str = "幂等", user: str = "sec_a1"
) -> Any:
    headers = world.auth(user) | ({"Idempotency-Key": key} if key is not None else {})
    body = {"org_id": world.orgs["branch_a1"].id, "name": name, "gender": "female"}
    return client.post(API, json=body, headers=headers)


def count(session: Session, name: str = "幂等") -> int:
    session.rollback()  # a fresh snapshot of what the requests committed
    return session.scalar(select(func.count()).select_from(Member).where(Member.name == name)) or 0


@pytest.fixture
def clock(app: FastAPI) -> FakeClock:
    app.state.clock = FakeClock(datetime.now(UTC))
    return app.state.clock


def test_a_retry_gets_the_first_response_and_no_second_record(
    client: TestClient, world: World, session: Session, clock: FakeClock
) -> None:
    first = create(client, world, "oa-7f3a")
    assert first.status_code == 201, first.text
    again = create(client, world, "oa-7f3a")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert count(session) == 1
    # Without a key, or with another key, the same body is a new request.
    assert create(client, world, "oa-7f3b").status_code == 201
    assert create(client, world, None).status_code == 201
    assert count(session) == 3


def test_the_same_key_for_another_request_is_422(client: TestClient, world: World, clock: FakeClock) -> None:
    create(client, world, "k1")
    assert_problem(create(client, world, "k1", name="别人"), 422, "idempotency_key_reused")


def test_keys_belong_to_their_caller(
    client: TestClient, world: World, session: Session, clock: FakeClock
) -> None:
    assert create(client, world, "shared", user="sec_a1").status_code == 201
    second = create(client, world, "shared", user="town_a_admin")
    assert second.status_code == 201
    assert "idempotent-replayed" not in second.headers
    assert count(session) == 2


def test_a_key_in_flight_is_409_until_it_is_abandoned(
    client: TestClient, world: World, session: Session, clock: FakeClock
) -> None:
    create(client, world, "busy")
    # As if that first request were still running (or its worker had died before storing the response).
    row = session.scalars(select(IdempotencyKey).where(IdempotencyKey.key == "busy")).one()
    row.state, row.status_code, row.body = KeyState.IN_FLIGHT, None, None
    session.commit()
    assert_problem(create(client, world, "busy"), 409, "idempotency_key_in_flight")
    assert_problem(create(client, world, "busy", name="别人"), 422, "idempotency_key_reused")
    assert count(session) == 1

    clock.advance(seconds=policy.IDEMPOTENCY_IN_FLIGHT_TIMEOUT_SECONDS)
    assert create(client, world, "busy").status_code == 201  # abandoned: the retry runs again
    assert count(session) == 2


def test_client_errors_are_replayed(
    client: TestClient, world: World, session: Session, clock: FakeClock
) -> None:
    bad = client.post(API, json={"name": "无组织"}, headers=world.auth("sec_a1") | {"Idempotency-Key": "e1"})
    assert bad.status_code == 422
    replay = client.post(
        API, json={"name": "无组织"}, headers=world.auth("sec_a1") | {"Idempotency-Key": "e1"}
    )
    assert (replay.status_code, replay.headers["idempotent-replayed"]) == (422, "true")

    stored = session.scalars(select(IdempotencyKey).where(IdempotencyKey.key == "e1")).one()
    assert stored.state is KeyState.DONE


def test_a_server_error_releases_the_key(
    client: TestClient, world: World, session: Session, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanguard.members import service as members

    real_create = members.create

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(members, "create", broken)
    assert create(client, world, "retry-me").status_code == 500
    monkeypatch.setattr(members, "create", real_create)
    retried = create(client, world, "retry-me")
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers
    assert count(session) == 1


def test_keys_expire(client: TestClient, world: World, session: Session, clock: FakeClock) -> None:
    create(client, world, "old")
    clock.advance(hours=policy.IDEMPOTENCY_KEY_TTL_HOURS)
    fresh = create(client, world, "old")
    assert fresh.status_code == 201
    assert "idempotent-replayed" not in fresh.headers
    assert count(session) == 2
    assert (
        service.purge_expired(session, clock.now() + timedelta(hours=policy.IDEMPOTENCY_KEY_TTL_HOURS)) == 1
    )


@pytest.mark.parametrize("key", ["", " ", "x" * 256])
def test_malformed_keys_are_refused(client: TestClient, world: World, session: Session, key: str) -> None:
    assert_problem(create(client, world, key), 422, "idempotency_key_invalid")
    assert count(session) == 0


def test_without_a_valid_login_the_route_answers_401(client: TestClient, world: World) -> None:
    r = client.post(API, json={}, headers={"Authorization": "Bearer nonsense", "Idempotency-Key": "k"})
    assert_problem(r, 401, "unauthenticated")


def test_a_keyed_request_is_read_only_up_to_a_limit(
    client: TestClient, world: World, session: Session, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(policy, "IDEMPOTENCY_MAX_REQUEST_BYTES", 20)
    assert_problem(create(client, world, "big"), 413, "request_too_large")
    assert count(session) == 0
