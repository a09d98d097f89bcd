"""One app over one SQLite database for the whole fuzz run, seeded once (the `world` plus a few records of
every resource) and restored to that seed before every test, so each test sees the same data whatever
ran before it on this xdist worker: a fuzzed password change or org move cannot leak into the next one."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.fuzz.seed import seed
from tests.world import World, build_world
from vanguard.audit import hook
from vanguard.core.config import Settings
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.core.ratelimit import RateLimiter
from vanguard.jobs.runner import get_runner
from vanguard.main import create_app

# Who the fuzzer calls as: a world user per role, the seeded service account, and nobody.
USERS = {
    "admin": "admin",
    "org_admin": "town_a_admin",
    "secretary": "sec_a1",
    "member": "member_a1",
    "auditor": "auditor",
}
ROLES = [*USERS, "service", "anonymous"]


@dataclass
class FuzzTarget:
    app: FastAPI
    world: World
    service_token: str
    database: Path  # the live database
    snapshot: Path  # the seeded state, copied back before every test
    turn: int = 0  # whose turn it is to call, an index into ROLES

    def next_caller(self) -> dict[str, str]:
        """The headers of the next caller in turn; `X-Fuzz-Role` names them in a failure's reproduction."""
        role = ROLES[self.turn % len(ROLES)]
        self.turn += 1
        headers = {"X-Fuzz-Role": role}
        if role == "service":
            headers["Authorization"] = f"Bearer {self.service_token}"
        elif role != "anonymous":
            headers |= self.world.auth(USERS[role])
        return headers

    def restore(self) -> None:
        # Jobs a previous test started write to the live database: let them end before it is replaced.
        get_runner().drain(timeout=30)
        with closing(sqlite3.connect(self.snapshot)) as src, closing(sqlite3.connect(self.database)) as dst:
            src.backup(dst)
        _fresh_counters(self.app)
        self.turn = 0


def _fresh_counters(app: FastAPI) -> None:
    """Generous public rate limits (429 is documented, but a fuzzer that meets only 429s tests nothing) and
    a login throttle that has forgotten earlier tests' failed logins."""
    app.state.rate_limiter = RateLimiter(
        "memory://", {"ip": "100000/minute", "code": "100000/minute"}, 16_384
    )
    app.state.login_throttle = None


@pytest.fixture(scope="session")
def seeded_target(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    folder = tmp_path_factory.mktemp("fuzz")
    database, snapshot = folder / "live.db", folder / "seeded.db"
    shutil.copyfile(sqlite_template, database)
    engine = build_engine(f"sqlite:///{database}")
    hook.install()
    app = create_app(Settings(VANGUARD_ENV="test"), engine=engine)  # type: ignore[call-arg]
    _fresh_counters(app)
    with make_sessionmaker(engine)() as session, TestClient(app) as client:
        session.info[hook.SYSTEM_ACTOR_KEY] = "tests"
        world = build_world(session)
        service_token = seed(client, world, session)
    get_runner().drain(timeout=30)
    with closing(sqlite3.connect(database)) as src, closing(sqlite3.connect(snapshot)) as dst:
        src.backup(dst)
    yield FuzzTarget(app, world, service_token, database, snapshot)
    engine.dispose()


@pytest.fixture
def fuzz_target(seeded_target: FuzzTarget) -> FuzzTarget:
    """The app, restored to the seed: each test (one operation) starts from the same data."""
    seeded_target.restore()
    return seeded_target
