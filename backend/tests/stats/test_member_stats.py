"""Member statistics: figures, subtree scoping, age bands on the reporting date, population share."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import World
from vanguard.core.clock import local_today
from vanguard.core.ethnicity import ETHNIC_GROUPS
from vanguard.members.models import Category, Education, Gender, Member, MemberStatus, Stage
from vanguard.stats.service import years_before

STATS = "/api/v1/stats/members"
AS_OF = date(2026, 6, 30)
AGE_BANDS = ["35_and_under", "36_to_45", "46_to_60", "over_60", "unknown"]


def _stats(client: TestClient, world: World, user: str, **params: Any) -> dict[str, Any]:
    r = client.get(STATS, params=params, headers=world.auth(user))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _add(session: Session, world: World, org: str, **fields: Any) -> Member:
    fields = {"name": "统计对象", "gender": Gender.MALE, **fields}
    member = Member(org_id=world.orgs[org].id, **fields)
    session.add(member)
    return member


def _populate(session: Session, world: World, seed: int = 7) -> None:
    """A varied roll in every branch, with gaps (no birth date, education or join date) and leavers."""
    rng = random.Random(seed)
    for org in ("branch_a1", "branch_a2", "branch_b1", "group_a1", "town_a"):
        for _ in range(rng.randint(15, 25)):
            born = None if rng.random() < 0.1 else date(rng.randint(1930, 2006), rng.randint(1, 12), 28)
            _add(
                session,
                world,
                org,
                gender=rng.choice(list(Gender)),
                ethnicity=rng.choice(["汉族", "汉族", "回族", "满族", "穿青人"]),
                birth_date=born,
                education=rng.choice([*Education, None]),
                category=rng.choice(list(Category)),
                stage=rng.choice(list(Stage)),
                probationary_on=None if rng.random() < 0.2 else date(rng.randint(1945, 2026), 7, 1),
                status=rng.choice([MemberStatus.NORMAL] * 5 + [MemberStatus.DECEASED, MemberStatus.EXPELLED]),
            )
    session.commit()


# --- the figures, against SQL written independently of the service --------------------------------

_SUBTREE = """
FROM members m JOIN orgs o ON o.id = m.org_id
WHERE o.path LIKE :prefix AND m.status = 'normal'
"""


def _grouped(session: Session, prefix: str, column: str) -> dict[str | None, int]:
    rows = session.execute(
        text(f"SELECT m.{column}, count(*) {_SUBTREE} GROUP BY m.{column}"), {"prefix": prefix}
    )
    return dict(rows.all())


def _dates(session: Session, prefix: str, column: str) -> list[date | None]:
    rows = session.execute(text(f"SELECT m.{column} {_SUBTREE}"), {"prefix": prefix}).scalars()
    return [date.fromisoformat(d) if isinstance(d, str) else d for d in rows]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _age_band(born: date | None) -> str:
    if born is None:
        return "unknown"
    age = _age(born, AS_OF)
    for band, oldest in (("35_and_under", 35), ("36_to_45", 45), ("46_to_60", 60)):
        if age <= oldest:
            return band
    return "over_60"


def _decade(joined: date | None) -> str:
    if joined is None:
        return "unknown"
    return "before_1950" if joined.year < 1950 else f"{joined.year // 10 * 10}s"


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def _tally(keys: list[str]) -> dict[str, int]:
    return {k: keys.count(k) for k in set(keys)}


@pytest.mark.parametrize("org", ["county", "town_a", "branch_a1"])
def test_figures_match_a_direct_sql_count(
    client: TestClient, session: Session, world: World, org: str
) -> None:
    _populate(session, world)
    prefix = world.orgs[org].path + "%"
    body = _stats(client, world, "admin", org_id=world.orgs[org].id, as_of=AS_OF.isoformat())

    assert body["total"] == sum(_grouped(session, prefix, "gender").values()) > 0
    for field, column in [
        ("by_category", "category"),
        ("by_gender", "gender"),
        ("by_stage", "stage"),
        ("by_ethnicity", "ethnicity"),
    ]:
        expected = _grouped(session, prefix, column)
        if field == "by_ethnicity":
            expected["其他"] = expected.pop("穿青人", 0)
        assert _nonzero(body[field]) == _nonzero({str(k): v for k, v in expected.items()}), field
    education = {str(k) if k else "unknown": v for k, v in _grouped(session, prefix, "education").items()}
    assert _nonzero(body["by_education"]) == education
    ages = _tally([_age_band(b) for b in _dates(session, prefix, "birth_date")])
    assert _nonzero(body["by_age_band"]) == ages
    decades = _tally([_decade(d) for d in _dates(session, prefix, "probationary_on")])
    assert _nonzero(body["by_join_decade"]) == decades
    for field in ("by_category", "by_gender", "by_ethnicity", "by_age_band", "by_education", "by_stage"):
        assert sum(body[field].values()) == body["total"], field


def test_members_who_left_are_not_counted(client: TestClient, session: Session, world: World) -> None:
    before = _stats(client, world, "sec_a1")["total"]
    _add(session, world, "branch_a1", status=MemberStatus.DECEASED)
    _add(session, world, "branch_a1", status=MemberStatus.EXPELLED)
    _add(session, world, "branch_a1", status=MemberStatus.NORMAL)
    session.commit()
    assert _stats(client, world, "sec_a1")["total"] == before + 1


# --- shape -------------------------------------------------------------------------------------------


def test_every_bucket_is_present_even_when_empty(client: TestClient, world: World) -> None:
    body = _stats(client, world, "sec_a1", org_id=world.orgs["group_a1"].id, as_of="2026-01-01")
    assert body["total"] == 0
    assert list(body["by_category"]) == [c.value for c in Category]
    assert list(body["by_gender"]) == ["male", "female"]
    assert list(body["by_ethnicity"]) == [*ETHNIC_GROUPS, "其他"]
    assert list(body["by_age_band"]) == AGE_BANDS
    assert list(body["by_education"]) == [*(e.value for e in Education), "unknown"]
    assert list(body["by_stage"]) == ["applicant", "activist", "candidate", "probationary", "full"]
    decades = list(body["by_join_decade"])
    assert decades[:3] == ["before_1950", "1950s", "1960s"]
    assert decades[-2:] == [f"{local_today().year // 10 * 10}s", "unknown"]
    breakdowns = [v for k, v in body.items() if k.startswith("by_")]
    assert all(n == 0 for counts in breakdowns for n in counts.values())


def test_a_member_of_an_unlisted_ethnicity_counts_as_other(
    client: TestClient, session: Session, world: World
) -> None:
    _add(session, world, "group_a1", ethnicity="穿青人")
    session.commit()
    body = _stats(client, world, "sec_a1", org_id=world.orgs["group_a1"].id)
    assert _nonzero(body["by_ethnicity"]) == {"其他": 1}


# --- scope -------------------------------------------------------------------------------------------


def test_org_defaults_to_the_callers_scope_root(client: TestClient, world: World) -> None:
    body = _stats(client, world, "town_a_admin")
    assert body["org_id"] == world.orgs["town_a"].id
    assert body["total"] == 5  # branch_a1 has 3, branch_a2 has 2; town_b's branch is not counted


def test_a_town_sees_only_its_own_branches(client: TestClient, session: Session, world: World) -> None:
    _add(session, world, "branch_b1")
    session.commit()
    town = _stats(client, world, "town_a_admin", org_id=world.orgs["town_a"].id)["total"]
    county = _stats(client, world, "county_admin")["total"]
    assert (town, county) == (5, 5 + 3)


def test_another_branch_is_not_found(client: TestClient, world: World) -> None:
    r = client.get(STATS, params={"org_id": world.orgs["branch_b1"].id}, headers=world.auth("sec_a1"))
    assert_problem(r, 404, "org_not_found")


def test_the_parent_of_the_callers_scope_is_not_found(client: TestClient, world: World) -> None:
    r = client.get(STATS, params={"org_id": world.orgs["county"].id}, headers=world.auth("town_a_admin"))
    assert_problem(r, 404, "org_not_found")


def test_a_system_administrator_without_org_counts_everything(client: TestClient, world: World) -> None:
    body = _stats(client, world, "admin")
    assert (body["org_id"], body["total"], body["population"]) == (None, 7, None)


def test_reading_statistics_needs_the_members_read_permission(client: TestClient, world: World) -> None:
    assert_problem(client.get(STATS, headers=world.auth("member_a1")), 403, "forbidden")
    assert _stats(client, world, "auditor")["total"] == 7


# --- age bands on the reporting date -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(1991, 6, 30), "35_and_under"),  # 35 on the day
        (date(1990, 7, 1), "35_and_under"),  # 36 tomorrow
        (date(1990, 6, 30), "36_to_45"),  # 36 on the day
        (date(1980, 7, 1), "36_to_45"),  # 45, 46 tomorrow
        (date(1980, 6, 30), "46_to_60"),  # 46 on the day
        (date(1965, 7, 1), "46_to_60"),  # 60, 61 tomorrow
        (date(1965, 6, 30), "over_60"),  # 61 on the day
        (date(2008, 1, 1), "35_and_under"),
        (None, "unknown"),
    ],
)
def test_age_band_edges_on_the_reporting_date(
    client: TestClient, session: Session, world: World, born: date | None, band: str
) -> None:
    _add(session, world, "group_a1", birth_date=born)
    session.commit()
    body = _stats(client, world, "sec_a1", org_id=world.orgs["group_a1"].id, as_of=AS_OF.isoformat())
    assert _nonzero(body["by_age_band"]) == {band: 1}


def test_age_is_counted_on_as_of_not_today(client: TestClient, session: Session, world: World) -> None:
    _add(session, world, "group_a1", birth_date=date(1990, 6, 30))
    session.commit()
    org_id = world.orgs["group_a1"].id
    assert _nonzero(_stats(client, world, "sec_a1", org_id=org_id, as_of="2026-06-29")["by_age_band"]) == {
        "35_and_under": 1
    }
    assert _nonzero(_stats(client, world, "sec_a1", org_id=org_id, as_of="2026-06-30")["by_age_band"]) == {
        "36_to_45": 1
    }


def test_someone_born_on_29_february_ages_on_1_march_in_a_common_year() -> None:
    assert years_before(date(2023, 2, 28), 35) == date(1988, 2, 28)  # born 1988-02-29: still 34
    assert years_before(date(2024, 2, 29), 36) == date(1988, 2, 29)
    assert years_before(date(2025, 2, 28), 36) == date(1989, 2, 28)


@pytest.mark.parametrize("as_of", ["1949-12-31", "2101-01-01", "2026-02-30"])
def test_an_as_of_out_of_range_is_invalid(client: TestClient, world: World, as_of: str) -> None:
    r = client.get(STATS, params={"as_of": as_of}, headers=world.auth("sec_a1"))
    assert_problem(r, 422, "validation_failed")


# --- join decades ------------------------------------------------------------------------------------


def test_join_decades_split_on_the_first_of_january(
    client: TestClient, session: Session, world: World
) -> None:
    for joined in (date(1949, 12, 31), date(1950, 1, 1), date(1979, 12, 31), date(1980, 1, 1), None):
        _add(session, world, "group_a1", probationary_on=joined)
    session.commit()
    body = _stats(client, world, "sec_a1", org_id=world.orgs["group_a1"].id)
    assert _nonzero(body["by_join_decade"]) == {
        "before_1950": 1,
        "1950s": 1,
        "1970s": 1,
        "1980s": 1,
        "unknown": 1,
    }


# --- population --------------------------------------------------------------------------------------


def test_share_of_population_uses_the_orgs_own_population(
    client: TestClient, session: Session, world: World
) -> None:
    world.orgs["branch_a1"].population = 1200
    world.orgs["town_a"].population = 500
    session.commit()
    branch = _stats(client, world, "sec_a1")
    assert (branch["total"], branch["population"], branch["share_of_population"]) == (3, 1200, 3 / 1200)
    town = _stats(client, world, "town_a_admin")
    assert (town["population"], town["share_of_population"]) == (500, 5 / 500)


@pytest.mark.parametrize("population", [None, 0])
def test_share_of_population_is_null_when_not_recorded(
    client: TestClient, session: Session, world: World, population: int | None
) -> None:
    world.orgs["branch_a1"].population = population
    session.commit()
    body = _stats(client, world, "sec_a1")
    assert (body["population"], body["share_of_population"]) == (population, None)
