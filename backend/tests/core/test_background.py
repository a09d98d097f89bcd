"""Periodic jobs: each pass commits as a whole with the job as the audit actor, or leaves nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.audit.hook import record_event
from vanguard.audit.models import AuditEvent
from vanguard.core import background
from vanguard.core.background import PeriodicJob, periodic_jobs, run_once
from vanguard.core.clock import FakeClock
from vanguard.core.config import Settings

AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _write(session: Session, now: datetime) -> str:
    record_event(
        session, entity="job", entity_id=1, action="tick", org_id=None, after={"at": now.isoformat()}
    )
    return "wrote"


def _write_then_fail(session: Session, now: datetime) -> None:
    _write(session, now)
    session.flush()
    raise RuntimeError("the pass broke half-way")


def ticks(monkeypatch: pytest.MonkeyPatch, count: int) -> list[float]:
    """Make the loop's sleep return at once, `count` times, then stop the loop."""
    seen: list[float] = []

    async def sleep(seconds: float) -> None:
        seen.append(seconds)
        if len(seen) > count:
            raise asyncio.CancelledError

    monkeypatch.setattr(background.asyncio, "sleep", sleep)
    return seen


def test_a_failed_pass_is_logged_and_the_loop_goes_on(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[datetime] = []

    def broken(session: Session, now: datetime) -> None:
        calls.append(now)
        raise RuntimeError("database away")

    ticks(monkeypatch, 2)
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(background._loop(app, PeriodicJob("flaky", 60, broken)))
    assert len(calls) == 2
    assert "flaky failed" in caplog.text


def test_a_pass_commits_with_the_job_as_actor_and_the_apps_clock(app: FastAPI, session: Session) -> None:
    app.state.clock = FakeClock(AT)
    assert run_once(app, PeriodicJob("nightly-check", 60, _write)) == "wrote"
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "job")).one()
    assert (event.actor_kind, event.actor_name) == ("system", "nightly-check")
    assert event.after == {"at": AT.isoformat()}


def test_a_failed_pass_leaves_nothing(app: FastAPI, session: Session) -> None:
    with pytest.raises(RuntimeError):
        run_once(app, PeriodicJob("broken", 60, _write_then_fail))
    assert session.scalars(select(AuditEvent).where(AuditEvent.entity == "job")).all() == []


@pytest.mark.parametrize(
    ("environment", "seconds", "started"), [("test", 1, 0), ("development", 0, 0), ("development", 1, 1)]
)
def test_jobs_start_only_outside_tests_and_when_switched_on(
    app: FastAPI, environment: str, seconds: int, started: int
) -> None:
    settings = Settings(VANGUARD_ENV=environment)  # type: ignore[call-arg]

    async def tasks_while_serving() -> int:
        async with periodic_jobs(app, settings, [PeriodicJob("tick", seconds, _write)]):
            return sum(1 for t in asyncio.all_tasks() if t.get_name() == "tick")

    assert asyncio.run(tasks_while_serving()) == started
