"""The permission boundary of every post and pledge endpoint: who may call it, and what others see (404)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.posts.conftest import API
from tests.problems import assert_problem
from tests.world import World
from vanguard.members.models import Member
from vanguard.posts.models import Pledge, Post

# (method, path, body, code for another branch); {m} member, {p} post, {g} pledge, all in branch_a1.
ENDPOINTS: list[tuple[str, str, Any, str]] = [
    ("GET", "/members/{m}/posts", None, "member_not_found"),
    ("POST", "/members/{m}/posts", {"title": "宣传员", "duties": "宣讲"}, "member_not_found"),
    ("GET", "/posts/{p}", None, "post_not_found"),
    ("PATCH", "/posts/{p}", {"duties": "改"}, "post_not_found"),
    ("POST", "/posts/{p}/end", {}, "post_not_found"),
    ("GET", "/members/{m}/pledges", None, "member_not_found"),
    ("POST", "/members/{m}/pledges", {"content": "按时交纳党费", "due_on": "2026-12-31"}, "member_not_found"),
    ("GET", "/pledges/{g}", None, "pledge_not_found"),
    ("PATCH", "/pledges/{g}", {"content": "按月交纳党费"}, "pledge_not_found"),
    ("POST", "/pledges/{g}/evaluate", {"result": "kept"}, "pledge_not_found"),
]
IDS = [f"{e[0]} {e[1]}" for e in ENDPOINTS]


@pytest.fixture
def targets(member: Member, post: Post, pledge: Pledge) -> dict[str, int]:
    return {"m": member.id, "p": post.id, "g": pledge.id}


def _call(
    client: TestClient,
    world: World,
    user: str | None,
    endpoint: tuple[str, str, Any, str],
    ids: dict[str, int],
) -> Any:
    method, template, body, _code = endpoint
    headers = world.auth(user) if user else {}
    return client.request(method, API + template.format(**ids), json=body, headers=headers)


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
def test_an_auditor_reads_but_never_writes(
    client: TestClient, world: World, targets: dict[str, int], endpoint: tuple[str, str, Any, str]
) -> None:
    r = _call(client, world, "auditor", endpoint, targets)
    if endpoint[0] == "GET":
        assert r.status_code == 200, r.text
    else:
        assert_problem(r, 403, "forbidden")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_another_branch_gets_404(
    client: TestClient, world: World, targets: dict[str, int], endpoint: tuple[str, str, Any, str]
) -> None:
    assert_problem(_call(client, world, "sec_b1", endpoint, targets), 404, endpoint[3])


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_members_branch_may_call_every_endpoint(
    client: TestClient, world: World, targets: dict[str, int], endpoint: tuple[str, str, Any, str]
) -> None:
    r = _call(client, world, "sec_a1", endpoint, targets)
    assert r.status_code in (200, 201), r.text


def test_a_committee_above_the_branch_may_evaluate(
    client: TestClient, world: World, targets: dict[str, int]
) -> None:
    r = client.post(
        f"{API}/pledges/{targets['g']}/evaluate", json={"result": "kept"}, headers=world.auth("town_a_admin")
    )
    assert r.status_code == 200
    assert r.json()["evaluated_by"] == "town_a_admin"
