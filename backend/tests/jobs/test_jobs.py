"""Jobs: the work runs in one transaction after the caller's commits; progress, failure, cancellation,
recovery after a crash, and who may see and cancel a job."""

from __future__ import annotations

import subprocess
import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.boundary import Endpoint, assert_boundary
from tests.jobs.helpers import principal, start_and_wait, wait
from tests.problems import assert_problem
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.core.db import utcnow
from vanguard.core.errors import AppError, Conflict
from vanguard.jobs import service as jobs
from vanguard.jobs.context import JobContext
from vanguard.jobs.models import Job, JobState
from vanguard.jobs.runner import worker_id
from vanguard.members.models import Gender, Member


def _add_members(session: Session, org_id: int, names: list[str]) -> None:
    for name in names:
        session.add(Member(org_id=org_id, name=name, gender=Gender.FEMALE))
    session.flush()


def _job_members(session: Session) -> list[str]:
    session.rollback()
    return list(session.scalars(select(Member.name).where(Member.name.like("任务%")).order_by(Member.id)))


def test_the_work_runs_after_commit_reports_progress_and_its_result(session: Session, world: World) -> None:
    org_id = world.orgs["branch_a1"].id

    def work(s: Session, ctx: JobContext) -> dict[str, Any]:
        for i in range(3):
            _add_members(s, org_id, [f"任务{i}"])
            ctx.progress(i + 1, failed=0, total=3)
        return {"written": 3}

    job = start_and_wait(session, world, work)
    assert (job.state, job.done, job.failed, job.total, job.result) == (
        JobState.SUCCEEDED,
        3,
        0,
        3,
        {"written": 3},
    )
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.creator_name == "sec_a1"
    assert _job_members(session) == ["任务0", "任务1", "任务2"]
    # The work's writes are audited as the caller's; the job's start and end too.
    creates = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "members", AuditEvent.action == "create")
        .order_by(AuditEvent.id)
    ).all()
    assert {e.actor_name for e in creates[-3:]} == {"sec_a1"}
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "jobs", AuditEvent.entity_id == str(job.id))
    ).all()
    assert sorted(actions) == ["start", "succeeded"]


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (Conflict("冲突", "conflict", code="test_conflict"), "test_conflict"),
        (RuntimeError("boom"), "job_crashed"),
    ],
)
def test_a_failing_work_leaves_nothing_and_says_why(
    session: Session, world: World, failure: Exception, code: str
) -> None:
    org_id = world.orgs["branch_a1"].id

    def work(s: Session, ctx: JobContext) -> dict[str, Any]:
        _add_members(s, org_id, ["任务甲", "任务乙"])
        ctx.progress(2)
        raise failure

    job = start_and_wait(session, world, work)
    assert job.state is JobState.FAILED
    assert job.error is not None
    assert job.error["code"] == code
    assert set(job.error["messages"]) == {"zh-CN", "en"}
    assert job.done == 2
    assert _job_members(session) == []


def test_a_job_whose_transaction_rolls_back_never_runs(session: Session, world: World) -> None:
    ran = threading.Event()

    def work(s: Session, ctx: JobContext) -> dict[str, Any]:
        ran.set()
        return {}

    caller = principal(session, world, "sec_a1")
    job_id = jobs.start(session, caller, kind="test", org_id=world.orgs["branch_a1"].id, work=work).id
    session.rollback()
    wait(session, job_id) if session.get(Job, job_id) else None
    assert session.get(Job, job_id) is None
    assert not ran.is_set()


def test_a_job_is_started_only_within_the_callers_subtree(session: Session, world: World) -> None:
    caller = principal(session, world, "sec_b1")
    with pytest.raises(AppError) as refused:
        jobs.start(session, caller, kind="test", org_id=world.orgs["branch_a1"].id, work=lambda s, c: {})
    assert refused.value.problem_code == "org_not_found"


