"""Feedback from signed-in members, answers to objections, and masking of who filed it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.publicity.conftest import API, PHONE, PUBLICATIONS, TODAY, Draft
from tests.world import World
from vanguard.audit.models import AuditEvent

OBJECTION = {"kind": "objection", "text": "群众反映该同志作风问题", "name": "王秀英", "contact": PHONE}


def file(client: TestClient, item: dict[str, Any], sent: dict[str, Any] = OBJECTION) -> dict[str, Any]:
    r = client.post(f"{API}/public/publications/{item['id']}/feedback", json=sent)
    assert r.status_code == 201, r.text
    filed: dict[str, Any] = r.json()
    return filed


def answer_url(item: dict[str, Any], feedback: dict[str, Any]) -> str:
    return f"{PUBLICATIONS}/{item['id']}/feedback/{feedback['id']}/answer"


def test_a_member_files_feedback_on_an_item_addressed_to_them(
    client: TestClient, world: World, published: Draft, member_account: dict[str, str]
) -> None:
    item = published(audience="members")
    r = client.post(
        f"{PUBLICATIONS}/{item['id']}/feedback",
        json={"kind": "comment", "text": "建议公开更详细"},
        headers=member_account,
    )
    assert r.status_code == 201, r.text
    assert r.json()["filed_by_user_id"] == world.users["member_a1"].id


def test_feedback_outside_the_period_is_409(client: TestClient, world: World, published: Draft) -> None:
    item = published(starts_on=str(TODAY + timedelta(days=1)), ends_on=str(TODAY + timedelta(days=7)))
    r = client.post(f"{PUBLICATIONS}/{item['id']}/feedback", json=OBJECTION, headers=world.auth("sec_a1"))
    assert_problem(r, 409, "feedback_closed")


def test_an_objection_is_answered_once(client: TestClient, world: World, published: Draft) -> None:
    item = published()
    objection = file(client, item)
    r = client.post(
        answer_url(item, objection), json={"answer": "经核实，反映问题不属实"}, headers=world.auth("sec_a1")
    )
    assert r.status_code == 200, r.text
    assert r.json()["answered_by_user_id"] == world.users["sec_a1"].id
    again = client.post(
        answer_url(item, objection), json={"answer": "再次答复"}, headers=world.auth("sec_a1")
    )
    assert_problem(again, 409, "already_answered")


def test_a_comment_is_not_answered_as_an_objection(
    client: TestClient, world: World, published: Draft
) -> None:
    item = published()
    comment = file(client, item, {"kind": "comment", "text": "支持"})
    r = client.post(answer_url(item, comment), json={"answer": "感谢支持"}, headers=world.auth("sec_a1"))
    assert_problem(r, 409, "not_an_objection")


def test_another_branch_cannot_answer(client: TestClient, world: World, published: Draft) -> None:
    item = published()
    objection = file(client, item)
    r = client.post(answer_url(item, objection), json={"answer": "越权答复"}, headers=world.auth("sec_b1"))
    assert_problem(r, 404, "publication_not_found")


def test_who_filed_is_masked_without_pii(client: TestClient, world: World, published: Draft) -> None:
    item = published()
    file(client, item)
    url = f"{PUBLICATIONS}/{item['id']}/feedback"
    (masked,) = client.get(url, headers=world.auth("auditor")).json()["items"]
    assert (masked["name"], masked["contact"], masked["contact_masked"]) == ("王**", "139****5678", True)
    (shown,) = client.get(url, headers=world.auth("sec_a1")).json()["items"]
    assert (shown["name"], shown["contact"]) == ("王秀英", PHONE)


def test_the_feedback_list_filters_unanswered(client: TestClient, world: World, published: Draft) -> None:
    item = published()
    answered, still_open = file(client, item), file(client, item)
    client.post(answer_url(item, answered), json={"answer": "已答复"}, headers=world.auth("sec_a1"))
    r = client.get(
        f"{PUBLICATIONS}/{item['id']}/feedback", params={"unanswered": "true"}, headers=world.auth("sec_a1")
    )
    assert [f["id"] for f in r.json()["items"]] == [still_open["id"]]


def test_the_audit_log_keeps_the_contact_masked(
    client: TestClient, published: Draft, session: Session
) -> None:
    item = published()
    filed = file(client, item)
    session.rollback()
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "publicity_feedback", AuditEvent.entity_id == str(filed["id"])
        )
    ).one()
    assert (event.actor_name, event.after["contact"], event.after["name"]) == (
        "public",
        "139****5678",
        "王**",
    )
