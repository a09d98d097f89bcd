"""The permission boundary of every scoring endpoint: no login 401, a plain member 403, an auditor reads
only, another branch's secretary 404 (never a hint), the owning branch's secretary succeeds."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.boundary import Endpoint, assert_boundary, each
from tests.problems import assert_problem
from tests.scoring.conftest import Api
from tests.world import World


def _ballot(ids: dict[str, int]) -> dict[str, Any]:
    return {"member_id": ids["m"], "rater_group": "self", "rater_member_id": ids["m"], "score": "80"}


def _case_step(r: Response) -> bool:
    """Auth passed: the step ran, or was refused only for the case's state."""
    return r.status_code == 200 or (r.status_code == 409 and r.json()["code"] == "invalid_case_step")


# In branch_a1: {s} a computed draft scheme, {q} a scheme with no round yet, {r} an open round of another
# scheme, {i} an item requested by town_a_admin, {m} a member, {c} a follow-up case of a published scheme.
ENDPOINTS = [
    Endpoint(
        "POST",
        "/scoring/schemes",
        lambda ids: {"org_id": ids["o"], "name": "新方案", "year": 2027},
        "org_not_found",
    ),
    Endpoint("GET", "/scoring/schemes"),
    Endpoint("GET", "/scoring/schemes/{s}", None, "scheme_not_found"),
    Endpoint("PATCH", "/scoring/schemes/{s}", {"name": "改名"}, "scheme_not_found"),
    Endpoint("POST", "/scoring/schemes/{s}/recompute", None, "scheme_not_found"),
    Endpoint("POST", "/scoring/schemes/{s}/publish", None, "scheme_not_found"),
    Endpoint("GET", "/scoring/schemes/{s}/rankings", None, "scheme_not_found"),
    Endpoint("GET", "/scoring/schemes/{s}/branches", None, "scheme_not_found"),
    Endpoint(
        "POST",
        "/scoring/schemes/{s}/items",
        lambda ids: {"member_id": ids["m"], "kind": "bonus", "points": "1", "reason": "表彰"},
        "scheme_not_found",
    ),
    Endpoint("GET", "/scoring/schemes/{s}/items", None, "scheme_not_found"),
    Endpoint("GET", "/scoring/items/{i}", None, "manual_item_not_found"),
    Endpoint("POST", "/scoring/items/{i}/approve", {}, "manual_item_not_found"),
    Endpoint("POST", "/scoring/items/{i}/reject", {}, "manual_item_not_found"),
    Endpoint("POST", "/scoring/schemes/{q}/rounds", lambda ids: {"org_id": ids["o"]}, "scheme_not_found"),
    Endpoint("GET", "/scoring/schemes/{s}/rounds", None, "scheme_not_found"),
    Endpoint("GET", "/scoring/rounds/{r}", None, "round_not_found"),
    Endpoint("POST", "/scoring/rounds/{r}/close", None, "round_not_found"),
    Endpoint("POST", "/scoring/rounds/{r}/ballots", _ballot, "round_not_found"),
    Endpoint("GET", "/scoring/rounds/{r}/ballots", None, "round_not_found"),
    Endpoint("POST", "/scoring/rounds/{r}/tokens", {"count": 3}, "round_not_found"),
    Endpoint("GET", "/scoring/results/{m}", None, "member_not_found"),
    Endpoint("GET", "/scoring/cases"),
    Endpoint("GET", "/scoring/cases/{c}", None, "case_not_found"),
    Endpoint(
        "POST",
        "/scoring/cases/{c}/talks",
        {"held_on": "2027-01-05", "by": "书记", "notes": "谈心"},
        "case_not_found",
    ),
    Endpoint("POST", "/scoring/cases/{c}/deadline", {"improvement_deadline": "2027-06-30"}, "case_not_found"),
    Endpoint(
        "POST", "/scoring/cases/{c}/decide", {"disposal": "improved", "note": "已改正"}, "case_not_found"
    ),
    Endpoint("POST", "/scoring/cases/{c}/close", None, "case_not_found"),
]


@pytest.fixture
def ids(api: Api) -> dict[str, int]:
    m = api.members()[0]
    s = api.scheme(rules=[{"source": "pledges_kept", "points_per_unit": "5"}])
    api.recompute(s["id"])
    q = api.scheme(quarter=3)
    other = api.scheme(quarter=2)
    r = api.ok("POST", f"/schemes/{other['id']}/rounds", {"org_id": api.world.orgs["branch_a1"].id})
    item = {"member_id": m, "kind": "bonus", "points": "2", "reason": "表彰"}
    i = api.ok("POST", f"/schemes/{s['id']}/items", item, user="town_a_admin")
    published = api.scheme(quarter=1)
    api.recompute(published["id"])
    api.ok("POST", f"/schemes/{published['id']}/publish")
    c = api.ok("GET", "/cases")["items"][0]  # everyone scored 0: 不合格
    return {
        "o": api.world.orgs["branch_a1"].id,
        "m": m,
        "s": s["id"],
        "q": q["id"],
        "r": r["id"],
        "i": i["id"],
        "c": c["id"],
    }


@each(ENDPOINTS)
def test_permission_boundary(
    client: TestClient, world: World, ids: dict[str, int], endpoint: Endpoint
) -> None:
    step = endpoint.path.endswith(("/deadline", "/decide", "/close")) and "/cases/" in endpoint.path
    assert_boundary(client, world, endpoint, ids, **({"succeeded": _case_step} if step else {}))


def test_lists_show_nothing_of_another_branch(api: Api, ids: dict[str, int]) -> None:
    county = api.ok("GET", "/schemes", user="sec_b1")["items"]
    assert county == []
    assert api.ok("GET", "/cases", user="sec_b1")["items"] == []


def test_superior_ballots_come_from_above(api: Api, ids: dict[str, int]) -> None:
    body = {"member_id": ids["m"], "rater_group": "superior", "score": "88"}
    assert_problem(api.call("POST", f"/rounds/{ids['r']}/ballots", body), 409, "not_superior_org")
    assert (
        api.ok("POST", f"/rounds/{ids['r']}/ballots", body, user="town_a_admin")["rater_group"] == "superior"
    )
    assert_problem(
        api.call("POST", f"/rounds/{ids['r']}/ballots", body, user="town_a_admin"), 409, "ballot_exists"
    )
    assert api.ok("POST", f"/rounds/{ids['r']}/ballots", body, user="county_admin")["score"] == "88.00"