def test_cancelling_a_running_job_rolls_its_work_back(
    client: TestClient, session: Session, world: World
) -> None:
    org_id = world.orgs["branch_a1"].id
    started, stop_waiting = threading.Event(), threading.Event()

    def work(s: Session, ctx: JobContext) -> dict[str, Any]:
        _add_members(s, org_id, ["任务取消"])
        ctx.progress(1, total=10)
        started.set()
        for _ in range(600):  # between "chunks", as real work does; bounded so a bug cannot hang the run
            if ctx.cancelled():
                return {}
            stop_waiting.wait(0.05)
        return {"finished": True}

    caller = principal(session, world, "sec_a1")
    job_id = jobs.start(session, caller, kind="test", org_id=org_id, work=work).id
    session.commit()
    assert started.wait(30)
    r = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=world.auth("sec_a1"))
    assert r.status_code == 200, r.text
    assert r.json()["cancel_requested"] is True
    job = wait(session, job_id)
    assert job.state is JobState.CANCELLED
    assert _job_members(session) == []
    assert_problem(
        client.post(f"/api/v1/jobs/{job_id}/cancel", headers=world.auth("sec_a1")), 409, "job_finished"
    )


def test_a_queued_job_is_cancelled_at_once(client: TestClient, session: Session, world: World) -> None:
    job = _queued(session, world)
    r = client.post(f"/api/v1/jobs/{job.id}/cancel", headers=world.auth("town_a_admin"))
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["progress"]) == ("cancelled", 1.0)


def _queued(session: Session, world: World, **fields: Any) -> Job:
    sec = world.users["sec_a1"]
    defaults: dict[str, Any] = {
        "kind": "test",
        "org_id": world.orgs["branch_a1"].id,
        "creator_kind": "user",
        "creator_id": sec.id,
        "creator_name": sec.username,
        "state": JobState.QUEUED,
        "worker": worker_id(),
        "params": {},
    }
    job = Job(**(defaults | fields))
    session.add(job)
    session.commit()
    return job


def test_progress_rate_and_eta(session: Session, world: World) -> None:
    now = utcnow()
    job = _queued(session, world, total=300, done=100, failed=4)
    job.state, job.started_at = JobState.RUNNING, now - timedelta(seconds=10)
    summary = jobs.summary(job, now)
    # 100 rows in 10 s: 10 rows/s, 200 rows to go → 20 s.
    assert (summary.progress, summary.rate_per_second, summary.eta_seconds) == (0.3333, 10.0, 20)
    assert summary.failed == 4
    job.total = None
    assert (jobs.summary(job, now).progress, jobs.summary(job, now).eta_seconds) == (None, None)


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])  # noqa: S607 - a pid that has surely ended
    child.wait()
    return child.pid


def test_jobs_of_a_dead_process_are_marked_interrupted_at_startup(
    session: Session, world: World, client: TestClient
) -> None:
    host, pid, _ = worker_id().split(":")
    stale = utcnow() - timedelta(hours=2)
    dead = _queued(session, world, worker=f"{host}:{_dead_pid()}:cafe")
    earlier_me = _queued(session, world, worker=f"{host}:{pid}:0000")  # our pid, an earlier process
    alive = _queued(session, world)
    far_fresh = _queued(session, world, worker="elsewhere:1:abcd")
    far_stale = _queued(session, world, worker="elsewhere:2:abcd")
    for job in (dead, earlier_me, alive, far_fresh, far_stale):
        job.state = JobState.RUNNING
    far_stale.updated_at = stale  # its last heartbeat
    session.commit()

    recovered = jobs.recover_interrupted(session)
    session.commit()
    assert sorted(recovered) == sorted([dead.id, earlier_me.id, far_stale.id])
    for job in (dead, earlier_me, far_stale):
        session.refresh(job)
        assert job.state is JobState.FAILED
        assert job.error is not None
        assert job.error["code"] == "job_interrupted"
    for job in (alive, far_fresh):
        session.refresh(job)
        assert job.state is JobState.RUNNING


def test_the_app_recovers_interrupted_jobs_when_it_starts(session: Session, world: World, app: Any) -> None:
    host = worker_id().split(":")[0]
    job = _queued(session, world, worker=f"{host}:{_dead_pid()}:cafe")
    with TestClient(app) as started:
        r = started.get(f"/api/v1/jobs/{job.id}", headers=world.auth("sec_a1"))
    assert (r.json()["state"], r.json()["error"]["code"]) == ("failed", "job_interrupted")


