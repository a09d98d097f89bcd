"""Starting jobs in tests and waiting for them: the real thread-pool runner, waited on by job id."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tests.world import World
from vanguard.auth.service import user_principal
from vanguard.core.permissions import Principal
from vanguard.jobs import service as jobs
from vanguard.jobs.models import Job
from vanguard.jobs.runner import Work, get_runner


def principal(session: Session, world: World, user: str) -> Principal:
    return user_principal(session, world.users[user])


def start_and_wait(
    session: Session, world: World, work: Work, *, user: str = "sec_a1", org: str = "branch_a1", **kw: Any
) -> Job:
    caller = principal(session, world, user)
    job = jobs.start(session, caller, kind="test", org_id=world.orgs[org].id, work=work, **kw)
    session.commit()
    return wait(session, job.id)


def wait(session: Session, job_id: int) -> Job:
    get_runner().wait(job_id, timeout=60)
    session.rollback()  # a fresh snapshot (SQLite keeps showing the old one otherwise)
    job = session.get(Job, job_id)
    assert job is not None
    session.refresh(job)
    return job
