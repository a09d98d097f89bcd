"""The permission boundary of every study endpoint: who may call it, and what others see (404)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.problems import assert_problem
from tests.study.conftest import API
from tests.world import World
from vanguard.members.models import Member
from vanguard.study.models import Activity, Exam

# (method, path, body, code for another branch); {a} activity, {t} training, {e} exam, {m} member, {o} org.
ENDPOINTS: list[tuple[str, str, Any, str]] = [
    (
        "POST",
        "/study/activities",
        {
            "org_id": "{o}",
            "kind": "party_lecture",
            "starts_at": "2026-05-01T09:00:00+08:00",
            "topic": "党课",
            "hours": 1,
        },
        "org_not_found",
    ),
    ("GET", "/study/activities?org_id={o}", None, "org_not_found"),
    ("GET", "/study/activities/{a}", None, "activity_not_found"),
    ("PATCH", "/study/activities/{a}", {"place": "村部"}, "activity_not_found"),
    ("GET", "/study/activities/{a}/attendance", None, "activity_not_found"),
    (
        "PUT",
        "/study/activities/{a}/attendance",
        {"entries": [{"member_id": "{m}", "status": "absent"}]},
        "activity_not_found",
    ),
    (
        "POST",
        "/study/activities/{a}/makeups",
        {"member_id": "{m}", "studied_on": "2026-03-02", "method": "自学", "hours": 1},
        "activity_not_found",
    ),
    ("POST", "/study/activities/{t}/exams", {"title": "考试"}, "activity_not_found"),
    ("PUT", "/study/exams/{e}/scores", {"scores": [{"member_id": "{m}", "score": 90}]}, "exam_not_found"),
    ("GET", "/study/exams/{e}/results", None, "exam_not_found"),
]
IDS = [f"{e[0]} {e[1]}" for e in ENDPOINTS]


@pytest.fixture
def targets(
    world: World, activity: Activity, training: Activity, exam: Exam, member: Member
) -> dict[str, int]:
    return {"a": activity.id, "t": training.id, "e": exam.id, "m": member.id, "o": world.orgs["branch_a1"].id}


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    return value


def _call(
    client: TestClient,
    world: World,
    user: str | None,
    endpoint: tuple[str, str, Any, str],
    ids: dict[str, int],
) -> Any:
    method, template, body, _code = endpoint
    headers = world.auth(user) if user else {}
    return client.request(method, API + template.format(**ids), json=_fill(body, ids), headers=headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_every_endpoint_needs_a_login(
    client: TestClient, world: World, targets: dict[str, int], endpoint: tuple[str, str, Any, str]
) -> None:
    assert_problem(_call(client, world, None, endpoint, targets), 401, "unauthenticated")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_a_plain_member_may_call_no_endpoint(
    client: TestClient, world: World, targets: dict[str, int], endpoint: tuple[str, str, Any, str]
) -> None:
    assert_problem(_call(client, world, "member_a1", endpoint, targets), 403, "forbidden")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_another_branch_gets_404(
    client: TestClient, world: World, targets: dict[str, int], endpoint: tuple[str, str, Any, str]
) -> None:
    assert_problem(_call(client, world, "sec_b1", endpoint, targets), 404, endpoint[3])


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_branch_and_its_superior_may_call_every_endpoint(
    client: TestClient, world: World, targets: dict[str, int], endpoint: tuple[str, str, Any, str]
) -> None:
    r = _call(client, world, "town_a_admin", endpoint, targets)
    # The make-up needs an absence first: here it proves only that the caller got past the scope check.
    assert r.status_code in (200, 201) or r.json()["code"] == "makeup_not_needed", r.text
