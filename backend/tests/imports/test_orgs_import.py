"""Importing the organisation tree: upsert by org code, parents by code (also ones the file creates),
every row through the orgs service, every bad row named; dry run, valid rows, a second run changes
nothing."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.imports.test_members_import import finished
from tests.imports.test_reading import xlsx
from tests.problems import assert_problem
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.orgs.models import Organisation, OrgKind

API = "/api/v1/imports/orgs"
HEADER = ["组织名称", "组织编码", "上级组织编码", "组织类别", "书记", "服务人口"]
ROWS: list[list[Any]] = [
    HEADER,
    ["甲三村党支部", "C-A-3", "C-A", "党支部", "王书记", 1200],  # 2 new
    ["甲三村第一党小组", "C-A-3-G1", "C-A-3", "党小组", "", ""],  # 3 new, under row 2's org
    ["甲二村党支部", "C-A-2", "C-A", "党支部", "李书记", ""],  # 4 updated: the secretary
    ["甲一村党支部", "C-A-1", "C-A", "党支部", "", ""],  # 5 unchanged
    ["无上级", "C-A-9", "NOPE", "党支部", "", ""],  # 6 unknown parent
    ["坏类别", "C-A-8", "C-A", "党部", "", ""],  # 7 no such kind
    ["重复", "C-A-3", "C-A", "党支部", "", ""],  # 8 the same code twice
    ["乙镇的", "C-B-1", "C-A", "党支部", "", ""],  # 9 a code held outside the caller's subtree
    ["支部下的党委", "C-A-1-X", "C-A-1", "党委", "", ""],  # 10 a committee under a branch
    ["甲一村第一党小组", "C-A-1-G1", "C-A-2", "党小组", "", ""],  # 11 a move, not an import
]
EXPECTED_ERRORS = {
    (6, "上级组织编码", "import_cell_invalid"),
    (7, "组织类别", "import_cell_invalid"),
    (8, "组织编码", "import_duplicate_in_file"),
    (9, "组织编码", "duplicate_org_code"),
    (10, "组织类别", "invalid_parent_kind"),
    (11, "上级组织编码", "import_org_moved"),
}


def run(client: TestClient, world: World, *, user: str = "town_a_admin", **form: Any) -> dict[str, Any]:
    started = client.post(
        API,
        headers=world.auth(user),
        files={"file": ("组织.xlsx", xlsx(ROWS), "application/octet-stream")},
        data={k: str(v).lower() for k, v in form.items()},
    )
    result: dict[str, Any] = finished(client, world, started, user)["result"]
    return result


def codes(session: Session) -> dict[str, Organisation]:
    session.rollback()
    session.expire_all()  # the world's objects, loaded before the import wrote
    return {o.code: o for o in session.scalars(select(Organisation)) if o.code}


def test_a_dry_run_names_every_bad_row_and_writes_nothing(
    client: TestClient, world: World, session: Session
) -> None:
    report = run(client, world)
    assert {(e["row"], e["column"], e["code"]) for e in report["errors"]} == EXPECTED_ERRORS
    assert (report["created"], report["updated"], report["unchanged"]) == (2, 1, 1)
    assert report["committed"] is False
    assert "C-A-3" not in codes(session)
    assert codes(session)["C-A-2"].secretary_name is None


def test_valid_rows_are_written_and_a_second_run_changes_nothing(
    client: TestClient, world: World, session: Session
) -> None:
    report = run(client, world, dry_run=False, mode="valid_rows")
    assert (report["committed"], report["created"], report["updated"]) == (True, 2, 1)
    orgs = codes(session)
    branch, group = orgs["C-A-3"], orgs["C-A-3-G1"]
    assert (branch.parent_id, branch.kind, branch.secretary_name, branch.population) == (
        world.orgs["town_a"].id,
        OrgKind.BRANCH,
        "王书记",
        1200,
    )
    assert (group.parent_id, group.path) == (branch.id, f"{branch.path}{group.id}/")
    assert orgs["C-A-2"].secretary_name == "李书记"
    assert "C-A-9" not in orgs
    audited = session.scalars(
        select(AuditEvent.entity_id).where(AuditEvent.entity == "orgs", AuditEvent.action == "create")
    ).all()
    assert {str(branch.id), str(group.id)} <= set(audited)

    again = run(client, world, dry_run=False, mode="valid_rows")
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)
    assert {(e["row"], e["column"], e["code"]) for e in again["errors"]} == EXPECTED_ERRORS


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(
    client: TestClient, world: World, session: Session
) -> None:
    report = run(client, world, dry_run=False)
    assert report["committed"] is False
    assert "C-A-3" not in codes(session)


def test_the_subtree_and_permission_boundary(client: TestClient, world: World, session: Session) -> None:
    # A branch secretary of another town sees neither C-A as a parent nor C-A-2 as theirs to update.
    report = run(client, world, user="sec_b1")
    found = {(e["row"], e["column"]) for e in report["errors"]}
    assert {(2, "上级组织编码"), (4, "上级组织编码"), (5, "上级组织编码")} <= found
    assert report["valid_rows"] == 0
    started = client.post(
        API,
        headers=world.auth("member_a1"),
        files={"file": ("组织.xlsx", xlsx(ROWS), "application/octet-stream")},
    )
    assert_problem(started, 403, "forbidden")


def test_the_template(client: TestClient, world: World) -> None:
    r = client.get("/api/v1/imports/templates/orgs.xlsx", headers=world.auth("town_a_admin"))
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert [c.value for c in book["组织架构"][1]][:4] == [
        "组织名称*",
        "组织编码*",
        "上级组织编码",
        "组织类别*",
    ]
    assert client.get("/api/v1/imports/templates/nope.xlsx", headers=world.auth("sec_a1")).status_code == 422
