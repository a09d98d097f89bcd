"""Items in branch_a1 unless a test says otherwise, drafted and published through the API as sec_a1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.development.factory import Roll
from tests.members.helpers import id_number
from tests.world import World
from vanguard.core.clock import local_today
from vanguard.members.models import Member

API = "/api/v1"
PUBLICATIONS = f"{API}/publications"
TODAY = local_today()
ID_NUMBER = id_number(birth="19950817", seq="031")
PHONE = "13912345678"
BIRTH = date(1995, 8, 17)

Draft = Callable[..., dict[str, Any]]


def body(kind: str = "meeting_resolution", org_id: int | None = None, **fields: Any) -> dict[str, Any]:
    """A valid draft of `kind` whose period covers today."""
    base: dict[str, Any] = {
        "kind": kind,
        "org_id": org_id,
        "audience": "public",
        "title": "关于发展党员的公示",
        "body": "支部委员会研究决定",
        "starts_on": str(TODAY - timedelta(days=2)),
        "ends_on": str(TODAY + timedelta(days=5)),
    }
    return {**base, **fields}


@pytest.fixture
def roll(session: Session, world: World) -> Roll:
    return Roll(session, world)


@pytest.fixture
def candidate(client: TestClient, session: Session, world: World) -> Member:
    """A 发展对象 of branch_a1 with everything personal recorded (through the members API)."""
    person = {
        "org_id": world.orgs["branch_a1"].id,
        "name": "周公示",
        "gender": "male",
        "birth_date": str(BIRTH),
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "stage": "candidate",
        "applied_on": "2020-01-02",
        "activist_on": "2020-03-02",
        "candidate_on": str(TODAY - timedelta(days=400)),
    }
    r = client.post(f"{API}/members", json=person, headers=world.auth("sec_a1"))
    assert r.status_code == 201, r.text
    member = session.get(Member, r.json()["id"])
    assert member is not None
    session.commit()  # end the read: SQLite lets no stale snapshot write later
    return member


@pytest.fixture
def draft(client: TestClient, world: World) -> Draft:
    def make(
        kind: str = "meeting_resolution", org: str = "branch_a1", by: str = "sec_a1", **fields: Any
    ) -> dict[str, Any]:
        r = client.post(PUBLICATIONS, json=body(kind, world.orgs[org].id, **fields), headers=world.auth(by))
        assert r.status_code == 201, r.text
        created: dict[str, Any] = r.json()
        return created

    return make


@pytest.fixture
def published(client: TestClient, world: World, draft: Draft) -> Draft:
    def make(
        kind: str = "meeting_resolution", org: str = "branch_a1", by: str = "sec_a1", **fields: Any
    ) -> dict[str, Any]:
        item = draft(kind, org, by, **fields)
        r = client.post(f"{PUBLICATIONS}/{item['id']}/publish", headers=world.auth(by))
        assert r.status_code == 200, r.text
        done: dict[str, Any] = r.json()
        return done

    return make


@pytest.fixture
def member_account(session: Session, world: World, roll: Roll) -> dict[str, str]:
    """member_a1's account, linked to a full member of branch_a1: the headers to call as them."""
    person = roll.full("吴党员")
    world.users["member_a1"].member_id = person.id
    session.commit()
    return world.auth("member_a1")
