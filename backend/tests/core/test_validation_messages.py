"""Chinese for pydantic's error types, filled from each error's context."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from vanguard.core.validation_messages import zh_message


class Sample(BaseModel):
    name: str = Field(max_length=3)
    hours: float = Field(ge=0, le=24)
    held_on: date

    @field_validator("name")
    @classmethod
    def no_digits(cls, value: str) -> str:
        if any(c.isdigit() for c in value):
            raise ValueError("no digits in names")
        return value


def errors_of(**data: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    return {str(e["loc"][0]): zh_message(dict(e)) for e in caught.value.errors()}


def test_limits_come_from_the_error_context() -> None:
    assert errors_of(name="abcd", hours=25, held_on="2026-01-01") == {
        "name": "最多 3 个字符",
        "hours": "不能大于 24",
    }
    assert errors_of(name="ab", hours=-1, held_on="2026-01-01")["hours"] == "不能小于 0"


def test_types_and_missing_fields() -> None:
    assert errors_of(name="ab", hours="many") == {"hours": "须为数字", "held_on": "必填"}
    assert errors_of(name="ab", hours=1, held_on="tomorrow")["held_on"] == "须为日期（YYYY-MM-DD）"


def test_a_custom_validator_keeps_its_english_reason() -> None:
    assert (
        errors_of(name="a1", hours=1, held_on="2026-01-01")["name"]
        == "取值无效（Value error, no digits in names）"
    )