def test_who_sees_which_jobs(client: TestClient, session: Session, world: World) -> None:
    mine = _queued(session, world)
    b1 = _queued(session, world, org_id=world.orgs["branch_b1"].id)
    b1.creator_id, b1.creator_name = world.users["sec_b1"].id, "sec_b1"
    session.commit()

    def listed(user: str) -> list[int]:
        r = client.get("/api/v1/jobs", headers=world.auth(user))
        assert r.status_code == 200, r.text
        return [j["id"] for j in r.json()["items"]]

    assert listed("sec_a1") == [mine.id]
    assert listed("sec_b1") == [b1.id]
    assert listed("county_admin") == [b1.id, mine.id]  # newest first
    assert listed("auditor") == [b1.id, mine.id]
    assert listed("member_a1") == []  # no jobs:read, and none of their own
    assert listed("town_a_admin") == [mine.id]
    assert_problem(client.get(f"/api/v1/jobs/{b1.id}", headers=world.auth("sec_a1")), 404, "job_not_found")
    r = client.get("/api/v1/jobs?state=queued&kind=test&limit=1", headers=world.auth("admin"))
    assert [j["id"] for j in r.json()["items"]] == [b1.id]
    assert r.json()["next_cursor"]


@pytest.mark.parametrize("action", ["read", "cancel"])
def test_the_permission_boundary(client: TestClient, session: Session, world: World, action: str) -> None:
    job = _queued(session, world)
    endpoint = (
        Endpoint("GET", "/jobs/{id}", outsider_code="job_not_found")
        if action == "read"
        else Endpoint("POST", "/jobs/{id}/cancel", outsider_code="job_not_found")
    )
    assert_boundary(client, world, endpoint, {"id": job.id})


def test_a_cancel_flagged_by_another_process_reaches_the_work_through_its_progress_writes(
    session: Session, world: World, db_url: str
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite jobs take progress and cancellation from this process's memory only")
    org_id = world.orgs["branch_a1"].id
    started, stop_waiting = threading.Event(), threading.Event()

    def work(s: Session, ctx: JobContext) -> dict[str, Any]:
        _add_members(s, org_id, ["任务旗标"])
        for done in range(1, 400):  # bounded: a bug cannot hang the run
            ctx.progress(done, total=400)
            started.set()
            if ctx.cancelled():
                return {}
            stop_waiting.wait(0.05)
        return {"finished": True}

    caller = principal(session, world, "sec_a1")
    job_id = jobs.start(session, caller, kind="test", org_id=org_id, work=work).id
    session.commit()
    assert started.wait(30)
    # What a cancel handled by another app process writes: only the flag.
    session.execute(update(Job).where(Job.id == job_id).values(cancel_requested=True))
    session.commit()
    job = wait(session, job_id)
    assert job.state is JobState.CANCELLED
    assert 0 < job.done < 399
    assert _job_members(session) == []


def test_a_stopping_app_lets_its_running_jobs_finish(session: Session, world: World, app: Any) -> None:
    """Shutdown waits (JOB_SHUTDOWN_WAIT_SECONDS) for running work, so it ends before its process and
    database connections go away, instead of being cut off mid-transaction."""
    org_id = world.orgs["branch_a1"].id
    started, release = threading.Event(), threading.Event()

    def work(s: Session, ctx: JobContext) -> dict[str, Any]:
        _add_members(s, org_id, ["任务收尾"])
        started.set()
        release.wait(30)
        return {"finished": True}

    with TestClient(app):
        caller = principal(session, world, "sec_a1")
        job_id = jobs.start(session, caller, kind="test", org_id=org_id, work=work).id
        session.commit()
        assert started.wait(30)
        threading.Timer(0.5, release.set).start()  # the work ends only after shutdown has begun
    # The lifespan has exited: the job must already be finished, without waiting on it here.
    session.rollback()
    job = session.get(Job, job_id)
    assert job is not None
    session.refresh(job)
    assert job.state is JobState.SUCCEEDED
    assert _job_members(session) == ["任务收尾"]
