"""Rules about calendar dates that many records share."""

from __future__ import annotations

from datetime import date

from vanguard.core.errors import InvalidInput


class DateInFuture(InvalidInput):
    code = "date_in_future"
    message_zh = "日期不能晚于今天"
    message_en = "The date cannot be in the future"


def not_after_today(value: date, today: date, field_name: str) -> None:
    """A record of something that happened cannot be dated tomorrow (422 naming the field)."""
    if value > today:
        raise DateInFuture.at(field_name)
