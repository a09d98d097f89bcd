"""SIGKILL in the middle of long work, then start again: a score recompute leaves the previous results
exactly as they were and its job is marked interrupted; a webhook delivery in flight is sent again with
the same `webhook-id` and body, and the deliveries already acknowledged are not. The killed work runs in a
real server (`vanguard serve` in a child process, background jobs on) against PostgreSQL; what happens on
restart runs in this process (app startup, a delivery pass), as the restarted server would run it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from tests.webhooks.conftest import serving, subscribe
from tests.world import World, add_org
from vanguard.audit.models import AuditEvent
from vanguard.core.background import run_once
from vanguard.core.config import Settings
from vanguard.core.policy import SCORING_RECOMPUTE_BATCH
from vanguard.jobs.models import Job, JobState
from vanguard.main import create_app
from vanguard.members.models import Category, Gender, Member, MemberStatus, Stage
from vanguard.orgs.models import OrgKind
from vanguard.scoring.models import BranchResult, Result
from vanguard.webhooks import service as webhooks
from vanguard.webhooks.models import DeliveryStatus, EventType, WebhookDelivery
from vanguard.webhooks.worker import delivery_job

pytestmark = pytest.mark.usefixtures("postgresql_only")

WAIT_SECONDS = 300  # the longest any step may take on a loaded machine (starting the server, mostly)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """`vanguard serve` in a child process, with its background jobs on (VANGUARD_ENV=development)."""

    db_url: str
    log: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.db_url,
            "VANGUARD_ENV": "development",
            "VANGUARD_WEBHOOK_DELIVERY_SECONDS": "1",
            "VANGUARD_COMPLAINTS_SWEEP_SECONDS": "0",
            "VANGUARD_AUDIT_SEAL_SECONDS": "0",
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and CLI
                [sys.executable, "-m", "vanguard.cli", "serve", "--port", str(self.port), "--workers", "1"],
                env=env,
                stdout=log,
                stderr=log,
            )
        _wait_for(lambda: self._answers() or self._died(), "the server to start", self.log.read_text)
        assert not self._died(), self.log.read_text()

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code < 500
        except httpx.HTTPError:
            return False

    def _died(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def kill(self) -> None:
        assert self.process is not None
        assert self.process.poll() is None, f"the server ended before the kill: {self.log.read_text()}"
        os.kill(self.process.pid, signal.SIGKILL)
        self.stop()
        assert self.process.returncode == -signal.SIGKILL

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()  # reaped: its pid is gone


@pytest.fixture
def servers(db_url: str, tmp_path: Path) -> Iterator[Callable[[], Server]]:
    started: list[Server] = []

    def start() -> Server:
        server = Server(db_url, tmp_path / f"server{len(started)}.log")
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()


def _wait_for(done: Callable[[], object], what: str, detail: Callable[[], str] = str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not done():
        assert time.monotonic() < deadline, f"gave up waiting for {what}: {detail()}"
        time.sleep(0.05)


# --- a score recompute -----------------------------------------------------------------------------

BRANCHES = 2  # each a batch of its own: the job reports progress after each, and is killed after the first


def _roster(session: Session, world: World) -> None:
    """BRANCHES branches of SCORING_RECOMPUTE_BATCH members each under town_a, inserted at once."""
    for b in range(BRANCHES):
        org = add_org(session, f"断电{b}村党支部", OrgKind.BRANCH, world.orgs["town_a"], f"C-A-K{b}")
        rows = [
            {
                "org_id": org.id,
                "name": f"断电{b}-{i}",
                "gender": Gender.MALE,
                "category": Category.RURAL,
                "stage": Stage.FULL,
                "status": MemberStatus.NORMAL,
            }
            for i in range(SCORING_RECOMPUTE_BATCH)
        ]
        session.execute(insert(Member), rows)
    session.commit()


def _results(session: Session, scheme_id: int) -> list[tuple[Any, ...]]:
    session.rollback()
    rows = session.execute(
        select(Result.id, Result.member_id, Result.score, Result.computed_at).where(
            Result.scheme_id == scheme_id
        )
    )
    return [tuple(row) for row in rows]


def test_a_killed_recompute_keeps_the_previous_results_and_is_marked_interrupted(
    engine: Engine, session: Session, world: World, client: TestClient, servers: Callable[[], Server]
) -> None:
    _roster(session, world)
    scheme = client.post(
        "/api/v1/scoring/schemes",
        json={"org_id": world.orgs["town_a"].id, "name": "2026年度党员积分", "year": 2026},
        headers=world.auth("town_a_admin"),
    )
    assert scheme.status_code == 201, scheme.text
    scheme_id = scheme.json()["id"]
    # The previous computation's results, as a recompute would have left them (one row is enough to see
    # whether anything replaced it).
    member = session.scalars(select(Member).where(Member.name == "断电0-0")).one()
    before = datetime(2027, 1, 2, tzinfo=UTC)
    session.add(
        Result(
            scheme_id=scheme_id,
            member_id=member.id,
            org_id=member.org_id,
            category=member.category.value,
            probationary=False,
            points=Decimal(42),
            points_component=Decimal(42),
            score=Decimal(42),
            explanation={"lines": []},
            computed_at=before,
        )
    )
    session.commit()
    previous = _results(session, scheme_id)
    recomputed = select(func.count()).where(
        AuditEvent.entity == "scoring_results", AuditEvent.action == "recompute"
    )
    audited = session.scalar(recomputed)

    server = servers()
    r = httpx.post(
        f"{server.url}/api/v1/scoring/schemes/{scheme_id}/recompute",
        headers=world.auth("town_a_admin"),
        timeout=WAIT_SECONDS,
    )
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]

    def progressed() -> Job | None:
        session.rollback()
        job = session.get(Job, job_id, populate_existing=True)
        return job if job is not None and (job.done > 0 or job.state.finished) else None

    _wait_for(progressed, "the recompute's first progress")
    job = progressed()
    assert job is not None
    assert job.state is JobState.RUNNING, "the recompute ended before it could be killed"
    server.kill()
    assert job.total is not None
    assert 0 < job.done < job.total

    # Nothing of the half-done run was kept: the old results stand, no branch result, no audit record.
    assert _results(session, scheme_id) == previous
    assert session.scalar(select(func.count()).where(BranchResult.scheme_id == scheme_id)) == 0
    assert session.scalar(recomputed) == audited

    with TestClient(create_app(Settings(VANGUARD_ENV="test"), engine=engine)) as restarted:  # type: ignore[call-arg]
        r = restarted.get(f"/api/v1/jobs/{job_id}", headers=world.auth("town_a_admin"))
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["error"]["code"]) == ("failed", "job_interrupted")
    assert _results(session, scheme_id) == previous


# --- a webhook delivery ------------------------------------------------------------------------------


@dataclass
class HangingReceiver:
    """Acknowledges every delivery at once, except the first sending of `hang_on`: that one it holds open
    (the sender waits for an answer) until `release` is set."""

    url: str = ""
    hang_on: str | None = None
    release: threading.Event = field(default_factory=threading.Event)
    hanging: threading.Event = field(default_factory=threading.Event)
    seen: list[tuple[str, bytes]] = field(default_factory=list)  # (webhook-id, body), in arrival order


@pytest.fixture
def hanging_receiver() -> Iterator[HangingReceiver]:
    state = HangingReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            message_id = self.headers["webhook-id"]
            state.seen.append((message_id, body))
            if message_id == state.hang_on and not state.hanging.is_set():
                state.hanging.set()
                state.release.wait(WAIT_SECONDS)
            try:
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:  # the sender was killed while we held it
                pass

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as url:
        state.url = url
        yield state
        state.release.set()  # a held request must end before the server can shut down


def _deliveries(session: Session) -> list[WebhookDelivery]:
    session.rollback()
    return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all())


def test_a_killed_delivery_is_sent_again_with_the_same_id_and_only_it(
    app: FastAPI,
    session: Session,
    world: World,
    client: TestClient,
    hanging_receiver: HangingReceiver,
    servers: Callable[[], Server],
) -> None:
    subscribe(client, world, hanging_receiver.url)
    now = datetime.now(UTC)
    for n in range(3):
        webhooks.emit(
            session, EventType.COMPLAINT_RECEIVED, world.orgs["branch_a1"].id, {"complaint_id": n}, now=now
        )
    session.commit()
    first, in_flight, last = (d.message_id for d in _deliveries(session))
    hanging_receiver.hang_on = in_flight

    server = servers()
    _wait_for(hanging_receiver.hanging.is_set, "the second delivery to reach the receiver")
    # The first was acknowledged and recorded before the second was taken.
    delivered, pending = DeliveryStatus.DELIVERED, DeliveryStatus.PENDING
    assert [d.status for d in _deliveries(session)] == [delivered, pending, pending]
    server.kill()
    hanging_receiver.release.set()

    # The restarted worker's first pass (in this process: the same pass the server runs every second).
    run_once(app, delivery_job(Settings(VANGUARD_ENV="test")))  # type: ignore[call-arg]
    assert all(d.status is DeliveryStatus.DELIVERED for d in _deliveries(session))
    ids = [message_id for message_id, _ in hanging_receiver.seen]
    # At least once: the one in flight came twice, the same event (id and body) both times; no other twice.
    assert sorted(ids) == sorted([first, in_flight, in_flight, last])
    bodies = {body for message_id, body in hanging_receiver.seen if message_id == in_flight}
    assert len(bodies) == 1
    assert [d.attempts for d in _deliveries(session)] == [1, 1, 1]  # the killed attempt was never recorded
