"""Two people doing the same thing at the same moment: one wins, the other is told why, nothing is applied
twice. Real threads, each with its own HTTP client over one app (so each request has its own session and
connection), released together by a barrier, against PostgreSQL; every race runs ROUNDS times."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.complaints.conftest import Api as ComplaintsApi
from tests.concurrency.conftest import ROUNDS, race
from tests.development.factory import Roll
from tests.problems import assert_problem
from tests.scoring.conftest import NOW as SCORING_NOW
from tests.scoring.conftest import Api as ScoringApi
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.complaints.models import ComplaintEvent, EventKind
from vanguard.core.clock import FakeClock, local_today
from vanguard.core.ratelimit import RateLimiter
from vanguard.development.models import DevelopmentStep, StepKind
from vanguard.members.models import Member, Stage
from vanguard.scoring.models import Ballot
from vanguard.webhooks.models import WebhookDelivery

pytestmark = pytest.mark.usefixtures("postgresql_only")

API = "/api/v1"
TODAY = local_today()


def _clients(app: FastAPI, n: int = 2) -> list[TestClient]:
    """One client per racer: requests go through the whole stack concurrently, each on its own session."""
    return [TestClient(app, raise_server_exceptions=False) for _ in range(n)]


def _statuses(responses: list[Response]) -> list[int]:
    return sorted(r.status_code for r in responses)


def _count(session: Session, stmt: Any) -> int:
    session.rollback()  # a fresh snapshot: see what the requests committed
    return int(session.scalar(stmt) or 0)


# --- members: optimistic locking -----------------------------------------------------------------


def test_two_edits_with_the_same_etag_one_wins_the_other_gets_412(
    app: FastAPI, client: TestClient, world: World, session: Session, roll: Roll
) -> None:
    member = roll.full("王并发")
    racers = _clients(app)
    for n in range(ROUNDS):
        current = client.get(f"{API}/members/{member.id}", headers=world.auth("sec_a1"))
        etag, version = current.headers["ETag"], current.json()["version"]
        edits = [f"第{n}轮-{who}" for who in ("甲", "乙")]

        def edit(i: int, edits: list[str] = edits, etag: str = etag) -> Response:
            headers = {**world.auth("sec_a1"), "If-Match": etag}
            return racers[i].patch(
                f"{API}/members/{member.id}", json={"occupation": edits[i]}, headers=headers
            )

        responses = race(2, edit)
        assert _statuses(responses) == [200, 412], [r.text for r in responses]
        winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
        assert_problem(responses[1 - winner], 412, "stale_version")
        assert responses[winner].headers["ETag"] == f'"{version + 1}"'
        session.rollback()
        session.expire_all()
        row = session.get_one(Member, member.id)
        assert (row.occupation, row.version) == (edits[winner], version + 1)
    updates = select(func.count()).where(
        AuditEvent.entity == "members", AuditEvent.entity_id == str(member.id), AuditEvent.action == "update"
    )
    assert _count(session, updates) == ROUNDS  # one audited change per round, never two


# --- development pipeline ------------------------------------------------------------------------


@pytest.fixture
def roll(session: Session, world: World) -> Roll:
    return Roll(session, world)


def _dev(member_id: int, step: str) -> str:
    return f"{API}/members/{member_id}/development/{step}"


def _steps(session: Session, member_id: int, kind: StepKind) -> int:
    stmt = select(func.count()).where(DevelopmentStep.member_id == member_id, DevelopmentStep.kind == kind)
    return _count(session, stmt)


def test_the_same_talk_recorded_twice_at_once_is_one_talk(
    app: FastAPI, world: World, session: Session, roll: Roll
) -> None:
    racers = _clients(app)
    body = {"talked_on": str(TODAY - timedelta(days=5)), "talked_by": "李书记"}
    for n in range(ROUNDS):
        member = roll.add(f"张谈话{n}", applied_on=TODAY - timedelta(days=20))
        responses = race(
            2, lambda i, m=member: racers[i].post(_dev(m.id, "talk"), json=body, headers=world.auth("sec_a1"))
        )
        assert _statuses(responses) == [201, 409], [r.text for r in responses]
        assert_problem(next(r for r in responses if r.status_code == 409), 409, "talk_already_held")
        assert _steps(session, member.id, StepKind.TALK) == 1


def test_the_same_stage_advance_at_once_moves_the_member_once(
    app: FastAPI, world: World, session: Session, roll: Roll
) -> None:
    racers = _clients(app)
    mentor = roll.full("王培养")
    headers = world.auth("sec_a1")
    body = {"decided_on": str(TODAY), "recommended_by": "party_members", "mentor_ids": [mentor.id]}
    for n in range(ROUNDS):
        member = roll.add(f"张积极{n}", applied_on=TODAY - timedelta(days=20))
        talk = {"talked_on": str(TODAY - timedelta(days=10)), "talked_by": "李书记"}
        assert racers[0].post(_dev(member.id, "talk"), json=talk, headers=headers).status_code == 201
        responses = race(
            2, lambda i, m=member: racers[i].post(_dev(m.id, "activist"), json=body, headers=headers)
        )
        assert _statuses(responses) == [201, 409], [r.text for r in responses]
        assert _steps(session, member.id, StepKind.ACTIVIST) == 1
        stage_changes = select(func.count()).where(
            AuditEvent.entity == "members",
            AuditEvent.entity_id == str(member.id),
            AuditEvent.action == "update",
        )
        assert _count(session, stage_changes) == 1
        row = session.get_one(Member, member.id)
        assert (row.stage, row.activist_on) == (Stage.ACTIVIST, TODAY)


# --- complaints workflow -------------------------------------------------------------------------


@pytest.fixture
def complaints(app: FastAPI, client: TestClient, world: World) -> ComplaintsApi:
    app.state.rate_limiter = RateLimiter("memory://", {"ip": "10000/minute", "code": "10000/minute"}, 16_384)
    clock = FakeClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    app.state.clock = clock
    return ComplaintsApi(client, world, clock)


def _timeline(session: Session, complaint_id: int, kind: EventKind) -> int:
    stmt = select(func.count()).where(
        ComplaintEvent.complaint_id == complaint_id, ComplaintEvent.kind == kind
    )
    return _count(session, stmt)


@pytest.mark.parametrize(
    ("start", "action", "event"),
    [("received", "accept", EventKind.ACCEPTED), ("in_progress", "resolve", EventKind.RESOLVED)],
)
def test_the_same_complaint_transition_at_once_happens_once(
    app: FastAPI,
    world: World,
    session: Session,
    complaints: ComplaintsApi,
    start: str,
    action: str,
    event: EventKind,
) -> None:
    racers = _clients(app)
    body = {"result": "已回填硬化并验收"} if action == "resolve" else {}
    for _ in range(ROUNDS):
        c = complaints.walk_to(start)
        responses = race(
            2,
            lambda i, c=c: racers[i].post(
                f"{API}/complaints/{c['id']}/{action}", json=body, headers=world.auth("sec_a1")
            ),
        )
        assert _statuses(responses) == [200, 409], [r.text for r in responses]
        assert_problem(next(r for r in responses if r.status_code == 409), 409, "invalid_transition")
        assert _timeline(session, c["id"], event) == 1
        queued = select(WebhookDelivery.payload)
        assert not [p for p in session.scalars(queued) if p["data"].get("id") == c["id"]]  # no subscriber


# --- 民主评议 ballots ------------------------------------------------------------------------------


@pytest.fixture
def scoring(app: FastAPI, client: TestClient, world: World, session: Session) -> ScoringApi:
    app.state.clock = FakeClock(SCORING_NOW)
    app.state.rate_limiter = RateLimiter("memory://", {"ip": "10000/minute", "code": "10000/minute"}, 16_384)
    return ScoringApi(client, world, session)


def _round(scoring: ScoringApi) -> int:
    scheme = scoring.scheme()
    created = scoring.ok(
        "POST", f"/schemes/{scheme['id']}/rounds", {"org_id": scoring.world.orgs["branch_a1"].id}
    )
    return int(created["id"])


def test_one_voter_submitting_the_same_ballot_at_once_is_counted_once(
    app: FastAPI, world: World, session: Session, scoring: ScoringApi
) -> None:
    scoring.add_member("赵评议")
    scoring.add_member("钱评议")
    rnd = _round(scoring)
    members = scoring.members()
    racers = _clients(app)
    pairs = [(rated, rater) for rated in members for rater in members if rated != rater]
    assert len(pairs) >= ROUNDS
    for rated, rater in pairs[:ROUNDS]:
        body = {"member_id": rated, "rater_group": "fellow", "rater_member_id": rater, "score": "90"}
        responses = race(
            2,
            lambda i, body=body: racers[i].post(
                f"{API}/scoring/rounds/{rnd}/ballots", json=body, headers=world.auth("sec_a1")
            ),
        )
        assert _statuses(responses) == [201, 409], [r.text for r in responses]
        assert_problem(next(r for r in responses if r.status_code == 409), 409, "ballot_exists")
    counted = select(Ballot.member_id, Ballot.rater_key).where(Ballot.round_id == rnd)
    session.rollback()
    assert Counter(tuple(row) for row in session.execute(counted)).most_common(1)[0][1] == 1
    assert _count(session, select(func.count()).where(Ballot.round_id == rnd)) == ROUNDS


def test_one_masses_token_used_twice_at_once_counts_one_sheet(
    app: FastAPI, world: World, session: Session, scoring: ScoringApi
) -> None:
    rnd = _round(scoring)
    members = scoring.members()
    tokens = scoring.ok("POST", f"/rounds/{rnd}/tokens", {"count": ROUNDS})["tokens"]
    racers = _clients(app)
    sheet = {"ballots": [{"member_id": m, "score": "80"} for m in members]}
    for token in tokens:
        responses = race(2, lambda i, t=token: racers[i].post(f"{API}/public/scoring/sheets/{t}", json=sheet))
        assert _statuses(responses) == [201, 409], [r.text for r in responses]
        assert_problem(next(r for r in responses if r.status_code == 409), 409, "token_used")
    masses = select(func.count()).where(Ballot.round_id == rnd, Ballot.rater_group == "masses")
    assert _count(session, masses) == ROUNDS * len(members)
