"""Readiness (database answers, schema at the head of the migration chain) and backup/restore.

PostgreSQL backups are `pg_dump --format=custom` archives restored with `pg_restore`; SQLite backups are
copies made with SQLite's online backup API, which is safe while the server writes. Each backup gets a
manifest (`<file>.manifest.json`: revision, row counts, sha256) that restore checks.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from vanguard.core import migrate
from vanguard.core.errors import AppError, Conflict, InvalidInput
from vanguard.ops.schemas import Backend, Manifest, Restored

log = logging.getLogger(__name__)

# --- readiness ------------------------------------------------------------------------------------


class NotReady(AppError):
    status = 503
    code = "not_ready"
    message_zh = "服务尚未就绪"
    message_en = "The service is not ready"


class DatabaseUnavailable(NotReady):
    code = "database_unavailable"
    message_zh = "数据库无法连接"
    message_en = "The database does not answer"


class SchemaNotCurrent(NotReady):
    code = "schema_not_current"
    message_zh = "数据库结构版本与程序不一致"
    message_en = "The database schema is not at this release's migration"


@lru_cache
def migration_heads() -> frozenset[str]:
    """The head(s) of the Alembic chain shipped with this code (read once: the files do not change)."""
    return frozenset(ScriptDirectory.from_config(Config(str(migrate.ALEMBIC_INI))).get_heads())


def _revision_label(revisions: frozenset[str]) -> str:
    return ",".join(sorted(revisions)) or "none"


def current_revision(conn: Connection) -> frozenset[str]:
    """The revision(s) stamped in alembic_version; empty when the table is absent or empty."""
    return frozenset(MigrationContext.configure(conn).get_current_heads())


def check_ready(session: Session) -> None:
    """Raise the NotReady that names the failed check; return when the app can serve requests."""
    try:
        conn = session.connection()
        conn.execute(text("SELECT 1"))
        current = current_revision(conn)
    except SQLAlchemyError as exc:
        log.warning("readiness: database unavailable: %s", exc)
        raise DatabaseUnavailable() from exc
    expected = migration_heads()
    if current != expected:
        have, want = _revision_label(current), _revision_label(expected)
        raise SchemaNotCurrent(
            f"数据库结构版本为 {have}，本程序需要 {want}（请运行 `vanguard migrate`）",
            f"The database schema is at revision {have}; this release needs {want} (run `vanguard migrate`)",
        )


# --- backup and restore: refusals and failures ----------------------------------------------------


class OutputExists(Conflict):
    code = "backup_exists"
    message_zh = "备份文件已存在（使用 --force 覆盖）"
    message_en = "The backup file exists already (--force overwrites it)"


class TargetNotEmpty(Conflict):
    code = "restore_target_not_empty"
    message_zh = "目标数据库不是空的（使用 --force 覆盖）"
    message_en = "The target database is not empty (--force overwrites it)"


class NotABackup(InvalidInput):
    code = "not_a_backup"
    message_zh = "不是该数据库类型的备份文件"
    message_en = "Not a backup for this kind of database"


class DatabaseMissing(InvalidInput):
    code = "database_missing"
    message_zh = "数据库文件不存在"
    message_en = "The database file does not exist"


class ToolMissing(AppError):
    code = "pg_tool_missing"
    message_zh = "未找到 PostgreSQL 客户端工具（pg_dump / pg_restore）"
    message_en = "PostgreSQL client tool (pg_dump / pg_restore) not found"


class ToolTooOld(AppError):
    code = "pg_tool_too_old"
    message_zh = "PostgreSQL 客户端工具版本低于服务器"
    message_en = "The PostgreSQL client tool is older than the server"


class ToolFailed(AppError):
    """pg_dump/pg_restore ran and failed: nothing was kept (backup) or committed (restore). Raised to the
    CLI only, never over HTTP."""

    code = "pg_tool_failed"
    message_zh = "PostgreSQL 客户端工具执行失败"
    message_en = "The PostgreSQL client tool failed"


# --- shared pieces ---------------------------------------------------------------------------------

PG_MAGIC = b"PGDMP"  # the first bytes of a pg_dump custom-format archive
SQLITE_MAGIC = b"SQLite format 3\x00"


def manifest_path(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + ".manifest.json")


def table_counts(conn: Connection) -> dict[str, int]:
    return {
        name: conn.scalar(select(func.count()).select_from(table(name))) or 0
        for name in sorted(inspect(conn).get_table_names())
    }


def has_tables(conn: Connection) -> bool:
    """Whether the database is not empty. Tables, not rows: migrations insert rows of their own (the
    complaint categories), and a restore over any existing schema replaces it, so it takes --force."""
    return bool(inspect(conn).get_table_names())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _connect(url: str | URL) -> Iterator[Connection]:
    # One connection, no pool left behind: these run once per command.
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


@contextmanager
def _written_atomically(out: Path, force: bool) -> Iterator[Path]:
    """A temporary path next to `out`, renamed onto it only when the block succeeds."""
    if out.exists() and not force:
        raise OutputExists.at("out")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        yield partial
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def _recorded(source: Path) -> Manifest | None:
    """The manifest written next to the backup, if it is there (a plain pg_dump archive has none)."""
    path = manifest_path(source)
    if not path.is_file():
        return None
    try:
        return Manifest.model_validate_json(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise NotABackup(f"无法读取清单 {path}：{exc}", f"Cannot read the manifest {path}: {exc}") from exc


def _check_file(source: Path, magic: bytes) -> None:
    try:
        with source.open("rb") as f:
            head = f.read(len(magic))
    except OSError as exc:
        raise NotABackup(f"无法读取 {source}：{exc}", f"Cannot read {source}: {exc}") from exc
    if head != magic:
        raise NotABackup()
    manifest = _recorded(source)
    if manifest is not None and manifest.sha256 != _sha256(source):
        raise NotABackup(
            "备份文件与其清单（.manifest.json）的校验值不符：文件已损坏或被替换",
            "The backup file does not match the checksum in its .manifest.json: damaged or replaced",
        )


def _stamped(conn: Connection) -> str | None:
    revision = current_revision(conn)
    return _revision_label(revision) if revision else None


def _restored(conn: Connection, source: Path) -> Restored:
    counts = table_counts(conn)
    manifest = _recorded(source)
    expected = counts if manifest is None else manifest.tables
    return Restored(
        revision=_stamped(conn),
        tables=counts,
        expected_revision=_revision_label(migration_heads()),
        mismatched=sorted(t for t in expected.keys() | counts.keys() if expected.get(t) != counts.get(t)),
    )


def _manifest(conn: Connection, backend: Backend) -> Manifest:
    return Manifest(
        backend=backend,
        created_at=datetime.now(UTC),
        revision=_stamped(conn),
        sha256="",  # filled in once the file is complete
        tables=table_counts(conn),
    )


def _write_manifest(manifest: Manifest, backup_file: Path) -> Manifest:
    manifest = manifest.model_copy(update={"sha256": _sha256(backup_file)})
    manifest_path(backup_file).write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return manifest


# --- PostgreSQL ------------------------------------------------------------------------------------

# Debian/Ubuntu install each major version's client tools here, and only one of them on PATH.
PG_BIN_DIRS = "/usr/lib/postgresql/*/bin"
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


def tool_major(path: Path) -> int | None:
    """The major version `path --version` reports; None when it does not run or is not PostgreSQL's."""
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    except (OSError, subprocess.CalledProcessError):
        return None
    match = _VERSION.search(out)
    return int(match.group(1)) if match else None


