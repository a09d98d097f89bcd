"""The allow-lists, without a database: a field its kind may not publish is refused, naming it."""

from __future__ import annotations

import pytest

from tests.publicity.conftest import body
from vanguard.publicity.errors import FieldNotPublishable
from vanguard.publicity.schemas import PublicationCreate, PublicationUpdate


def _refused_field(exc: pytest.ExceptionInfo[FieldNotPublishable]) -> str:
    errors = exc.value.extra["errors"]
    assert [e.code for e in errors] == ["field_not_publishable"]
    return str(errors[0].field)


def test_personal_data_is_not_publishable_for_any_kind() -> None:
    with pytest.raises(FieldNotPublishable) as exc:
        PublicationCreate.model_validate(
            body("candidate_notice", 1, member_id=7, id_card="110101199001011234")
        )
    assert _refused_field(exc) == "body.id_card"
    assert "id_card" in exc.value.zh
    assert "id_card" in exc.value.en
    assert "personal data" in exc.value.en


def test_a_field_of_another_kind_is_not_publishable() -> None:
    totals = {"collected": "1.00", "remitted": "0", "spent": "0", "balance": "1.00"}
    with pytest.raises(FieldNotPublishable) as exc:
        PublicationCreate.model_validate(body("dues_report", 1, totals=totals, member_id=7))
    assert _refused_field(exc) == "body.member_id"


def test_personal_data_inside_a_row_is_refused_naming_its_place() -> None:
    grades = [{"member_id": 3, "grade": "qualified"}, {"member_id": 4, "grade": "excellent", "phone": "139"}]
    with pytest.raises(FieldNotPublishable) as exc:
        PublicationCreate.model_validate(body("evaluation_results", 1, grades=grades))
    assert _refused_field(exc) == "body.grades.1.phone"


def test_an_edit_naming_an_unknown_field_is_refused() -> None:
    with pytest.raises(FieldNotPublishable) as exc:
        PublicationUpdate.model_validate({"title": "新标题", "birth_date": "1990-01-01"})
    assert _refused_field(exc) == "body.birth_date"


def test_each_kind_accepts_its_own_fields() -> None:
    pledges = [{"member_id": 3, "pledge": "带头参加义务劳动", "kept": True}]
    made = PublicationCreate.model_validate(body("pledge_results", 1, year=2026, pledges=pledges))
    assert made.pledges is not None
    assert made.pledges[0].kept
