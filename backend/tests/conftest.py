"""Every DB test runs on SQLite and on the real local PostgreSQL, each in a fresh database cloned
from a template that the real Alembic chain built: no mocks, real commits, nothing shared."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

os.environ.setdefault("VANGUARD_ENV", "test")

from tests.world import World, build_world
from vanguard.audit import hook
from vanguard.core import migrate
from vanguard.core.config import Settings
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.main import create_app

PG_SERVER = os.environ.get("VANGUARD_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
BACKENDS = [b for b in os.environ.get("VANGUARD_TEST_DATABASES", "sqlite,postgresql").split(",") if b]


def _pg_admin() -> Engine:
    return create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    return f"{PG_SERVER}/{name}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


class _PgClones:
    """Clones of the migrated template, each made one test ahead in a thread: CREATE DATABASE costs a
    third of a second of mostly disk waits, which the running test hides. Dropped in that thread too."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.admin = _pg_admin()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-clones")
        self.next: Future[str] | None = None
        self.drops: list[Future[None]] = []

    def _create(self) -> str:
        name = f"vanguard_t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return name

    def _drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def take(self) -> str:
        ready = self.next or self.worker.submit(self._create)
        self.next = self.worker.submit(self._create)
        return ready.result()

    def give_back(self, name: str) -> None:
        self.drops.append(self.worker.submit(self._drop, name))

    def close(self) -> None:
        if self.next is not None:
            self.give_back(self.next.result())
        self.worker.shutdown(wait=True)
        self.admin.dispose()
        for dropped in self.drops:
            dropped.result()  # a drop that failed says so here rather than leaving a database behind


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    name = f"vanguard_tpl_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    migrate.upgrade(_pg_url(name))
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_clones(pg_template: str) -> Iterator[_PgClones]:
    clones = _PgClones(pg_template)
    yield clones
    clones.close()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request, request.param, tmp_path) as url:
        yield url


@contextmanager
def fresh_database(request: pytest.FixtureRequest, backend: str, directory: Path) -> Iterator[str]:
    """A new database of `backend` cloned from the migrated template, dropped afterwards; also for fixtures
    of a wider scope that share one database among many tests (tests/security)."""
    if backend == "sqlite":
        target = directory / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    clones: _PgClones = request.getfixturevalue("pg_clones")
    name = clones.take()
    try:
        yield _pg_url(name)
    finally:
        clones.give_back(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = build_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session for service-level tests and setup; writes are attributed to the system actor."""
    hook.install()
    with make_sessionmaker(engine)() as session:
        session.info[hook.SYSTEM_ACTOR_KEY] = "tests"
        yield session


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    return create_app(Settings(VANGUARD_ENV="test"), engine=engine)  # type: ignore[call-arg]


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)
