"""Backup and restore on both databases: a restore into a fresh database has every row of the source
(counts of every table, checksums of the key tables), a non-empty target takes --force, and the CLI's
exit codes."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, MetaData, Table, create_engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests.world import World
from vanguard import cli
from vanguard.audit import hook
from vanguard.core import config, migrate
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.members.models import Gender, Member
from vanguard.ops import service as ops
from vanguard.ops.schemas import Manifest

KEY_TABLES = ("orgs", "members", "users", "audit_events")


@pytest.fixture
def fresh_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, on the same server (or directory) as the test's."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'fresh.db'}"
        return
    name = f"vanguard_r_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _checksum(conn: Connection, name: str) -> str:
    """md5 of the table's rows in primary-key order, as text."""
    rows = Table(name, MetaData(), autoload_with=conn)
    ordered = conn.execute(select(rows).order_by(*rows.primary_key.columns)).all()
    return hashlib.md5("\n".join(repr(tuple(r)) for r in ordered).encode()).hexdigest()  # noqa: S324


def _snapshot(url: str) -> tuple[dict[str, int], dict[str, str]]:
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            return ops.table_counts(conn), {t: _checksum(conn, t) for t in KEY_TABLES}
    finally:
        engine.dispose()


def test_a_restore_into_a_fresh_database_has_every_row(
    db_url: str, world: World, fresh_url: str, tmp_path: Path
) -> None:
    counts, checksums = _snapshot(db_url)
    assert all(counts[t] > 0 for t in KEY_TABLES)  # the world wrote every key table, audit included

    out = tmp_path / "backups" / "vanguard.backup"
    manifest = ops.backup(db_url, out)
    assert manifest.tables == counts
    assert manifest.revision == ",".join(ops.migration_heads())
    assert Manifest.model_validate_json(ops.manifest_path(out).read_text("utf-8")) == manifest

    restored = ops.restore(fresh_url, out)
    assert restored.mismatched == []
    assert restored.revision == restored.expected_revision
    assert _snapshot(fresh_url) == (counts, checksums)


def test_a_backup_taken_during_a_write_holds_the_committed_state(
    db_url: str, world: World, fresh_url: str, tmp_path: Path
) -> None:
    """The server keeps running: a transaction open during the backup is neither waited for nor half
    copied."""
    before, _ = _snapshot(db_url)
    engine = build_engine(db_url)
    try:
        with engine.connect() as writer:
            writer.begin()
            writer.execute(
                insert(Member).values(
                    org_id=world.orgs["branch_a2"].id, name="进行中", gender=Gender.MALE.value
                )
            )
            out = tmp_path / "vanguard.backup"
            ops.backup(db_url, out)
            writer.commit()
    finally:
        engine.dispose()
    ops.restore(fresh_url, out)
    assert _snapshot(fresh_url)[0] == before
    assert _snapshot(db_url)[0]["members"] == before["members"] + 1


def test_the_restored_database_takes_new_rows(
    db_url: str, world: World, fresh_url: str, tmp_path: Path
) -> None:
    """Sequences (PostgreSQL) and autoincrement state come back too: new ids do not collide."""
    out = tmp_path / "vanguard.backup"
    ops.backup(db_url, out)
    ops.restore(fresh_url, out)
    engine = build_engine(fresh_url)
    try:
        with make_sessionmaker(engine)() as session:
            session.info[hook.SYSTEM_ACTOR_KEY] = "tests"
            highest = session.scalar(select(func.max(Member.id)))
            member = Member(org_id=world.orgs["branch_a1"].id, name="新党员", gender=Gender.FEMALE)
            session.add(member)
            session.commit()
            assert highest is not None
            assert member.id > highest
    finally:
        engine.dispose()


def test_a_database_that_is_not_empty_takes_force(
    db_url: str, session: Session, world: World, tmp_path: Path
) -> None:
    out = tmp_path / "vanguard.backup"
    ops.backup(db_url, out)
    session.add(Member(org_id=world.orgs["branch_b1"].id, name="备份后入党", gender=Gender.MALE))
    session.commit()
    after = _snapshot(db_url)

    with pytest.raises(ops.TargetNotEmpty):
        ops.restore(db_url, out)
    assert _snapshot(db_url) == after  # refused before touching anything

    restored = ops.restore(db_url, out, force=True)
    assert restored.mismatched == []
    counts, _ = _snapshot(db_url)
    assert counts == Manifest.model_validate_json(ops.manifest_path(out).read_text("utf-8")).tables
    assert counts["members"] == after[0]["members"] - 1  # the member added since the backup is gone


