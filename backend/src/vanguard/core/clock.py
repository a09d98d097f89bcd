"""Where "now" comes from: the system clock in production, a settable one in tests.

Services that depend on time take `now` as an argument; routes get it from the app's clock
(`app.state.clock`, the system clock unless a test put a `FakeClock` there).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Protocol

from fastapi import Depends, FastAPI, Request


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at

    def advance(self, **delta: float) -> datetime:
        self._at += timedelta(**delta)
        return self._at


SYSTEM_CLOCK = SystemClock()

# Party organisations keep China's calendar: "today", months and quarters are China Standard Time days
# (UTC+8 all year, no daylight saving), whatever zone the server runs in.
CST = timezone(timedelta(hours=8), "CST")


def local_today(now: datetime | None = None) -> date:
    """Today's date in China (at `now`, default the system clock), for rules about dates ("not after
    today", "due within 30 days"): a server on UTC still says 24 November at 01:00 in Beijing."""
    return (now or datetime.now(UTC)).astimezone(CST).date()


def clock_of(app: FastAPI) -> Clock:
    clock: Clock | None = getattr(app.state, "clock", None)
    return clock if clock is not None else SYSTEM_CLOCK


def get_clock(request: Request) -> Clock:
    return clock_of(request.app)


ClockDep = Annotated[Clock, Depends(get_clock)]
