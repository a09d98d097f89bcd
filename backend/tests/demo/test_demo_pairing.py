"""The demo's pairing ledger: a handful of records per branch, through the real pairing service."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.core.clock import local_today
from vanguard.core.permissions import Scope
from vanguard.demo.pairing import demo_branches, seed_pairing
from vanguard.members.models import Gender, Member
from vanguard.pairing import ledger
from vanguard.pairing import service as pairing
from vanguard.pairing.models import Beneficiary, Pair, PairStatus, Visit, VisitTask

TODAY = date(2026, 12, 1)


def _grow(session: Session, world: World) -> None:
    """branch_a1 and branch_b1 get enough members for the demo; branch_a2 (two members) does not."""
    for org, count in (("branch_a1", 1), ("branch_b1", 2)):
        for i in range(count):
            session.add(Member(org_id=world.orgs[org].id, name=f"新党员{org}{i}", gender=Gender.FEMALE))
    session.commit()


def test_demo_pairing_seeds_each_branch_and_the_secretary_has_work_to_do(
    session: Session, world: World
) -> None:
    _grow(session, world)
    a1, b1 = world.orgs["branch_a1"].id, world.orgs["branch_b1"].id
    assert demo_branches(session) == [a1, b1]
    secretary = world.users["sec_a1"]

    # Dated back from today: the coverage reads the register (kept since the rows' creation) today.
    today = local_today()
    seeded = seed_pairing(session, secretary=secretary, today=today)
    session.commit()

    assert (seeded.branches, seeded.beneficiaries, seeded.pairs, seeded.visits, seeded.tasks) == (
        2,
        4,
        5,
        7,
        6,
    )
    pairs = session.scalars(select(Pair).order_by(Pair.id)).all()
    assert Counter(p.org_id for p in pairs) == {a1: 3, b1: 2}
    assert [p.helper_user_id for p in pairs if p.helper_user_id is not None] == [secretary.id]
    assert all(p.status is PairStatus.ACTIVE for p in pairs)
    assert all(p.goals for p in pairs)
    assert Counter(b.kind.value for b in session.scalars(select(Beneficiary))) == {
        "member": 2,
        "household": 2,
    }
    assert len(session.scalars(select(Visit)).all()) == seeded.visits

    scope = Scope(world.orgs["county"].path)
    overdue = pairing.overdue_follow_ups(session, scope, org_id=None, as_of=today, cursor=None, limit=50)
    assert {f.org_id for f in overdue.items} == {a1, b1}

    tasks = session.scalars(select(VisitTask).order_by(VisitTask.id)).all()
    by_status = Counter((t.org_id, pairing.task_status(t)) for t in tasks)
    # Each branch: an overdue illness visit and an open dispute; the secretary's branch also has a
    # hardship task a visit took care of and a funeral the secretary attended.
    assert by_status == {(a1, "open"): 2, (a1, "visited"): 1, (a1, "closed"): 1, (b1, "open"): 2}
    late = pairing.list_tasks(session, scope, org_id=a1, overdue=True, today=today, cursor=None, limit=50)
    assert [t.event.value for t in late.items] == ["illness"]
    assert late.items[0].helper_member_id is not None  # the helper of the member's pair

    figures = ledger.coverage(session, scope, world.orgs["county"].id, as_of=today)
    assert (figures.hardship_members, figures.hardship_members_paired) == (2, 2)
    assert (figures.households, figures.households_paired) == (2, 2)
    assert figures.overdue_tasks == 2


def test_demo_pairing_is_deterministic(session: Session, world: World) -> None:
    _grow(session, world)
    seed_pairing(session, secretary=world.users["sec_a1"], today=TODAY)
    session.commit()
    visits = [
        (v.visited_on, v.type.value, v.work_done) for v in session.scalars(select(Visit).order_by(Visit.id))
    ]
    assert visits[0] == (date(2026, 7, 4), "routine", "入户了解家庭收支情况，宣讲惠民政策")
    households = session.scalars(
        select(Beneficiary.head_name).where(Beneficiary.head_name.is_not(None))
    ).all()
    assert sorted(households) == ["李长顺", "王桂兰"]
