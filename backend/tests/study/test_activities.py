"""Activities: each kind, duplicates, bounds, ETag/If-Match and the list filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.problems import assert_problem
from tests.study.conftest import API
from tests.world import World
from vanguard.study.models import Activity, ActivityKind

URL = f"{API}/study/activities"


def _body(world: World, **over: Any) -> dict[str, Any]:
    return {
        "org_id": world.orgs["branch_a1"].id,
        "kind": "branch_meeting",
        "starts_at": "2026-05-10T09:00:00+08:00",
        "topic": "学习新修订的党章",
        "hours": 2,
        "materials": ["https://example.org/dangzhang.pdf"],
        **over,
    }


@pytest.mark.parametrize("kind", list(ActivityKind))
def test_each_kind_is_accepted(client: TestClient, world: World, kind: ActivityKind) -> None:
    r = client.post(URL, json=_body(world, kind=kind.value), headers=world.auth("sec_a1"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["location"] == f"{URL}/{body['id']}"
    assert r.headers["etag"] == '"1"'
    assert (body["kind"], body["hours"], body["starts_at"]) == (kind.value, 2.0, "2026-05-10T01:00:00Z")
    assert body["materials"] == ["https://example.org/dangzhang.pdf"]


def test_the_same_meeting_twice_is_409(client: TestClient, world: World) -> None:
    headers = world.auth("sec_a1")
    assert client.post(URL, json=_body(world), headers=headers).status_code == 201
    # The same instant written in UTC is still the same meeting.
    again = client.post(URL, json=_body(world, starts_at="2026-05-10T01:00:00Z"), headers=headers)
    assert_problem(again, 409, "duplicate_activity")
    other_kind = client.post(URL, json=_body(world, kind="party_lecture"), headers=headers)
    assert other_kind.status_code == 201


@pytest.mark.parametrize("hours", [0, -1, 81, 1.25])
def test_hours_must_be_positive_and_bounded(client: TestClient, world: World, hours: float) -> None:
    r = client.post(URL, json=_body(world, hours=hours), headers=world.auth("sec_a1"))
    body = assert_problem(r, 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["body.hours"]


def test_materials_are_links(client: TestClient, world: World) -> None:
    r = client.post(URL, json=_body(world, materials=["not a link"]), headers=world.auth("sec_a1"))
    assert_problem(r, 422, "validation_failed")


def test_an_org_outside_scope_is_404(client: TestClient, world: World) -> None:
    r = client.post(URL, json=_body(world, org_id=world.orgs["branch_b1"].id), headers=world.auth("sec_a1"))
    assert_problem(r, 404, "org_not_found")


def test_patch_with_stale_if_match_is_412(client: TestClient, world: World, activity: Activity) -> None:
    headers = world.auth("sec_a1")
    etag = client.get(f"{URL}/{activity.id}", headers=headers).headers["etag"]
    ok = client.patch(
        f"{URL}/{activity.id}", json={"place": "村部会议室"}, headers={**headers, "If-Match": etag}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["place"] == "村部会议室"
    stale = client.patch(
        f"{URL}/{activity.id}", json={"place": "礼堂"}, headers={**headers, "If-Match": etag}
    )
    assert_problem(stale, 412, "stale_version")
    null = client.patch(f"{URL}/{activity.id}", json={"topic": None}, headers=headers)
    assert_problem(null, 422, "validation_failed")


def test_patch_onto_another_meeting_is_409(
    client: TestClient, world: World, add_activity: Callable[..., Activity]
) -> None:
    first = add_activity()
    second = add_activity(starts_at=datetime(2026, 4, 1, 1, 0, tzinfo=UTC))
    r = client.patch(
        f"{URL}/{second.id}", json={"starts_at": first.starts_at.isoformat()}, headers=world.auth("sec_a1")
    )
    assert_problem(r, 409, "duplicate_activity")


def test_list_filters_by_subtree_kind_and_days(
    client: TestClient, world: World, add_activity: Callable[..., Activity]
) -> None:
    a1 = add_activity()
    a2 = add_activity(org="branch_a2", kind=ActivityKind.PARTY_LECTURE)
    b1 = add_activity(org="branch_b1")
    late = add_activity(starts_at=datetime(2026, 6, 30, 16, 30, tzinfo=UTC))  # 1 July, China time

    def ids(user: str, **params: Any) -> list[int]:
        r = client.get(URL, params=params, headers=world.auth(user))
        assert r.status_code == 200, r.text
        return [a["id"] for a in r.json()["items"]]

    # Newest first: by when they were held, then the most recently recorded.
    assert ids("sec_a1") == [late.id, a1.id]
    assert ids("county_admin") == [late.id, b1.id, a2.id, a1.id]
    assert ids("county_admin", org_id=world.orgs["town_a"].id) == [late.id, a2.id, a1.id]
    assert ids("county_admin", kind="party_lecture") == [a2.id]
    assert ids("county_admin", start="2026-07-01") == [late.id]
    assert ids("county_admin", end="2026-06-30") == [b1.id, a2.id, a1.id]
    # The second page starts between two meetings held at the same time.
    page = client.get(URL, params={"limit": 2}, headers=world.auth("county_admin")).json()
    rest = client.get(URL, params={"cursor": page["next_cursor"]}, headers=world.auth("county_admin")).json()
    assert [a["id"] for a in page["items"] + rest["items"]] == [late.id, b1.id, a2.id, a1.id]
    assert_problem(
        client.get(URL, params={"org_id": world.orgs["branch_b1"].id}, headers=world.auth("sec_a1")),
        404,
        "org_not_found",
    )
