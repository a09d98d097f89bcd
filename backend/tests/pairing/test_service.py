"""The pairing rules, one test each, at the service level."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.pairing.conftest import STARTED, TODAY
from tests.world import World
from vanguard.core.permissions import Principal
from vanguard.core.policy import (
    PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY,
    PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER,
    PAIRING_MUST_VISIT_DUE_DAYS,
)
from vanguard.members.models import Member
from vanguard.pairing import service
from vanguard.pairing.ledger import coverage
from vanguard.pairing.models import Beneficiary, EventType, Pair, PairKind, PairStatus, VisitType
from vanguard.pairing.schemas import EventCreate, PairCreate, PairEnd, VisitCreate
from vanguard.posts.service import Period


def _pair(helper: Member, beneficiary: Beneficiary, **extra: object) -> PairCreate:
    return PairCreate.model_validate(
        {
            "helper_member_id": helper.id,
            "beneficiary_id": beneficiary.id,
            "kind": PairKind.MEMBER_HOUSEHOLD,
            **extra,
        }
    )


def _visit(on: date, kind: VisitType = VisitType.ROUTINE, **extra: object) -> VisitCreate:
    return VisitCreate.model_validate(
        {"visited_on": on, "type": kind, "work_done": "入户走访，了解生产生活", **extra}
    )


def test_a_helpers_active_pairs_are_limited(
    session: Session,
    as_user: Callable[[str], Principal],
    helper: Member,
    add_household: Callable[..., Beneficiary],
) -> None:
    scope = as_user("sec_a1").scope
    for i in range(PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER):
        service.create_pair(session, scope, _pair(helper, add_household(head=f"户主{i}")))
    extra = add_household(head="多一户")
    with pytest.raises(service.HelperPairLimit):
        service.create_pair(session, scope, _pair(helper, extra))
    # An ended pair no longer counts.
    first = session.query(Pair).filter_by(helper_member_id=helper.id).order_by(Pair.id).first()
    assert first is not None
    service.end_pair(session, scope, first.id, PairEnd(status=PairStatus.COMPLETED), None)
    assert service.create_pair(session, scope, _pair(helper, extra)).status is PairStatus.ACTIVE


def test_a_beneficiarys_active_pairs_are_limited(
    session: Session,
    as_user: Callable[[str], Principal],
    add_member: Callable[..., Member],
    household: Beneficiary,
) -> None:
    scope = as_user("sec_a1").scope
    for i in range(PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY):
        service.create_pair(session, scope, _pair(add_member(name=f"帮扶人{i}"), household))
    with pytest.raises(service.BeneficiaryPairLimit):
        service.create_pair(session, scope, _pair(add_member(name="再一人"), household))


def test_a_duplicate_active_pair_is_refused(
    session: Session, as_user: Callable[[str], Principal], helper: Member, household: Beneficiary
) -> None:
    scope = as_user("sec_a1").scope
    service.create_pair(session, scope, _pair(helper, household))
    with pytest.raises(service.DuplicateActivePair):
        service.create_pair(session, scope, _pair(helper, household))


def test_a_pair_across_orgs_the_caller_cannot_see_is_rejected(
    session: Session,
    as_user: Callable[[str], Principal],
    add_member: Callable[..., Member],
    household: Beneficiary,
    add_household: Callable[..., Beneficiary],
    helper: Member,
) -> None:
    outsider = add_member(org="branch_b1", name="乙村党员")
    with pytest.raises(service.HelperNotFound):
        service.create_pair(session, as_user("sec_a1").scope, _pair(outsider, household))
    far_household = add_household(org="branch_b1")
    with pytest.raises(service.BeneficiaryNotFound):
        service.create_pair(session, as_user("sec_a1").scope, _pair(helper, far_household))
    # The county sees both branches, so it may pair across them; the pair belongs to the beneficiary's org.
    pair = service.create_pair(session, as_user("county_admin").scope, _pair(outsider, household))
    assert pair.org_id == household.org_id


def test_a_visit_outside_the_pairs_dates_is_refused(
    session: Session, as_user: Callable[[str], Principal], pair: Pair
) -> None:
    scope = as_user("sec_a1").scope
    with pytest.raises(service.VisitOutsidePair):
        service.create_visit(session, scope, pair.id, _visit(STARTED - timedelta(days=1)), today=TODAY)
    service.create_visit(session, scope, pair.id, _visit(STARTED), today=TODAY)
    service.end_pair(
        session,
        scope,
        pair.id,
        PairEnd(status=PairStatus.COMPLETED, ended_on=STARTED + timedelta(days=10)),
        None,
        today=TODAY,
    )
    with pytest.raises(service.VisitOutsidePair):
        service.create_visit(session, scope, pair.id, _visit(STARTED + timedelta(days=11)), today=TODAY)


def test_ending_a_pair_early_needs_a_reason(
    session: Session, as_user: Callable[[str], Principal], pair: Pair
) -> None:
    scope = as_user("sec_a1").scope
    with pytest.raises(service.EndReasonRequired):
        service.end_pair(session, scope, pair.id, PairEnd(status=PairStatus.ENDED_EARLY), None)
    ended = service.end_pair(
        session, scope, pair.id, PairEnd(status=PairStatus.ENDED_EARLY, reason="帮扶对象迁出"), None
    )
    assert (ended.status, ended.end_reason) == (PairStatus.ENDED_EARLY, "帮扶对象迁出")
    with pytest.raises(service.PairNotActive):
        service.end_pair(session, scope, pair.id, PairEnd(status=PairStatus.COMPLETED), None)


def test_an_event_opens_a_must_visit_task_for_the_helper_listed_when_overdue(
    session: Session, as_user: Callable[[str], Principal], pair: Pair, needy: Member, helper: Member
) -> None:
    scope = as_user("sec_a1").scope
    occurred = TODAY - timedelta(days=20)
    task = service.record_event(
        session,
        scope,
        EventCreate(member_id=needy.id, event=EventType.ILLNESS, occurred_on=occurred),
        today=TODAY,
    )
    assert task.helper_member_id == helper.id
    assert task.pair_id == pair.id
    assert task.due_on == occurred + timedelta(days=PAIRING_MUST_VISIT_DUE_DAYS["illness"])
    overdue = service.list_tasks(
        session, scope, org_id=None, overdue=True, today=TODAY, cursor=None, limit=50
    )
    assert [t.id for t in overdue.items] == [task.id]
    # A visit of the same type closes it.
    visit = service.create_visit(session, scope, pair.id, _visit(TODAY, VisitType.ILLNESS), today=TODAY)
    assert task.visit_id == visit.id
    assert (
        service.list_tasks(
            session, scope, org_id=None, overdue=True, today=TODAY, cursor=None, limit=50
        ).items
        == []
    )


def test_an_event_for_an_unpaired_member_is_the_branchs_task(
    session: Session, as_user: Callable[[str], Principal], helper: Member
) -> None:
    task = service.record_event(
        session, as_user("sec_a1").scope, EventCreate(member_id=helper.id, event=EventType.WEDDING_FUNERAL)
    )
    assert task.helper_member_id is None
    assert task.org_id == helper.org_id


def test_contact_is_masked_for_a_caller_without_pii(
    session: Session, as_user: Callable[[str], Principal], household: Beneficiary
) -> None:
    masked = service.read_beneficiary(session, as_user("auditor"), household.id)
    assert masked.contact_phone == "139****4321"
    assert masked.address == "甲一村三组十****"
    assert masked.contact_masked
    plain = service.read_beneficiary(session, as_user("sec_a1"), household.id)
    assert plain.contact_phone == "13987654321"
    assert plain.address == "甲一村三组十二号院"
    assert not plain.contact_masked


def test_pairing_facts_for_a_period(
    session: Session, as_user: Callable[[str], Principal], pair: Pair, helper: Member, needy: Member
) -> None:
    scope = as_user("sec_a1").scope
    day = STARTED + timedelta(days=5)
    service.create_visit(
        session, scope, pair.id, _visit(day, money_given=Decimal("500.00"), jobs_found=1), today=TODAY
    )
    service.create_visit(
        session, scope, pair.id, _visit(day + timedelta(days=1), goods_value=Decimal("120.50")), today=TODAY
    )
    service.create_visit(
        session, scope, pair.id, _visit(STARTED + timedelta(days=60)), today=TODAY
    )  # outside the period
    service.record_event(
        session,
        scope,
        EventCreate(member_id=needy.id, event=EventType.HARDSHIP, occurred_on=day),
        today=TODAY,
    )
    period = Period(STARTED, STARTED + timedelta(days=30))

    facts = service.pairing_facts(session, scope, helper.id, period, today=TODAY)
    assert (facts.pairs_as_helper, facts.visits_made, facts.routine_visits_made) == (1, 2, 2)
    assert (facts.money_given, facts.goods_value, facts.jobs_found) == (
        Decimal("500.00"),
        Decimal("120.50"),
        1,
    )
    assert (facts.tasks_due, facts.tasks_done_on_time, facts.tasks_missed, facts.tasks_open) == (1, 0, 1, 0)
    assert (facts.pairs_as_beneficiary, facts.visits_received) == (0, 0)

    received = service.pairing_facts(session, scope, needy.id, period, today=TODAY)
    assert (received.pairs_as_beneficiary, received.visits_received, received.visits_made) == (1, 2, 0)
    # Another branch cannot read them.
    with pytest.raises(service.members.MemberNotFound):
        service.pairing_facts(session, as_user("sec_b1").scope, helper.id, period)


def test_coverage_counts_paired_beneficiaries_visits_and_overdue_tasks(
    session: Session,
    world: World,
    as_user: Callable[[str], Principal],
    pair: Pair,
    household: Beneficiary,
    needy: Member,
) -> None:
    scope = as_user("town_a_admin").scope
    service.create_visit(session, scope, pair.id, _visit(TODAY), today=TODAY)
    service.record_event(
        session,
        scope,
        EventCreate(member_id=needy.id, event=EventType.ILLNESS, occurred_on=TODAY - timedelta(days=10)),
        today=TODAY,
    )
    ledger = coverage(session, scope, world.orgs["town_a"].id, today=TODAY)
    assert (ledger.hardship_members, ledger.hardship_members_paired, ledger.hardship_member_share) == (
        1,
        1,
        Decimal("1.00"),
    )
    assert (ledger.households, ledger.households_paired, ledger.household_share) == (1, 0, Decimal("0.00"))
    assert (ledger.active_pairs, ledger.visits, ledger.overdue_tasks) == (1, 1, 1)
    assert ledger.visits_per_pair == Decimal("1.00")
    # A sibling branch's subtree holds none of it; another town cannot see town_a at all.
    empty = coverage(session, scope, world.orgs["branch_a2"].id, today=TODAY)
    assert (empty.hardship_members, empty.active_pairs, empty.overdue_tasks) == (0, 0, 0)
    with pytest.raises(service.orgs.OrgNotFound):
        coverage(session, as_user("sec_b1").scope, world.orgs["town_a"].id)


def test_pairing_facts_for_many_members_match_one_by_one(
    session: Session, as_user: Callable[[str], Principal], pair: Pair, helper: Member, needy: Member
) -> None:
    """The batched form scoring uses gives each member exactly what `pairing_facts` gives them."""
    scope = as_user("sec_a1").scope
    day = STARTED + timedelta(days=5)
    service.create_visit(session, scope, pair.id, _visit(day, money_given=Decimal("80.00")), today=TODAY)
    service.record_event(
        session,
        scope,
        EventCreate(member_id=needy.id, event=EventType.HARDSHIP, occurred_on=day),
        today=TODAY,
    )
    period = Period(STARTED, STARTED + timedelta(days=30))
    many = service.pairing_facts_for(session, scope, [needy.id, helper.id, helper.id], period, today=TODAY)
    assert list(many) == sorted({helper.id, needy.id})
    for member_id in (helper.id, needy.id):
        assert many[member_id] == service.pairing_facts(session, scope, member_id, period, today=TODAY)
    assert many[helper.id].visits_made == 1
    assert many[needy.id].visits_received == 1
    assert service.pairing_facts_for(session, as_user("sec_b1").scope, [helper.id], period) == {}
