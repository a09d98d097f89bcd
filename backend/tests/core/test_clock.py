"""Dates follow China's calendar whatever zone the server runs in."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from vanguard.core.clock import FakeClock, local_today


@pytest.mark.parametrize(
    ("utc", "china_date"),
    [
        (datetime(2026, 11, 23, 15, 59, tzinfo=UTC), date(2026, 11, 23)),  # 23:59 in Beijing
        (datetime(2026, 11, 23, 16, 0, tzinfo=UTC), date(2026, 11, 24)),  # midnight in Beijing
        (datetime(2026, 12, 31, 17, 30, tzinfo=UTC), date(2027, 1, 1)),  # new year comes first in China
    ],
)
def test_local_today_is_the_date_in_china(utc: datetime, china_date: date) -> None:
    assert local_today(utc) == china_date


def test_a_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    assert clock.now() == clock.now()
    assert clock.advance(days=1, hours=2) == datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock(datetime(2026, 3, 2))
