"""Where jobs run: an in-process thread pool behind a small interface, so a real queue can replace it.

A job's work runs in one transaction; its progress is written in short transactions of its own (on
PostgreSQL; SQLite has one writer at a time, so there the live counts come from this process's memory).
The job's final state is written inside the work's transaction, so "succeeded" and the data it wrote
commit together; a crash leaves the job "running" with nothing written, and `recover_interrupted` (run at
app startup) marks it failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import Engine, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from vanguard.audit.hook import SYSTEM_ACTOR_KEY, record_event
from vanguard.core import policy
from vanguard.core.config import get_settings
from vanguard.core.db import utcnow
from vanguard.core.errors import AppError
from vanguard.jobs.context import JobCancelled, JobContext
from vanguard.jobs.models import Job, JobState

log = logging.getLogger(__name__)

Work = Callable[[Session, JobContext], dict[str, Any]]

_worker: tuple[int, str] | None = None


def worker_id() -> str:
    """host:pid:token of this process; the token tells a restarted process from its dead predecessor
    that had the same pid (pid 1 in a container)."""
    global _worker
    if _worker is None or _worker[0] != os.getpid():
        _worker = (os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}")
    return _worker[1]


@dataclass
class Submission:
    job_id: int
    work: Work
    sessions: sessionmaker[Session]
    actor: dict[str, Any] = field(default_factory=dict)  # session.info keys the audit hook reads


class Runner(Protocol):
    def submit(self, submission: Submission) -> None: ...

    def live(self, job_id: int) -> JobContext | None:
        """The context of a job this process is running or holds queued."""

    def wait(self, job_id: int, timeout: float | None = None) -> None:
        """Block until the job has finished here (or return at once if it is not held here)."""

    def drain(self, timeout: float) -> None:
        """Block until every job held here has finished, or `timeout` seconds have passed."""


class ThreadRunner:
    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vanguard-job")
        self._lock = threading.Lock()
        self._live: dict[int, JobContext] = {}
        self._futures: dict[int, Future[None]] = {}

    def submit(self, submission: Submission) -> None:
        context = JobContext(submission.job_id, every_seconds=policy.JOB_PROGRESS_WRITE_SECONDS)
        with self._lock:
            self._live[submission.job_id] = context
            future = self._pool.submit(execute, submission, context)
            self._futures[submission.job_id] = future
        future.add_done_callback(lambda _f: self._forget(submission.job_id))

    def _forget(self, job_id: int) -> None:
        with self._lock:
            self._live.pop(job_id, None)
            self._futures.pop(job_id, None)

    def live(self, job_id: int) -> JobContext | None:
        with self._lock:
            return self._live.get(job_id)

    def wait(self, job_id: int, timeout: float | None = None) -> None:
        with self._lock:
            future = self._futures.get(job_id)
        if future is not None:
            future.result(timeout)

    def drain(self, timeout: float) -> None:
        with self._lock:
            held = list(self._futures.values())
        wait_for(held, timeout)


_runner: Runner | None = None


def get_runner() -> Runner:
    global _runner
    if _runner is None:
        _runner = ThreadRunner(get_settings().job_workers)
    return _runner


def use_runner(runner: Runner) -> None:
    """Swap the process's runner (another queue, or tests)."""
    global _runner
    _runner = runner


# --- running one job -----------------------------------------------------------------------------


def execute(submission: Submission, context: JobContext) -> None:
    """Run one job: mark it running, run the work in one transaction, write how it ended."""
    try:
        started = _mark_running(submission, context)
        if started is None:
            return
        _run(submission, context, *started)
    except Exception:  # the pool swallows exceptions: log what even the bookkeeping could not record
        log.exception("job %s: bookkeeping failed", submission.job_id)


def _mark_running(submission: Submission, context: JobContext) -> tuple[str, int | None] | None:
    with submission.sessions() as session, session.begin():
        session.info.update(submission.actor)
        job = session.get(Job, submission.job_id, with_for_update=True)
        if job is None or job.state is not JobState.QUEUED:
            return None  # never committed, or cancelled while queued
        if job.cancel_requested or context.cancelled():
            _end(session, job.id, job.kind, job.org_id, JobState.CANCELLED, context)
            return None
        job.state, job.started_at, job.worker = JobState.RUNNING, utcnow(), worker_id()
        if job.total is not None:
            context.total = job.total
        return job.kind, job.org_id