def pick_tool(name: str, found: list[tuple[int, Path]], server_major: int) -> Path:
    """The newest of the found versions of a tool; it must be at least the server's major version, as
    pg_dump refuses (and pg_restore may fail on) archives of a newer server."""
    if not found:
        raise ToolMissing(
            f"未找到 {name}：请安装 PostgreSQL {server_major} 或更新版本的客户端"
            "（Debian：postgresql-client），或将其目录加入 PATH",
            f"{name} not found: install the PostgreSQL {server_major}+ client tools "
            "(Debian: postgresql-client), or put their directory on PATH",
        )
    major, path = max(found, key=lambda f: f[0])
    if major < server_major:
        raise ToolTooOld(
            f"{path} 的版本为 {major}，低于服务器版本 {server_major}：请安装新版客户端",
            f"{path} is version {major}, older than the server ({server_major}): install a newer client",
        )
    return path


def find_pg_tool(name: str, server_major: int) -> Path:
    candidates = [Path(p) for p in (shutil.which(name), *sorted(glob.glob(f"{PG_BIN_DIRS}/{name}"))) if p]
    found = [(major, path) for path in candidates if (major := tool_major(path)) is not None]
    return pick_tool(name, found, server_major)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI for the tools, with the password in the environment, not on the command
    line (where `ps` would show it)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _run_tool(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if done.returncode != 0:
        name = Path(args[0]).name
        detail = done.stderr.strip()[-2000:]
        raise ToolFailed(f"{name} 执行失败：{detail}", f"{name} failed: {detail}")


def _server_major(conn: Connection) -> int:
    version = conn.dialect.server_version_info
    assert version is not None
    return int(version[0])


def _pg_backup(url: URL, out: Path, force: bool) -> Manifest:
    uri, env = _libpq(url)
    with (
        _written_atomically(out, force) as partial,
        _connect(url) as conn,
        conn.execution_options(isolation_level="REPEATABLE READ").begin(),
    ):
        tool = find_pg_tool("pg_dump", _server_major(conn))
        # pg_dump reads this transaction's snapshot, so the manifest's counts describe exactly the dump.
        snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
        _run_tool(
            [str(tool), "--format=custom", f"--snapshot={snapshot}", f"--file={partial}", f"--dbname={uri}"],
            env,
        )
        manifest = _manifest(conn, "postgresql")
    return _write_manifest(manifest, out)


def _pg_restore(url: URL, source: Path, force: bool) -> Restored:
    _check_file(source, PG_MAGIC)
    uri, env = _libpq(url)
    with _connect(url) as conn:
        server_major = _server_major(conn)
        if not force and has_tables(conn):
            raise TargetNotEmpty()
    tool = find_pg_tool("pg_restore", server_major)
    # One transaction: a failed restore leaves the target as it was. No owner/ACL statements: the roles of
    # the source server need not exist here, and the restoring role owns what it creates.
    _run_tool(
        [
            str(tool),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={uri}",
            str(source),
        ],
        env,
    )
    with _connect(url) as conn:
        return _restored(conn, source)


# --- SQLite ----------------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise DatabaseMissing(
            "内存数据库无法备份或恢复", "An in-memory database cannot be backed up or restored"
        )
    return Path(url.database)


