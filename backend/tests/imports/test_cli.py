"""`vanguard import members FILE`: the same import from the console, a dry run unless --commit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.imports.test_members_import import GOOD
from tests.imports.test_reading import xlsx
from tests.world import World
from vanguard import cli
from vanguard.core.config import get_settings
from vanguard.core.db import get_engine, get_sessionmaker
from vanguard.imports import console as import_console
from vanguard.members.models import Member
from vanguard.remote import RemoteClient


@pytest.fixture
def console(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the CLI's settings and engine at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    for cached in (get_settings, get_engine, get_sessionmaker):
        cached.cache_clear()
    yield
    get_engine().dispose()
    for cached in (get_settings, get_engine, get_sessionmaker):
        cached.cache_clear()


def names(session: Session) -> list[str]:
    session.rollback()
    return list(session.scalars(select(Member.name).where(Member.name.like("导入%")).order_by(Member.id)))


def test_dry_run_then_commit(
    console: None, world: World, session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "名册.xlsx"
    file.write_bytes(xlsx(GOOD))
    assert cli.main(["import", "members", str(file)]) == 0
    assert "2 new" in capsys.readouterr().out
    assert names(session) == []

    assert cli.main(["import", "members", str(file), "--commit"]) == 0
    assert names(session) == ["导入甲", "导入乙"]
    assert cli.main(["import", "members", str(file), "--commit"]) == 0
    assert "2 unchanged" in capsys.readouterr().out.splitlines()[-1]


def test_bad_rows_exit_1_and_bad_files_exit_2(
    console: None, world: World, session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([*GOOD, ["导入错", "C-A-1", "", "博士后", "", "", "", ""]]))
    assert cli.main(["import", "members", str(bad), "--commit"]) == 1
    out = capsys.readouterr().out
    assert "学历" in out
    assert "NOTHING written" in out
    assert names(session) == []

    not_a_sheet = tmp_path / "roll.pdf"
    not_a_sheet.write_bytes(b"%PDF-1.4")
    assert cli.main(["import", "members", str(not_a_sheet)]) == 2
    assert cli.main(["import", "members", str(bad), "--org-code", "NOPE"]) == 2


def test_remote_mode_uploads_polls_and_exits_like_a_local_run(
    client: TestClient,
    world: World,
    session: Session,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`--server URL --token T`: the same import through the API of a server (here the app in-process)."""
    transport = client._transport  # the test client's in-process transport to the app
    monkeypatch.setattr(
        import_console,
        "_client",
        lambda target: RemoteClient(target.server, target.token, transport=transport),
    )
    file = tmp_path / "名册.xlsx"
    file.write_bytes(xlsx(GOOD))
    remote = ["--server", "http://testserver", "--token", world.token("sec_a1")]
    assert cli.main(["import", "members", str(file), *remote]) == 0
    assert "2 new" in capsys.readouterr().out
    assert names(session) == []
    assert cli.main(["import", "members", str(file), "--commit", "--org-code", "C-A-1", *remote]) == 0
    assert names(session) == ["导入甲", "导入乙"]

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([*GOOD, ["导入错", "C-A-1", "", "博士后", "", "", "", ""]]))
    assert cli.main(["import", "members", str(bad), "--commit", *remote]) == 1
    assert "NOTHING written" in capsys.readouterr().out
    # Refusals exit 2: an org the token cannot see, a wrong token, a server with no token.
    assert cli.main(["import", "members", str(bad), "--org-code", "C-B-1", *remote]) == 2
    assert cli.main(["import", "members", str(bad), "--server", "http://testserver", "--token", "nope"]) == 2
    assert cli.main(["import", "members", str(bad), "--server", "http://testserver"]) == 2
