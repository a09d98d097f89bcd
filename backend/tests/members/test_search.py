"""Finding members: search, filters, sorting and keyset paging."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.members.helpers import id_number
from tests.problems import assert_problem
from tests.world import World
from vanguard.core import idcard
from vanguard.core.clock import local_today
from vanguard.core.security import pii
from vanguard.members.models import Category, Education, Gender, Member, Stage
from vanguard.members.pinyin import initials

MEMBERS = "/api/v1/members"


def _add(session: Session, world: World, name: str, org: str = "branch_a1", **fields: Any) -> Member:
    member = Member(org_id=world.orgs[org].id, name=name, name_initials=initials(name), **fields)
    member.gender = fields.get("gender", Gender.MALE)
    session.add(member)
    session.flush()
    return member


@pytest.fixture
def roll(session: Session, world: World) -> dict[str, Member]:
    number = id_number(birth="19900101", seq="321")
    people = {
        "zhang": _add(
            session,
            world,
            "张三丰",
            birth_date=date(1960, 5, 1),
            phone="13900001111",
            category=Category.RETIRED,
            education=Education.SECONDARY,
            probationary_on=date(1985, 7, 1),
        ),
        "ouyang": _add(
            session,
            world,
            "欧阳娜娜",
            gender=Gender.FEMALE,
            birth_date=date(1990, 1, 1),
            category=Category.RURAL,
            education=Education.BACHELOR,
            stage=Stage.PROBATIONARY,
            probationary_on=date(2025, 7, 1),
            id_number_digest=pii.lookup_digest(number),
            id_number_masked=idcard.mask(number),
        ),
        "wang": _add(
            session,
            world,
            "王小明",
            org="branch_a2",
            birth_date=date(2000, 3, 3),
            phone="13700002222",
            category=Category.STUDENT,
            stage=Stage.ACTIVIST,
        ),
        "li": _add(session, world, "李无生日", org="branch_a2"),
    }
    session.commit()
    return people


def _ids(client: TestClient, world: World, user: str = "town_a_admin", **params: Any) -> list[int]:
    r = client.get(MEMBERS, params={"limit": 500, **params}, headers=world.auth(user))
    assert r.status_code == 200, r.text
    return [m["id"] for m in r.json()["items"]]


def test_search_by_part_of_the_name(client: TestClient, world: World, roll: dict[str, Member]) -> None:
    assert _ids(client, world, q="娜娜") == [roll["ouyang"].id]


def test_search_by_pinyin_initials(client: TestClient, world: World, roll: dict[str, Member]) -> None:
    assert _ids(client, world, q="ZSF") == [roll["zhang"].id]


def test_search_by_phone_digits(client: TestClient, world: World, roll: dict[str, Member]) -> None:
    assert _ids(client, world, q="2222") == [roll["wang"].id]


def test_search_by_full_id_number(client: TestClient, world: World, roll: dict[str, Member]) -> None:
    assert _ids(client, world, q=id_number(birth="19900101", seq="321")) == [roll["ouyang"].id]


def test_search_treats_like_wildcards_literally(
    client: TestClient, world: World, roll: dict[str, Member]
) -> None:
    assert _ids(client, world, q="%") == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "retired"}, ["zhang"]),
        ({"stage": "probationary"}, ["ouyang"]),
        ({"gender": "female"}, ["ouyang"]),
        ({"education": "bachelor"}, ["ouyang"]),
        ({"join_year": 1985}, ["zhang"]),
    ],
)
def test_filters(
    client: TestClient, world: World, roll: dict[str, Member], params: dict[str, Any], expected: list[str]
) -> None:
    assert _ids(client, world, **params) == [roll[k].id for k in expected]


def test_org_filter_covers_the_subtree(client: TestClient, world: World, roll: dict[str, Member]) -> None:
    ids = _ids(client, world, org_id=world.orgs["branch_a2"].id)
    assert set(ids) >= {roll["wang"].id, roll["li"].id}
    assert roll["zhang"].id not in ids


def test_age_band_filter(client: TestClient, world: World, roll: dict[str, Member]) -> None:
    today = local_today()
    ouyang_age = today.year - 1990 - ((today.month, today.day) < (1, 1))
    ids = _ids(client, world, age_min=ouyang_age, age_max=ouyang_age)
    assert ids == [roll["ouyang"].id]


def test_sort_by_birth_date_descending_puts_unknown_last(
    client: TestClient, world: World, roll: dict[str, Member]
) -> None:
    ids = _ids(client, world, sort="birth_date", descending=True)
    known = [i for i in ids if i in {roll["wang"].id, roll["ouyang"].id, roll["zhang"].id}]
    assert known == [roll["wang"].id, roll["ouyang"].id, roll["zhang"].id]
    assert ids.index(roll["li"].id) > ids.index(roll["zhang"].id)


@pytest.mark.parametrize("sort", ["id", "name", "birth_date", "probationary_on"])
@pytest.mark.parametrize("descending", [False, True])
def test_paging_visits_every_member_once_in_order(
    client: TestClient, world: World, roll: dict[str, Member], sort: str, descending: bool
) -> None:
    everyone = _ids(client, world, sort=sort, descending=descending)
    paged: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "sort": sort, "descending": descending}
        if cursor:
            params["cursor"] = cursor
        page = client.get(MEMBERS, params=params, headers=world.auth("town_a_admin")).json()
        paged += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == everyone
    assert len(everyone) == 9  # the world's five plus the four here


def test_a_cursor_from_another_sort_is_refused(
    client: TestClient, world: World, roll: dict[str, Member]
) -> None:
    first = client.get(MEMBERS, params={"limit": 1, "sort": "id"}, headers=world.auth("town_a_admin")).json()
    r = client.get(
        MEMBERS,
        params={"limit": 1, "sort": "birth_date", "cursor": first["next_cursor"]},
        headers=world.auth("town_a_admin"),
    )
    assert_problem(r, 422, "invalid_cursor")