def _sqlite_open(path: Path, mode: str) -> sqlite3.Connection:
    # A URI with an explicit mode: "rw" fails on a missing file instead of creating an empty database.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    try:
        source.backup(target)  # all pages in one step: one consistent snapshot of the source
    finally:
        source.close()
        target.close()


def _sqlite_backup(url: URL, out: Path, force: bool) -> Manifest:
    database = _sqlite_path(url)
    try:
        source = _sqlite_open(database, "rw")
    except sqlite3.OperationalError as exc:
        raise DatabaseMissing(f"{database}：{exc}", f"{database}: {exc}") from exc
    with _written_atomically(out, force) as partial:
        target = sqlite3.connect(partial)
        _sqlite_copy(source, target)
        # A WAL source's copy is marked WAL too; a rollback-journal file is one self-contained file.
        tidy = sqlite3.connect(partial)
        try:
            tidy.execute("PRAGMA journal_mode=DELETE")
        finally:
            tidy.close()
        with _connect(URL.create("sqlite", database=str(partial))) as conn:
            manifest = _manifest(conn, "sqlite")
    return _write_manifest(manifest, out)


def _sqlite_restore(url: URL, source: Path, force: bool) -> Restored:
    _check_file(source, SQLITE_MAGIC)
    database = _sqlite_path(url)
    reader = _sqlite_open(source, "ro")
    verdict = reader.execute("PRAGMA quick_check").fetchone()
    if verdict is None or verdict[0] != "ok":
        reader.close()
        raise NotABackup(f"备份文件已损坏：{verdict}", f"The backup file is damaged: {verdict}")
    database.parent.mkdir(parents=True, exist_ok=True)
    with _connect(url) as conn:
        occupied = has_tables(conn)
    if occupied and not force:
        reader.close()
        raise TargetNotEmpty()
    # The same online API in the other direction: it takes the target's locks, so a server that has the
    # file open sees the old or the new database, never a torn one.
    _sqlite_copy(reader, sqlite3.connect(database))
    with _connect(url) as conn:
        return _restored(conn, source)


# --- entry points ----------------------------------------------------------------------------------


def backup(database_url: str, out: Path, *, force: bool = False) -> Manifest:
    """Back up the database to `out` (refused when it exists, unless `force`) and write its manifest."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_backup(url, out, force)
    return _pg_backup(url, out, force)


def restore(database_url: str, source: Path, *, force: bool = False) -> Restored:
    """Restore `source` into the database, refused when it is not empty (has tables) unless `force`."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_restore(url, source, force)
    return _pg_restore(url, source, force)
