"""结对帮扶 for the demo county: in every branch with enough members, a member in hardship and a
household of the masses, each paired with a member of the branch, a few visits (one with a follow-up
now overdue), and must-visit tasks (四必访) — one overdue, one still open; the secretary's own branch
also gets a pair led by the secretary, and tasks already visited or closed. All of it goes through the
real pairing service (caps, dates and the one-active-pair rule hold), deterministically: the same
branches give the same ledger, dated back from `today`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vanguard.core.permissions import Scope
from vanguard.members.models import Member, MemberStatus
from vanguard.orgs.models import Organisation, OrgKind
from vanguard.pairing import service as pairing
from vanguard.pairing.models import (
    BeneficiaryKind,
    EventType,
    GoalTag,
    PairKind,
    PairStatus,
    TaskClosure,
    VisitType,
)
from vanguard.pairing.schemas import (
    BeneficiaryCreate,
    EventCreate,
    Goal,
    PairCreate,
    PairEnd,
    TaskClose,
    VisitCreate,
)
from vanguard.users.models import User

HOUSEHOLD_HEADS = ["王桂兰", "李长顺", "张秀芝", "刘德福", "陈玉梅", "杨守田", "赵凤英", "黄振山"]
SITUATIONS = [
    ("老伴常年患病，儿子在外务工，家中缺劳力", "申请临时救助，协调医保报销"),
    ("因病致贫，两个孩子上学开支大", "帮助对接产业项目，增加家庭收入"),
    ("独居老人，房屋年久失修", "危房改造，日常生活照料"),
    ("残疾人家庭，主要靠低保生活", "技能培训，推荐公益性岗位"),
]
GOALS = [
    [
        Goal(tag=GoalTag.TECHNOLOGY, target="掌握大棚蔬菜种植技术"),
        Goal(tag=GoalTag.POVERTY_EXIT, target="年人均纯收入增加3000元"),
    ],
    [Goal(tag=GoalTag.PROJECT, target="发展庭院养殖，存栏生猪5头")],
    [
        Goal(tag=GoalTag.PROJECT, target="加入村集体合作社并分红"),
        Goal(tag=GoalTag.TECHNOLOGY, target="参加电商培训一次"),
    ],
]
MIN_MEMBERS = 4  # a branch needs two helpers and a member in hardship (and a spare)


@dataclass(frozen=True)
class PairingSeeded:
    branches: int
    beneficiaries: int
    pairs: int
    visits: int
    tasks: int


def demo_branches(session: Session) -> list[int]:
    """Branches with enough members in good standing, in id order."""
    counted = (
        select(Organisation.id)
        .join(Member, Member.org_id == Organisation.id)
        .where(Organisation.kind == OrgKind.BRANCH, Member.status == MemberStatus.NORMAL)
        .group_by(Organisation.id)
        .having(func.count(Member.id) >= MIN_MEMBERS)
        .order_by(Organisation.id)
    )
    return list(session.scalars(counted))


def seed_pairing(
    session: Session, *, secretary: User, today: date, branch_ids: list[int] | None = None
) -> PairingSeeded:
    """A handful of pairing records in each branch (default: every branch `demo_branches` finds)."""
    scope = Scope.everything()
    branches = demo_branches(session) if branch_ids is None else branch_ids
    totals = {"beneficiaries": 0, "pairs": 0, "visits": 0, "tasks": 0}
    for n, branch_id in enumerate(branches):
        people = list(
            session.scalars(
                select(Member)
                .where(Member.org_id == branch_id, Member.status == MemberStatus.NORMAL)
                .order_by(Member.id)
                .limit(MIN_MEMBERS)
            )
        )
        if len(people) < MIN_MEMBERS:
            continue
        cadre = secretary if secretary.org_id == branch_id else None
        counts = _seed_branch(session, scope, branch_id, people, n, today, cadre)
        for key, value in counts.items():
            totals[key] += value
    return PairingSeeded(branches=len(branches), **totals)


def _seed_branch(
    session: Session,
    scope: Scope,
    branch_id: int,
    people: list[Member],
    n: int,
    today: date,
    cadre: User | None,
) -> dict[str, int]:
    first_helper, second_helper, in_hardship = people[0], people[1], people[-1]
    situation, needs = SITUATIONS[n % len(SITUATIONS)]
    branch = session.get_one(Organisation, branch_id)
    village = branch.name.removesuffix("党支部").removeprefix("中共")

    hardship = pairing.create_beneficiary(
        session,
        scope,
        BeneficiaryCreate(
            kind=BeneficiaryKind.MEMBER, member_id=in_hardship.id, situation=situation, needs=needs
        ),
    )
    household = pairing.create_beneficiary(
        session,
        scope,
        BeneficiaryCreate(
            kind=BeneficiaryKind.HOUSEHOLD,
            org_id=branch_id,
            head_name=HOUSEHOLD_HEADS[n % len(HOUSEHOLD_HEADS)],
            address=f"{village}{n % 9 + 1}组{n % 37 + 1}号",
            village=village,
            household_size=n % 4 + 2,
            situation=SITUATIONS[(n + 1) % len(SITUATIONS)][0],
            needs=SITUATIONS[(n + 1) % len(SITUATIONS)][1],
            contact_phone=f"139{n % 10000:04d}{(n * 7919) % 10000:04d}",
        ),
    )
    started = today - timedelta(days=200 + n % 60)
    poverty = pairing.create_pair(
        session,
        scope,
        PairCreate(
            helper_member_id=first_helper.id,
            beneficiary_id=hardship.id,
            kind=PairKind.POVERTY,
            goals=GOALS[n % len(GOALS)],
            started_on=started,
            ends_on=date(today.year + 1, 12, 31),
        ),
        today=today,
    )
    linked = pairing.create_pair(
        session,
        scope,
        PairCreate(
            helper_member_id=second_helper.id,
            beneficiary_id=household.id,
            kind=PairKind.MEMBER_HOUSEHOLD,
            goals=GOALS[(n + 1) % len(GOALS)],
            started_on=started + timedelta(days=30),
        ),
        today=today,
    )
    pairs, visits = 2, 0
    for pair_id, days_ago, kind, work, money, follow_up in (
        (poverty.id, 150, VisitType.ROUTINE, "入户了解家庭收支情况，宣讲惠民政策", Decimal("500.00"), None),
        (poverty.id, 40, VisitType.ROUTINE, "送去米面油，协调村医上门体检", None, "协助办理慢性病医保报销"),
        (linked.id, 60, VisitType.ROUTINE, "帮助联系县农技站，讲解果树冬季修剪", None, None),
    ):
        visited_on = today - timedelta(days=days_ago)
        pairing.create_visit(
            session,
            scope,
            pair_id,
            VisitCreate(
                visited_on=visited_on,
                type=kind,
                work_done=work,
                money_given=money,
                goods_value=Decimal("200.00") if follow_up else None,
                follow_up=follow_up,
                # Due a fortnight after the visit and never marked done: an overdue follow-up.
                follow_up_due_on=visited_on + timedelta(days=14) if follow_up else None,
            ),
            today=today,
        )
        visits += 1

    tasks = 0
    # Fell ill a fortnight ago and nobody has visited yet: overdue.
    pairing.record_event(
        session,
        scope,
        EventCreate(
            member_id=in_hardship.id,
            event=EventType.ILLNESS,
            occurred_on=today - timedelta(days=14),
            note="突发脑梗住院治疗",
        ),
        today=today,
    )
    # A family dispute of a member nobody is paired with, yesterday: still open, the branch's to visit.
    pairing.record_event(
        session,
        scope,
        EventCreate(
            member_id=people[2].id,
            event=EventType.FAMILY_DISPUTE,
            occurred_on=today - timedelta(days=1),
            note="与兄弟因赡养老人问题发生矛盾",
        ),
        today=today,
    )
    tasks += 2

    if cadre is not None:
        # The secretary's branch: the secretary helps too, and some tasks were already dealt with.
        pairing.create_pair(
            session,
            scope,
            PairCreate(
                helper_user_id=cadre.id,
                beneficiary_id=hardship.id,
                kind=PairKind.CADRE_MEMBER,
                goals=[Goal(tag=GoalTag.POVERTY_EXIT, target="两年内实现稳定脱贫")],
                started_on=started,
            ),
            today=today,
        )
        pairs += 1
        hardship_task = pairing.record_event(
            session,
            scope,
            EventCreate(
                member_id=in_hardship.id,
                event=EventType.HARDSHIP,
                occurred_on=today - timedelta(days=30),
                note="房屋漏雨，冬季取暖困难",
            ),
            today=today,
        )
        pairing.create_visit(
            session,
            scope,
            poverty.id,
            VisitCreate(
                visited_on=hardship_task.occurred_on + timedelta(days=2),
                type=VisitType.HARDSHIP,
                work_done="送去棉被和取暖煤，联系施工队修缮屋顶",
                goods_value=Decimal("800.00"),
            ),
            today=today,
        )
        visits += 1
        wedding = pairing.record_event(
            session,
            scope,
            EventCreate(
                member_id=people[1].id,
                event=EventType.WEDDING_FUNERAL,
                occurred_on=today - timedelta(days=20),
                note="父亲去世",
            ),
            today=today,
        )
        pairing.close_task(
            session,
            scope,
            wedding.id,
            TaskClose(closed_as=TaskClosure.CLOSED, reason="支部书记带队上门吊唁慰问"),
            None,
            today=today,
        )
        tasks += 2
    elif n % 5 == 4:
        # Now and then a pair has run its course.
        pairing.end_pair(
            session,
            scope,
            linked.id,
            PairEnd(status=PairStatus.COMPLETED, ended_on=today - timedelta(days=10)),
            None,
            today=today,
        )
    return {"beneficiaries": 2, "pairs": pairs, "visits": visits, "tasks": tasks}
