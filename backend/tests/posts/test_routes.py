"""The post and pledge endpoints: create, list, ETag/If-Match, end, evaluate, problem codes."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.posts.conftest import API
from tests.problems import assert_problem
from tests.world import World
from vanguard.core.clock import local_today
from vanguard.members.models import Member
from vanguard.posts.models import Pledge, Post


def test_create_post_returns_201_with_location_and_etag(
    client: TestClient, world: World, member: Member
) -> None:
    r = client.post(
        f"{API}/members/{member.id}/posts",
        json={"title": "宣传员", "duties": "每月宣讲一次政策", "started_on": "2026-01-05"},
        headers=world.auth("sec_a1"),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["location"] == f"{API}/posts/{body['id']}"
    assert r.headers["etag"] == '"1"'
    assert (body["member_id"], body["active"], body["ended_on"]) == (member.id, True, None)


def test_list_posts_filters_active_ones(client: TestClient, world: World, member: Member, post: Post) -> None:
    headers = world.auth("sec_a1")
    other = client.post(
        f"{API}/members/{member.id}/posts", json={"title": "宣传员", "duties": "宣讲"}, headers=headers
    ).json()
    assert client.post(f"{API}/posts/{other['id']}/end", headers=headers).status_code == 200
    url = f"{API}/members/{member.id}/posts"
    assert [p["id"] for p in client.get(url, headers=headers).json()["items"]] == [post.id, other["id"]]
    assert [p["id"] for p in client.get(url, params={"active": True}, headers=headers).json()["items"]] == [
        post.id
    ]
    ended = client.get(url, params={"active": False}, headers=headers).json()["items"]
    assert [(p["id"], p["active"]) for p in ended] == [(other["id"], False)]


def test_stale_if_match_on_a_post_is_412_and_changes_nothing(
    client: TestClient, world: World, post: Post
) -> None:
    headers = world.auth("sec_a1")
    etag = client.get(f"{API}/posts/{post.id}", headers=headers).headers["etag"]
    ok = client.patch(
        f"{API}/posts/{post.id}", json={"duties": "每天巡查"}, headers={**headers, "If-Match": etag}
    )
    assert ok.status_code == 200
    assert ok.headers["etag"] != etag
    stale = client.patch(
        f"{API}/posts/{post.id}", json={"duties": "每月巡查"}, headers={**headers, "If-Match": etag}
    )
    assert_problem(stale, 412, "stale_version")
    assert client.get(f"{API}/posts/{post.id}", headers=headers).json()["duties"] == "每天巡查"


def test_ending_a_post_twice_is_409(client: TestClient, world: World, post: Post) -> None:
    headers = world.auth("sec_a1")
    r = client.post(f"{API}/posts/{post.id}/end", json={"ended_on": "2026-06-30"}, headers=headers)
    assert r.status_code == 200
    assert (r.json()["ended_on"], r.json()["active"]) == ("2026-06-30", False)
    assert_problem(client.post(f"{API}/posts/{post.id}/end", headers=headers), 409, "post_already_ended")


def test_duplicate_active_title_is_409(client: TestClient, world: World, member: Member, post: Post) -> None:
    r = client.post(
        f"{API}/members/{member.id}/posts",
        json={"title": post.title, "duties": "重复"},
        headers=world.auth("sec_a1"),
    )
    assert_problem(r, 409, "duplicate_active_post")


def test_future_start_is_422_naming_the_field(client: TestClient, world: World, member: Member) -> None:
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    r = client.post(
        f"{API}/members/{member.id}/posts",
        json={"title": "宣传员", "duties": "宣讲", "started_on": tomorrow},
        headers=world.auth("sec_a1"),
    )
    body = assert_problem(r, 422, "date_in_future")
    assert body["errors"][0]["field"] == "body.started_on"


def test_create_list_and_edit_pledges(client: TestClient, world: World, member: Member) -> None:
    headers = world.auth("sec_a1")
    r = client.post(
        f"{API}/members/{member.id}/pledges",
        json={"content": "帮扶两户困难群众", "made_on": "2026-01-10", "due_on": "2026-12-31"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    pledge = r.json()
    assert r.headers["location"] == f"{API}/pledges/{pledge['id']}"
    assert pledge["result"] == "pending"
    r = client.patch(
        f"{API}/pledges/{pledge['id']}",
        json={"content": "帮扶三户困难群众"},
        headers={**headers, "If-Match": r.headers["etag"]},
    )
    assert r.status_code == 200
    assert r.json()["content"] == "帮扶三户困难群众"
    listed = client.get(f"{API}/members/{member.id}/pledges", params={"year": 2026}, headers=headers)
    assert [p["id"] for p in listed.json()["items"]] == [pledge["id"]]
    none = client.get(f"{API}/members/{member.id}/pledges", params={"year": 2025}, headers=headers)
    assert none.json()["items"] == []


def test_evaluate_records_who_and_when_and_only_once(
    client: TestClient, world: World, member: Member, pledge: Pledge
) -> None:
    headers = world.auth("sec_a1")
    r = client.post(
        f"{API}/pledges/{pledge.id}/evaluate", json={"result": "not_kept", "note": "未完成"}, headers=headers
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["result"], body["evaluated_by"], body["evaluation_note"]) == ("not_kept", "sec_a1", "未完成")
    assert body["evaluated_on"] == local_today().isoformat()
    again = client.post(f"{API}/pledges/{pledge.id}/evaluate", json={"result": "kept"}, headers=headers)
    assert_problem(again, 409, "pledge_already_evaluated")
    kept = client.get(f"{API}/members/{member.id}/pledges", params={"result": "not_kept"}, headers=headers)
    assert [p["id"] for p in kept.json()["items"]] == [pledge.id]


def test_not_kept_before_the_due_date_is_409(client: TestClient, world: World, member: Member) -> None:
    headers = world.auth("sec_a1")
    due = (local_today() + timedelta(days=30)).isoformat()
    pledge = client.post(
        f"{API}/members/{member.id}/pledges", json={"content": "义务植树十棵", "due_on": due}, headers=headers
    ).json()
    r = client.post(f"{API}/pledges/{pledge['id']}/evaluate", json={"result": "not_kept"}, headers=headers)
    assert_problem(r, 409, "pledge_not_due")


def test_pending_is_not_a_verdict(client: TestClient, world: World, pledge: Pledge) -> None:
    r = client.post(
        f"{API}/pledges/{pledge.id}/evaluate", json={"result": "pending"}, headers=world.auth("sec_a1")
    )
    assert_problem(r, 422, "validation_failed")


def test_posts_and_pledges_follow_the_member_after_a_transfer(
    client: TestClient, world: World, member: Member, post: Post, pledge: Pledge
) -> None:
    transfer = client.post(
        f"{API}/transfers",
        json={"member_id": member.id, "to_org_id": world.orgs["branch_b1"].id, "reason": "工作调动"},
        headers=world.auth("sec_a1"),
    ).json()
    assert (
        client.post(f"{API}/transfers/{transfer['id']}/accept", headers=world.auth("sec_b1")).status_code
        == 200
    )
    new_branch, old_branch = world.auth("sec_b1"), world.auth("sec_a1")
    # The post set by the old branch ended with the move; the member's own pledge goes with them.
    assert client.get(f"{API}/posts/{post.id}", headers=new_branch).json()["active"] is False
    assert client.get(f"{API}/pledges/{pledge.id}", headers=new_branch).json()["result"] == "pending"
    assert_problem(client.get(f"{API}/pledges/{pledge.id}", headers=old_branch), 404, "pledge_not_found")
