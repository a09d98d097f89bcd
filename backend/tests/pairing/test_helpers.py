"""Helpers: a member or a cadre's user account (exactly one), the caps for either, and one active pair
per helper and beneficiary — checked by the service, by a partial unique index, and under two real
concurrent sessions on PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tests.pairing.conftest import API, STARTED, TODAY
from tests.problems import assert_problem
from tests.world import World, add_user
from vanguard.core.db import make_sessionmaker
from vanguard.core.permissions import Principal, Role
from vanguard.core.policy import PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER
from vanguard.members.models import Member
from vanguard.pairing import service
from vanguard.pairing.models import Beneficiary, EventType, Pair, PairKind, PairStatus
from vanguard.pairing.schemas import EventCreate, PairCreate
from vanguard.posts.service import Period

P = API + "/pairing"


def _body(beneficiary: Beneficiary, **helper: int) -> dict[str, Any]:
    return {"beneficiary_id": beneficiary.id, "kind": "cadre_member", **helper}


def _pair(beneficiary: Beneficiary, **helper: int) -> PairCreate:
    return PairCreate.model_validate(_body(beneficiary, **helper))


def _row(beneficiary: Beneficiary, **helper: int | None) -> Pair:
    return Pair(
        org_id=beneficiary.org_id,
        beneficiary_id=beneficiary.id,
        kind=PairKind.CADRE_MEMBER,
        goals=[],
        started_on=STARTED,
        status=PairStatus.ACTIVE,
        **helper,
    )


# --- cadre accounts as helpers ---------------------------------------------------------------------


def test_a_cadre_account_can_be_the_helper(
    client: TestClient, world: World, needy_beneficiary: Beneficiary
) -> None:
    cadre = world.users["sec_a1"]
    r = client.post(
        P + "/pairs", json=_body(needy_beneficiary, helper_user_id=cadre.id), headers=world.auth("sec_a1")
    )
    assert r.status_code == 201, r.text
    assert (r.json()["helper_user_id"], r.json()["helper_member_id"]) == (cadre.id, None)
    listed = client.get(P + "/pairs", params={"helper_user_id": cadre.id}, headers=world.auth("sec_a1"))
    assert [p["id"] for p in listed.json()["items"]] == [r.json()["id"]]


def test_exactly_one_helper_is_given(
    client: TestClient, world: World, helper: Member, needy_beneficiary: Beneficiary
) -> None:
    auth = world.auth("sec_a1")
    both = _body(needy_beneficiary, helper_user_id=world.users["sec_a1"].id, helper_member_id=helper.id)
    r = client.post(P + "/pairs", json=both, headers=auth)
    assert_problem(r, 422, "helper_choice_invalid")
    assert r.json()["errors"][0]["field"] == "body.helper_member_id"
    assert_problem(
        client.post(P + "/pairs", json=_body(needy_beneficiary), headers=auth), 422, "helper_choice_invalid"
    )


def test_a_cadre_outside_the_scope_is_rejected_naming_the_field(
    client: TestClient, world: World, needy_beneficiary: Beneficiary
) -> None:
    body = _body(needy_beneficiary, helper_user_id=world.users["sec_b1"].id)
    r = client.post(P + "/pairs", json=body, headers=world.auth("sec_a1"))
    assert_problem(r, 404, "helper_not_found")
    assert r.json()["errors"][0]["field"] == "body.helper_user_id"
    # town_a does not hold branch_b1 either; the county holds both.
    assert_problem(
        client.post(P + "/pairs", json=body, headers=world.auth("town_a_admin")), 404, "helper_not_found"
    )
    assert client.post(P + "/pairs", json=body, headers=world.auth("county_admin")).status_code == 201


def test_a_beneficiary_outside_the_scope_is_rejected_naming_the_field(
    client: TestClient, world: World, add_household: Callable[..., Beneficiary]
) -> None:
    far = add_household(org="branch_b1")
    r = client.post(
        P + "/pairs", json=_body(far, helper_user_id=world.users["sec_a1"].id), headers=world.auth("sec_a1")
    )
    assert_problem(r, 404, "beneficiary_not_found")
    assert r.json()["errors"][0]["field"] == "body.beneficiary_id"


def test_only_an_active_cadre_account_can_help(
    client: TestClient, session: Session, world: World, needy_beneficiary: Beneficiary
) -> None:
    auth = world.auth("town_a_admin")
    plain = _body(needy_beneficiary, helper_user_id=world.users["member_a1"].id)
    assert_problem(client.post(P + "/pairs", json=plain, headers=auth), 422, "helper_not_cadre")
    retired = add_user(session, "retired_sec", Role.SECRETARY, world.orgs["branch_a1"])
    retired.is_active = False
    session.commit()
    gone = _body(needy_beneficiary, helper_user_id=retired.id)
    assert_problem(client.post(P + "/pairs", json=gone, headers=auth), 409, "helper_inactive")


def test_a_cadres_active_pairs_are_limited(
    session: Session,
    world: World,
    as_user: Callable[[str], Principal],
    add_household: Callable[..., Beneficiary],
) -> None:
    scope = as_user("town_a_admin").scope
    cadre = world.users["town_a_admin"].id
    for i in range(PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER):
        service.create_pair(session, scope, _pair(add_household(head=f"户主{i}"), helper_user_id=cadre))
    with pytest.raises(service.HelperPairLimit):
        service.create_pair(session, scope, _pair(add_household(head="多一户"), helper_user_id=cadre))


def test_a_cadre_and_a_member_may_both_help_one_beneficiary_but_not_twice(
    session: Session,
    world: World,
    as_user: Callable[[str], Principal],
    helper: Member,
    household: Beneficiary,
) -> None:
    scope = as_user("sec_a1").scope
    service.create_pair(session, scope, _pair(household, helper_user_id=world.users["sec_a1"].id))
    service.create_pair(session, scope, _pair(household, helper_member_id=helper.id))
    with pytest.raises(service.DuplicateActivePair):
        service.create_pair(session, scope, _pair(household, helper_user_id=world.users["sec_a1"].id))


def test_a_must_visit_task_goes_to_the_cadre_helper(
    session: Session,
    world: World,
    as_user: Callable[[str], Principal],
    needy: Member,
    needy_beneficiary: Beneficiary,
) -> None:
    scope = as_user("sec_a1").scope
    cadre = world.users["sec_a1"].id
    pair = service.create_pair(session, scope, _pair(needy_beneficiary, helper_user_id=cadre), today=TODAY)
    task = service.record_event(session, scope, EventCreate(member_id=needy.id, event=EventType.ILLNESS))
    assert (task.helper_user_id, task.helper_member_id, task.pair_id) == (cadre, None, pair.id)


def test_pairing_facts_of_members_ignore_cadre_pairs_as_helper_but_count_them_as_beneficiary(
    session: Session,
    world: World,
    as_user: Callable[[str], Principal],
    helper: Member,
    needy: Member,
    needy_beneficiary: Beneficiary,
) -> None:
    scope = as_user("sec_a1").scope
    service.create_pair(session, scope, _pair(needy_beneficiary, helper_user_id=world.users["sec_a1"].id))
    period = Period(TODAY - timedelta(days=1), TODAY)
    assert service.pairing_facts(session, scope, helper.id, period).pairs_as_helper == 0
    assert service.pairing_facts(session, scope, needy.id, period).pairs_as_beneficiary == 1


# --- the database's own guards -----------------------------------------------------------------------


def test_the_database_wants_exactly_one_helper(
    session: Session, world: World, helper: Member, household: Beneficiary
) -> None:
    for helpers in ({}, {"helper_member_id": helper.id, "helper_user_id": world.users["sec_a1"].id}):
        session.add(_row(household, **helpers))
        with pytest.raises(IntegrityError, match="one_helper"):
            session.commit()
        session.rollback()


@pytest.mark.parametrize("kind", ["member", "user"])
def test_the_partial_unique_index_refuses_a_second_active_pair(
    session: Session, world: World, helper: Member, household: Beneficiary, kind: str
) -> None:
    who = (
        {"helper_member_id": helper.id} if kind == "member" else {"helper_user_id": world.users["sec_a1"].id}
    )
    ended = _row(household, **who)
    ended.status, ended.ends_on = PairStatus.COMPLETED, TODAY
    session.add_all([ended, _row(household, **who)])
    session.commit()  # an ended pair does not count
    session.add(_row(household, **who))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_the_api_maps_the_unique_index_to_the_same_409(
    client: TestClient,
    world: World,
    helper: Member,
    household: Beneficiary,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As if a racing request committed its pair after this one's check: the index catches it."""
    auth = world.auth("sec_a1")
    body = _body(household, helper_member_id=helper.id)
    assert client.post(P + "/pairs", json=body, headers=auth).status_code == 201
    monkeypatch.setattr(service, "_active_pair_exists", lambda *_args: False)
    assert_problem(client.post(P + "/pairs", json=body, headers=auth), 409, "duplicate_active_pair")
    assert len(client.get(P + "/pairs", headers=auth).json()["items"]) == 1


