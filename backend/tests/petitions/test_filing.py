"""Filing and routing: who may file what, and which org handles it (the one above the org concerned)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.petitions.conftest import People, file, graded_result, report
from tests.world import World
from vanguard.dues.models import DuesReduction, ReductionKind, ReductionState
from vanguard.petitions.models import SubjectKind
from vanguard.petitions.service import DecisionNotFinal, NotTheSubject, decision_org, handling_org


def test_report_about_a_member_is_routed_to_the_parent_of_their_org(
    client: TestClient, world: World, people: People
) -> None:
    created = report(client, world, people)
    assert created["state"] == "filed"
    assert created["concerned_org_id"] == world.orgs["branch_a1"].id
    assert created["handling_org_id"] == world.orgs["town_a"].id


def test_report_about_an_org_is_routed_to_its_parent(
    client: TestClient, world: World, people: People
) -> None:
    r = file(client, world, kind="report", concerned_org_id=world.orgs["branch_b1"].id)
    assert r.status_code == 201, r.text
    assert r.json()["handling_org_id"] == world.orgs["town_b"].id


def test_a_top_level_org_handles_what_concerns_itself(session: Session, world: World) -> None:
    county = world.orgs["county"].id
    assert handling_org(session, county) == county
    assert handling_org(session, world.orgs["group_a1"].id) == world.orgs["branch_a1"].id


def test_criticism_goes_to_the_org_above_the_criticised_one(
    client: TestClient, world: World, people: People
) -> None:
    r = file(client, world, kind="criticism", concerned_org_id=world.orgs["town_a"].id)
    assert r.status_code == 201, r.text
    assert r.json()["handling_org_id"] == world.orgs["county"].id


def test_appeal_of_own_grade_is_routed_above_the_deciding_branch(
    client: TestClient, session: Session, world: World, people: People
) -> None:
    result = graded_result(session, world, people.filer)
    r = file(client, world, kind="appeal", subject_kind="evaluation_result", subject_id=result)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["concerned_org_id"], body["handling_org_id"]) == (
        world.orgs["branch_a1"].id,
        world.orgs["town_a"].id,
    )
    assert body["concerned_member_id"] is None


def test_appeal_by_someone_not_the_subject_is_forbidden(
    client: TestClient, session: Session, world: World, people: People
) -> None:
    result = graded_result(session, world, people.other)
    r = file(client, world, kind="appeal", subject_kind="evaluation_result", subject_id=result)
    assert r.status_code == 403
    assert r.json()["code"] == "not_the_subject"


def test_appeal_of_a_grade_not_yet_published_conflicts(
    client: TestClient, session: Session, world: World, people: People
) -> None:
    result = graded_result(session, world, people.filer, published=False)
    r = file(client, world, kind="appeal", subject_kind="evaluation_result", subject_id=result)
    assert r.status_code == 409
    assert r.json()["code"] == "decision_not_final"


def test_appeal_of_an_unknown_decision_is_invalid(client: TestClient, world: World, people: People) -> None:
    r = file(client, world, kind="appeal", subject_kind="development_step", subject_id=987654)
    assert r.status_code == 422
    assert r.json()["code"] == "subject_not_found"


def test_appeal_must_name_the_decision(client: TestClient, world: World, people: People) -> None:
    r = file(client, world, kind="appeal", concerned_org_id=world.orgs["branch_a1"].id)
    assert r.status_code == 422


def test_report_names_a_member_or_an_org_not_both(client: TestClient, world: World, people: People) -> None:
    r = file(
        client,
        world,
        kind="report",
        concerned_member_id=people.reported,
        concerned_org_id=world.orgs["branch_a1"].id,
    )
    assert r.status_code == 422


def test_reporting_oneself_is_invalid(client: TestClient, world: World, people: People) -> None:
    r = file(client, world, kind="report", concerned_member_id=people.filer)
    assert r.status_code == 422
    assert r.json()["code"] == "cannot_report_self"


def test_an_account_without_a_member_record_cannot_file(
    client: TestClient, world: World, people: People
) -> None:
    r = file(client, world, by="sec_a1", kind="criticism", concerned_org_id=world.orgs["branch_a1"].id)
    assert r.status_code == 403
    assert r.json()["code"] == "not_a_member"


def test_only_a_refused_dues_reduction_can_be_appealed(
    session: Session, world: World, people: People
) -> None:
    reduction = DuesReduction(
        member_id=people.filer,
        org_id=world.orgs["branch_a1"].id,
        from_month=date(2026, 1, 1),
        to_month=date(2026, 6, 1),
        kind=ReductionKind.WAIVER,
        reason="长期患病",
        requested_by="党员a10",
    )
    session.add(reduction)
    session.commit()
    with pytest.raises(DecisionNotFinal):
        decision_org(session, people.filer, SubjectKind.DUES_REDUCTION, reduction.id)
    reduction.state = ReductionState.REJECTED
    session.commit()
    assert decision_org(session, people.filer, SubjectKind.DUES_REDUCTION, reduction.id) == reduction.org_id
    with pytest.raises(NotTheSubject):
        decision_org(session, people.other, SubjectKind.DUES_REDUCTION, reduction.id)
