"""The demo county: county-sized, well-formed, and members that look like a real county's."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from vanguard.audit import hook
from vanguard.core import idcard
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.core.security import pii
from vanguard.demo.people import AREA_CODE, REFERENCE_DATE, BranchKind, People, add_years
from vanguard.demo.seed import COUNTY, DemoSummary, seed_demo
from vanguard.members.models import Category, Education, Gender, Member, MemberStatus, Stage
from vanguard.members.pinyin import initials
from vanguard.orgs.models import Organisation, OrgKind
from vanguard.orgs.rules import may_sit_under

TOLERANCE = 0.03  # shares within 3 percentage points of the target


def test_demo_county_is_county_sized_and_well_formed(session: Session) -> None:
    summary = seed_demo(session)
    session.commit()
    assert summary is not None
    assert 600 <= summary.orgs <= 1000
    assert 18_000 <= summary.members <= 22_000
    parent = aliased(Organisation)
    pairs = session.execute(
        select(Organisation, parent).outerjoin(parent, parent.id == Organisation.parent_id)
    ).all()
    for org, up in pairs:
        assert may_sit_under(org.kind, up.kind if up else None), org.name
        assert org.path == (up.path if up else "/") + f"{org.id}/"
    assert session.scalar(select(Organisation.name).where(Organisation.parent_id.is_(None))) == COUNTY
    assert session.scalar(select(func.count()).select_from(Member)) == summary.members


def test_demo_seed_refuses_to_touch_existing_data(session: Session) -> None:
    assert seed_demo(session) is not None
    session.commit()
    assert seed_demo(session) is None


# --- the members, checked once on one seeded SQLite database ----------------------------------------


@pytest.fixture(scope="module")
def demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    target = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(sqlite_template, target)
    engine = build_engine(f"sqlite:///{target}")
    hook.install()
    with make_sessionmaker(engine)() as session:
        assert isinstance(seed_demo(session), DemoSummary)
        session.commit()
        yield session
    engine.dispose()


@pytest.fixture(scope="module")
def roll(demo: Session) -> list[Member]:
    """Everyone on the roll now (status normal)."""
    return list(demo.scalars(select(Member).where(Member.status == MemberStatus.NORMAL)))


def _share(members: list[Member], test: Callable[[Member], bool]) -> float:
    return sum(1 for m in members if test(m)) / len(members)


def _age(born: date) -> int:
    on = REFERENCE_DATE
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


HIGH_SCHOOL_OR_ABOVE = {Education.SECONDARY, Education.ASSOCIATE, Education.BACHELOR, Education.POSTGRADUATE}


@pytest.mark.parametrize(
    ("what", "target", "test"),
    [
        ("rural", 0.50, lambda m: m.category is Category.RURAL),
        ("women", 0.15, lambda m: m.gender is Gender.FEMALE),
        ("aged 35 or under", 0.28, lambda m: _age(m.birth_date) <= 35),
        ("high school or above", 0.55, lambda m: m.education in HIGH_SCHOOL_OR_ABOVE),
        ("Han", 0.935, lambda m: m.ethnicity == "汉族"),
        ("full members", 0.935, lambda m: m.stage is Stage.FULL),
    ],
)
def test_demo_shares_match_a_real_county(
    roll: list[Member], what: str, target: float, test: Callable[[Member], bool]
) -> None:
    assert abs(_share(roll, test) - target) <= TOLERANCE, what


def test_demo_has_several_ethnic_groups_and_every_stage(roll: list[Member]) -> None:
    assert {"汉族", "回族", "满族"} <= {m.ethnicity for m in roll}
    assert {m.stage for m in roll} == set(Stage)
    assert 0 < _share(roll, lambda m: m.education is None) < 0.02  # a few records lack it


def test_demo_join_dates_spread_over_decades(roll: list[Member]) -> None:
    decades = {m.probationary_on.year // 10 * 10 for m in roll if m.probationary_on}
    assert set(range(1960, 2030, 10)) <= decades


def test_demo_id_numbers_are_valid_and_agree_with_birth_date_and_gender(roll: list[Member]) -> None:
    numbers = [pii.decrypt(m.id_number_cipher or "") for m in roll]
    assert len(set(numbers)) == len(numbers)
    for member, number in zip(roll, numbers, strict=True):
        card = idcard.parse(number, today=REFERENCE_DATE)
        assert number.startswith(AREA_CODE)
        assert (card.birth_date, card.is_male) == (member.birth_date, member.gender is Gender.MALE)


def test_demo_id_numbers_are_stored_like_the_members_service_stores_them(roll: list[Member]) -> None:
    for member in roll:
        number = pii.decrypt(member.id_number_cipher or "")
        assert member.id_number_digest == pii.lookup_digest(number)
        assert member.id_number_masked == idcard.mask(number) == number[:6] + "*" * 8 + number[-4:]


def test_demo_names_have_pinyin_initials_and_phones_are_mobile_numbers(roll: list[Member]) -> None:
    assert all(m.name_initials == initials(m.name) and 2 <= len(m.name) <= 4 for m in roll)
    phones = [m.phone for m in roll if m.phone]
    assert len(phones) > 0.9 * len(roll)
    assert all(len(p) == 11 and p.isdigit() and p.startswith("1") for p in phones)


def test_demo_pipeline_dates_are_in_order_and_after_age_18(roll: list[Member]) -> None:
    for m in roll:
        steps = [m.applied_on, m.activist_on, m.candidate_on, m.probationary_on, m.full_member_on]
        reached = list(Stage).index(m.stage) + 1
        assert all(d is not None for d in steps[:reached])
        assert all(d is None for d in steps[reached:])
        dates = [d for d in steps if d is not None]
        assert dates == sorted(set(dates))  # strictly increasing
        assert m.birth_date is not None
        assert add_years(m.birth_date, 18) <= dates[0]
        assert dates[-1] <= REFERENCE_DATE


def test_demo_roll_keeps_a_few_recently_deceased_members(demo: Session) -> None:
    deceased = demo.scalars(select(Member).where(Member.status == MemberStatus.DECEASED)).all()
    assert 0 < len(deceased) < 500
    for m in deceased:
        assert m.birth_date is not None
        assert m.left_on is not None
        assert add_years(m.birth_date, 75) < REFERENCE_DATE
        assert all(d < m.left_on <= REFERENCE_DATE for d in (m.applied_on, m.full_member_on) if d)


def test_demo_candidates_were_activists_for_over_a_year(roll: list[Member]) -> None:
    for m in roll:
        if m.candidate_on and m.activist_on:
            assert (m.candidate_on - m.activist_on).days > 365


def test_demo_villages_and_communities_record_their_population(demo: Session) -> None:
    branches = demo.scalars(select(Organisation).where(Organisation.kind == OrgKind.BRANCH)).all()
    villages = [b for b in branches if b.name.endswith(("村党支部", "社区党支部"))]
    assert len(villages) > 200
    assert all(v.population and 500 <= v.population <= 10_000 for v in villages)
    county = demo.scalars(select(Organisation).where(Organisation.parent_id.is_(None))).one()
    assert county.population == sum(v.population or 0 for v in villages)
    members = demo.scalar(select(func.count()).where(Member.status == MemberStatus.NORMAL))
    assert 0.02 <= (members or 0) / county.population <= 0.05


def test_demo_members_are_the_same_for_the_same_seed() -> None:
    def sample(seed: int) -> list[dict[str, object]]:
        people = People(random.Random(seed))
        rows = [people.member(1, kind) for kind in BranchKind for _ in range(50)]
        # Fernet ciphertexts differ on every run (random IV); everything else is fixed by the seed.
        return [{k: v for k, v in row.items() if k != "id_number_cipher"} for row in rows]

    assert sample(1) == sample(1)
    assert sample(1) != sample(2)
