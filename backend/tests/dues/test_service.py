"""Dues rules over real records: bases, the payment ledger, statements, arrears, reductions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tests.dues.conftest import YEAR, add_member, month, pay, reduction, set_base
from tests.world import World, add_user
from vanguard.audit.models import AuditEvent
from vanguard.core.permissions import Principal, Role, Scope
from vanguard.dues import errors, reductions, service
from vanguard.dues.models import (
    DuesBase,
    DuesPayment,
    PaymentKind,
    PaymentMethod,
    ReductionKind,
    ReductionState,
)
from vanguard.dues.schemas import ArrearsItem, DuesBaseSet, DuesStatement, MonthStatus, ReductionCreate
from vanguard.members.models import Category, MemberStatus, Stage
from vanguard.members.service import MemberNotFound

D = Decimal
EVERYTHING = Scope.everything()
Users = Callable[[str], Principal]


def _statement(
    session: Session, member_id: int, year: int = YEAR, today: date | None = None
) -> DuesStatement:
    return service.statement(session, EVERYTHING, member_id, year, today=today)


def _status(st: DuesStatement) -> list[MonthStatus]:
    return [m.status for m in st.months]


# --- bases ---------------------------------------------------------------------------------------


def test_base_category_defaults_to_the_members_category(session: Session, world: World) -> None:
    member = add_member(session, world, category=Category.RETIRED)
    set_base(session, member, "6000")
    (base,) = service.list_bases(session, EVERYTHING, member.id)
    assert base.category is Category.RETIRED
    assert base.monthly_due == D("60.00")


def test_the_latest_base_in_effect_applies_to_each_month(session: Session, world: World) -> None:
    member = add_member(session, world)
    set_base(session, member, "3200", start=month(1))
    set_base(session, member, "6000", start=month(7))
    dues = [m.due for m in _statement(session, member.id).months]
    assert dues == [D("32.00")] * 6 + [D("90.00")] * 6


def test_setting_the_same_month_again_replaces_that_base(session: Session, world: World) -> None:
    member = add_member(session, world)
    set_base(session, member, "3200")
    set_base(session, member, "11500")
    bases = session.scalars(select(DuesBase).where(DuesBase.member_id == member.id)).all()
    assert len(bases) == 1
    assert bases[0].monthly_income == D("11500")
    assert bases[0].version == 2


def test_a_base_keeps_its_category_so_retiring_does_not_rewrite_the_past(
    session: Session, world: World
) -> None:
    member = add_member(session, world)
    set_base(session, member, "6000", start=month(1))
    member.category = Category.RETIRED
    set_base(session, member, "6000", start=month(10))
    dues = [m.due for m in _statement(session, member.id).months]
    assert dues[0] == D("90.00")  # employed, 1.5%
    assert dues[9] == D("60.00")  # retired, 1%


def test_rural_bases_take_a_chosen_fixed_amount(session: Session, world: World) -> None:
    member = add_member(session, world, category=Category.RURAL)
    with pytest.raises(errors.RuralAmountRequired):
        set_base(session, member, "800")
    with pytest.raises(errors.RuralAmountOutOfRange):
        set_base(session, member, None, fixed="1.50")
    set_base(session, member, None, fixed="0.50")
    assert _statement(session, member.id).months[0].due == D("0.50")


def test_only_rural_members_choose_a_fixed_amount(session: Session, world: World) -> None:
    member = add_member(session, world)
    with pytest.raises(errors.FixedAmountNotApplicable):
        set_base(session, member, "3000", fixed="0.50")


def test_flat_rate_members_need_no_income(session: Session, world: World) -> None:
    member = add_member(session, world, category=Category.STUDENT)
    set_base(session, member, None)
    assert _statement(session, member.id).months[0].due == D("0.20")


def test_bases_before_the_2008_rules_are_refused(session: Session, world: World) -> None:
    member = add_member(session, world)
    with pytest.raises(errors.BaseBeforeRules):
        set_base(session, member, "3000", start=date(2008, 3, 1))
    set_base(session, member, "3000", start=date(2008, 4, 1))


def test_base_of_another_branchs_member_is_not_found(session: Session, world: World, as_user: Users) -> None:
    member = add_member(session, world, "branch_b1")
    data = DuesBaseSet(effective_from=month(1), monthly_income=D("3000"))
    with pytest.raises(MemberNotFound):
        service.set_base(session, as_user("sec_a1").scope, member.id, data)


# --- payments ------------------------------------------------------------------------------------


def test_one_regular_payment_per_member_and_month(session: Session, world: World, admin: Principal) -> None:
    member = add_member(session, world)
    set_base(session, member)
    pay(session, admin, member, month(1), "32.00")
    with pytest.raises(errors.MonthAlreadyPaid):
        pay(session, admin, member, month(1), "32.00")


def test_the_database_also_allows_one_regular_payment_per_month(session: Session, world: World) -> None:
    member = add_member(session, world)

    def row(kind: PaymentKind) -> DuesPayment:
        return DuesPayment(
            member_id=member.id,
            org_id=member.org_id,
            month=month(1),
            kind=kind,
            amount=D("32.00"),
            paid_on=month(1),
            method=PaymentMethod.CASH,
            collector="tests",
        )

    session.add_all([row(PaymentKind.REGULAR), row(PaymentKind.CORRECTION), row(PaymentKind.CORRECTION)])
    session.commit()
    session.add(row(PaymentKind.REGULAR))
    with pytest.raises(IntegrityError):
        session.commit()


def test_a_correction_tops_up_a_partly_paid_month(session: Session, world: World, admin: Principal) -> None:
    member = add_member(session, world)
    set_base(session, member)
    pay(session, admin, member, month(1), "20.00")
    assert _statement(session, member.id).months[0].status is MonthStatus.PARTIAL
    pay(session, admin, member, month(1), "12.00", kind=PaymentKind.CORRECTION, note="补交")
    jan = _statement(session, member.id).months[0]
    assert (jan.status, jan.paid, jan.balance) == (MonthStatus.PAID, D("32.00"), D("0.00"))
    assert len(jan.payments) == 2


def test_a_correction_may_reverse_a_mistake_but_not_below_zero(
    session: Session, world: World, admin: Principal
) -> None:
    member = add_member(session, world)
    set_base(session, member)
    pay(session, admin, member, month(1), "320.00")
    with pytest.raises(errors.CorrectionBelowZero):
        pay(session, admin, member, month(1), "-320.01", kind=PaymentKind.CORRECTION, note="录入错误")
    pay(session, admin, member, month(1), "-288.00", kind=PaymentKind.CORRECTION, note="录入错误")
    assert _statement(session, member.id).months[0].paid == D("32.00")


def test_a_correction_needs_a_note_and_a_payment_to_correct(
    session: Session, world: World, admin: Principal
) -> None:
    member = add_member(session, world)
    set_base(session, member)
    with pytest.raises(errors.NothingToCorrect):
        pay(session, admin, member, month(1), "5.00", kind=PaymentKind.CORRECTION, note="补交")
    pay(session, admin, member, month(1), "20.00")
    with pytest.raises(errors.CorrectionNeedsNote):
        pay(session, admin, member, month(1), "5.00", kind=PaymentKind.CORRECTION)


def test_a_correction_may_reverse_a_month_no_longer_owed(
    session: Session, world: World, admin: Principal
) -> None:
    member = add_member(session, world, stage=Stage.PROBATIONARY, probationary_on=date(YEAR, 3, 2))
    set_base(session, member)
    pay(session, admin, member, month(3), "32.00")
    member.probationary_on = date(YEAR, 4, 6)  # the approval date is corrected: March was never owed
    pay(session, admin, member, month(3), "-32.00", kind=PaymentKind.CORRECTION, note="入党时间更正，退还")
    march = _statement(session, member.id).months[2]
    assert (march.status, march.paid) == (MonthStatus.NOT_LIABLE, D("0.00"))


def test_a_regular_payment_must_be_more_than_zero(session: Session, world: World, admin: Principal) -> None:
    member = add_member(session, world)
    set_base(session, member)
    with pytest.raises(errors.AmountInvalid):
        pay(session, admin, member, month(1), "0")


def test_overpaying_is_a_voluntary_extra_not_a_credit_for_other_months(
    session: Session, world: World, admin: Principal
) -> None:
    member = add_member(session, world)
    set_base(session, member)
    pay(session, admin, member, month(1), "100.00")
    st = _statement(session, member.id)
    jan, feb = st.months[0], st.months[1]
    assert (jan.status, jan.balance) == (MonthStatus.OVERPAID, D("-68.00"))
    assert feb.status is MonthStatus.UNPAID
    assert st.totals.extra == D("68.00")
    assert st.totals.outstanding == D("32.00") * 11


def test_later_months_may_be_prepaid_up_to_a_year_ahead(
    session: Session, world: World, admin: Principal
) -> None:
    member = add_member(session, world)
    set_base(session, member)
    today = date(YEAR, 3, 10)
    pay(session, admin, member, month(6), "32.00", today=today)
    pay(session, admin, member, month(3, YEAR + 1), "32.00", today=today)
    with pytest.raises(errors.PrepaymentTooFar):
        pay(session, admin, member, month(4, YEAR + 1), "32.00", today=today)
    st = _statement(session, member.id, today=today)
    assert st.months[5].status is MonthStatus.PAID
    assert st.months[6].status is MonthStatus.NOT_YET_DUE


def test_the_payment_date_cannot_be_in_the_future(session: Session, world: World, admin: Principal) -> None:
    member = add_member(session, world)
    set_base(session, member)
    with pytest.raises(errors.PaidOnInFuture):
        pay(session, admin, member, month(1), "32.00", today=date(YEAR, 1, 5), paid_on=date(YEAR, 1, 6))


def test_months_before_probationary_approval_are_not_payable(
    session: Session, world: World, admin: Principal
) -> None:
    member = add_member(session, world, stage=Stage.PROBATIONARY, probationary_on=date(YEAR, 3, 18))
    set_base(session, member)
    with pytest.raises(errors.NotPayable):
        pay(session, admin, member, month(2), "32.00")
    pay(session, admin, member, month(3), "32.00")


def test_applicants_pay_no_dues(session: Session, world: World, admin: Principal) -> None:
    member = add_member(session, world, stage=Stage.APPLICANT, probationary_on=None)
    set_base(session, member)
    with pytest.raises(errors.NotPayable):
        pay(session, admin, member, month(1), "32.00")
    assert set(_status(_statement(session, member.id))) == {MonthStatus.NOT_LIABLE}


def test_a_payment_needs_a_base_in_effect(session: Session, world: World, admin: Principal) -> None:
    member = add_member(session, world)
    set_base(session, member, start=month(6))
    with pytest.raises(errors.BaseMissing):
        pay(session, admin, member, month(5), "32.00")


def test_the_collector_defaults_to_the_caller(session: Session, world: World, as_user: Users) -> None:
    member = add_member(session, world)
    set_base(session, member)
    pay(session, as_user("sec_a1"), member, month(1), "32.00")
    pay(session, as_user("sec_a1"), member, month(2), "32.00", collector="党费收缴员王五")
    collectors = [p.collector for m in _statement(session, member.id).months[:2] for p in m.payments]
    assert collectors == ["sec_a1", "党费收缴员王五"]


def test_payments_are_audited_against_the_members_org(
    session: Session, world: World, admin: Principal
) -> None:
    member = add_member(session, world)
    set_base(session, member)
    pay(session, admin, member, month(1), "32.00")
    session.commit()
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "dues_payments")).one()
    assert event.action == "create"
    assert event.org_id == world.orgs["branch_a1"].id
    assert event.after is not None
    assert event.after["amount"] == "32.00"


# --- statement -----------------------------------------------------------------------------------


def test_statement_gives_due_paid_and_balance_per_month_with_totals(
    session: Session, world: World, admin: Principal
) -> None:
    member = add_member(session, world)
    set_base(session, member, "3200")
    for m in range(1, 11):
        pay(session, admin, member, month(m), "32.00")
    st = _statement(session, member.id)
    assert len(st.months) == 12
    assert _status(st) == [MonthStatus.PAID] * 10 + [MonthStatus.UNPAID] * 2
    assert (st.totals.due, st.totals.paid, st.totals.outstanding) == (D("384.00"), D("320.00"), D("64.00"))
    assert st.arrears.oldest_month == month(11)


def test_months_before_approval_are_not_liable(session: Session, world: World) -> None:
    member = add_member(session, world, stage=Stage.PROBATIONARY, probationary_on=date(YEAR, 3, 18))
    set_base(session, member, start=month(1))
    st = _statement(session, member.id)
    assert _status(st)[:3] == [MonthStatus.NOT_LIABLE, MonthStatus.NOT_LIABLE, MonthStatus.UNPAID]
    assert st.totals.due == D("32.00") * 10


def test_months_without_a_base_are_shown_but_never_counted_as_arrears(session: Session, world: World) -> None:
    member = add_member(session, world)
    set_base(session, member, start=month(7))
    st = _statement(session, member.id)
    assert _status(st)[:6] == [MonthStatus.NO_BASE] * 6
    assert st.months[0].due is None
    assert st.totals.outstanding == D("32.00") * 6


def test_future_months_are_not_yet_due(session: Session, world: World) -> None:
    member = add_member(session, world)
    set_base(session, member)
    st = _statement(session, member.id, today=date(YEAR, 6, 15))
    assert _status(st)[5:] == [MonthStatus.UNPAID] + [MonthStatus.NOT_YET_DUE] * 6
    assert st.totals.outstanding == D("32.00") * 6
    assert st.arrears.amount == D("32.00") * 6


def test_members_who_left_owe_nothing_from_that_month(session: Session, world: World) -> None:
    member = add_member(session, world, status=MemberStatus.DECEASED, left_on=date(YEAR, 4, 20))
    set_base(session, member)
    st = _statement(session, member.id)
    assert _status(st)[3:] == [MonthStatus.NOT_LIABLE] * 9
    assert st.arrears.amount == D("32.00") * 3


def test_statement_of_another_branchs_member_is_not_found(
    session: Session, world: World, as_user: Users
) -> None:
    member = add_member(session, world, "branch_b1")
    with pytest.raises(MemberNotFound):
        service.statement(session, as_user("sec_a1").scope, member.id, YEAR)


# --- arrears -------------------------------------------------------------------------------------


def _arrears(session: Session, scope: Scope = EVERYTHING, **kw: object) -> list[ArrearsItem]:
    params: dict[str, object] = {"org_id": None, "as_of": month(12), "cursor": None, "limit": 50, **kw}
    return service.list_arrears(session, scope, **params).items  # type: ignore[arg-type]


def test_arrears_list_owed_amount_and_oldest_unpaid_month(
    session: Session, world: World, admin: Principal
) -> None:
    member = add_member(session, world)
    set_base(session, member)
    for m in (1, 2, 4):
        pay(session, admin, member, month(m), "32.00")
    pay(session, admin, member, month(5), "12.00")
    (item,) = _arrears(session, as_of=month(6))
    assert item.member_id == member.id
    assert item.oldest_unpaid_month == month(3)
    assert item.months_unpaid == 3  # March, May (partly), June
    assert item.amount_owed == D("32.00") + D("20.00") + D("32.00")
    assert item.consecutive_unpaid_months == 1


def test_six_unpaid_months_in_a_row_raise_the_lapse_warning(session: Session, world: World) -> None:
    member = add_member(session, world)
    set_base(session, member)
    assert _arrears(session, as_of=month(5))[0].lapse_warning is False
    (item,) = _arrears(session, as_of=month(6))
    assert (item.consecutive_unpaid_months, item.lapse_warning) == (6, True)


def test_paid_up_waived_and_non_paying_members_are_not_in_arrears(
    session: Session, world: World, admin: Principal, as_user: Users
) -> None:
    paid_up = add_member(session, world, name="已交清")
    set_base(session, paid_up)
    for m in range(1, 13):
        pay(session, admin, paid_up, month(m), "32.00")
    waived = add_member(session, world, name="已免交")
    set_base(session, waived)
    _approved(session, as_user, waived.id, reduction(month(1), month(12)))
    applicant = add_member(session, world, name="申请人", stage=Stage.APPLICANT, probationary_on=None)
    set_base(session, applicant)
    gone = add_member(session, world, name="已故", status=MemberStatus.DECEASED, left_on=date(YEAR, 6, 1))
    set_base(session, gone)
    assert _arrears(session) == []


def test_arrears_as_of_cannot_be_in_the_future(session: Session, world: World) -> None:
    with pytest.raises(errors.AsOfInFuture):
        service.list_arrears(
            session, EVERYTHING, org_id=None, as_of=month(2), cursor=None, limit=5, today=date(YEAR, 1, 31)
        )


def test_arrears_stay_within_the_callers_subtree_and_the_org_asked_for(
    session: Session, world: World, as_user: Users
) -> None:
    a1 = add_member(session, world, "branch_a1", name="甲一欠费")
    a2 = add_member(session, world, "branch_a2", name="甲二欠费")
    b1 = add_member(session, world, "branch_b1", name="乙一欠费")
    for member in (a1, a2, b1):
        set_base(session, member)
    assert {i.member_id for i in _arrears(session, as_user("sec_a1").scope)} == {a1.id}
    town = as_user("town_a_admin").scope
    assert {i.member_id for i in _arrears(session, town)} == {a1.id, a2.id}
    assert {i.member_id for i in _arrears(session, town, org_id=world.orgs["branch_a2"].id)} == {a2.id}
    with pytest.raises(service.orgs.OrgNotFound):
        _arrears(session, as_user("sec_a1").scope, org_id=world.orgs["branch_b1"].id)


def test_arrears_page_by_member_with_a_cursor(session: Session, world: World) -> None:
    members = [add_member(session, world, name=f"欠费{i}") for i in range(3)]
    for member in members:
        set_base(session, member)
    first = service.list_arrears(session, EVERYTHING, org_id=None, as_of=month(3), cursor=None, limit=2)
    second = service.list_arrears(
        session, EVERYTHING, org_id=None, as_of=month(3), cursor=first.next_cursor, limit=2
    )
    assert [i.member_id for i in first.items + second.items] == [m.id for m in members]
    assert second.next_cursor is None


def test_arrears_scan_a_bounded_number_of_members_per_request(
    session: Session, world: World, admin: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    paid_up, owing = add_member(session, world, name="已交清"), add_member(session, world, name="欠费")
    for member in (paid_up, owing):
        set_base(session, member)
    pay(session, admin, paid_up, month(1), "32.00")
    monkeypatch.setattr(service.policy, "DUES_ARREARS_SCAN_BATCH", 1)
    monkeypatch.setattr(service.policy, "DUES_ARREARS_SCAN_BUDGET", 1)
    first = service.list_arrears(session, EVERYTHING, org_id=None, as_of=month(1), cursor=None, limit=10)
    assert first.items == []
    assert first.next_cursor is not None  # short page: keep following the cursor
    second = service.list_arrears(
        session, EVERYTHING, org_id=None, as_of=month(1), cursor=first.next_cursor, limit=10
    )
    assert [i.member_id for i in second.items] == [owing.id]
    assert second.next_cursor is None


# --- reductions ----------------------------------------------------------------------------------


def _approved(session: Session, as_user: Users, member_id: int, data: ReductionCreate) -> None:
    r = reductions.request_reduction(session, as_user("sec_a1"), member_id, data)
    reductions.review_reduction(session, as_user("sec_a1"), r.id, "支委会研究同意")
    reductions.approve_reduction(session, as_user("town_a_admin"), r.id, "镇党委批准")


def test_a_reduction_takes_effect_only_once_approved(session: Session, world: World, as_user: Users) -> None:
    member = add_member(session, world)
    set_base(session, member)
    r = reductions.request_reduction(session, as_user("sec_a1"), member.id, reduction(month(1), month(3)))
    reductions.review_reduction(session, as_user("sec_a1"), r.id, None)
    assert _statement(session, member.id).months[0].status is MonthStatus.UNPAID
    reductions.approve_reduction(session, as_user("town_a_admin"), r.id, None)
    st = _statement(session, member.id)
    assert _status(st)[:4] == [MonthStatus.WAIVED] * 3 + [MonthStatus.UNPAID]
    assert st.months[0].reduction == D("32.00")
    assert st.arrears.oldest_month == month(4)


def test_a_reduced_amount_caps_what_is_payable(session: Session, world: World, as_user: Users) -> None:
    member = add_member(session, world)
    set_base(session, member)
    _approved(session, as_user, member.id, reduction(month(1), month(2), ReductionKind.REDUCED, "10.00"))
    jan = _statement(session, member.id).months[0]
    assert (jan.due, jan.reduction, jan.payable) == (D("32.00"), D("22.00"), D("10.00"))


def test_the_review_is_by_someone_whose_scope_contains_the_members_branch(
    session: Session, world: World, as_user: Users
) -> None:
    world.users["group_lead"] = add_user(session, "group_lead", Role.SECRETARY, world.orgs["group_a1"])
    member = add_member(session, world, "group_a1")
    r = reductions.request_reduction(session, as_user("group_lead"), member.id, reduction(month(1), month(1)))
    with pytest.raises(errors.NotBranchReviewer):
        reductions.review_reduction(session, as_user("group_lead"), r.id, None)
    # A party group's member is reviewed by the branch above the group.
    assert (
        reductions.review_reduction(session, as_user("sec_a1"), r.id, None).state
        is ReductionState.BRANCH_REVIEWED
    )


def test_approval_needs_the_committee_above_the_branch(
    session: Session, world: World, as_user: Users
) -> None:
    member = add_member(session, world)
    r = reductions.request_reduction(session, as_user("sec_a1"), member.id, reduction(month(1), month(1)))
    reductions.review_reduction(session, as_user("town_a_admin"), r.id, None)
    with pytest.raises(errors.NotSuperiorCommittee):
        reductions.approve_reduction(session, as_user("sec_a1"), r.id, None)
    assert (
        reductions.approve_reduction(session, as_user("county_admin"), r.id, None).state
        is ReductionState.APPROVED
    )


def test_the_approver_is_not_the_reviewer(session: Session, world: World, as_user: Users) -> None:
    member = add_member(session, world)
    r = reductions.request_reduction(session, as_user("sec_a1"), member.id, reduction(month(1), month(1)))
    reductions.review_reduction(session, as_user("town_a_admin"), r.id, None)
    with pytest.raises(errors.ApproverIsReviewer):
        reductions.approve_reduction(session, as_user("town_a_admin"), r.id, None)


def test_invalid_reduction_transitions_conflict(session: Session, world: World, as_user: Users) -> None:
    member = add_member(session, world)
    sec, town = as_user("sec_a1"), as_user("town_a_admin")
    r = reductions.request_reduction(session, sec, member.id, reduction(month(1), month(1)))
    with pytest.raises(errors.InvalidTransition):
        reductions.approve_reduction(session, town, r.id, None)  # not reviewed yet
    reductions.review_reduction(session, sec, r.id, None)
    with pytest.raises(errors.InvalidTransition):
        reductions.review_reduction(session, sec, r.id, None)
    reductions.approve_reduction(session, town, r.id, None)
    with pytest.raises(errors.InvalidTransition):
        reductions.reject_reduction(session, town, r.id, "改变主意")


def test_the_branch_rejects_requests_and_the_committee_rejects_reviewed_ones(
    session: Session, world: World, as_user: Users
) -> None:
    member = add_member(session, world)
    sec, town = as_user("sec_a1"), as_user("town_a_admin")
    first = reductions.request_reduction(session, sec, member.id, reduction(month(1), month(1)))
    assert reductions.reject_reduction(session, sec, first.id, "不符合条件").state is ReductionState.REJECTED
    second = reductions.request_reduction(session, sec, member.id, reduction(month(1), month(1)))
    reductions.review_reduction(session, sec, second.id, None)
    with pytest.raises(errors.NotSuperiorCommittee):
        reductions.reject_reduction(session, sec, second.id, "反悔")
    rejected = reductions.reject_reduction(session, town, second.id, "材料不足")
    assert (rejected.state, rejected.decided_by_id, rejected.decision_note) == (
        ReductionState.REJECTED,
        world.users["town_a_admin"].id,
        "材料不足",
    )


def test_reductions_may_not_overlap_unless_rejected(session: Session, world: World, as_user: Users) -> None:
    member = add_member(session, world)
    sec = as_user("sec_a1")
    r = reductions.request_reduction(session, sec, member.id, reduction(month(1), month(6)))
    with pytest.raises(errors.ReductionOverlap):
        reductions.request_reduction(session, sec, member.id, reduction(month(6), month(8)))
    reductions.reject_reduction(session, sec, r.id, "不符合条件")
    reductions.request_reduction(session, sec, member.id, reduction(month(6), month(8)))


def test_a_reduction_covers_a_valid_range_of_at_most_a_year(
    session: Session, world: World, as_user: Users
) -> None:
    member = add_member(session, world)
    sec = as_user("sec_a1")
    with pytest.raises(errors.ReductionRangeInvalid):
        reductions.request_reduction(session, sec, member.id, reduction(month(3), month(2)))
    with pytest.raises(errors.ReductionTooLong):
        reductions.request_reduction(session, sec, member.id, reduction(month(1), month(1, YEAR + 1)))
    reductions.request_reduction(session, sec, member.id, reduction(month(1), month(12)))


def test_a_reduced_amount_is_given_for_reductions_and_not_for_waivers(
    session: Session, world: World, as_user: Users
) -> None:
    member = add_member(session, world)
    sec = as_user("sec_a1")
    with pytest.raises(errors.ReducedAmountRequired):
        reductions.request_reduction(
            session, sec, member.id, reduction(month(1), month(1), ReductionKind.REDUCED)
        )
    with pytest.raises(errors.ReducedAmountRequired):
        reductions.request_reduction(
            session, sec, member.id, reduction(month(1), month(1), ReductionKind.WAIVER, "5.00")
        )


def test_members_who_pay_nothing_get_no_reduction(session: Session, world: World, as_user: Users) -> None:
    member = add_member(session, world, stage=Stage.ACTIVIST, probationary_on=None)
    with pytest.raises(errors.NotPayable):
        reductions.request_reduction(session, as_user("sec_a1"), member.id, reduction(month(1), month(1)))


def test_service_accounts_do_not_decide_reductions(session: Session, world: World, as_user: Users) -> None:
    member = add_member(session, world)
    r = reductions.request_reduction(session, as_user("sec_a1"), member.id, reduction(month(1), month(1)))
    robot = Principal(kind="service", id=1, name="service:oa", role=None, org_id=None, scope=EVERYTHING)
    with pytest.raises(errors.DecisionNeedsUser):
        reductions.review_reduction(session, robot, r.id, None)


def test_reductions_of_another_branchs_member_are_not_found(
    session: Session, world: World, as_user: Users
) -> None:
    member = add_member(session, world, "branch_b1")
    r = reductions.request_reduction(session, as_user("sec_b1"), member.id, reduction(month(1), month(1)))
    with pytest.raises(errors.ReductionNotFound):
        reductions.review_reduction(session, as_user("sec_a1"), r.id, None)
    with pytest.raises(MemberNotFound):
        reductions.request_reduction(session, as_user("sec_a1"), member.id, reduction(month(2), month(2)))
