"""The 台账 figures against a small hand-made tree in 2025, for a year, a quarter and a day.

town_a ─┬─ branch_a1 ── group_a1      (town_b/branch_b1 holds a pair that must never be counted)
        └─ branch_a2

branch_a1  hardship members M1 (P1 running), M2 (P2 completed 05-31), M3 (no pair)
           households F1 (P3, a cadre, from 07-01), F2 (P4 starts in 2026)
group_a1   hardship member M4 (P6 from 03-01)
branch_a2  households F3 (P5 08-01 → ended early 11-30), F4 (registered in 2026)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.pairing.conftest import API
from tests.problems import assert_problem
from tests.world import World
from vanguard.core.permissions import Scope
from vanguard.members.models import Gender, Member
from vanguard.orgs.service import OrgNotFound
from vanguard.pairing.ledger import PeriodInvalid, choose_period, coverage
from vanguard.pairing.models import (
    Beneficiary,
    BeneficiaryKind,
    EventType,
    Pair,
    PairKind,
    PairStatus,
    TaskClosure,
    Visit,
    VisitTask,
    VisitType,
)

D = date.fromisoformat
REGISTERED = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class Tree:
    orgs: dict[str, int]
    pairs: dict[str, Pair]


def _member(session: Session, org_id: int, name: str) -> Member:
    member = Member(org_id=org_id, name=name, gender=Gender.FEMALE)
    session.add(member)
    session.flush()
    return member


def _beneficiary(
    session: Session, org_id: int, *, member: Member | None = None, registered: datetime = REGISTERED
) -> Beneficiary:
    b = Beneficiary(
        org_id=org_id,
        kind=BeneficiaryKind.MEMBER if member else BeneficiaryKind.HOUSEHOLD,
        member_id=member.id if member else None,
        head_name=None if member else "户主",
        created_at=registered,
    )
    session.add(b)
    session.flush()
    return b


def _pair(
    session: Session,
    b: Beneficiary,
    started: str,
    *,
    helper: Member | None = None,
    user_id: int | None = None,
    status: PairStatus = PairStatus.ACTIVE,
    ends: str | None = None,
) -> Pair:
    pair = Pair(
        org_id=b.org_id,
        helper_member_id=helper.id if helper else None,
        helper_user_id=user_id,
        beneficiary_id=b.id,
        kind=PairKind.POVERTY,
        goals=[],
        started_on=D(started),
        ends_on=D(ends) if ends else None,
        status=status,
        end_reason="外出务工" if status is PairStatus.ENDED_EARLY else None,
    )
    session.add(pair)
    session.flush()
    return pair


def _visit(session: Session, pair: Pair, on: str, **help_given: Any) -> None:
    session.add(Visit(pair=pair, visited_on=D(on), type=VisitType.ROUTINE, work_done="走访", **help_given))


def _task(session: Session, member: Member, event: EventType, occurred: str, due: str, **extra: Any) -> None:
    session.add(
        VisitTask(
            org_id=member.org_id,
            member_id=member.id,
            event=event,
            occurred_on=D(occurred),
            due_on=D(due),
            **extra,
        )
    )


@pytest.fixture
def tree(session: Session, world: World) -> Tree:
    o = {name: org.id for name, org in world.orgs.items()}
    h1, h2 = _member(session, o["branch_a1"], "帮扶人一"), _member(session, o["branch_a2"], "帮扶人二")
    m1, m2, m3 = (_member(session, o["branch_a1"], f"困难党员{i}") for i in (1, 2, 3))
    m4 = _member(session, o["group_a1"], "困难党员4")
    p: dict[str, Pair] = {}
    p["P1"] = _pair(session, _beneficiary(session, o["branch_a1"], member=m1), "2025-02-01", helper=h1)
    p["P2"] = _pair(
        session,
        _beneficiary(session, o["branch_a1"], member=m2),
        "2025-01-10",
        helper=h1,
        status=PairStatus.COMPLETED,
        ends="2025-05-31",
    )
    _beneficiary(session, o["branch_a1"], member=m3)
    p["P3"] = _pair(
        session, _beneficiary(session, o["branch_a1"]), "2025-07-01", user_id=world.users["sec_a1"].id
    )
    p["P4"] = _pair(session, _beneficiary(session, o["branch_a1"]), "2026-01-05", helper=h1)
    p["P5"] = _pair(
        session,
        _beneficiary(session, o["branch_a2"]),
        "2025-08-01",
        helper=h2,
        status=PairStatus.ENDED_EARLY,
        ends="2025-11-30",
    )
    _beneficiary(session, o["branch_a2"], registered=datetime(2026, 2, 1, tzinfo=UTC))
    p["P6"] = _pair(session, _beneficiary(session, o["group_a1"], member=m4), "2025-03-01", helper=h1)
    far = _pair(
        session,
        _beneficiary(session, o["branch_b1"]),
        "2025-01-01",
        helper=_member(session, o["branch_b1"], "乙"),
    )
    _visit(session, p["P1"], "2025-02-10", money_given=Decimal("100.00"))
    _visit(session, p["P1"], "2025-04-15")
    _visit(session, p["P1"], "2025-10-01", jobs_found=1)
    _visit(session, p["P2"], "2025-03-01", goods_value=Decimal("50.50"))
    _visit(session, p["P3"], "2025-08-08", money_given=Decimal("300.00"))
    _visit(session, p["P5"], "2025-09-09")
    _visit(session, far, "2025-05-05", money_given=Decimal("999.00"))
    _task(session, m1, EventType.ILLNESS, "2025-12-01", "2025-12-04")
    _task(
        session,
        m3,
        EventType.HARDSHIP,
        "2025-06-01",
        "2025-06-08",
        closed_as=TaskClosure.CLOSED,
        closed_on=D("2025-06-20"),
        close_reason="镇里已走访",
    )
    _task(session, m4, EventType.WEDDING_FUNERAL, "2025-12-30", "2026-01-02")
    session.commit()
    return Tree(orgs=o, pairs=p)


def _figures(figures: Any) -> dict[str, Any]:
    keys = (
        "hardship_members",
        "hardship_members_paired",
        "hardship_member_share",
        "households",
        "households_paired",
        "household_share",
        "active_pairs",
        "pairs_in_period",
        "visits",
        "visits_per_pair",
        "overdue_tasks",
        "pairs_completed",
        "pairs_ended_early",
        "money_given",
        "goods_value",
        "jobs_found",
    )
    return {key: getattr(figures, key) for key in keys}


def _d(value: str) -> Decimal:
    return Decimal(value)


def test_the_year_2025_for_town_a(session: Session, tree: Tree) -> None:
    ledger = coverage(session, Scope.everything(), tree.orgs["town_a"], year=2025, today=D("2026-03-01"))
    assert (ledger.period_start, ledger.period_end, ledger.as_of) == (
        D("2025-01-01"),
        D("2025-12-31"),
        D("2025-12-31"),
    )
    assert _figures(ledger) == {
        "hardship_members": 4,
        "hardship_members_paired": 2,  # M1 and M4; M2's pair was completed in May
        "hardship_member_share": _d("0.50"),
        "households": 3,  # F4 was registered in 2026
        "households_paired": 1,  # F1; F2's pair starts in 2026, F3's ended in November
        "household_share": _d("0.33"),
        "active_pairs": 3,  # P1, P3, P6 on 12-31
        "pairs_in_period": 5,  # and P2, P5
        "visits": 6,
        "visits_per_pair": _d("1.20"),
        "overdue_tasks": 1,  # M1's illness; M3's was closed by hand, M4's is not yet due
        "pairs_completed": 1,
        "pairs_ended_early": 1,
        "money_given": _d("400.00"),
        "goods_value": _d("50.50"),
        "jobs_found": 1,
    }
    quarters = [(q.quarter, q.pairs, q.visits, q.visits_per_pair) for q in ledger.quarters]
    assert quarters == [
        (1, 3, 2, _d("0.67")),
        (2, 3, 1, _d("0.33")),
        (3, 4, 2, _d("0.50")),
        (4, 4, 1, _d("0.25")),
    ]
    rows = {row.org_id: row for row in ledger.orgs}
    assert [row.org_id for row in ledger.orgs] == [
        tree.orgs[o] for o in ("branch_a1", "group_a1", "branch_a2")
    ]
    a1, group, a2 = rows[tree.orgs["branch_a1"]], rows[tree.orgs["group_a1"]], rows[tree.orgs["branch_a2"]]
    assert (
        a1.org_name,
        a1.hardship_members,
        a1.hardship_members_paired,
        a1.households,
        a1.households_paired,
    ) == (
        "甲一村党支部",
        3,
        1,
        2,
        1,
    )
    assert (a1.active_pairs, a1.pairs_in_period, a1.visits, a1.overdue_tasks, a1.pairs_completed) == (
        2,
        3,
        5,
        1,
        1,
    )
    assert (a1.money_given, a1.goods_value, a1.jobs_found) == (_d("400.00"), _d("50.50"), 1)
    assert (group.hardship_members, group.hardship_members_paired, group.active_pairs, group.visits) == (
        1,
        1,
        1,
        0,
    )
    assert (a2.households, a2.households_paired, a2.pairs_in_period, a2.visits, a2.pairs_ended_early) == (
        1,
        0,
        1,
        1,
        1,
    )
    # The rows add up to the total.
    assert sum(row.visits for row in ledger.orgs) == ledger.visits


def test_a_quarter_is_read_on_its_last_day(session: Session, tree: Tree) -> None:
    ledger = coverage(
        session, Scope.everything(), tree.orgs["town_a"], year=2025, quarter=2, today=D("2026-03-01")
    )
    assert (ledger.period_start, ledger.as_of) == (D("2025-04-01"), D("2025-06-30"))
    figures = _figures(ledger)
    assert (figures["hardship_members_paired"], figures["households_paired"], figures["active_pairs"]) == (
        2,
        0,
        2,
    )
    assert (figures["visits"], figures["pairs_completed"], figures["overdue_tasks"]) == (1, 1, 0)
    assert [(q.quarter, q.visits) for q in ledger.quarters] == [(2, 1)]


def test_as_of_reads_the_register_on_that_day(session: Session, tree: Tree) -> None:
    """On 06-10 M3's hardship task (due 06-08) was overdue: it was closed by hand only on 06-20."""
    ledger = coverage(
        session, Scope.everything(), tree.orgs["town_a"], as_of=D("2025-06-10"), today=D("2026-03-01")
    )
    assert (ledger.period_start, ledger.period_end, ledger.as_of) == (
        D("2025-04-01"),
        D("2025-06-30"),
        D("2025-06-10"),
    )
    assert (ledger.overdue_tasks, ledger.visits, ledger.pairs_completed) == (1, 1, 1)


