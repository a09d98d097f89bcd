"""The permission boundary of every pairing endpoint: who may call it, and what others see (404)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.boundary import API, Endpoint, assert_boundary, each
from tests.pairing.conftest import STARTED
from tests.problems import assert_problem
from tests.world import World
from vanguard.members.models import Member
from vanguard.pairing.models import Beneficiary, EventType, Pair, Visit, VisitTask, VisitType


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def E(method: str, path: str, body: Any, outsider_code: str) -> Endpoint:  # noqa: N802 - reads as a row
    """An endpoint whose body names records by placeholder."""
    return Endpoint(method, path, lambda ids: _fill(body, ids), outsider_code)


# (method, path, body, code for another branch); {b} household, {p} pair, {v} its visit (with an overdue
# follow-up), {m} helper, {u} a cadre account, {t} task, {o} org: all in branch_a1.
ENDPOINTS: list[Endpoint] = [
    E("GET", "/pairing/beneficiaries/{b}", None, "beneficiary_not_found"),
    E("PATCH", "/pairing/beneficiaries/{b}", {"needs": "资金"}, "beneficiary_not_found"),
    E("POST", "/pairing/beneficiaries", {"kind": "member", "member_id": "{m}"}, "member_not_found"),
    E(
        "POST",
        "/pairing/beneficiaries",
        {"kind": "household", "org_id": "{o}", "head_name": "户"},
        "org_not_found",
    ),
    E("GET", "/pairing/pairs/{p}", None, "pair_not_found"),
    E(
        "POST",
        "/pairing/pairs",
        {"helper_member_id": "{m}", "beneficiary_id": "{b}", "kind": "poverty"},
        "beneficiary_not_found",
    ),
    E(
        "POST",
        "/pairing/pairs",
        {"helper_user_id": "{u}", "beneficiary_id": "{b}", "kind": "cadre_member"},
        "beneficiary_not_found",
    ),
    E(
        "PATCH",
        "/pairing/pairs/{p}",
        {"goals": [{"tag": "project", "target": "建成合作社"}]},
        "pair_not_found",
    ),
    E("POST", "/pairing/pairs/{p}/end", {"status": "completed"}, "pair_not_found"),
    E("GET", "/pairing/pairs/{p}/visits", None, "pair_not_found"),
    E(
        "POST",
        "/pairing/pairs/{p}/visits",
        {"visited_on": "{d}", "type": "routine", "work_done": "走访"},
        "pair_not_found",
    ),
    E("GET", "/pairing/pairs/{p}/visits/{v}", None, "pair_not_found"),
    E("PATCH", "/pairing/pairs/{p}/visits/{v}", {"work_done": "更正走访内容"}, "pair_not_found"),
    E("PATCH", "/pairing/pairs/{p}/visits/{v}/follow-up", {"done": True}, "pair_not_found"),
    E("GET", "/pairing/follow-ups/overdue?org_id={o}", None, "org_not_found"),
    E("POST", "/pairing/events", {"member_id": "{m}", "event": "illness"}, "member_not_found"),
    E("GET", "/pairing/tasks/{t}", None, "task_not_found"),
    E("POST", "/pairing/tasks/{t}/close", {"closed_as": "closed", "reason": "已代为走访"}, "task_not_found"),
    E("GET", "/pairing/coverage?org_id={o}", None, "org_not_found"),
    E("GET", "/pairing/coverage?org_id={o}&year={y}", None, "org_not_found"),
    E("GET", "/pairing/ledger.xlsx?org_id={o}", None, "org_not_found"),
]
LISTS = ["/pairing/beneficiaries", "/pairing/pairs", "/pairing/tasks", "/pairing/follow-ups/overdue"]


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
    visit = Visit(
        pair=pair,
        visited_on=STARTED,
        type=VisitType.ROUTINE,
        work_done="走访",
        follow_up="联系农技站",
        follow_up_due_on=STARTED,
    )
    session.add_all([task, visit])
    session.commit()
    return {
        "b": household.id,
        "p": pair.id,
        "v": visit.id,
        "u": world.users["sec_a1"].id,
        "y": STARTED.year,
        "m": helper.id,
        "t": task.id,
        "o": world.orgs["branch_a1"].id,
        "d": STARTED.isoformat(),
    }


@each(ENDPOINTS)
def test_permission_boundary(
    client: TestClient, world: World, targets: dict[str, Any], endpoint: Endpoint
) -> None:
    assert_boundary(client, world, endpoint, targets)


@pytest.mark.parametrize("path", LISTS)
def test_lists_hide_another_branchs_records(
    client: TestClient, world: World, targets: dict[str, Any], path: str
) -> None:
    assert client.get(API + path, headers=world.auth("sec_b1")).json()["items"] == []
    assert client.get(API + path, headers=world.auth("sec_a1")).json()["items"] != []
    assert_problem(client.get(API + path, headers=world.auth("member_a1")), 403, "forbidden")
