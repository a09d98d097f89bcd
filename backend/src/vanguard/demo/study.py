"""组织生活 for the demo county: in every branch of one town (the sample branch's), this year's 三会一课
up to today — 支委会 monthly (where the branch has one), 支部党员大会 and 党课 quarterly, 主题党日 monthly,
党小组会 monthly in its groups — with attendance taken. Branches differ in diligence, so the compliance
report and the home dashboard show some that met every requirement and some that missed months. All of it
goes through the real study service, deterministically from the seed and `now`."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.core.clock import local_today
from vanguard.core.permissions import Scope
from vanguard.core.policy import STUDY_MAX_BULK
from vanguard.members.models import Member, MemberStatus
from vanguard.orgs.models import Organisation, OrgKind
from vanguard.study import service as study
from vanguard.study.models import ActivityKind, AttendanceStatus
from vanguard.study.schemas import ActivityCreate, AttendanceBulk, AttendanceEntry

COMMITTEE_SIZE = 5  # the 支委会: the first members on the roll
MIN_FOR_COMMITTEE = 7  # 党员7人以上的党支部设立支部委员会
# How often a branch holds a required meeting: most always, some now and then.
DILIGENCE = (1.0, 1.0, 0.95, 0.9, 0.75)
LEAVE_REASONS = ("外出务工", "生病住院", "照顾家人", "参加县里培训")

TOPICS: dict[ActivityKind, tuple[str, ...]] = {
    ActivityKind.COMMITTEE_MEETING: (
        "研究本月党员发展和教育管理工作",
        "研究困难党员帮扶和群众诉求办理",
        "研究村集体经济发展项目",
        "研究党费收缴和组织生活安排",
    ),
    ActivityKind.THEME_DAY: (
        "重温入党誓词，开展志愿服务",
        "学习党章党规，清理村容村貌",
        "走访慰问困难群众",
        "学习新修订的党纪处分条例",
        "森林防火和安全生产宣传",
    ),
    ActivityKind.BRANCH_MEETING: (
        "传达学习上级会议精神，通报支部工作",
        "讨论发展对象，听取群众意见",
        "组织生活会暨民主评议党员",
    ),
    ActivityKind.PARTY_LECTURE: (
        "书记讲党课：发扬党的优良传统",
        "党课：乡村振兴与基层党建",
        "党课：从严治党，严守纪律",
    ),
    ActivityKind.GROUP_MEETING: ("学习讨论本月学习篇目", "交流思想，开展批评与自我批评"),
}
HOURS = {
    ActivityKind.COMMITTEE_MEETING: Decimal("1.5"),
    ActivityKind.THEME_DAY: Decimal("3"),
    ActivityKind.BRANCH_MEETING: Decimal("2"),
    ActivityKind.PARTY_LECTURE: Decimal("2"),
    ActivityKind.GROUP_MEETING: Decimal("1"),
}
MONTHLY = (ActivityKind.COMMITTEE_MEETING, ActivityKind.THEME_DAY)
QUARTERLY = (ActivityKind.BRANCH_MEETING, ActivityKind.PARTY_LECTURE)


@dataclass(frozen=True)
class StudySeeded:
    branches: int
    activities: int
    attendance: int


def demo_town_branches(session: Session, sample_branch_id: int) -> list[Organisation]:
    """The branches of the sample branch's town, in id order."""
    branch = session.get_one(Organisation, sample_branch_id)
    town = session.get_one(Organisation, branch.parent_id) if branch.parent_id else branch
    return list(
        session.scalars(
            select(Organisation)
            .where(Scope(town.path).clause(Organisation.path), Organisation.kind == OrgKind.BRANCH)
            .order_by(Organisation.id)
        )
    )


def seed_study(
    session: Session, *, sample_branch_id: int, now: datetime, seed: int = 20260701
) -> StudySeeded:
    scope = Scope.everything()
    activities = attendance = 0
    branches = demo_town_branches(session, sample_branch_id)
    for branch in branches:
        rng = random.Random(seed + branch.id)
        # The sample branch is a diligent one, so the secretary's own report starts out clean.
        diligence = 1.0 if branch.id == sample_branch_id else rng.choice(DILIGENCE)
        roll = _roll(session, branch.id)
        groups = list(
            session.scalars(
                select(Organisation.id).where(Organisation.parent_id == branch.id).order_by(Organisation.id)
            )
        )
        for org_id, kind, starts_at in _calendar(rng, branch.id, groups, now):
            if kind is ActivityKind.COMMITTEE_MEETING and len(roll) < MIN_FOR_COMMITTEE:
                continue
            if rng.random() >= diligence:
                continue
            expected = roll[:COMMITTEE_SIZE] if kind is ActivityKind.COMMITTEE_MEETING else None
            activity = study.create_activity(
                session,
                scope,
                ActivityCreate(
                    org_id=org_id,
                    kind=kind,
                    starts_at=starts_at,
                    place="村党群服务中心",
                    topic=rng.choice(TOPICS[kind]),
                    hours=HOURS[kind],
                    expected_member_ids=expected,
                ),
            )
            activities += 1
            on_list = sorted(study.expected_member_ids(session, [activity])[activity.id])
            entries = [_entry(rng, member_id) for member_id in on_list]
            for start in range(0, len(entries), STUDY_MAX_BULK):
                chunk = entries[start : start + STUDY_MAX_BULK]
                study.set_attendance(session, scope, activity.id, AttendanceBulk(entries=chunk), now=now)
            attendance += len(entries)
    return StudySeeded(branches=len(branches), activities=activities, attendance=attendance)


def _roll(session: Session, org_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Member.id)
            .where(Member.org_id == org_id, Member.status == MemberStatus.NORMAL)
            .order_by(Member.id)
        )
    )


def _calendar(
    rng: random.Random, branch_id: int, groups: list[int], now: datetime
) -> Iterator[tuple[int, ActivityKind, datetime]]:
    """Every meeting this year whose time has come: (org, kind, start in UTC)."""
    today = local_today(now)
    for month in range(1, today.month + 1):
        kinds = list(MONTHLY) + (list(QUARTERLY) if month % 3 == 2 else [])  # quarterly ones mid-quarter
        held = [(branch_id, kind) for kind in kinds] + [(g, ActivityKind.GROUP_MEETING) for g in groups]
        for org_id, kind in held:
            day = date(today.year, month, rng.randint(3, 26))
            # 09:00 in China is 01:00 UTC.
            starts_at = datetime(day.year, day.month, day.day, 1, tzinfo=UTC) + timedelta(
                hours=rng.choice((0, 6))
            )
            if starts_at < now:
                yield org_id, kind, starts_at


def _entry(rng: random.Random, member_id: int) -> AttendanceEntry:
    draw = rng.random()
    if draw < 0.88:
        return AttendanceEntry(member_id=member_id, status=AttendanceStatus.PRESENT)
    if draw < 0.96:
        return AttendanceEntry(
            member_id=member_id, status=AttendanceStatus.EXCUSED, leave_reason=rng.choice(LEAVE_REASONS)
        )
    return AttendanceEntry(member_id=member_id, status=AttendanceStatus.ABSENT)
