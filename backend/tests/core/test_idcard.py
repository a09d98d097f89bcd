"""GB 11643 resident ID numbers."""

from __future__ import annotations

from datetime import date

import pytest

from vanguard.core import idcard

# The worked examples of GB 11643-1999 itself: independent of our check-digit code.
STANDARD_EXAMPLE = "11010519491231002X"
SECOND_EXAMPLE = "440524188001010014"  # valid per the standard, but born in 1880


def test_the_standards_example_is_valid() -> None:
    card = idcard.parse(STANDARD_EXAMPLE)
    assert card.birth_date == date(1949, 12, 31)
    assert card.is_male is False  # sequence 002: even means female


def test_births_before_1900_are_out_of_range_for_a_living_roll() -> None:
    with pytest.raises(idcard.InvalidIdNumber, match="out of range"):
        idcard.parse(SECOND_EXAMPLE)


def test_lower_case_x_is_accepted_and_normalised() -> None:
    assert idcard.parse(STANDARD_EXAMPLE.lower()).number == STANDARD_EXAMPLE


def test_a_wrong_check_character_is_refused() -> None:
    with pytest.raises(idcard.InvalidIdNumber, match="check character"):
        idcard.parse(STANDARD_EXAMPLE[:-1] + "1")


def test_a_birth_date_that_does_not_exist_is_refused() -> None:
    body = "110105" + "19490230" + "002"  # 30 February
    with pytest.raises(idcard.InvalidIdNumber, match="does not exist"):
        idcard.parse(body + idcard.check_char(body))


def test_a_future_birth_date_is_refused() -> None:
    body = "110105" + "20990101" + "002"
    with pytest.raises(idcard.InvalidIdNumber, match="out of range"):
        idcard.parse(body + idcard.check_char(body), today=date(2026, 1, 1))


def test_an_unknown_province_code_is_refused() -> None:
    body = "990105" + "19491231" + "002"
    with pytest.raises(idcard.InvalidIdNumber, match="area code"):
        idcard.parse(body + idcard.check_char(body))


@pytest.mark.parametrize("raw", ["", "1101051949123100", "11010519491231002XX", "1101051949123100AX"])
def test_wrong_length_or_characters_are_refused(raw: str) -> None:
    with pytest.raises(idcard.InvalidIdNumber):
        idcard.parse(raw)


def test_mask_keeps_area_and_last_four() -> None:
    assert idcard.mask(STANDARD_EXAMPLE) == "110105********002X"
