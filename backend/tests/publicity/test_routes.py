"""Drafting, editing and the state machine over HTTP: draft → published → withdrawn, ETags, scoping."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.development.factory import Roll
from tests.problems import assert_problem
from tests.publicity.conftest import PUBLICATIONS, TODAY, Draft, body
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.members.models import Member


def test_a_draft_is_created_with_its_etag_and_location(client: TestClient, world: World) -> None:
    r = client.post(PUBLICATIONS, json=body(org_id=world.orgs["branch_a1"].id), headers=world.auth("sec_a1"))
    assert r.status_code == 201, r.text
    item = r.json()
    assert (item["state"], item["audience"], item["version"]) == ("draft", "public", 1)
    assert r.headers["ETag"] == '"1"'
    assert r.headers["Location"] == f"{PUBLICATIONS}/{item['id']}"
    assert item["view"]["org_name"] == "甲一村党支部"


def test_personal_data_in_a_draft_is_422_naming_the_field(
    client: TestClient, world: World, candidate: Member
) -> None:
    sent = body("candidate_notice", world.orgs["branch_a1"].id, member_id=candidate.id, phone="13912345678")
    r = client.post(PUBLICATIONS, json=sent, headers=world.auth("sec_a1"))
    problem = assert_problem(r, 422, "field_not_publishable")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("body.phone", "field_not_publishable")]
    assert "phone" in problem["detail"]


def test_each_kind_needs_its_own_fields(client: TestClient, world: World) -> None:
    r = client.post(
        PUBLICATIONS, json=body("candidate_notice", world.orgs["branch_a1"].id), headers=world.auth("sec_a1")
    )
    problem = assert_problem(r, 422, "field_required")
    assert problem["errors"][0]["field"] == "body.member_id"


def test_the_period_cannot_end_before_it_starts(client: TestClient, world: World) -> None:
    sent = body(org_id=world.orgs["branch_a1"].id, ends_on=str(TODAY - timedelta(days=3)))
    problem = assert_problem(
        client.post(PUBLICATIONS, json=sent, headers=world.auth("sec_a1")), 422, "ends_before_start"
    )
    assert problem["errors"][0]["field"] == "body.ends_on"


def test_only_a_candidate_or_probationary_member_is_put_under_notice(
    client: TestClient, world: World, roll: Roll
) -> None:
    full = roll.full("郑正式")
    sent = body("candidate_notice", world.orgs["branch_a1"].id, member_id=full.id)
    assert_problem(
        client.post(PUBLICATIONS, json=sent, headers=world.auth("sec_a1")), 409, "member_not_under_notice"
    )


def test_results_name_only_members_of_the_publishing_org(
    client: TestClient, world: World, roll: Roll
) -> None:
    ours, theirs = roll.full("甲党员"), roll.full("乙党员", org="branch_b1")
    grades = [{"member_id": ours.id, "grade": "excellent"}, {"member_id": theirs.id, "grade": "qualified"}]
    sent = body("evaluation_results", world.orgs["branch_a1"].id, year=2026, grades=grades)
    problem = assert_problem(
        client.post(PUBLICATIONS, json=sent, headers=world.auth("sec_a1")), 404, "member_not_found"
    )
    assert problem["errors"][0]["field"] == "body.grades.1.member_id"


def test_a_draft_edit_changes_it_and_its_etag(client: TestClient, world: World, draft: Draft) -> None:
    item = draft()
    r = client.patch(
        f"{PUBLICATIONS}/{item['id']}",
        json={"title": "支部党员大会决议", "audience": "members"},
        headers={**world.auth("sec_a1"), "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["title"], r.json()["audience"], r.headers["ETag"]) == (
        "支部党员大会决议",
        "members",
        '"2"',
    )


def test_a_stale_edit_is_412(client: TestClient, world: World, draft: Draft) -> None:
    item = draft()
    url, headers = f"{PUBLICATIONS}/{item['id']}", world.auth("sec_a1")
    assert (
        client.patch(url, json={"title": "第一次修改"}, headers={**headers, "If-Match": '"1"'}).status_code
        == 200
    )
    r = client.patch(url, json={"title": "基于旧版本的修改"}, headers={**headers, "If-Match": '"1"'})
    assert_problem(r, 412, "stale_version")


def test_an_edit_naming_another_kinds_field_is_not_publishable(
    client: TestClient, world: World, draft: Draft
) -> None:
    item = draft()  # a meeting resolution
    r = client.patch(f"{PUBLICATIONS}/{item['id']}", json={"member_id": 1}, headers=world.auth("sec_a1"))
    problem = assert_problem(r, 422, "field_not_publishable")
    assert problem["errors"][0]["field"] == "body.member_id"


def test_a_published_item_cannot_be_edited(client: TestClient, world: World, published: Draft) -> None:
    item = published()
    r = client.patch(f"{PUBLICATIONS}/{item['id']}", json={"title": "改"}, headers=world.auth("sec_a1"))
    assert_problem(r, 409, "publication_not_draft")


def test_publishing_twice_is_409(client: TestClient, world: World, published: Draft) -> None:
    item = published()
    assert item["state"] == "published"
    assert item["published_at"] is not None
    r = client.post(f"{PUBLICATIONS}/{item['id']}/publish", headers=world.auth("sec_a1"))
    assert_problem(r, 409, "publication_not_draft")


def test_a_draft_cannot_be_withdrawn(client: TestClient, world: World, draft: Draft) -> None:
    item = draft()
    r = client.post(
        f"{PUBLICATIONS}/{item['id']}/withdraw", json={"reason": "发布有误"}, headers=world.auth("sec_a1")
    )
    assert_problem(r, 409, "publication_not_published")


def test_a_published_item_is_withdrawn_with_its_reason(
    client: TestClient, world: World, published: Draft
) -> None:
    item = published()
    r = client.post(
        f"{PUBLICATIONS}/{item['id']}/withdraw", json={"reason": "内容有误"}, headers=world.auth("sec_a1")
    )
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["withdraw_reason"]) == ("withdrawn", "内容有误")
    again = client.post(
        f"{PUBLICATIONS}/{item['id']}/withdraw", json={"reason": "再撤"}, headers=world.auth("sec_a1")
    )
    assert_problem(again, 409, "publication_not_published")


def test_a_period_already_over_cannot_be_published(client: TestClient, world: World, draft: Draft) -> None:
    item = draft(starts_on=str(TODAY - timedelta(days=10)), ends_on=str(TODAY - timedelta(days=1)))
    assert_problem(
        client.post(f"{PUBLICATIONS}/{item['id']}/publish", headers=world.auth("sec_a1")), 409, "period_over"
    )


def test_another_branchs_secretary_can_neither_read_nor_write_the_items(
    client: TestClient, world: World, draft: Draft
) -> None:
    item = draft()
    url, other = f"{PUBLICATIONS}/{item['id']}", world.auth("sec_b1")
    assert_problem(client.get(url, headers=other), 404, "publication_not_found")
    assert_problem(client.patch(url, json={"title": "越权"}, headers=other), 404, "publication_not_found")
    assert_problem(client.post(f"{url}/publish", headers=other), 404, "publication_not_found")
    assert client.get(PUBLICATIONS, headers=other).json()["items"] == []
    r = client.post(PUBLICATIONS, json=body(org_id=world.orgs["branch_a1"].id), headers=other)
    assert_problem(r, 404, "org_not_found")


def test_the_list_filters_by_kind_and_state(
    client: TestClient, world: World, draft: Draft, published: Draft
) -> None:
    totals = {"collected": "1200.50", "remitted": "600.25", "spent": "300", "balance": "300.25"}
    dues = published("dues_report", year=2026, totals=totals)
    draft()
    r = client.get(
        PUBLICATIONS, params={"kind": "dues_report", "state": "published"}, headers=world.auth("town_a_admin")
    )
    assert [i["id"] for i in r.json()["items"]] == [dues["id"]]
    assert r.json()["items"][0]["view"]["totals"] == totals | {"spent": "300.00"}


def test_a_member_sees_the_published_items_addressed_to_them(
    client: TestClient, world: World, draft: Draft, published: Draft, member_account: dict[str, str]
) -> None:
    own = published(audience="members")
    from_above = published(org="town_a", by="town_a_admin", audience="subtree")
    hidden = [
        draft(audience="members"),
        published(org="branch_a2", by="town_a_admin", audience="members"),
        published(org="town_a", by="town_a_admin", audience="members"),  # the town's own members only
    ]
    seen = {i["id"] for i in client.get(PUBLICATIONS, headers=member_account).json()["items"]}
    assert seen == {own["id"], from_above["id"]}
    for item in hidden:
        assert_problem(
            client.get(f"{PUBLICATIONS}/{item['id']}", headers=member_account), 404, "publication_not_found"
        )


def test_an_account_without_members_read_or_a_member_record_is_403(client: TestClient, world: World) -> None:
    assert_problem(client.get(PUBLICATIONS, headers=world.auth("member_a1")), 403, "forbidden")


def test_a_member_cannot_publish(client: TestClient, world: World, member_account: dict[str, str]) -> None:
    r = client.post(PUBLICATIONS, json=body(org_id=world.orgs["branch_a1"].id), headers=member_account)
    assert_problem(r, 403, "forbidden")


def test_every_write_is_audited(client: TestClient, world: World, published: Draft, session: Session) -> None:
    item = published()
    session.rollback()
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity == "publicity_items", AuditEvent.entity_id == str(item["id"])
        )
    ).all()
    assert sorted(actions) == ["create", "update"]
