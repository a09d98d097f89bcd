"""Scoring fixtures: a fake clock after the 2026 period, members on branch_a1's roll, and an API helper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.core.clock import FakeClock
from vanguard.core.ratelimit import RateLimiter
from vanguard.jobs.runner import get_runner
from vanguard.members.models import Category, Gender, Member, Stage

API = "/api/v1"
BASE = f"{API}/scoring"
NOW = datetime(2027, 1, 15, 2, 0, tzinfo=UTC)  # 10:00 CST, 15 January 2027: the 2026 period is over


@pytest.fixture
def clock(app: FastAPI) -> FakeClock:
    fake = FakeClock(NOW)
    app.state.clock = fake
    return fake


@pytest.fixture
def _generous_limits(app: FastAPI) -> None:
    app.state.rate_limiter = RateLimiter("memory://", {"ip": "10000/minute", "code": "10000/minute"}, 16_384)


@dataclass
class Api:
    client: TestClient
    world: World
    session: Session

    def call(
        self, method: str, path: str, body: Any = None, *, user: str = "sec_a1", **headers: str
    ) -> Response:
        return self.client.request(
            method, BASE + path, json=body, headers={**self.world.auth(user), **headers}
        )

    def ok(self, method: str, path: str, body: Any = None, *, user: str = "sec_a1", **headers: str) -> Any:
        r = self.call(method, path, body, user=user, **headers)
        assert r.status_code in (200, 201), r.text
        return r.json()

    def members(self, org: str = "branch_a1") -> list[int]:
        self.session.rollback()
        return list(
            self.session.scalars(
                select(Member.id).where(Member.org_id == self.world.orgs[org].id).order_by(Member.id)
            )
        )

    def add_member(
        self,
        name: str,
        org: str = "branch_a1",
        *,
        stage: Stage = Stage.FULL,
        category: Category = Category.EMPLOYED,
    ) -> int:
        member = Member(
            org_id=self.world.orgs[org].id, name=name, gender=Gender.FEMALE, stage=stage, category=category
        )
        self.session.add(member)
        self.session.commit()
        return member.id

    def recompute(self, scheme_id: int, *, user: str = "sec_a1") -> dict[str, Any]:
        """Start the recompute job, wait for it, and return its result (members scored, members/s)."""
        r = self.call("POST", f"/schemes/{scheme_id}/recompute", user=user)
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        get_runner().wait(job_id, timeout=60)
        job: dict[str, Any] = self.client.get(f"{API}/jobs/{job_id}", headers=self.world.auth(user)).json()
        assert job["state"] == "succeeded", job
        self.session.rollback()
        result: dict[str, Any] = job["result"]
        return result

    def scheme(self, org: str = "branch_a1", *, user: str = "sec_a1", **fields: Any) -> dict[str, Any]:
        body = {"org_id": self.world.orgs[org].id, "name": "2026年度党员积分", "year": 2026} | fields
        created: dict[str, Any] = self.ok("POST", "/schemes", body, user=user)
        return created


@pytest.fixture
def api(client: TestClient, world: World, session: Session, clock: FakeClock, _generous_limits: None) -> Api:
    return Api(client, world, session)
