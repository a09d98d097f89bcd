"""The permission boundary of every post and pledge endpoint: who may call it, and what others see (404)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.boundary import API, Endpoint, assert_boundary, each
from tests.world import World
from vanguard.members.models import Member
from vanguard.posts.models import Pledge, Post

# Every record is in branch_a1: {m} a member, {p} their post, {g} their pledge.
ENDPOINTS = [
    Endpoint("GET", "/members/{m}/posts", None, "member_not_found"),
    Endpoint("POST", "/members/{m}/posts", {"title": "宣传员", "duties": "宣讲"}, "member_not_found"),
    Endpoint("GET", "/posts/{p}", None, "post_not_found"),
    Endpoint("PATCH", "/posts/{p}", {"duties": "改"}, "post_not_found"),
    Endpoint("POST", "/posts/{p}/end", {}, "post_not_found"),
    Endpoint("GET", "/members/{m}/pledges", None, "member_not_found"),
    Endpoint(
        "POST",
        "/members/{m}/pledges",
        {"content": "按时交纳党费", "due_on": "2026-12-31"},
        "member_not_found",
    ),
    Endpoint("GET", "/pledges/{g}", None, "pledge_not_found"),
    Endpoint("PATCH", "/pledges/{g}", {"content": "按月交纳党费"}, "pledge_not_found"),
    Endpoint("POST", "/pledges/{g}/evaluate", {"result": "kept"}, "pledge_not_found"),
]


@pytest.fixture
def targets(member: Member, post: Post, pledge: Pledge) -> dict[str, int]:
    return {"m": member.id, "p": post.id, "g": pledge.id}


@each(ENDPOINTS)
def test_permission_boundary(
    client: TestClient, world: World, targets: dict[str, int], endpoint: Endpoint
) -> None:
    assert_boundary(client, world, endpoint, targets)


def test_a_committee_above_the_branch_may_evaluate(
    client: TestClient, world: World, targets: dict[str, int]
) -> None:
    r = client.post(
        f"{API}/pledges/{targets['g']}/evaluate", json={"result": "kept"}, headers=world.auth("town_a_admin")
    )
    assert r.status_code == 200
    assert r.json()["evaluated_by"] == "town_a_admin"