# --- two real concurrent sessions (PostgreSQL; SQLite serialises writers anyway) ----------------------


def _wait_for_a_lock_wait(engine: Engine) -> bool:
    """Poll (bounded) until another backend of this database waits on a row lock."""
    with engine.connect() as conn:
        for _ in range(200):
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
            conn.rollback()
            if waiting:
                return True
            time.sleep(0.05)
    return False


@pytest.mark.parametrize("kind", ["member", "user"])
def test_two_concurrent_requests_cannot_exceed_the_helper_cap(
    engine: Engine,
    session: Session,
    world: World,
    as_user: Callable[[str], Principal],
    helper: Member,
    add_household: Callable[..., Beneficiary],
    kind: str,
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite runs one writer at a time")
    scope = as_user("sec_a1").scope
    who = (
        {"helper_member_id": helper.id} if kind == "member" else {"helper_user_id": world.users["sec_a1"].id}
    )
    for i in range(PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER - 1):
        service.create_pair(session, scope, _pair(add_household(head=f"户主{i}"), **who))
    session.commit()
    first_household, second_household = add_household(head="甲户"), add_household(head="乙户")
    sessions = make_sessionmaker(engine)
    outcome: dict[str, Any] = {}

    def second() -> None:
        with sessions() as other:
            try:
                outcome["pair"] = service.create_pair(other, scope, _pair(second_household, **who)).id
                other.commit()
            except service.HelperPairLimit as exc:
                outcome["error"] = exc

    with sessions() as first:
        service.create_pair(first, scope, _pair(first_household, **who))  # holds the helper's row lock
        racer = threading.Thread(target=second)
        racer.start()
        blocked = _wait_for_a_lock_wait(engine)
        first.commit()
    racer.join(timeout=60)
    assert blocked, "the second request should have waited for the first one's lock"
    assert isinstance(outcome.get("error"), service.HelperPairLimit), outcome
    column = Pair.helper_member_id if kind == "member" else Pair.helper_user_id
    session.expire_all()
    active = session.query(Pair).filter(column == next(iter(who.values())), Pair.status == PairStatus.ACTIVE)
    assert active.count() == PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER
