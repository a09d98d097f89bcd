"""The audit log is a hash chain: the sealer (on SQLite, the committing transaction) chains every
committed event, and `vanguard audit verify` finds the first edited, deleted or relinked event;
concurrent sealers never fork it; the API cannot alter it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from tests.audit.test_audit import _create_org, _events
from tests.imports.test_cli import console  # noqa: F401 - the fixture pointing the CLI at the test DB
from tests.imports.test_members_import import GOOD, post
from tests.world import World
from vanguard import cli
from vanguard.audit import chain
from vanguard.audit.hook import record_event
from vanguard.audit.sealer import seal_pending
from vanguard.core import migrate
from vanguard.core.db import make_sessionmaker

API = "/api/v1"


def _verdict(engine: Engine) -> chain.Verdict:
    with engine.connect() as connection:
        return chain.verify(connection)


def _seal(engine: Engine) -> int:
    """One pass of the sealer (the app runs it every VANGUARD_AUDIT_SEAL_SECONDS; never in tests)."""
    with engine.begin() as connection:
        return chain.seal(connection)


def _total(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(chain.events)) or 0)


def _ids_by_seq(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.scalars(select(chain.events.c.id).order_by(chain.events.c.seq)))


def _tamper(engine: Engine, statement: Any) -> None:
    with engine.begin() as connection:
        connection.execute(statement)


def _raw_events(engine: Engine, count: int) -> None:
    """Events written around the application, as hand-written INSERTs (the benchmarks' SQL floor) leave
    them: unsealed on either database."""
    for n in range(count):
        _tamper(
            engine,
            insert(chain.events).values(
                occurred_at=datetime.now(UTC),
                actor_kind="system",
                actor_name="sql",
                entity="x",
                entity_id=str(n),
                action="raw",
            ),
        )


def _writes(client: TestClient, world: World, *, seal: bool = True) -> None:
    """Creates, an update and an explicit event (a move), through the API; then a pass of the sealer."""
    for code in ("C-A-3", "C-A-4"):
        assert _create_org(client, world, by="town_a_admin", parent="town_a", code=code).status_code == 201
    target = world.users["member_a1"]
    r = client.patch(f"{API}/users/{target.id}", headers=world.auth("sec_a1"), json={"display_name": "新"})
    assert r.status_code == 200, r.text
    r = client.post(
        f"{API}/orgs/{world.orgs['branch_a1'].id}/move",
        headers=world.auth("county_admin"),
        json={"new_parent_id": world.orgs["town_b"].id},
    )
    assert r.status_code == 200, r.text
    if seal:
        _seal(client.app.state.sessionmaker.kw["bind"])  # type: ignore[attr-defined]


# --- the digest ------------------------------------------------------------------------------------

EVENT: dict[str, Any] = {
    "seq": 7,
    "occurred_at": datetime(2026, 12, 2, 18, 30, 0, 120, tzinfo=timezone(timedelta(hours=8))),
    "actor_kind": "user",
    "actor_id": 3,
    "actor_name": "书记",
    "entity": "members",
    "entity_id": "12",
    "action": "update",
    "org_id": 4,
    "before": {"name": "甲", "tags": ("a", "b")},
    "after": {"name": "乙", "tags": ["a"], "score": 1.5, "n": None},
    "request_id": "r-1",
}


def test_the_digest_is_the_same_for_the_values_written_and_read_back() -> None:
    # Read back: the instant in UTC (naive on SQLite), JSON arrays as lists, keys in any order.
    read_back = {
        **EVENT,
        "occurred_at": datetime(2026, 12, 2, 10, 30, 0, 120),
        "before": {"tags": ["a", "b"], "name": "甲"},
    }
    assert chain.digest(read_back, chain.GENESIS) == chain.digest(EVENT, chain.GENESIS)


@pytest.mark.parametrize("field", [*chain.HASHED, "prev_hash"])
def test_every_hashed_field_changes_the_digest(field: str) -> None:
    changed = {**EVENT, "prev_hash": chain.GENESIS}
    value = changed[field]
    if isinstance(value, datetime):
        changed[field] = value + timedelta(microseconds=1)
    elif isinstance(value, dict):
        changed[field] = {**value, "name": "丙"}
    elif isinstance(value, int):
        changed[field] = value + 1
    else:
        changed[field] = f"{value}x"
    assert chain.digest(changed, changed["prev_hash"]) != chain.digest(EVENT, chain.GENESIS)


# --- intact, and what breaks it -----------------------------------------------------------------


def test_writes_through_the_api_leave_an_intact_sealed_chain(
    client: TestClient, world: World, engine: Engine
) -> None:
    _writes(client, world, seal=False)
    if engine.dialect.name == "sqlite":
        # The one writer seals its own events as it commits (vanguard.audit.commit_seal).
        assert _verdict(engine).unsealed == 0
    else:
        # Requests never seal (no global lock on their commit path): the sealer does, afterwards.
        assert _verdict(engine).unsealed == _total(engine)
        assert _seal(engine) == _total(engine)
    verdict = _verdict(engine)
    assert verdict.broken is None
    assert verdict.unsealed == 0
    assert verdict.count == _total(engine) > 20
    with engine.connect() as connection:
        assert chain.head(connection) == (verdict.head_seq, verdict.head_hash)


def test_writes_of_a_bulk_import_are_sealed(client: TestClient, world: World, engine: Engine) -> None:
    # On PostgreSQL the new members and their audit events go in by COPY, around the ORM.
    assert post(client, world, GOOD, dry_run=False)["created"] == 2
    _seal(engine)
    verdict = _verdict(engine)
    assert (verdict.broken, verdict.unsealed) == (None, 0)
    assert verdict.count == _total(engine)


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor_name", "someone else"), ("after", {"display_name": "forged"}), ("org_id", None)],
)
def test_an_event_edited_in_the_database_is_named(
    client: TestClient, world: World, engine: Engine, column: str, value: Any
) -> None:
    _writes(client, world)
    victim = _ids_by_seq(engine)[10]
    _tamper(engine, update(chain.events).where(chain.events.c.id == victim).values({column: value}))
    broken = _verdict(engine).broken
    assert broken is not None
    assert (broken.event_id, broken.reason) == (victim, "hash_mismatch")


def test_a_deleted_event_is_reported_as_a_gap_at_the_next_one(
    client: TestClient, world: World, engine: Engine
) -> None:
    _writes(client, world)
    ids = _ids_by_seq(engine)
    _tamper(engine, delete(chain.events).where(chain.events.c.id == ids[5]))
    verdict = _verdict(engine)
    assert verdict.broken is not None
    assert (verdict.broken.event_id, verdict.broken.reason) == (ids[6], "gap")
    assert verdict.count == 5


def test_an_edited_event_given_a_fresh_hash_breaks_the_next_link(
    client: TestClient, world: World, engine: Engine
) -> None:
    _writes(client, world)
    ids = _ids_by_seq(engine)
    with engine.begin() as connection:
        row = connection.execute(select(chain.events).where(chain.events.c.id == ids[3])).mappings().one()
        forged = {**row, "actor_name": "someone else"}
        connection.execute(
            update(chain.events)
            .where(chain.events.c.id == ids[3])
            .values(actor_name="someone else", hash=chain.digest(forged, row["prev_hash"]))
        )
    broken = _verdict(engine).broken
    assert broken is not None
    assert (broken.event_id, broken.reason) == (ids[4], "prev_link_broken")


def test_verify_command_exits_0_when_intact_and_1_naming_the_edited_event(
    console: None,  # noqa: F811 - the imported fixture
    client: TestClient,
    world: World,
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _writes(client, world, seal=False)
    _raw_events(engine, 3)
    unsealed = _verdict(engine).unsealed  # those, and on PostgreSQL every event so far
    assert unsealed >= 3
    assert cli.main(["audit", "seal"]) == 0
    assert f"sealed {unsealed} events" in capsys.readouterr().out
    assert cli.main(["audit", "verify"]) == 0
    assert f"intact: {_total(engine)} events" in capsys.readouterr().out
    victim = _ids_by_seq(engine)[2]
    _tamper(engine, update(chain.events).where(chain.events.c.id == victim).values(action="delete"))
    assert cli.main(["audit", "verify"]) == 1
    assert f"broken at event id {victim} (seq 3): hash mismatch" in capsys.readouterr().err


# --- how events get sealed ----------------------------------------------------------------------


def test_events_of_a_rolled_back_savepoint_leave_no_hole(
    world: World, session: Session, engine: Engine
) -> None:
    savepoint = session.begin_nested()
    record_event(session, entity="tests", entity_id=1, action="dropped", org_id=None)
    session.flush()
    savepoint.rollback()
    after = {"z": [1, 2.5, "中文", None, True], "a": {"nested": {"deep": 1}}}
    record_event(session, entity="tests", entity_id=2, action="kept", org_id=None, after=after)
    session.commit()
    _seal(engine)
    verdict = _verdict(engine)
    assert (verdict.broken, verdict.unsealed) == (None, 0)
    assert verdict.count == _total(engine)
    with engine.connect() as connection:
        actions = set(
            connection.scalars(select(chain.events.c.action).where(chain.events.c.entity == "tests"))
        )
    assert actions == {"kept"}


def test_events_written_around_the_application_are_sealed_by_the_next_pass(
    world: World, engine: Engine
) -> None:
    _seal(engine)  # what building the world wrote
    _raw_events(engine, 2)
    before = _verdict(engine)
    assert (before.broken, before.unsealed) == (None, 2)
    assert _seal(engine) == 2
    after = _verdict(engine)
    assert (after.broken, after.unsealed, after.count) == (None, 0, before.count + 2)


def test_the_sealer_works_through_a_backlog_a_batch_per_transaction(
    world: World, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _raw_events(engine, 8)
    backlog = _verdict(engine).unsealed  # and, on PostgreSQL, what building the world wrote
    assert backlog >= 8
    monkeypatch.setattr(chain, "SEAL_BATCH", 3)
    batches: list[int] = []
    real_seal = chain.seal
    monkeypatch.setattr(
        chain, "seal", lambda connection, **kw: batches.append(real_seal(connection, **kw)) or batches[-1]
    )
    with make_sessionmaker(engine)() as session:
        assert seal_pending(session) == backlog
    assert max(batches) == 3
    assert sum(batches) == backlog
    verdict = _verdict(engine)
    assert (verdict.broken, verdict.unsealed, verdict.count) == (None, 0, _total(engine))


def test_an_open_transaction_never_holds_up_the_sealer(db_url: str, engine: Engine, world: World) -> None:
    """An open transaction with written events (an import's) does not stop other writers or the sealer;
    its events are sealed after it commits, though they have the lower ids."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: the second would wait for the first anyway")
    _seal(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as long, sessions() as short:
        record_event(long, entity="tests", entity_id=1, action="long", org_id=None)
        long.flush()
        record_event(short, entity="tests", entity_id=2, action="short", org_id=None)
        short.commit()
        with engine.begin() as connection:
            # Fails instead of hanging should the open transaction hold anything the sealer needs.
            connection.execute(text("SET LOCAL lock_timeout = '20s'"))
            assert chain.seal(connection) == 1
        long.commit()
    assert _seal(engine) == 1
    verdict = _verdict(engine)
    assert (verdict.broken, verdict.unsealed) == (None, 0)
    with engine.connect() as connection:
        rows = connection.execute(
            select(chain.events.c.action, chain.events.c.id, chain.events.c.seq)
            .where(chain.events.c.entity == "tests")
            .order_by(chain.events.c.seq)
        ).all()
    assert [r.action for r in rows] == ["short", "long"]
    assert rows[0].id > rows[1].id


def test_concurrent_sealers_never_fork_the_chain(db_url: str, engine: Engine, world: World) -> None:
    """Every app process runs the sealer: two of them sealing while two writers commit take turns."""
    if not db_url.startswith("postgresql"):
        pytest.skip("concurrent sealers are a PostgreSQL matter; SQLite runs one writer at a time")
    sessions = make_sessionmaker(engine)
    start = threading.Barrier(4)
    writing = threading.Event()
    failures: list[BaseException] = []
    commits, per_commit = 40, 3

    def writer(name: str) -> None:
        try:
            with sessions() as session:
                start.wait()
                for i in range(commits):
                    for j in range(per_commit):
                        record_event(session, entity=name, entity_id=f"{i}.{j}", action="write", org_id=None)
                    session.commit()
        except BaseException as exc:
            failures.append(exc)

    def sealer() -> None:
        try:
            start.wait()
            while writing.is_set():
                _seal(engine)
        except BaseException as exc:
            failures.append(exc)

    before = _total(engine)
    writing.set()
    writers = [threading.Thread(target=writer, args=(name,)) for name in ("left", "right")]
    sealers = [threading.Thread(target=sealer) for _ in range(2)]
    for t in writers + sealers:
        t.start()
    for t in writers:
        t.join()
    writing.clear()
    for t in sealers:
        t.join()
    assert failures == []
    _seal(engine)
    verdict = _verdict(engine)
    assert (verdict.broken, verdict.unsealed) == (None, 0)
    assert verdict.count == _total(engine) == before + 2 * commits * per_commit


def test_the_migration_seals_the_events_written_before_it_in_id_order(db_url: str, engine: Engine) -> None:
    migrate.downgrade(db_url, "0019")
    written = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    rows = [
        {
            "occurred_at": written + timedelta(seconds=i),
            "actor_kind": "user",
            "actor_id": 1,
            "actor_name": "管理员",
            "entity": "orgs",
            "entity_id": str(i),
            "action": "update",
            "org_id": 2 if i % 2 else None,
            "before": None,
            "after": {"name": f"第{i}支部", "n": i, "x": 0.1 * i},
            "request_id": None,
        }
        for i in range(25)
    ]
    _tamper(engine, insert(chain.events).values(rows))
    migrate.upgrade(db_url)
    verdict = _verdict(engine)
    assert (verdict.broken, verdict.unsealed, verdict.count) == (None, 0, 25)
    ids = _ids_by_seq(engine)
    assert ids == sorted(ids)


# --- the API cannot alter it ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/audit", "/audit/{id}"])
def test_the_api_has_no_way_to_write_audit_events(
    client: TestClient, world: World, engine: Engine, method: str, path: str
) -> None:
    newest = client.get(f"{API}/audit", headers=world.auth("admin"), params={"limit": 1}).json()["items"][0]
    before = _verdict(engine)
    r = client.request(
        method, API + path.format(id=newest["id"]), headers=world.auth("admin"), json={"action": "forged"}
    )
    assert r.status_code in (404, 405), r.text
    after = _verdict(engine)
    assert (after.broken, after.count, after.head_hash) == (None, before.count, before.head_hash)


def test_the_api_does_not_show_the_chain(client: TestClient, world: World) -> None:
    # The chain is checked by `vanguard audit verify`; a reader has nothing to do with the hashes.
    for event in _events(client, world.auth("admin")):
        assert not {"seq", "prev_hash", "hash"} & set(event)


def test_the_periodic_pass_rests_between_batches_so_waiting_writers_get_the_lock(
    world: World, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _raw_events(engine, 8)
    backlog = _verdict(engine).unsealed
    monkeypatch.setattr(chain, "SEAL_BATCH", 3)
    rests: list[float] = []
    with make_sessionmaker(engine)() as session:
        assert seal_pending(session, pause=rests.append) == backlog
    # A rest after every full batch (the pass goes on), none after the last, short one.
    assert len(rests) == backlog // 3
    assert all(rest >= 0 for rest in rests)


def test_on_sqlite_a_writing_transaction_seals_its_events_as_it_commits(
    db_url: str, world: World, session: Session, engine: Engine
) -> None:
    """Including those still pending at commit (flushed by it), and leaving a read-only commit alone."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL seals in the background")
    _raw_events(engine, 2)  # written around the application: the next writing commit seals them too
    session.commit()
    session.execute(select(func.count()).select_from(chain.events)).scalar_one()
    session.commit()  # read only: no write, so nothing sealed
    assert _verdict(engine).unsealed == 2
    record_event(session, entity="tests", entity_id=1, action="pending at commit", org_id=None)
    session.commit()
    verdict = _verdict(engine)
    assert (verdict.broken, verdict.unsealed, verdict.count) == (None, 0, _total(engine))
