"""The 2008 dues rules as pure functions: the bands, their edges, rounding, who pays from when."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from vanguard.dues import errors, service
from vanguard.dues.service import monthly_due
from vanguard.members.models import Category, Member, MemberStatus, Stage

D = Decimal


@pytest.mark.parametrize(
    ("income", "due"),
    [
        ("0", "0.00"),
        ("2999.99", "15.00"),
        ("3000", "15.00"),
        ("3000.01", "30.00"),
        ("5000", "50.00"),
        ("5000.01", "75.00"),
        ("10000", "150.00"),
        ("10000.01", "200.00"),
    ],
)
def test_employed_band_upper_bounds_are_inclusive(income: str, due: str) -> None:
    assert monthly_due(Category.EMPLOYED, D(income)) == D(due)


@pytest.mark.parametrize(("income", "due"), [("3200", "32.00"), ("11500", "230.00"), ("8000", "120.00")])
def test_the_whole_income_is_charged_at_its_bands_rate(income: str, due: str) -> None:
    assert monthly_due(Category.EMPLOYED, D(income)) == D(due)


@pytest.mark.parametrize(("income", "due"), [("4000", "20.00"), ("5000", "25.00"), ("5000.01", "50.00")])
def test_retired_members_pay_half_a_percent_up_to_5000_then_one_percent(income: str, due: str) -> None:
    assert monthly_due(Category.RETIRED, D(income)) == D(due)


@pytest.mark.parametrize("category", [Category.FLOATING, Category.NON_PUBLIC])
def test_floating_and_non_public_members_pay_on_income_like_employed(category: Category) -> None:
    assert monthly_due(category, D("3200")) == monthly_due(Category.EMPLOYED, D("3200")) == D("32.00")


@pytest.mark.parametrize("category", [Category.STUDENT, Category.UNEMPLOYED, Category.LOW_INCOME])
def test_students_laid_off_and_minimum_allowance_members_pay_twenty_fen(category: Category) -> None:
    assert monthly_due(category, None) == D("0.20")
    assert monthly_due(category, D("9000")) == D("0.20")  # whatever they earn


@pytest.mark.parametrize("amount", ["0.20", "0.50", "1.00"])
def test_rural_members_pay_their_chosen_amount_from_20_fen_to_1_yuan(amount: str) -> None:
    assert monthly_due(Category.RURAL, D(amount)) == D(amount)


@pytest.mark.parametrize("amount", ["0.19", "1.01", "30"])
def test_rural_amount_outside_20_fen_to_1_yuan_is_refused(amount: str) -> None:
    with pytest.raises(errors.RuralAmountOutOfRange):
        monthly_due(Category.RURAL, D(amount))


def test_rural_members_must_choose_an_amount() -> None:
    with pytest.raises(errors.RuralAmountRequired):
        monthly_due(Category.RURAL, None)


def test_amounts_round_half_up_to_the_fen() -> None:
    assert monthly_due(Category.EMPLOYED, D("1001")) == D("5.01")  # 5.005: half-up, not half-even
    assert monthly_due(Category.EMPLOYED, D("3333.33")) == D("33.33")
    assert monthly_due(Category.RETIRED, D("1234.50")) == D("6.17")  # 6.1725


def test_dues_are_exact_decimals_never_floats() -> None:
    due = monthly_due(Category.EMPLOYED, D("7777.77"))
    assert isinstance(due, Decimal)
    assert due == D("116.67")  # 116.66655


def test_income_rated_categories_need_an_income() -> None:
    with pytest.raises(errors.IncomeRequired):
        monthly_due(Category.EMPLOYED, None)
    with pytest.raises(errors.IncomeRequired):
        monthly_due(Category.RETIRED, None)


def test_income_cannot_be_negative() -> None:
    with pytest.raises(errors.IncomeNegative):
        monthly_due(Category.EMPLOYED, D("-1"))


def _member(stage: Stage, **dates: date | None) -> Member:
    return Member(stage=stage, status=dates.pop("status", None) or MemberStatus.NORMAL, **dates)


def test_probationary_members_pay_from_the_month_of_approval() -> None:
    owed = service.liability(_member(Stage.PROBATIONARY, probationary_on=date(2025, 3, 18)))
    assert owed is not None
    assert owed.start == date(2025, 3, 1)
    assert not owed.covers(date(2025, 2, 1))
    assert owed.covers(date(2025, 3, 1))


def test_full_members_without_an_approval_date_pay_from_full_membership() -> None:
    owed = service.liability(_member(Stage.FULL, full_member_on=date(2020, 7, 1)))
    assert owed is not None
    assert owed.start == date(2020, 7, 1)


@pytest.mark.parametrize("stage", [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE])
def test_applicants_activists_and_candidates_pay_nothing(stage: Stage) -> None:
    assert service.liability(_member(stage, probationary_on=None)) is None


def test_members_who_left_owe_nothing_from_the_month_they_left() -> None:
    member = _member(Stage.FULL, probationary_on=date(2010, 1, 1), left_on=date(2025, 5, 20))
    member.status = MemberStatus.DECEASED
    owed = service.liability(member)
    assert owed is not None
    assert owed.covers(date(2025, 4, 1))
    assert not owed.covers(date(2025, 5, 1))


def test_months_count_across_year_ends() -> None:
    assert service.add_months(date(2025, 11, 1), 3) == date(2026, 2, 1)
    assert service.add_months(date(2025, 1, 1), -1) == date(2024, 12, 1)
    assert len(service.months_between(date(2024, 12, 1), date(2025, 2, 1))) == 3
