"""`dues_facts`, what scoring reads: months payable, paid in full by the month's end, and not."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tests.dues.conftest import YEAR, add_member, month, pay, set_base
from tests.world import World
from vanguard.auth.service import user_principal
from vanguard.core.permissions import Principal
from vanguard.dues import service
from vanguard.dues.models import DuesReduction, ReductionKind, ReductionState
from vanguard.dues.service import DuesFacts
from vanguard.members.models import Stage

FIRST, LAST = date(YEAR, 1, 1), date(YEAR, 12, 31)


def test_dues_facts_by_month(session: Session, world: World, admin: Principal) -> None:
    # Income 3,200 → 32.00 a month from January. January paid on 31 January (on time); February paid
    # on 3 March (late); March paid 20.00 only (not in full: late); April waived (counts in neither);
    # May–December unpaid (late). Payable 11 months: 1 on time, 10 late.
    member = add_member(session, world)
    set_base(session, member)
    pay(session, admin, member, month(1), "32.00", paid_on=date(YEAR, 1, 31))
    pay(session, admin, member, month(2), "32.00", paid_on=date(YEAR, 3, 3))
    pay(session, admin, member, month(3), "20.00", paid_on=date(YEAR, 3, 10))
    session.add(
        DuesReduction(
            member_id=member.id,
            org_id=member.org_id,
            from_month=month(4),
            to_month=month(4),
            kind=ReductionKind.WAIVER,
            reason="住院",
            state=ReductionState.APPROVED,
            requested_by="tests",
        )
    )
    applicant = add_member(session, world, name="申请人", stage=Stage.APPLICANT, probationary_on=None)
    stranger = add_member(session, world, "branch_b1", name="乙村党员")
    session.commit()

    facts = service.dues_facts(
        session, admin.scope, [member.id, applicant.id], FIRST, LAST, today=date(YEAR + 1, 1, 5)
    )
    assert facts == {
        member.id: DuesFacts(member.id, months_payable=11, months_on_time=1, months_late=10),
        applicant.id: DuesFacts(applicant.id),  # pays nothing, so nothing is late
    }
    # Only months over by `today` count: on 1 March, January (on time) and February (not paid by its end).
    mid = service.dues_facts(session, admin.scope, [member.id], FIRST, LAST, today=date(YEAR, 3, 1))
    assert mid[member.id] == DuesFacts(member.id, months_payable=2, months_on_time=1, months_late=1)
    # Another branch's members are left out, never reported as "nothing paid".
    sec_a1 = user_principal(session, world.users["sec_a1"])
    assert list(service.dues_facts(session, sec_a1.scope, [member.id, stranger.id], FIRST, LAST)) == [
        member.id
    ]