def _run(submission: Submission, context: JobContext, kind: str, org_id: int | None) -> None:
    if not _is_sqlite(submission.sessions):
        context.writer = _progress_writer(submission.sessions, submission.job_id)
    session = submission.sessions()
    session.info.update(submission.actor)
    error: dict[str, Any] | None = None
    try:
        result = submission.work(session, context)
        if context.cancelled():
            raise JobCancelled()
        _end(session, submission.job_id, kind, org_id, JobState.SUCCEEDED, context, result=result)
        session.commit()
        return
    except JobCancelled:
        state = JobState.CANCELLED
    except AppError as exc:
        state, error = JobState.FAILED, problem(exc.problem_code, exc.zh, exc.en)
    except Exception:
        log.exception("job %s (%s) failed", submission.job_id, kind)
        state = JobState.FAILED
        error = problem("job_crashed", "任务意外中止，未写入任何数据", "The job failed; nothing was written")
    finally:
        session.rollback()
        session.close()
    with submission.sessions() as ending, ending.begin():
        ending.info.update(submission.actor)
        _end(ending, submission.job_id, kind, org_id, state, context, error=error)


def problem(code: str, zh: str, en: str) -> dict[str, Any]:
    return {"code": code, "messages": {"zh-CN": zh, "en": en}}


def _end(
    session: Session,
    job_id: int,
    kind: str,
    org_id: int | None,
    state: JobState,
    context: JobContext,
    *,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(
            state=state,
            finished_at=utcnow(),
            done=context.done,
            failed=context.failed,
            total=context.total,
            result=result,
            error=error,
            **({"cancel_requested": True} if state is JobState.CANCELLED else {}),
        )
    )
    after: dict[str, Any] = {"kind": kind, "done": context.done, "failed": context.failed}
    if error is not None:
        after["error"] = error["code"]
    if state is JobState.CANCELLED and context.cancelled_by is not None:
        after["cancelled_by"] = context.cancelled_by
    record_event(session, entity="jobs", entity_id=job_id, action=state.value, org_id=org_id, after=after)


def _progress_writer(sessions: sessionmaker[Session], job_id: int) -> Callable[[int, int, int | None], bool]:
    def write(done: int, failed: int, total: int | None) -> bool:
        values: dict[str, Any] = {"done": done, "failed": failed, "updated_at": utcnow()}
        if total is not None:
            values["total"] = total
        with sessions() as session, session.begin():
            requested = session.scalar(
                update(Job).where(Job.id == job_id).values(**values).returning(Job.cancel_requested)
            )
        return bool(requested)

    return write


@lru_cache(maxsize=64)
def _dialect_of(engine: Engine) -> str:
    return engine.dialect.name


def _is_sqlite(sessions: sessionmaker[Session]) -> bool:
    bind = sessions.kw.get("bind")
    return isinstance(bind, Engine) and _dialect_of(bind) == "sqlite"


@contextlib.asynccontextmanager
async def recovering_jobs(
    app: Any, inner: contextlib.AbstractAsyncContextManager[None]
) -> AsyncIterator[None]:
    """An app lifespan: mark jobs interrupted by a dead process failed, then run `inner`; on the way
    out, give running jobs a while to finish before their process (and its connections) go away —
    those still running after that are marked interrupted by the next start."""
    from vanguard.jobs.service import recover_interrupted

    recovered: list[int] = []
    try:
        with app.state.sessionmaker() as session, session.begin():
            session.info[SYSTEM_ACTOR_KEY] = "jobs"
            recovered = recover_interrupted(session)
    except SQLAlchemyError:  # a database not migrated yet: the app still starts and says so
        log.exception("could not check for interrupted jobs")
    if recovered:
        log.warning("jobs %s were interrupted by a stopped process; marked failed", recovered)
    async with inner:
        yield
    await asyncio.to_thread(get_runner().drain, policy.JOB_SHUTDOWN_WAIT_SECONDS)
