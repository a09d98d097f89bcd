"""The organisation endpoints: listing, counts, paging, ETags, and subtree isolation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.world import World

ORGS = "/api/v1/orgs"


def test_admin_sees_top_level_orgs_as_roots(client: TestClient, world: World) -> None:
    r = client.get(f"{ORGS}/roots", headers=world.auth("admin"))
    assert r.status_code == 200
    (root,) = r.json()["items"]
    assert root["code"] == "C"
    assert root["child_count"] == 2
    assert root["member_count"] == 7


def test_children_list_pages_with_a_cursor(client: TestClient, world: World) -> None:
    county = world.orgs["county"].id
    first = client.get(ORGS, params={"parent_id": county, "limit": 1}, headers=world.auth("admin")).json()
    second = client.get(
        ORGS,
        params={"parent_id": county, "limit": 1, "cursor": first["next_cursor"]},
        headers=world.auth("admin"),
    ).json()
    assert [o["code"] for o in first["items"] + second["items"]] == ["C-A", "C-B"]
    assert second["next_cursor"] is None


def test_a_malformed_cursor_is_a_clear_422(client: TestClient, world: World) -> None:
    r = client.get(ORGS, params={"cursor": "not-a-cursor!"}, headers=world.auth("admin"))
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_cursor"


def test_search_by_name_within_subtree(client: TestClient, world: World) -> None:
    r = client.get(ORGS, params={"q": "甲一", "within": world.orgs["town_a"].id}, headers=world.auth("admin"))
    assert {o["code"] for o in r.json()["items"]} == {"C-A-1", "C-A-1-G1"}


def test_create_returns_201_with_location_and_etag(client: TestClient, world: World) -> None:
    body = {"name": "甲三村党支部", "kind": "branch", "parent_id": world.orgs["town_a"].id, "code": "C-A-3"}
    r = client.post(ORGS, json=body, headers=world.auth("county_admin"))
    assert r.status_code == 201
    created = r.json()
    assert r.headers["location"] == f"{ORGS}/{created['id']}"
    assert r.headers["etag"] == '"1"'
    assert created["path"] == f"{world.orgs['town_a'].path}{created['id']}/"


def test_stale_if_match_is_412_and_changes_nothing(client: TestClient, world: World) -> None:
    org_id, headers = world.orgs["branch_a1"].id, world.auth("sec_a1")
    etag = client.get(f"{ORGS}/{org_id}", headers=headers).headers["etag"]
    ok = client.patch(
        f"{ORGS}/{org_id}", json={"secretary_name": "张三"}, headers={**headers, "If-Match": etag}
    )
    assert ok.status_code == 200
    assert ok.headers["etag"] != etag
    stale = client.patch(
        f"{ORGS}/{org_id}", json={"secretary_name": "李四"}, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert client.get(f"{ORGS}/{org_id}", headers=headers).json()["secretary_name"] == "张三"


def test_move_via_api_and_cycle_is_409(client: TestClient, world: World) -> None:
    headers = world.auth("admin")
    moved = client.post(
        f"{ORGS}/{world.orgs['branch_a2'].id}/move",
        json={"new_parent_id": world.orgs["town_b"].id},
        headers=headers,
    )
    assert moved.status_code == 200
    assert moved.json()["parent_id"] == world.orgs["town_b"].id
    cycle = client.post(
        f"{ORGS}/{world.orgs['county'].id}/move",
        json={"new_parent_id": world.orgs["town_b"].id},
        headers=headers,
    )
    assert cycle.status_code == 409
    assert cycle.json()["code"] == "org_move_cycle"


def test_unknown_field_is_refused_and_named(client: TestClient, world: World) -> None:
    r = client.patch(
        f"{ORGS}/{world.orgs['branch_a1'].id}", json={"path": "/9/"}, headers=world.auth("admin")
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.path"


def test_member_may_read_but_not_write(client: TestClient, world: World) -> None:
    headers = world.auth("member_a1")
    assert client.get(f"{ORGS}/{world.orgs['branch_a1'].id}", headers=headers).status_code == 200
    r = client.patch(f"{ORGS}/{world.orgs['branch_a1'].id}", json={"name": "x"}, headers=headers)
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"


def test_no_token_is_401_problem(client: TestClient, world: World) -> None:
    r = client.get(ORGS)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"] == "Bearer"
