"""The permission boundary of every pairing endpoint: who may call it, and what others see (404)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.pairing.conftest import API, STARTED
from tests.problems import assert_problem
from tests.world import World
from vanguard.members.models import Member
from vanguard.pairing.models import Beneficiary, EventType, Pair, VisitTask

# (method, path, body, code for another branch); {b} household, {p} pair, {m} helper, {t} task, {o} org:
# all in branch_a1.
ENDPOINTS: list[tuple[str, str, Any, str]] = [
    ("GET", "/pairing/beneficiaries/{b}", None, "beneficiary_not_found"),
    ("PATCH", "/pairing/beneficiaries/{b}", {"needs": "资金"}, "beneficiary_not_found"),
    ("POST", "/pairing/beneficiaries", {"kind": "member", "member_id": "{m}"}, "member_not_found"),
    (
        "POST",
        "/pairing/beneficiaries",
        {"kind": "household", "org_id": "{o}", "head_name": "户"},
        "org_not_found",
    ),
    ("GET", "/pairing/pairs/{p}", None, "pair_not_found"),
    (
        "POST",
        "/pairing/pairs",
        {"helper_member_id": "{m}", "beneficiary_id": "{b}", "kind": "poverty"},
        "beneficiary_not_found",
    ),
    ("POST", "/pairing/pairs/{p}/end", {"status": "completed"}, "pair_not_found"),
    ("GET", "/pairing/pairs/{p}/visits", None, "pair_not_found"),
    (
        "POST",
        "/pairing/pairs/{p}/visits",
        {"visited_on": "{d}", "type": "routine", "work_done": "走访"},
        "pair_not_found",
    ),
    ("POST", "/pairing/events", {"member_id": "{m}", "event": "illness"}, "member_not_found"),
    ("GET", "/pairing/tasks/{t}", None, "task_not_found"),
    ("GET", "/pairing/coverage?org_id={o}", None, "org_not_found"),
]
LISTS = ["/pairing/beneficiaries", "/pairing/pairs", "/pairing/tasks"]
IDS = [f"{e[0]} {e[1]} {i}" for i, e in enumerate(ENDPOINTS)]


@pytest.fixture
def targets(
    session: Session, world: World, household: Beneficiary, pair: Pair, helper: Member
) -> dict[str, Any]:
    task = VisitTask(
        org_id=helper.org_id,
        member_id=helper.id,
        event=EventType.ILLNESS,
        occurred_on=STARTED,
        due_on=STARTED,
    )
    session.add(task)
    session.commit()
    return {
        "b": household.id,
        "p": pair.id,
        "m": helper.id,
        "t": task.id,
        "o": world.orgs["branch_a1"].id,
        "d": STARTED.isoformat(),
    }


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _call(
    client: TestClient,
    world: World,
    user: str | None,
    endpoint: tuple[str, str, Any, str],
    ids: dict[str, Any],
) -> Any:
    method, template, body, _code = endpoint
    headers = world.auth(user) if user else {}
    return client.request(method, API + template.format(**ids), json=_fill(body, ids), headers=headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_every_endpoint_needs_a_login(
    client: TestClient, world: World, targets: dict[str, Any], endpoint: tuple[str, str, Any, str]
) -> None:
    assert_problem(_call(client, world, None, endpoint, targets), 401, "unauthenticated")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_a_plain_member_may_call_no_endpoint(
    client: TestClient, world: World, targets: dict[str, Any], endpoint: tuple[str, str, Any, str]
) -> None:
    assert_problem(_call(client, world, "member_a1", endpoint, targets), 403, "forbidden")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_another_branch_gets_404(
    client: TestClient, world: World, targets: dict[str, Any], endpoint: tuple[str, str, Any, str]
) -> None:
    assert_problem(_call(client, world, "sec_b1", endpoint, targets), 404, endpoint[3])


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_own_branch_succeeds(
    client: TestClient, world: World, targets: dict[str, Any], endpoint: tuple[str, str, Any, str]
) -> None:
    r = _call(client, world, "sec_a1", endpoint, targets)
    assert r.status_code in (200, 201), r.text


@pytest.mark.parametrize("path", LISTS)
def test_lists_hide_another_branchs_records(
    client: TestClient, world: World, targets: dict[str, Any], path: str
) -> None:
    assert client.get(API + path, headers=world.auth("sec_b1")).json()["items"] == []
    assert client.get(API + path, headers=world.auth("sec_a1")).json()["items"] != []
    assert_problem(client.get(API + path, headers=world.auth("member_a1")), 403, "forbidden")