def test_a_branch_sees_only_its_subtree(session: Session, tree: Tree) -> None:
    ledger = coverage(session, Scope.everything(), tree.orgs["branch_a2"], year=2025, today=D("2026-03-01"))
    assert (ledger.households, ledger.visits, ledger.pairs_ended_early) == (1, 1, 1)
    assert [row.org_id for row in ledger.orgs] == [tree.orgs["branch_a2"]]


def test_the_period_choice_is_checked() -> None:
    today = D("2026-05-20")
    assert choose_period(year=None, quarter=None, as_of=None, today=today).period.start == D("2026-04-01")
    assert (
        choose_period(year=2026, quarter=None, as_of=None, today=today).as_of == today
    )  # year still running
    for bad in (
        {"year": 2026, "quarter": None, "as_of": today},
        {"year": None, "quarter": 2, "as_of": None},
        {"year": 2027, "quarter": None, "as_of": None},
        {"year": None, "quarter": None, "as_of": D("2026-05-21")},
    ):
        with pytest.raises(PeriodInvalid):
            choose_period(today=today, **bad)


def test_the_coverage_endpoint_takes_the_period(client: TestClient, world: World, tree: Tree) -> None:
    url = API + "/pairing/coverage"
    r = client.get(
        url, params={"org_id": tree.orgs["town_a"], "year": 2025}, headers=world.auth("town_a_admin")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["visits"], body["hardship_member_share"], body["money_given"]) == (6, "0.50", "400.00")
    assert len(body["orgs"]) == 3
    q2 = client.get(
        url,
        params={"org_id": tree.orgs["town_a"], "year": 2025, "quarter": 2},
        headers=world.auth("town_a_admin"),
    )
    assert q2.json()["visits"] == 1
    both = client.get(
        url,
        params={"org_id": tree.orgs["town_a"], "year": 2025, "as_of": "2025-06-10"},
        headers=world.auth("town_a_admin"),
    )
    assert_problem(both, 422, "period_invalid")
    assert_problem(
        client.get(url, params={"org_id": tree.orgs["town_a"], "year": 2025}, headers=world.auth("sec_b1")),
        404,
        "org_not_found",
    )


def test_another_town_cannot_read_the_ledger(session: Session, tree: Tree) -> None:
    with pytest.raises(OrgNotFound):
        coverage(session, Scope("/999/"), tree.orgs["town_a"], year=2025)
