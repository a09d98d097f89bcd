"""A deterministic demo county: a county committee, township and system committees, general
branches, several hundred branches with Party groups, and ~20,000 believable members (see
`vanguard.demo.people`); villages, communities, townships and the county record their population."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from vanguard.audit.hook import record_event
from vanguard.demo.people import PROFILES, BranchKind, People
from vanguard.members.models import Member
from vanguard.orgs.models import Organisation, OrgKind

COUNTY = "中共青山县委员会"
TOWNSHIPS = [
    "城关镇",
    "河口镇",
    "石桥镇",
    "柳林镇",
    "东坝镇",
    "西岭乡",
    "南湖乡",
    "北山乡",
    "白沙镇",
    "青龙镇",
    "马店镇",
    "黄岗乡",
    "枫树乡",
    "双河镇",
    "桃源镇",
    "杨庄乡",
    "龙泉镇",
    "新集乡",
    "三溪镇",
    "梅岭乡",
]
SYSTEMS = [
    "青山县教育局",
    "青山县卫生健康系统",
    "青山县公安局",
    "青山县交通运输局",
    "青山县农业农村局",
    "青山县市场监督管理局",
]
ORGANS = [
    "县委办公室",
    "县政府办公室",
    "县发展和改革委员会",
    "县财政局",
    "县民政局",
    "县人力资源和社会保障局",
]
COMMUNITY_SHARE = 0.15  # of the branches a township has for its villages and communities
TOWN_OFFICES = ["党政办", "经济发展办", "社会事务办", "综合执法队"]
INSERT_CHUNK = 2000
VILLAGE_STEMS = [
    "张家",
    "李庄",
    "王湾",
    "刘集",
    "陈坪",
    "杨柳",
    "赵岗",
    "黄泥",
    "周塘",
    "吴桥",
    "徐楼",
    "孙坝",
    "胡岭",
    "朱圩",
    "高庄",
    "林场",
    "何寨",
    "郭河",
    "马鞍",
    "罗湾",
    "梁山",
    "宋店",
    "郑岗",
    "谢湖",
    "韩庄",
    "唐湾",
]


@dataclass(frozen=True)
class DemoSummary:
    orgs: int
    members: int
    county_id: int
    sample_branch_id: int


@dataclass(frozen=True, slots=True)
class BranchPlan:
    """A branch still to be created: how many members it will have and, for villages and
    communities, the residents it serves."""

    name: str
    kind: BranchKind
    size: int
    population: int | None


@dataclass(frozen=True, slots=True)
class DemoBranch:
    org_id: int
    kind: BranchKind
    size: int


def _add_org(
    session: Session,
    name: str,
    kind: OrgKind,
    parent: Organisation | None,
    code: str,
    fake: Faker,
    population: int | None = None,
) -> Organisation:
    """Adds an org without flushing: siblings go in together; the flush completes their paths."""
    org = Organisation(
        name=name,
        kind=kind,
        parent_id=parent.id if parent else None,
        path=parent.path if parent else "/",
        depth=parent.depth + 1 if parent else 0,
        code=code,
        secretary_name=fake.name(),
        contact_phone=fake.phone_number(),
        established_on=date(1950, 1, 1) + timedelta(days=fake.random_int(0, 25000)),
        population=population,
    )
    session.add(org)
    return org


def _org(
    session: Session,
    name: str,
    kind: OrgKind,
    parent: Organisation | None,
    code: str,
    fake: Faker,
    population: int | None = None,
) -> Organisation:
    org = _add_org(session, name, kind, parent, code, fake, population)
    session.flush()
    return org


def _plan(rng: random.Random, names: list[str], kind: BranchKind) -> list[BranchPlan]:
    return [_plan_one(rng, name, kind) for name in names]


def _plan_one(rng: random.Random, name: str, kind: BranchKind) -> BranchPlan:
    profile = PROFILES[kind]
    size = rng.randint(*profile.size)
    population = None
    if profile.residents_per_member is not None:
        population = round(size * rng.randint(*profile.residents_per_member), -1)
    return BranchPlan(name, kind, size, population)


def _population(plans: list[BranchPlan]) -> int:
    return sum(plan.population or 0 for plan in plans)


def _branches_of(
    session: Session,
    parent: Organisation,
    plans: list[BranchPlan],
    code_prefix: str,
    rng: random.Random,
    fake: Faker,
) -> list[DemoBranch]:
    orgs = [
        _add_org(
            session, f"{p.name}党支部", OrgKind.BRANCH, parent, f"{code_prefix}{i:02d}", fake, p.population
        )
        for i, p in enumerate(plans, 1)
    ]
    session.flush()
    for org, plan in zip(orgs, plans, strict=True):
        if rng.random() < 0.25:  # larger branches organise Party groups
            for g in range(1, rng.randint(2, 3) + 1):
                _add_org(session, f"{plan.name}第{g}党小组", OrgKind.GROUP, org, f"{org.code}G{g}", fake)
    session.flush()
    return [DemoBranch(org.id, plan.kind, plan.size) for org, plan in zip(orgs, plans, strict=True)]


def _villages(rng: random.Random, count: int) -> list[BranchPlan]:
    stems = rng.sample(VILLAGE_STEMS, k=min(count, len(VILLAGE_STEMS)))
    while len(stems) < count:
        stems.append(f"{rng.choice(VILLAGE_STEMS)}{len(stems) + 1}")
    plans = []
    for stem in stems:
        kind = BranchKind.COMMUNITY if rng.random() < COMMUNITY_SHARE else BranchKind.VILLAGE
        plans.append(_plan_one(rng, stem + ("社区" if kind is BranchKind.COMMUNITY else "村"), kind))
    return plans


def _build_tree(session: Session, rng: random.Random, fake: Faker) -> tuple[Organisation, list[DemoBranch]]:
    towns = [(town, _villages(rng, rng.randint(12, 20))) for town in TOWNSHIPS]
    county_population = sum(_population(villages) for _, villages in towns)
    county = _org(session, COUNTY, OrgKind.COMMITTEE, None, "QS", fake, county_population)
    branches: list[DemoBranch] = []
    for t, (town, villages) in enumerate(towns, 1):
        code = f"QS-T{t:02d}"
        committee = _org(
            session, f"中共{town}委员会", OrgKind.COMMITTEE, county, code, fake, _population(villages)
        )
        branches += _branches_of(session, committee, villages, f"{code}-", rng, fake)
        if rng.random() < 0.5:
            general = _org(session, f"{town}机关党总支", OrgKind.GENERAL_BRANCH, committee, f"{code}-Z", fake)
            offices = _plan(rng, TOWN_OFFICES, BranchKind.OFFICE)
            branches += _branches_of(session, general, offices, f"{code}-Z", rng, fake)
    organs = _org(session, "中共青山县直属机关工作委员会", OrgKind.WORKING_COMMITTEE, county, "QS-JG", fake)
    branches += _branches_of(session, organs, _plan(rng, ORGANS, BranchKind.UNIT), "QS-JG-", rng, fake)
    for s, system in enumerate(SYSTEMS, 1):
        committee = _org(session, f"中共{system}委员会", OrgKind.COMMITTEE, county, f"QS-S{s:02d}", fake)
        for g in range(1, rng.randint(3, 5) + 1):
            code = f"QS-S{s:02d}-Z{g}"
            general = _org(session, f"{system}第{g}党总支", OrgKind.GENERAL_BRANCH, committee, code, fake)
            units = [f"{system}第{g}总支第{b}" for b in range(1, rng.randint(3, 6) + 1)]
            branches += _branches_of(
                session, general, _plan(rng, units, BranchKind.UNIT), f"{code}-", rng, fake
            )
    return county, branches


def _members(branches: list[DemoBranch], people: People) -> Iterator[dict[str, object]]:
    for branch in branches:
        for _ in range(branch.size):
            yield people.member(branch.org_id, branch.kind)


# Rows keep their None values (render_nulls): otherwise the ORM splits a chunk by which columns are null.
_INSERT = insert(Member).execution_options(render_nulls=True)


def _insert_in_chunks(session: Session, rows: Iterator[dict[str, object]]) -> int:
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == INSERT_CHUNK:
            session.execute(_INSERT, chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        session.execute(_INSERT, chunk)
    return count + len(chunk)


def seed_demo(session: Session, *, seed: int = 20260701) -> DemoSummary | None:
    """Load the demo county unless any organisation exists already (then None: nothing is touched)."""
    if session.scalar(select(func.count()).select_from(Organisation)):
        return None
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    county, branches = _build_tree(session, rng, fake)
    # The members go in as bulk statements, in chunks; one audit event records the batch.
    members = _insert_in_chunks(session, _members(branches, People(rng)))
    record_event(
        session,
        entity="members",
        entity_id="*",
        action="seed_demo",
        org_id=county.id,
        after={"members": members},
    )
    org_count = session.scalar(select(func.count()).select_from(Organisation)) or 0
    return DemoSummary(
        orgs=org_count, members=members, county_id=county.id, sample_branch_id=branches[0].org_id
    )
