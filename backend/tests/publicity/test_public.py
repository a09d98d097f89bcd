"""The public page: only what is currently published to the public, rendered from the allowed fields."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.development.factory import Roll
from tests.problems import assert_problem
from tests.publicity.conftest import API, BIRTH, ID_NUMBER, PHONE, PUBLICATIONS, TODAY, Draft
from tests.world import World
from vanguard.members.models import Member
from vanguard.publicity.models import Publication


def page(client: TestClient, org_id: int) -> list[dict[str, object]]:
    r = client.get(f"{API}/public/orgs/{org_id}/publications")
    assert r.status_code == 200, r.text
    items: list[dict[str, object]] = r.json()["items"]
    return items


def test_the_public_page_shows_only_what_is_published_to_the_public_now(
    client: TestClient, world: World, draft: Draft, published: Draft, session: Session
) -> None:
    shown = published(title="公开的决议")
    draft(title="草稿")
    withdrawn = published(title="已撤回")
    client.post(
        f"{PUBLICATIONS}/{withdrawn['id']}/withdraw", json={"reason": "有误"}, headers=world.auth("sec_a1")
    )
    published(title="尚未开始", starts_on=str(TODAY + timedelta(days=1)))
    ended = published(title="已过公示期")
    past = {"starts_on": TODAY - timedelta(days=9), "ends_on": TODAY - timedelta(days=1)}
    session.execute(update(Publication).where(Publication.id == ended["id"]).values(**past))
    session.commit()
    published(title="仅党员可见", audience="members")
    published(title="本级及下级", audience="subtree")
    published(org="branch_a2", by="town_a_admin", title="另一个支部")
    assert [item["title"] for item in page(client, world.orgs["branch_a1"].id)] == ["公开的决议"]
    assert page(client, world.orgs["branch_a1"].id)[0]["id"] == shown["id"]


def test_a_candidate_notice_shows_name_org_stage_and_period_and_nothing_personal(
    client: TestClient, world: World, published: Draft, candidate: Member
) -> None:
    published("candidate_notice", member_id=candidate.id, title="发展对象公示")
    r = client.get(f"{API}/public/orgs/{world.orgs['branch_a1'].id}/publications")
    (item,) = r.json()["items"]
    assert item["candidate"] == {"name": "周公示", "org_name": "甲一村党支部", "stage": "candidate"}
    assert (item["starts_on"], item["ends_on"]) == (
        str(TODAY - timedelta(days=2)),
        str(TODAY + timedelta(days=5)),
    )
    for personal in (ID_NUMBER, ID_NUMBER[-4:], PHONE, PHONE[-4:], str(BIRTH), "birth", "phone", "id_number"):
        assert personal not in r.text
    assert "member_id" not in r.text


def test_results_show_names_grades_pledges_and_totals_only(
    client: TestClient, world: World, published: Draft, roll: Roll
) -> None:
    one, two = roll.full("钱优秀", phone=PHONE), roll.full("孙合格")
    grades = [{"member_id": one.id, "grade": "excellent"}, {"member_id": two.id, "grade": "qualified"}]
    published("evaluation_results", year=2026, grades=grades)
    published(
        "pledge_results", year=2026, pledges=[{"member_id": two.id, "pledge": "义务巡河", "kept": True}]
    )
    published(
        "dues_report", year=2026, totals={"collected": 800, "remitted": 400, "spent": 0, "balance": 400}
    )
    dues, pledges, evaluation = page(client, world.orgs["branch_a1"].id)
    assert evaluation["grades"] == [
        {"name": "钱优秀", "grade": "excellent"},
        {"name": "孙合格", "grade": "qualified"},
    ]
    assert pledges["pledges"] == [{"name": "孙合格", "pledge": "义务巡河", "kept": True}]
    assert dues["totals"] == {
        "collected": "800.00",
        "remitted": "400.00",
        "spent": "0.00",
        "balance": "400.00",
    }
    assert PHONE not in str([dues, pledges, evaluation])


def test_the_public_page_of_an_unknown_org_is_404(client: TestClient) -> None:
    assert_problem(client.get(f"{API}/public/orgs/999999/publications"), 404, "org_not_found")


def test_the_public_files_an_objection_without_logging_in(
    client: TestClient, world: World, published: Draft, candidate: Member
) -> None:
    item = published("candidate_notice", member_id=candidate.id)
    sent = {"kind": "objection", "text": "该同志曾有不当言行", "name": "李群众", "contact": PHONE}
    r = client.post(f"{API}/public/publications/{item['id']}/feedback", json=sent)
    assert r.status_code == 201, r.text
    assert set(r.json()) == {
        "id",
        "publication_id",
        "kind",
        "filed_at",
    }  # nothing of what was entered comes back
    got = client.get(f"{PUBLICATIONS}/{item['id']}", headers=world.auth("sec_a1")).json()
    assert (got["feedback_count"], got["objections_open"]) == (1, 1)


def test_the_public_cannot_file_on_an_item_it_cannot_see(client: TestClient, published: Draft) -> None:
    item = published(audience="members")
    r = client.post(
        f"{API}/public/publications/{item['id']}/feedback", json={"kind": "comment", "text": "看不到"}
    )
    assert_problem(r, 404, "publication_not_found")
