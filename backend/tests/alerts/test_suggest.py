"""Suggestion: the most similar decided past complaints vote for a category and a responsible org."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.alerts.conftest import API, add_complaint
from tests.world import World
from vanguard.complaints.models import Status
from vanguard.core.clock import FakeClock

PAST = [
    ("branch_a1", "roads", "村口主路塌陷，夜间有摔伤风险"),
    ("branch_a1", "roads", "村口道路塌陷坑洼，车辆无法通行"),
    ("branch_a2", "roads", "通村公路路面塌陷，需要修补"),
    ("branch_a2", "water_power", "三号楼连续停水三天，生活困难"),
    ("branch_a2", "water_power", "小区停水停电频繁，居民生活困难"),
    ("branch_a1", "pension", "父亲的养老金两个月没有发放"),
]


def _past(session: Session, world: World, status: Status = Status.ASSIGNED) -> list[int]:
    ids = [
        add_complaint(session, world, org, category=cat, title="诉求", description=text, status=status)
        for org, cat, text in PAST
    ]
    session.commit()
    return ids


def _suggest(client: TestClient, world: World, text: str, user: str = "county_admin") -> dict:  # type: ignore[type-arg]
    r = client.post(f"{API}/suggest", json={"text": text}, headers=world.auth(user))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_suggests_the_category_and_org_of_similar_past_complaints(
    client: TestClient, session: Session, world: World, clock: FakeClock
) -> None:
    ids = _past(session, world)
    s = _suggest(client, world, "反映村口主路塌陷，晚上容易摔伤")
    assert s["category"] == "roads"
    assert s["org_id"] == world.orgs["branch_a1"].id
    assert s["basis"][0] == ids[0]
    assert set(s["basis"]) <= set(ids[:3])
    assert 0.5 < s["confidence"] <= 1
    assert s["neighbours"][0]["complaint_id"] == ids[0]


def test_water_complaint_goes_to_water_and_its_org(
    client: TestClient, session: Session, world: World, clock: FakeClock
) -> None:
    _past(session, world)
    s = _suggest(client, world, "我家楼连续停水两天，生活很困难")
    assert s["category"] == "water_power"
    assert s["org_id"] == world.orgs["branch_a2"].id


def test_complaints_never_accepted_do_not_vote(
    client: TestClient, session: Session, world: World, clock: FakeClock
) -> None:
    _past(session, world, status=Status.RECEIVED)
    s = _suggest(client, world, "反映村口主路塌陷，晚上容易摔伤")
    assert s == {
        "category": None,
        "org_id": None,
        "confidence": 0,
        "org_confidence": 0,
        "basis": [],
        "neighbours": [],
    }


def test_only_past_complaints_in_the_callers_subtree_vote(
    client: TestClient, session: Session, world: World, clock: FakeClock
) -> None:
    _past(session, world)
    assert _suggest(client, world, "村口主路塌陷，夜间有摔伤风险", user="sec_b1")["basis"] == []


def test_empty_text_is_refused(client: TestClient, world: World, clock: FakeClock) -> None:
    r = client.post(f"{API}/suggest", json={"text": ""}, headers=world.auth("county_admin"))
    assert r.status_code == 422
