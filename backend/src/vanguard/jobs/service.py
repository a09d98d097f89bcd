"""Jobs: start long work for a caller, read and list the jobs a caller may see, cancel, recover.

The public API for other features:

    job = jobs.service.start(session, caller, kind="scoring.recompute", org_id=org.id, work=work)

`work(session, context)` runs after the caller's transaction commits, in a transaction of its own that
is committed when it returns (its dict becomes the job's `result`) and rolled back when it raises or is
cancelled. It reports with `context.progress(done, failed, total)` and stops when `context.cancelled()`.
Writes in `work` are audited as the caller's.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Select, or_, select, true
from sqlalchemy.orm import Session, aliased

from vanguard.audit.hook import PRINCIPAL_KEY, SYSTEM_ACTOR_KEY, record_event
from vanguard.core import policy
from vanguard.core.db import make_sessionmaker, utcnow
from vanguard.core.errors import Conflict, NotFound
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Permission, Principal
from vanguard.jobs import runner as runners
from vanguard.jobs.context import JobCancelled, JobContext
from vanguard.jobs.models import Job, JobState
from vanguard.jobs.schemas import JobCreator, JobRead, JobSummary
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation

__all__ = ["JobCancelled", "JobContext", "Work", "cancel", "get", "list_jobs", "read", "start"]

Work = runners.Work
_PENDING = "vanguard.jobs.pending"


class JobNotFound(NotFound):
    code = "job_not_found"
    message_zh = "任务不存在或不在您的管理范围内"
    message_en = "Job not found, or outside your scope"


class JobFinished(Conflict):
    code = "job_finished"
    message_zh = "任务已结束，不能取消"
    message_en = "The job has finished; it cannot be cancelled"


# --- starting ------------------------------------------------------------------------------------


def start(
    session: Session,
    caller: Principal,
    *,
    kind: str,
    org_id: int | None,
    work: Work,
    params: dict[str, Any] | None = None,
    total: int | None = None,
) -> Job:
    """Queue `work` as a job of `kind` on `org_id`'s subtree (None: the whole tree, administrators only).
    The job is handed to the runner when `session` commits, never if it rolls back."""
    if org_id is not None:
        orgs.get(session, caller.scope, org_id)
    elif caller.scope.root_path is not None:
        raise orgs.OrgNotFound()
    job = Job(
        kind=kind,
        org_id=org_id,
        creator_kind=caller.kind,
        creator_id=caller.id,
        creator_name=caller.name,
        state=JobState.QUEUED,
        worker=runners.worker_id(),
        params=params or {},
        total=total,
    )
    session.add(job)
    session.flush()
    record_event(
        session,
        entity="jobs",
        entity_id=job.id,
        action="start",
        org_id=org_id,
        after={"kind": kind, **job.params},
    )
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    # The work acts for the caller: its writes are audited as theirs.
    actor = {PRINCIPAL_KEY: caller, **{k: session.info[k] for k in (SYSTEM_ACTOR_KEY,) if k in session.info}}
    session.info.setdefault(_PENDING, []).append(
        runners.Submission(job.id, work, make_sessionmaker(engine), actor)
    )
    _install()
    return job


def _submit_pending(session: Session) -> None:
    pending: list[runners.Submission] = session.info.pop(_PENDING, [])
    runner = runners.get_runner()
    for submission in pending:
        runner.submit(submission)


def _drop_pending(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


def _install() -> None:
    from sqlalchemy import event

    if not event.contains(Session, "after_commit", _submit_pending):
        event.listen(Session, "after_commit", _submit_pending)
        event.listen(Session, "after_soft_rollback", _drop_pending)


# --- reading -------------------------------------------------------------------------------------


def _visible(caller: Principal) -> Select[Any]:
    """Jobs the caller started, and (with jobs:read) every job on an org in their subtree."""
    owner = aliased(Organisation)
    mine = (Job.creator_kind == caller.kind) & (Job.creator_id == caller.id)
    stmt = select(Job).outerjoin(owner, owner.id == Job.org_id)
    if not caller.can(Permission.JOBS_READ):
        return stmt.where(mine)
    if caller.scope.root_path is None:
        return stmt.where(true())
    return stmt.where(or_(mine, owner.path.like(caller.scope.root_path + "%")))


def get(session: Session, caller: Principal, job_id: int, *, for_update: bool = False) -> Job:
    stmt = _visible(caller).where(Job.id == job_id)
    if for_update:
        stmt = stmt.with_for_update(of=Job)
    job: Job | None = session.scalars(stmt).one_or_none()
    if job is None:
        if not caller.can(Permission.JOBS_READ):
            caller.require(Permission.JOBS_READ)  # 403 for those who may only see their own jobs
        raise JobNotFound()
    return job


def _live_counts(job: Job) -> tuple[int, int, int | None]:
    live = runners.get_runner().live(job.id) if job.state is JobState.RUNNING else None
    if live is None or live.done < job.done:
        return job.done, job.failed, job.total
    return live.done, live.failed, live.total if live.total is not None else job.total


def _cancelled_here(job: Job) -> bool:
    live = runners.get_runner().live(job.id) if not job.state.finished else None
    return live is not None and live.cancelled()


def _summary_fields(job: Job, now: datetime) -> dict[str, Any]:
    done, failed, total = _live_counts(job)
    rate = eta = None
    if job.started_at is not None and done:
        elapsed = ((job.finished_at or now) - job.started_at).total_seconds()
        if elapsed > 0:
            rate = round(done / elapsed, 1)
            if job.state is JobState.RUNNING and total is not None:
                eta = max(0, round((total - done) / (done / elapsed)))
    return {
        "id": job.id,
        "kind": job.kind,
        "org_id": job.org_id,
        "state": job.state,
        "total": total,
        "done": done,
        "failed": failed,
        "progress": round(min(1.0, done / total), 4) if total else (1.0 if job.state.finished else None),
        "rate_per_second": rate,
        "eta_seconds": eta,
        "cancel_requested": job.cancel_requested or _cancelled_here(job),
        "created_by": JobCreator(kind=job.creator_kind, id=job.creator_id, name=job.creator_name),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "updated_at": job.updated_at,
    }


def summary(job: Job, now: datetime) -> JobSummary:
    return JobSummary.model_validate(_summary_fields(job, now))


def to_summary(job: Job) -> JobSummary:
    return summary(job, utcnow())


def to_read(job: Job) -> JobRead:
    return JobRead.model_validate(
        {**_summary_fields(job, utcnow()), "params": job.params, "result": job.result, "error": job.error}
    )


def read(session: Session, caller: Principal, job_id: int) -> JobRead:
    return to_read(get(session, caller, job_id))


def list_jobs(
    session: Session,
    caller: Principal,
    *,
    kind: str | None,
    state: JobState | None,
    cursor: str | None,
    limit: int,
) -> Page[JobSummary]:
    """Newest first."""
    stmt = _visible(caller)
    if kind is not None:
        stmt = stmt.where(Job.kind == kind)
    if state is not None:
        stmt = stmt.where(Job.state == state)
    return paginate_by_id(
        session, stmt, Job.id, cursor=cursor, limit=limit, descending=True, to_item=lambda r: to_summary(r[0])
    )


# --- cancelling and recovering -------------------------------------------------------------------


def cancel(session: Session, caller: Principal, job_id: int) -> JobRead:
    """The job stops at its next chunk and rolls back everything it did; its state turns `cancelled`
    then (at once for a job still queued). Its creator may cancel it, and anyone holding jobs:cancel who
    sees it.

    A job this process runs is told in memory and its runner writes the cancellation when the work has
    stopped (on SQLite, writing here would wait for the work's transaction); a job elsewhere is flagged in
    the database, and its runner reads the flag with its next progress write."""
    job = get(session, caller, job_id, for_update=True)
    if not (job.creator_kind == caller.kind and job.creator_id == caller.id):
        caller.require(Permission.JOBS_CANCEL)
    if job.state.finished:
        raise JobFinished()
    live = runners.get_runner().live(job.id)
    if live is not None:
        live.cancel(by=caller.name)
        return to_read(job).model_copy(update={"cancel_requested": True})
    job.cancel_requested = True
    if job.state is JobState.QUEUED:
        job.state, job.finished_at = JobState.CANCELLED, utcnow()
    record_event(session, entity="jobs", entity_id=job.id, action="cancel", org_id=job.org_id)
    session.flush()
    return to_read(job)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _abandoned(job: Job, stale_before: datetime) -> bool:
    host, _, rest = (job.worker or "").partition(":")
    pid_text, _, _token = rest.partition(":")
    me = runners.worker_id()
    my_host, my_pid, _ = me.split(":")
    if not pid_text.isdigit() or host != my_host:
        return job.updated_at < stale_before  # another host: only its heartbeat tells
    pid = int(pid_text)
    if pid == int(my_pid):
        return job.worker != me  # our pid, but an earlier process (a restarted container)
    return not _pid_alive(pid)


def recover_interrupted(session: Session, *, now: datetime | None = None) -> list[int]:
    """Mark failed ("interrupted") the queued and running jobs whose process is gone: their work's
    transaction died with it, so nothing they did was kept. Run at app startup."""
    now = now or utcnow()
    stale_before = now - timedelta(minutes=policy.JOB_STALE_MINUTES)
    open_jobs = session.scalars(
        select(Job)
        .where(Job.state.in_([JobState.QUEUED, JobState.RUNNING]))
        .with_for_update(skip_locked=True)
    ).all()
    recovered = []
    for job in open_jobs:
        if not _abandoned(job, stale_before):
            continue
        job.state, job.finished_at = JobState.FAILED, now
        job.error = runners.problem(
            "job_interrupted",
            "任务所在进程已停止，任务中断，未写入任何数据；请重新提交",
            "The process running the job stopped; nothing was written. Start it again",
        )
        record_event(
            session,
            entity="jobs",
            entity_id=job.id,
            action="interrupted",
            org_id=job.org_id,
            after={"kind": job.kind, "worker": job.worker},
        )
        recovered.append(job.id)
    session.flush()
    return recovered
