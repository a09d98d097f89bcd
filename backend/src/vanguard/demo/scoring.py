"""党员积分 for the demo county: this year's scheme for the sample branch's town, with
study, pairing and complaint rules, a democratic evaluation round in every branch of the town (the
superior's, the member's own and two fellow members' ballots for each member), a few approved bonus and
deduction items, then the scores computed and published — so rankings, the score distribution, a
member's explanation and the follow-up cases of the few graded 不合格 all have something to show. All of
it goes through the real scoring services as the county department and the sample branch's secretary."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.auth.service import user_principal
from vanguard.core.clock import local_today
from vanguard.demo.study import demo_town_branches
from vanguard.members.models import Member, MemberStatus
from vanguard.scoring import evaluation, results
from vanguard.scoring import service as scoring
from vanguard.scoring.models import Grade, ItemKind, RaterGroup, RuleWindow, Source
from vanguard.scoring.schemas import (
    BallotCreate,
    ComponentWeights,
    ManualItemCreate,
    ManualItemDecision,
    RoundCreate,
    RuleIn,
    SchemeCreate,
)
from vanguard.users.models import User

RULES = [
    RuleIn(source=Source.STUDY_HOURS, points_per_unit=Decimal("0.5"), cap=Decimal("20"), label="学习学时"),
    RuleIn(source=Source.MEETINGS_ABSENT, points_per_unit=Decimal("-2"), label="无故缺席组织生活"),
    RuleIn(source=Source.PAIRING_VISITS, points_per_unit=Decimal("2"), cap=Decimal("10"), label="结对走访"),
    RuleIn(
        source=Source.MUST_VISITS_ON_TIME,
        points_per_unit=Decimal("2"),
        cap=Decimal("6"),
        period=RuleWindow.QUARTER,
        label="四必访按时走访",
    ),
    RuleIn(
        source=Source.COMPLAINTS_ON_TIME,
        points_per_unit=Decimal("1"),
        cap=Decimal("10"),
        label="按时办结诉求",
    ),
]
# How members stand in the eyes of their branch: most are 合格, some 优秀, a few weaker.
STANDING = ((Grade.EXCELLENT, 0.22), (Grade.QUALIFIED, 0.68), (Grade.BASIC, 0.07), (Grade.UNQUALIFIED, 0.03))
ITEMS = (
    (ItemKind.BONUS, Decimal("5"), "抗洪抢险中带头冲锋，受到县委通报表扬"),
    (ItemKind.BONUS, Decimal("3"), "带领群众发展合作社，帮助12户增收"),
    (ItemKind.DEDUCTION, Decimal("4"), "连续两个月未按时交纳党费，经提醒后补交"),
)


@dataclass(frozen=True)
class ScoringSeeded:
    scheme_id: int
    rounds: int
    ballots: int
    members: int


def seed_scoring(
    session: Session,
    *,
    department: User,
    secretary: User,
    sample_branch_id: int,
    now: datetime,
    seed: int = 20260701,
) -> ScoringSeeded:
    rng = random.Random(seed)
    county = user_principal(session, department)
    branches = demo_town_branches(session, sample_branch_id)
    town_id = branches[0].parent_id
    assert town_id is not None
    year = local_today(now).year
    scheme = scoring.create_scheme(
        session,
        county,
        SchemeCreate(
            org_id=town_id,
            name=f"{year}年度党员积分",
            year=year,
            rules=RULES,
            # Full marks for what a diligent member reaches in a year; the evaluation weighs most.
            full_points=Decimal("25"),
            component_weights=ComponentWeights(points=Decimal("0.2"), evaluation=Decimal("0.8")),
        ),
    )
    ballots = members = 0
    for branch in branches:
        roll = list(evaluation.round_roll(session, branch.id))  # whom the round evaluates
        members += len(roll)
        r = evaluation.create_round(session, county, scheme.id, RoundCreate(org_id=branch.id))
        for i, member_id in enumerate(roll):
            standing = _standing(rng)
            fellows = [roll[(i + step) % len(roll)] for step in (1, 2) if len(roll) > step]
            casts = [
                BallotCreate(member_id=member_id, rater_group=RaterGroup.SUPERIOR, grade=standing),
                BallotCreate(
                    member_id=member_id,
                    rater_group=RaterGroup.SELF,
                    rater_member_id=member_id,
                    grade=Grade.EXCELLENT if standing is Grade.EXCELLENT else Grade.QUALIFIED,
                ),
                *(
                    BallotCreate(
                        member_id=member_id,
                        rater_group=RaterGroup.FELLOW,
                        rater_member_id=fellow,
                        score=_fellow_score(rng, standing),
                    )
                    for fellow in fellows
                ),
            ]
            for cast in casts:
                evaluation.cast_ballot(session, county, r.id, cast)
            ballots += len(casts)
        evaluation.close_round(session, county, r.id, f'"{r.version}"', now=now)
    _items(session, scheme.id, department, secretary, sample_branch_id)
    results.recompute(session, county, scheme.id, now=now, today=local_today(now))
    session.refresh(scheme)
    results.publish(session, county, scheme.id, f'"{scheme.version}"', now=now)
    return ScoringSeeded(scheme_id=scheme.id, rounds=len(branches), ballots=ballots, members=members)


def _standing(rng: random.Random) -> Grade:
    draw, total = rng.random(), 0.0
    for grade, share in STANDING:
        total += share
        if draw < total:
            return grade
    return Grade.QUALIFIED


def _fellow_score(rng: random.Random, standing: Grade) -> Decimal:
    centre = {Grade.EXCELLENT: 94, Grade.QUALIFIED: 84, Grade.BASIC: 66, Grade.UNQUALIFIED: 50}[standing]
    return Decimal(max(0, min(100, centre + rng.randint(-5, 5))))


def _items(session: Session, scheme_id: int, department: User, secretary: User, branch_id: int) -> None:
    """The secretary asks for bonus and deduction points in the sample branch; the department decides."""
    asker, decider = user_principal(session, secretary), user_principal(session, department)
    roll = session.scalars(
        select(Member.id)
        .where(Member.org_id == branch_id, Member.status == MemberStatus.NORMAL)
        .order_by(Member.id)
        .limit(len(ITEMS))
    ).all()
    for member_id, (kind, points, reason) in zip(roll, ITEMS, strict=False):
        item = scoring.create_item(
            session,
            asker,
            scheme_id,
            ManualItemCreate(member_id=member_id, kind=kind, points=points, reason=reason),
        )
        scoring.decide_item(
            session, decider, item.id, True, ManualItemDecision(note="情况属实"), f'"{item.version}"'
        )
