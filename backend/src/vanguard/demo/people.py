"""Believable demo members for a rural county, deterministic for a given seed.

What a branch's members look like depends on the kind of branch (a village's are mostly farmers, a
county bureau's are employees); the county as a whole comes out close to a real one (DESIGN.md §1):
about half rural, 15% women, 28% aged 35 or under and 55% with high school (中专/高中) or more.
ID numbers are valid GB 11643 numbers that agree with the birth date and gender, and are stored the
way the members service stores them (HMAC digest, Fernet ciphertext, mask).
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Final, Generic, TypeVar

from faker.providers.person.zh_CN import Provider as ChineseNames

from vanguard.core import idcard
from vanguard.core.ethnicity import HAN
from vanguard.core.security import pii
from vanguard.members.models import Category, Education, Gender, MemberStatus, Stage
from vanguard.members.pinyin import initials

T = TypeVar("T")

# The demo's "today": ages, dates and stages are laid out relative to it, so the data never drifts.
REFERENCE_DATE: Final = date(2026, 1, 1)
# 长沙县's GB/T 2260 code: a real county's, so the numbers look right (the demo county is fictional).
AREA_CODE: Final = "430121"
ADULT_AGE: Final = 18
YOUNGEST: Final = 23  # old enough for the whole pipeline (3½ years at most) to start at 18 or later

C, E = Category, Education


class BranchKind(StrEnum):
    VILLAGE = "village"  # 村党支部
    COMMUNITY = "community"  # 社区党支部
    OFFICE = "office"  # 乡镇机关
    UNIT = "unit"  # 县直机关、学校、医院、派出所…


@dataclass(frozen=True, slots=True)
class Profile:
    size: tuple[int, int]  # members per branch
    female: float
    categories: Mapping[Category, float]
    residents_per_member: tuple[int, int] | None = None  # villages and communities record a population


PROFILES: Final[Mapping[BranchKind, Profile]] = {
    BranchKind.VILLAGE: Profile(
        (38, 66),
        0.10,
        {
            C.RURAL: 0.72,
            C.FLOATING: 0.15,
            C.RETIRED: 0.03,
            C.LOW_INCOME: 0.04,
            C.NON_PUBLIC: 0.04,
            C.EMPLOYED: 0.02,
        },
        (22, 40),
    ),
    BranchKind.COMMUNITY: Profile(
        (24, 48),
        0.32,
        {
            C.RETIRED: 0.35,
            C.EMPLOYED: 0.12,
            C.NON_PUBLIC: 0.18,
            C.FLOATING: 0.12,
            C.UNEMPLOYED: 0.1,
            C.LOW_INCOME: 0.08,
            C.RURAL: 0.05,
        },
        (60, 140),
    ),
    BranchKind.OFFICE: Profile((10, 20), 0.22, {C.EMPLOYED: 0.88, C.RETIRED: 0.12}),
    BranchKind.UNIT: Profile((20, 50), 0.27, {C.EMPLOYED: 0.76, C.RETIRED: 0.22, C.STUDENT: 0.02}),
}

AGE_BANDS: Final = ((YOUNGEST, 35), (36, 45), (46, 60), (61, 88))
AGES_BY_CATEGORY: Final[Mapping[Category, tuple[float, float, float, float]]] = {
    C.RURAL: (0.15, 0.19, 0.33, 0.33),
    C.EMPLOYED: (0.38, 0.30, 0.30, 0.02),
    C.RETIRED: (0.0, 0.0, 0.06, 0.94),
    C.FLOATING: (0.55, 0.30, 0.15, 0.0),
    C.NON_PUBLIC: (0.50, 0.30, 0.20, 0.0),
    C.STUDENT: (1.0, 0.0, 0.0, 0.0),
    C.UNEMPLOYED: (0.20, 0.30, 0.50, 0.0),
    C.LOW_INCOME: (0.05, 0.10, 0.30, 0.55),
}
# Highest first, as the Education enum lists them.
EDUCATION_BY_CATEGORY: Final[Mapping[Category, tuple[float, float, float, float, float]]] = {
    C.RURAL: (0.0, 0.02, 0.05, 0.27, 0.66),
    C.EMPLOYED: (0.04, 0.50, 0.30, 0.14, 0.02),
    C.RETIRED: (0.0, 0.12, 0.20, 0.38, 0.30),
    C.FLOATING: (0.0, 0.05, 0.15, 0.40, 0.40),
    C.NON_PUBLIC: (0.01, 0.20, 0.30, 0.35, 0.14),
    C.STUDENT: (0.10, 0.70, 0.20, 0.0, 0.0),
    C.UNEMPLOYED: (0.0, 0.03, 0.12, 0.45, 0.40),
    C.LOW_INCOME: (0.0, 0.0, 0.02, 0.18, 0.80),
}
UNKNOWN_EDUCATION: Final = 0.01  # records imported without it
OCCUPATIONS: Final[Mapping[Category, Sequence[str]]] = {
    C.RURAL: ("农民", "农民", "种养大户", "农机手"),
    C.EMPLOYED: ("公务员", "教师", "医生", "护士", "民警", "事业单位人员"),
    C.RETIRED: ("离退休人员",),
    C.FLOATING: ("外出务工人员",),
    C.NON_PUBLIC: ("企业职工", "个体工商户", "企业管理人员"),
    C.STUDENT: ("学生",),
    C.UNEMPLOYED: ("无固定职业",),
    C.LOW_INCOME: ("农民", "无固定职业"),
}
ETHNICITIES: Final[Mapping[str, float]] = {
    HAN: 0.935,
    "回族": 0.025,
    "满族": 0.015,
    "蒙古族": 0.008,
    "土家族": 0.007,
    "苗族": 0.005,
    "壮族": 0.003,
    "朝鲜族": 0.002,
}
# Everyone on the roll is a member at some stage of the pipeline; most are full members.
STAGES: Final[Mapping[Stage, float]] = {
    Stage.FULL: 0.935,
    Stage.PROBATIONARY: 0.025,
    Stage.CANDIDATE: 0.012,
    Stage.ACTIVIST: 0.018,
    Stage.APPLICANT: 0.010,
}
# How far back the latest step of someone still in the pipeline lies, in days.
PIPELINE_WINDOW: Final[Mapping[Stage, int]] = {
    Stage.APPLICANT: 180,
    Stage.ACTIVIST: 700,
    Stage.CANDIDATE: 330,
    Stage.PROBATIONARY: 364,
}
MOBILE_PREFIXES: Final = (
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "186",
    "187",
    "188",
    "199",
)
NO_PHONE: Final = 0.03
# The roll keeps members who died in the last few years, with status deceased.
DECEASED_AGE: Final = 75
DECEASED_SHARE: Final = 0.05  # of members older than that
DECEASED_WITHIN_DAYS: Final = 1000
EDUCATION_SHIFT: Final = 0.4  # the young often studied one level further, the old one level less


class Weighted(Generic[T]):
    """Draws keys in proportion to their weights (the cumulative weights are computed once)."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.keys = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def draw(self, rng: random.Random) -> T:
        return self.keys[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _per_category(
    table: Mapping[Category, Sequence[float]], keys: Sequence[T]
) -> dict[Category, Weighted[T]]:
    return {category: Weighted(dict(zip(keys, weights, strict=True))) for category, weights in table.items()}


# Faker's zh_CN name lists (surnames weighted by how common they are), drawn with the demo's own rng.
SURNAMES: Final = Weighted(ChineseNames.last_names)
GIVEN_NAMES: Final = {
    Gender.MALE: Weighted(dict.fromkeys(ChineseNames.first_names_male, 1.0)),
    Gender.FEMALE: Weighted(dict.fromkeys(ChineseNames.first_names_female, 1.0)),
}
_CATEGORIES: Final = {kind: Weighted(profile.categories) for kind, profile in PROFILES.items()}
_AGE_BANDS: Final = _per_category(AGES_BY_CATEGORY, AGE_BANDS)
_EDUCATION: Final = _per_category(EDUCATION_BY_CATEGORY, list(Education))
_ETHNICITIES: Final = Weighted(ETHNICITIES)
_STAGES: Final = Weighted(STAGES)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def _gaps(rng: random.Random) -> list[int]:
    """Days between the pipeline's steps: application to activist within six months, over a year of
    training to candidate, then up to a year to probationary membership."""
    return [rng.randint(30, 180), rng.randint(366, 730), rng.randint(60, 365)]


def _steps(last: date, gaps: list[int]) -> list[date]:
    """The pipeline dates ending on `last`, one more than there are gaps."""
    dates = [last]
    for gap in reversed(gaps):
        dates.insert(0, dates[0] - timedelta(days=gap))
    return dates


def timeline(rng: random.Random, birth: date, stage: Stage) -> list[date | None]:
    """applied_on, activist_on, candidate_on, probationary_on, full_member_on: increasing, all after
    the 18th birthday, as far as the stage has come."""
    gaps = _gaps(rng)
    if stage is Stage.FULL:
        earliest = add_years(birth, ADULT_AGE) + timedelta(days=sum(gaps))
        latest = REFERENCE_DATE - timedelta(days=367)  # a year's probation, already over
        wait = min(max((latest - earliest).days, 0), int(rng.expovariate(1 / (6 * 365))))
        probationary = earliest + timedelta(days=wait)
        return [*_steps(probationary, gaps), add_years(probationary, 1)]
    done = list(Stage).index(stage) + 1
    last = REFERENCE_DATE - timedelta(days=rng.randint(1, PIPELINE_WINDOW[stage]))
    return [*_steps(last, gaps[: done - 1]), *[None] * (5 - done)]


@dataclass
class People:
    """Makes member rows; remembers the ID numbers handed out so every one is unique."""

    rng: random.Random
    _ids: set[str] = field(default_factory=set)
    _initials: dict[str, str] = field(default_factory=dict)

    def _name(self, gender: Gender) -> str:
        return str(SURNAMES.draw(self.rng)) + str(GIVEN_NAMES[gender].draw(self.rng))

    def _birth(self, category: Category, stage: Stage) -> date:
        if stage is Stage.FULL:
            low, high = _AGE_BANDS[category].draw(self.rng)
            if category is C.RETIRED:
                low = max(low, 55)
        else:
            low, high = YOUNGEST, 40
        age = self.rng.randint(low, high)  # exactly this old on the reference date
        born_after = add_years(REFERENCE_DATE, -age - 1)
        span = (add_years(REFERENCE_DATE, -age) - born_after).days
        return born_after + timedelta(days=self.rng.randint(1, span))

    def _education(self, category: Category, birth: date) -> Education | None:
        if self.rng.random() < UNKNOWN_EDUCATION:
            return None
        levels = list(Education)
        level = levels.index(_EDUCATION[category].draw(self.rng))
        age = REFERENCE_DATE.year - birth.year
        if age <= 35 and self.rng.random() < EDUCATION_SHIFT:
            level = max(level - 1, 0)
        elif age > 60 and self.rng.random() < EDUCATION_SHIFT:
            level = min(level + 1, len(levels) - 1)
        return levels[level]

    def id_number(self, birth: date, gender: Gender) -> str:
        prefix = f"{AREA_CODE}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        while True:
            sequence = self.rng.randrange(500) * 2 + (1 if gender is Gender.MALE else 0)
            body = f"{prefix}{sequence:03d}"
            number = body + idcard.check_char(body)
            if number not in self._ids:
                self._ids.add(number)
                return number

    def _phone(self) -> str | None:
        if self.rng.random() < NO_PHONE:
            return None
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def member(self, org_id: int, kind: BranchKind) -> dict[str, object]:
        rng, profile = self.rng, PROFILES[kind]
        stage = _STAGES.draw(rng)
        category = _CATEGORIES[kind].draw(rng)
        while stage is not Stage.FULL and category in {C.RETIRED, C.LOW_INCOME}:
            category = _CATEGORIES[kind].draw(rng)
        gender = Gender.FEMALE if rng.random() < profile.female else Gender.MALE
        birth = self._birth(category, stage)
        number = self.id_number(birth, gender)
        name = self._name(gender)
        steps = timeline(rng, birth, stage)
        applied, activist, candidate, probationary, full = steps
        status, left_on, left_reason = MemberStatus.NORMAL, None, None
        if add_years(birth, DECEASED_AGE) < REFERENCE_DATE and rng.random() < DECEASED_SHARE:
            status, left_reason = MemberStatus.DECEASED, "病故"
            died = REFERENCE_DATE - timedelta(days=rng.randint(30, DECEASED_WITHIN_DAYS))
            left_on = max(died, *(d + timedelta(days=1) for d in steps if d is not None))
        return {
            "org_id": org_id,
            "name": name,
            "name_initials": self._initials.get(name) or self._initials.setdefault(name, initials(name)),
            "gender": gender,
            "ethnicity": _ETHNICITIES.draw(rng),
            "birth_date": birth,
            "id_number_digest": pii.lookup_digest(number),
            "id_number_cipher": pii.encrypt(number),
            "id_number_masked": idcard.mask(number),
            "phone": self._phone(),
            "education": self._education(category, birth),
            "occupation": rng.choice(OCCUPATIONS[category]),
            "category": category,
            "stage": stage,
            "applied_on": applied,
            "activist_on": activist,
            "candidate_on": candidate,
            "probationary_on": probationary,
            "full_member_on": full,
            "status": status,
            "left_on": left_on,
            "left_reason": left_reason,
            "version": 1,
        }
