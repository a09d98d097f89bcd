"""Killing the worker mid-import leaves nothing behind: the CLI imports a large file into PostgreSQL in a
child process, is SIGKILLed once its job shows progress, and then none of the file's rows exist; when the
app next starts, the job is marked failed (interrupted)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests.members.helpers import id_number
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.core.config import Settings
from vanguard.jobs.models import Job, JobState
from vanguard.main import create_app
from vanguard.members.models import Member

ROWS = 40_000


def _roll(path: Path) -> None:
    lines = ["姓名,所在党组织,身份证号,学历,党员类别"]
    start = date(1950, 1, 1)
    for i in range(ROWS):
        born = start + timedelta(days=i // 500)
        lines.append(f"断电{i},C-A-1,{id_number(f'{born:%Y%m%d}', f'{i % 500:03d}')},本科,农村")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _progress(session: Session) -> Job | None:
    session.rollback()
    return session.scalars(select(Job).where(Job.kind == "import.members", Job.done > 0)).first()


def test_a_killed_import_leaves_no_rows_and_is_marked_interrupted_at_startup(
    db_url: str, engine: Engine, session: Session, world: World, tmp_path: Path
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the crash test runs against PostgreSQL (SQLite has no separate progress writes)")
    file = tmp_path / "名册.csv"
    _roll(file)
    audited = select(func.count()).where(AuditEvent.entity == "members", AuditEvent.action == "create")
    before = session.scalar(audited)
    log = tmp_path / "stderr.txt"
    with log.open("wb") as stderr:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and CLI
            [sys.executable, "-m", "vanguard.cli", "import", "members", str(file), "--commit"],
            env={**os.environ, "DATABASE_URL": db_url, "VANGUARD_ENV": "test"},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        job = None
        for _ in range(1200):  # at most 2 minutes for the first progress write
            job = _progress(session)
            if job is not None or child.poll() is not None:
                break
            time.sleep(0.1)
        assert job is not None, log.read_text()
        assert child.poll() is None, "the import finished before it could be killed: make the file larger"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()  # reaped: its pid is gone
    assert child.returncode == -signal.SIGKILL
    assert 0 < job.done < ROWS
    assert job.state is JobState.RUNNING

    # Not one of the file's rows, nor an audit record of one, was kept.
    session.rollback()
    assert session.scalar(select(func.count()).where(Member.name.like("断电%"))) == 0
    assert session.scalar(audited) == before

    with TestClient(create_app(Settings(VANGUARD_ENV="test"), engine=engine)) as client:  # type: ignore[call-arg]
        r = client.get(f"/api/v1/jobs/{job.id}", headers=world.auth("admin"))
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["error"]["code"]) == ("failed", "job_interrupted")
    assert r.json()["done"] == job.done  # the last progress it wrote, for the record
