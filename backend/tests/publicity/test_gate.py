"""The development pipeline waits for answers: an unanswered objection to a member's candidate notice
refuses their admission (409), at the service and through the API, until it is answered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.development.factory import VOTES, Roll, admit_body, as_json
from tests.problems import assert_problem
from tests.publicity.conftest import API, PUBLICATIONS, TODAY, Draft
from tests.world import World
from vanguard.core.permissions import Scope
from vanguard.development import service as development
from vanguard.development.schemas import ConfirmCreate
from vanguard.members.models import Member, Stage
from vanguard.publicity import service as publicity
from vanguard.publicity.errors import ObjectionsUnanswered

OBJECTION = {"kind": "objection", "text": "该同志群众基础较差"}


def _object(client: TestClient, item_id: int, kind: str = "objection") -> int:
    r = client.post(f"{API}/public/publications/{item_id}/feedback", json={**OBJECTION, "kind": kind})
    assert r.status_code == 201, r.text
    feedback_id: int = r.json()["id"]
    return feedback_id


def test_only_open_objections_on_the_members_notice_count(
    client: TestClient, world: World, published: Draft, candidate: Member, session: Session
) -> None:
    notice = published("candidate_notice", member_id=candidate.id)
    other = published()  # a meeting resolution: its objections are no one's admission business
    answered = _object(client, notice["id"])
    _object(client, notice["id"])
    _object(client, notice["id"], kind="comment")
    _object(client, other["id"])
    r = client.post(
        f"{PUBLICATIONS}/{notice['id']}/feedback/{answered}/answer",
        json={"answer": "已核实"},
        headers=world.auth("sec_a1"),
    )
    assert r.status_code == 200, r.text
    session.rollback()
    assert publicity.unanswered_objections(session, candidate.id) == 1


def test_the_service_refuses_admission_naming_how_many(
    client: TestClient, world: World, published: Draft, candidate: Member, session: Session, roll: Roll
) -> None:
    notice = published("candidate_notice", member_id=candidate.id)
    _object(client, notice["id"])
    _object(client, notice["id"])
    introducers = [roll.full("王介绍").id, roll.full("赵介绍").id]
    session.rollback()
    with pytest.raises(ObjectionsUnanswered) as exc:
        development.admit(
            session, Scope.everything(), candidate.id, admit_body(TODAY - timedelta(days=1), introducers)
        )
    assert "2" in exc.value.zh
    assert "2 objection(s)" in exc.value.en


def test_an_objection_blocks_admit_until_answered(
    client: TestClient, world: World, published: Draft, candidate: Member, roll: Roll
) -> None:
    notice = published("candidate_notice", member_id=candidate.id)
    objection = _object(client, notice["id"])
    introducers = [roll.full("王介绍").id, roll.full("赵介绍").id]
    admit = f"{API}/members/{candidate.id}/development/admit"
    sent = as_json(admit_body(TODAY - timedelta(days=1), introducers))
    headers = world.auth("sec_a1")

    assert_problem(client.post(admit, json=sent, headers=headers), 409, "objections_unanswered")

    r = client.post(
        f"{PUBLICATIONS}/{notice['id']}/feedback/{objection}/answer",
        json={"answer": "经调查不属实"},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    r = client.post(admit, json=sent, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == "admit"


def test_an_objection_to_a_probationary_members_notice_blocks_confirmation(
    client: TestClient, published: Draft, roll: Roll, session: Session
) -> None:
    probationary = roll.add(
        "陈预备",
        stage=Stage.PROBATIONARY,
        applied_on=date(2020, 1, 2),
        candidate_on=date(2021, 6, 1),
        probationary_on=TODAY - timedelta(days=400),
    )
    notice = published("candidate_notice", member_id=probationary.id, title="预备党员转正公示")
    _object(client, notice["id"])
    session.rollback()
    decision = ConfirmCreate(decided_on=TODAY - timedelta(days=1), votes=VOTES)
    with pytest.raises(ObjectionsUnanswered):
        development.confirm(session, Scope.everything(), probationary.id, decision)
