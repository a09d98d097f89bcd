"""The demo's 三会一课 and scores, seeded into the small test world's town 甲 (two branches, five members)
through the real services: meetings up to `now` and none after, attendance for everyone expected, and
the scheme published with a result, a grade and an explanation for every member."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.demo.scoring import seed_scoring
from vanguard.demo.study import seed_study
from vanguard.scoring.models import FollowUpCase, Grade, ManualItem, Result, Scheme, SchemeStatus
from vanguard.study.models import Activity, ActivityKind, Attendance

NOW = datetime(2026, 5, 20, 4, 0, tzinfo=UTC)  # 12:00 on 20 May in China


def test_demo_study_holds_this_years_meetings_up_to_now_with_attendance(
    session: Session, world: World
) -> None:
    branch = world.orgs["branch_a1"]
    seeded = seed_study(session, sample_branch_id=branch.id, now=NOW)
    session.commit()

    town_branches = {world.orgs["branch_a1"].id, world.orgs["branch_a2"].id}
    activities = session.scalars(select(Activity)).all()
    assert seeded.branches == 2
    assert seeded.activities == len(activities) > 0
    # Branches and the group of branch a1 only; nothing outside town 甲, nothing in the future or last year.
    assert {a.org_id for a in activities} <= town_branches | {world.orgs["group_a1"].id}
    assert all(datetime(2026, 1, 1, tzinfo=UTC) <= a.starts_at.replace(tzinfo=UTC) < NOW for a in activities)
    # No 支委会 in branches under seven members; the sample branch holds every monthly theme day so far.
    assert not [a for a in activities if a.kind is ActivityKind.COMMITTEE_MEETING]
    sample_theme_days = {
        a.starts_at.month for a in activities if a.org_id == branch.id and a.kind is ActivityKind.THEME_DAY
    }
    assert sample_theme_days >= {1, 2, 3, 4}
    attendance = session.scalar(select(func.count()).select_from(Attendance))
    assert attendance == seeded.attendance > 0


def test_demo_scoring_publishes_the_towns_scheme_with_a_result_for_every_member(
    session: Session, world: World
) -> None:
    branch = world.orgs["branch_a1"]
    seed_study(session, sample_branch_id=branch.id, now=NOW)
    seeded = seed_scoring(
        session,
        department=world.users["county_admin"],
        secretary=world.users["sec_a1"],
        sample_branch_id=branch.id,
        now=NOW,
    )
    session.commit()

    scheme = session.get_one(Scheme, seeded.scheme_id)
    assert (scheme.org_id, scheme.year, scheme.status) == (
        world.orgs["town_a"].id,
        2026,
        SchemeStatus.PUBLISHED,
    )
    results = session.scalars(select(Result).where(Result.scheme_id == scheme.id)).all()
    assert seeded.members == len(results) == 5  # a1's three members and a2's two
    assert seeded.rounds == 2
    # Each member: the superior's ballot, their own and up to two fellows' (a2's two members have one each).
    assert seeded.ballots == 3 * (1 + 1 + 2) + 2 * (1 + 1 + 1)
    assert all(r.grade is not None and r.explanation for r in results)
    items = session.scalars(select(ManualItem)).all()
    assert len(items) == 3
    assert {i.state.value for i in items} == {"approved"}
    unqualified = sum(1 for r in results if r.grade is Grade.UNQUALIFIED)
    assert session.scalar(select(func.count()).select_from(FollowUpCase)) == unqualified
