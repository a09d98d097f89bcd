"""A deterministic demo county: a county committee, township and system committees, general
branches, several hundred branches with Party groups, a few thousand members with Chinese names."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from vanguard.audit.hook import record_event
from vanguard.members.models import Gender, Member, MemberStatus
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
VILLAGE_SUFFIXES = ["村", "社区"]
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


def _org(
    session: Session, name: str, kind: OrgKind, parent: Organisation | None, code: str, fake: Faker
) -> Organisation:
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
    )
    session.add(org)
    session.flush()
    return org


def _branches_of(
    session: Session,
    parent: Organisation,
    names: list[str],
    code_prefix: str,
    rng: random.Random,
    fake: Faker,
) -> list[Organisation]:
    branches = []
    for i, name in enumerate(names, 1):
        branch = _org(session, f"{name}党支部", OrgKind.BRANCH, parent, f"{code_prefix}{i:02d}", fake)
        branches.append(branch)
        if rng.random() < 0.25:  # larger branches organise Party groups
            for g in range(1, rng.randint(2, 3) + 1):
                _org(session, f"{name}第{g}党小组", OrgKind.GROUP, branch, f"{branch.code}G{g}", fake)
    return branches


def _villages(rng: random.Random, count: int) -> list[str]:
    stems = rng.sample(VILLAGE_STEMS, k=min(count, len(VILLAGE_STEMS)))
    while len(stems) < count:
        stems.append(f"{rng.choice(VILLAGE_STEMS)}{len(stems) + 1}")
    return [stem + rng.choice(VILLAGE_SUFFIXES) for stem in stems]


def _build_tree(session: Session, rng: random.Random, fake: Faker) -> tuple[Organisation, list[Organisation]]:
    county = _org(session, COUNTY, OrgKind.COMMITTEE, None, "QS", fake)
    branches: list[Organisation] = []
    for t, town in enumerate(TOWNSHIPS, 1):
        committee = _org(session, f"中共{town}委员会", OrgKind.COMMITTEE, county, f"QS-T{t:02d}", fake)
        villages = _villages(rng, rng.randint(12, 20))
        branches += _branches_of(session, committee, villages, f"QS-T{t:02d}-", rng, fake)
        if rng.random() < 0.5:
            general = _org(
                session, f"{town}机关党总支", OrgKind.GENERAL_BRANCH, committee, f"QS-T{t:02d}-Z", fake
            )
            offices = ["党政办", "经济发展办", "社会事务办", "综合执法队"]
            branches += _branches_of(session, general, offices, f"QS-T{t:02d}-Z", rng, fake)
    organs = _org(session, "中共青山县直属机关工作委员会", OrgKind.WORKING_COMMITTEE, county, "QS-JG", fake)
    branches += _branches_of(session, organs, ORGANS, "QS-JG-", rng, fake)
    for s, system in enumerate(SYSTEMS, 1):
        committee = _org(session, f"中共{system}委员会", OrgKind.COMMITTEE, county, f"QS-S{s:02d}", fake)
        for g in range(1, rng.randint(3, 5) + 1):
            general = _org(
                session, f"{system}第{g}党总支", OrgKind.GENERAL_BRANCH, committee, f"QS-S{s:02d}-Z{g}", fake
            )
            units = [f"{system}第{g}总支第{b}" for b in range(1, rng.randint(3, 6) + 1)]
            branches += _branches_of(session, general, units, f"QS-S{s:02d}-Z{g}-", rng, fake)
    return county, branches


def _members(branches: list[Organisation], rng: random.Random, fake: Faker) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    today = date(2026, 1, 1)
    for branch in branches:
        for _ in range(rng.randint(5, 14)):
            gender = Gender.FEMALE if rng.random() < 0.3 else Gender.MALE
            name = fake.name_female() if gender is Gender.FEMALE else fake.name_male()
            birth = today - timedelta(days=rng.randint(18 * 365 + 5, 90 * 365))
            rows.append(
                {
                    "org_id": branch.id,
                    "name": name,
                    "gender": gender,
                    "birth_date": birth,
                    "status": MemberStatus.NORMAL,
                    "version": 1,
                }
            )
    return rows


def seed_demo(session: Session, *, seed: int = 20260701) -> DemoSummary | None:
    """Load the demo county unless any organisation exists already (then None: nothing is touched)."""
    if session.scalar(select(func.count()).select_from(Organisation)):
        return None
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    county, branches = _build_tree(session, rng, fake)
    rows = _members(branches, rng, fake)
    # Thousands of demo members go in as one statement; one audit event records the batch.
    session.execute(insert(Member), rows)
    record_event(
        session,
        entity="members",
        entity_id="*",
        action="seed_demo",
        org_id=county.id,
        after={"members": len(rows)},
    )
    org_count = session.scalar(select(func.count()).select_from(Organisation)) or 0
    return DemoSummary(
        orgs=org_count, members=len(rows), county_id=county.id, sample_branch_id=branches[0].id
    )
