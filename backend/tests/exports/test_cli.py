"""`vanguard export`: locally against the configured database, and remotely against a live server on
127.0.0.1 with a token (flags or VANGUARD_SERVER / VANGUARD_TOKEN); exit codes 0 and 2."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.exports.conftest import free_port
from tests.exports.helpers import BOM
from tests.world import World
from vanguard import cli
from vanguard.audit.models import AuditEvent
from vanguard.core import config, db
from vanguard.members.models import Member


def _rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _members_of(session: Session, world: World, *orgs: str) -> list[int]:
    ids = [world.orgs[o].id for o in orgs]
    return list(session.scalars(select(Member.id).where(Member.org_id.in_(ids)).order_by(Member.id)))


@pytest.fixture
def local_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI's configured database is the test's."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    for cached in (config.get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()
    yield
    db.get_engine().dispose()
    for cached in (config.get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()


def test_local_export_of_an_orgs_subtree(
    local_db: None, session: Session, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "town_a.csv"
    assert cli.main(["export", "members", "--org", "C-A", "-o", str(out), "sort=id"]) == 0
    rows = _rows(out)
    assert rows[0][:2] == ["编号", "姓名"]
    assert [int(r[0]) for r in rows[1:]] == _members_of(session, world, "branch_a1", "branch_a2")
    assert "5 rows" in capsys.readouterr().err
    session.rollback()
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "export")).one()
    assert (event.actor_name, event.entity_id, event.org_id) == (
        "cli:export",
        "members",
        world.orgs["town_a"].id,
    )


def test_local_export_as_xlsx_with_filters_after_options(
    local_db: None, session: Session, world: World, tmp_path: Path
) -> None:
    out = tmp_path / "orgs.xlsx"
    assert cli.main(["export", "orgs", "--format", "xlsx", "-o", str(out), "kind=branch"]) == 0
    sheet = load_workbook(out).worksheets[0]
    names = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["甲一村党支部", "甲二村党支部", "乙一村党支部"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "nothing"], "unknown kind 'nothing'"),
        (["export", "members", "colour=red"], "members has no filter 'colour'"),
        (["export", "members", "age_min=-1"], "age_min='-1'"),
        (["export", "members", "stage"], "filters are NAME=VALUE"),
        (["export", "members", "--org", "NO-SUCH"], "no organisation with code NO-SUCH"),
        (["export", "service-accounts", "--org", "C"], "service-accounts takes no --org"),
        (["export", "attendance"], "attendance needs activity_id=…"),
        (["export", "attendance", "activity_id=999999"], "activity_not_found"),
        (["export", "members", "--server", "http://127.0.0.1:9"], "needs both --server and --token"),
    ],
)
def test_refusals_exit_2_and_leave_no_file(
    local_db: None,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    assert cli.main([*argv, "-o", "out.csv"]) == 2
    assert message in capsys.readouterr().err
    assert list(workdir.iterdir()) == []


def _service_token(server: str, world: World, org: str, scopes: list[str]) -> str:
    with httpx.Client(base_url=server, headers=world.auth("admin"), timeout=10) as admin:
        body = {"name": "OA", "org_id": world.orgs[org].id, "scopes": scopes}
        account = admin.post("/api/v1/service-accounts", json=body).raise_for_status().json()
        issued = admin.post(f"/api/v1/service-accounts/{account['id']}/tokens", json={"name": "cli"})
        token: str = issued.raise_for_status().json()["token"]
        return token


def test_remote_export_is_the_tokens_scope(
    live_server: str, session: Session, world: World, tmp_path: Path
) -> None:
    out = tmp_path / "mine.csv"
    token = world.token("sec_a1")
    assert cli.main(["export", "members", "--server", live_server, "--token", token, "-o", str(out)]) == 0
    assert [int(r[0]) for r in _rows(out)[1:]] == _members_of(session, world, "branch_a1")

    # --org is resolved by code on the server, within the token's scope
    assert (
        cli.main(
            ["export", "members", "--server", live_server, "--token", token, "--org", "C-A-1", "-o", str(out)]
        )
        == 0
    )
    assert [int(r[0]) for r in _rows(out)[1:]] == _members_of(session, world, "branch_a1")
    assert (
        cli.main(
            ["export", "members", "--server", live_server, "--token", token, "--org", "C-B-1", "-o", str(out)]
        )
        == 2
    )


def test_remote_export_with_a_service_token_from_the_environment(
    live_server: str,
    session: Session,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = _service_token(live_server, world, "town_a", ["members:read", "orgs:read"])
    monkeypatch.setenv("VANGUARD_SERVER", live_server + "/api/v1/")
    monkeypatch.setenv("VANGUARD_TOKEN", token)
    out = tmp_path / "town_a.xlsx"
    assert cli.main(["export", "members", "--format", "xlsx", "-o", str(out), "sort=name"]) == 0
    sheet = load_workbook(out).worksheets[0]
    exported = sorted(int(r[0]) for r in sheet.iter_rows(min_row=2, values_only=True))
    assert exported == _members_of(session, world, "branch_a1", "branch_a2")


@pytest.mark.parametrize(
    ("argv", "token", "message"),
    [
        (["members", "age_min=-1"], "sec_a1", "HTTP 422 validation_failed"),
        (["complaints"], "member_a1", "HTTP 403 forbidden"),
        (["members"], None, "HTTP 401 unauthenticated"),
        (["attendance", "activity_id=424242"], "sec_a1", "HTTP 404 activity_not_found"),
    ],
)
def test_remote_refusals_exit_2_with_the_servers_message(
    live_server: str,
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    token: str | None,
    message: str,
) -> None:
    out = tmp_path / "x.csv"
    bearer = world.token(token) if token else "not-a-token"
    assert cli.main(["export", *argv, "--server", live_server, "--token", bearer, "-o", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_an_unreachable_server_exits_2(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    server = f"http://127.0.0.1:{free_port()}"
    assert cli.main(["export", "members", "--server", server, "--token", "t", "-o", str(out)]) == 2
    assert "connection_failed" in capsys.readouterr().err
    assert not out.exists()