def test_a_freshly_migrated_database_is_not_empty(db_url: str, tmp_path: Path) -> None:
    """Migrations build tables (and insert rows of their own): restoring over them replaces a schema."""
    out = tmp_path / "vanguard.backup"
    ops.backup(db_url, out)
    with pytest.raises(ops.TargetNotEmpty):
        ops.restore(db_url, out)
    assert ops.restore(db_url, out, force=True).mismatched == []


def test_an_existing_backup_file_is_not_overwritten(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "vanguard.backup"
    out.write_bytes(b"an older backup")
    with pytest.raises(ops.OutputExists):
        ops.backup(db_url, out)
    assert out.read_bytes() == b"an older backup"
    assert not ops.manifest_path(out).exists()
    ops.backup(db_url, out, force=True)
    assert out.read_bytes() != b"an older backup"


def test_restore_refuses_what_is_not_a_backup_of_this_database(
    db_url: str, fresh_url: str, tmp_path: Path
) -> None:
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a backup", encoding="utf-8")
    with pytest.raises(ops.NotABackup):
        ops.restore(fresh_url, stranger)

    out = tmp_path / "vanguard.backup"
    ops.backup(db_url, out)
    with out.open("ab") as f:
        f.write(b"\0")  # damaged after the manifest was written
    with pytest.raises(ops.NotABackup):
        ops.restore(fresh_url, out)


def test_the_other_databases_backup_is_refused(db_url: str, fresh_url: str, tmp_path: Path) -> None:
    other = tmp_path / "other.backup"
    other.write_bytes(ops.SQLITE_MAGIC if db_url.startswith("postgresql") else ops.PG_MAGIC)
    with pytest.raises(ops.NotABackup):
        ops.restore(fresh_url, other)


def test_restore_reports_tables_whose_counts_differ_from_the_manifest(
    db_url: str, world: World, fresh_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "vanguard.backup"
    manifest = ops.backup(db_url, out)
    edited = manifest.model_copy(update={"tables": {**manifest.tables, "members": 0}})
    ops.manifest_path(out).write_text(edited.model_dump_json(), encoding="utf-8")
    assert ops.restore(fresh_url, out).mismatched == ["members"]


# --- the commands ----------------------------------------------------------------------------------


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Point the CLI's DATABASE_URL at a database."""

    def use(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        config.get_settings.cache_clear()

    yield use
    config.get_settings.cache_clear()


def test_the_commands_and_their_exit_codes(
    db_url: str,
    world: World,
    fresh_url: str,
    tmp_path: Path,
    configure: Callable[[str], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "vanguard.backup"
    configure(db_url)
    assert cli.main(["backup", str(out)]) == 0
    assert "members" in capsys.readouterr().out
    assert cli.main(["backup", str(out)]) == 2
    assert "exists" in capsys.readouterr().err

    configure(fresh_url)
    assert cli.main(["restore", str(out)]) == 0
    assert cli.main(["restore", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert _snapshot(fresh_url) == _snapshot(db_url)


def test_restoring_an_older_schema_asks_for_migrate(
    db_url: str,
    fresh_url: str,
    tmp_path: Path,
    configure: Callable[[str], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    migrate.downgrade(db_url, "-1")
    out = tmp_path / "old.backup"
    configure(db_url)
    assert cli.main(["backup", str(out)]) == 0
    configure(fresh_url)
    assert cli.main(["restore", str(out)]) == 1
    assert "run `vanguard migrate`" in capsys.readouterr().err


# --- finding pg_dump / pg_restore ------------------------------------------------------------------


def test_the_newest_tool_is_picked_and_must_not_be_older_than_the_server() -> None:
    old, new = Path("/usr/lib/postgresql/13/bin/pg_dump"), Path("/usr/lib/postgresql/16/bin/pg_dump")
    assert ops.pick_tool("pg_dump", [(13, old), (16, new)], 15) == new
    assert ops.pick_tool("pg_dump", [(16, new)], 16) == new
    with pytest.raises(ops.ToolTooOld, match="older than the server"):
        ops.pick_tool("pg_dump", [(13, old)], 15)
    with pytest.raises(ops.ToolMissing, match="pg_dump not found"):
        ops.pick_tool("pg_dump", [], 15)


def test_the_installed_tools_report_their_version() -> None:
    found = ops.find_pg_tool("pg_dump", 0)
    assert found.name == "pg_dump"
    assert (ops.tool_major(found) or 0) >= 10
    assert ops.tool_major(Path("/bin/true")) is None
