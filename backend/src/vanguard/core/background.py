"""Periodic jobs run in-process (overdue sweeps, webhook delivery), each pass in its own transaction.

One worker process is enough for a county; several are safe too, as jobs lock what they take.
Jobs never run under VANGUARD_ENV=test: tests call the pass functions directly, with a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session

from vanguard.audit.hook import SYSTEM_ACTOR_KEY
from vanguard.core.clock import clock_of
from vanguard.core.config import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str  # also the audit actor of what the job writes
    seconds: int  # 0 turns the job off
    run: Callable[[Session, datetime], Any]  # one pass; returns something worth logging when truthy


def run_once(app: FastAPI, job: PeriodicJob) -> Any:
    """One pass of `job` in its own transaction, with the app's clock."""
    session: Session = app.state.sessionmaker()
    try:
        session.info[SYSTEM_ACTOR_KEY] = job.name
        result = job.run(session, clock_of(app).now())
        session.commit()
        return result
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


async def _loop(app: FastAPI, job: PeriodicJob) -> None:
    while True:
        await asyncio.sleep(job.seconds)
        try:
            result = await asyncio.to_thread(run_once, app, job)
        except Exception:  # a failed pass is retried at the next tick; it must not stop the loop
            log.exception("%s failed", job.name)
        else:
            if result:
                log.info("%s: %s", job.name, result)


@contextlib.asynccontextmanager
async def periodic_jobs(app: FastAPI, settings: Settings, jobs: Sequence[PeriodicJob]) -> AsyncIterator[None]:
    """A lifespan that runs `jobs` while the app serves."""
    enabled = [] if settings.environment == "test" else [job for job in jobs if job.seconds > 0]
    tasks = [asyncio.create_task(_loop(app, job), name=job.name) for job in enabled]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
