"""Importing a member roll over HTTP as a job: dry run first, every bad cell named, all rows or none."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.imports.test_reading import xlsx
from tests.members.helpers import id_number
from tests.problems import assert_problem
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.jobs.runner import get_runner
from vanguard.members.models import Category, Education, Member, Stage

API = "/api/v1/imports/members"
HEADER = ["姓名", "所在党组织", "身份证号", "学历", "党员类别", "发展阶段", "入党日期", "备注"]


def upload(
    client: TestClient, world: World, rows: list[list[Any]], *, user: str = "sec_a1", **form: Any
) -> Any:
    return client.post(
        API,
        headers=world.auth(user),
        files={"file": ("名册.xlsx", xlsx(rows), "application/octet-stream")},
        data={k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in form.items()},
    )


def finished(client: TestClient, world: World, started: Any, user: str = "sec_a1") -> dict[str, Any]:
    """The job an upload started, once it has finished."""
    assert started.status_code == 202, started.text
    get_runner().wait(started.json()["id"], timeout=60)
    r = client.get(started.headers["Location"], headers=world.auth(user))
    assert r.status_code == 200, r.text
    job: dict[str, Any] = r.json()
    assert job["state"] == "succeeded", job
    return job


def post(
    client: TestClient, world: World, rows: list[list[Any]], *, user: str = "sec_a1", **form: Any
) -> Any:
    """Upload, wait for the job, and return its import report."""
    return finished(client, world, upload(client, world, rows, user=user, **form), user)["result"]


def imported(session: Session) -> list[Member]:
    session.rollback()  # end the read transaction: SQLite would keep showing its old snapshot
    return list(session.scalars(select(Member).where(Member.name.like("导入%")).order_by(Member.id)))


GOOD = [
    HEADER,
    [
        "导入甲",
        "C-A-1",
        id_number("19850301", "121"),
        "本科",
        "农村",
        "正式党员",
        datetime(2010, 7, 1),
        "村主任",
    ],
    ["导入乙", "甲一村党支部", id_number("19990512", "242"), "大专", "在职", "预备党员", "2026/1/15", ""],
]


def test_a_dry_run_reports_and_writes_nothing(client: TestClient, world: World, session: Session) -> None:
    started = upload(client, world, GOOD)
    assert started.headers["Location"] == f"/api/v1/jobs/{started.json()['id']}"
    assert started.json()["kind"] == "import.members"
    job = finished(client, world, started)
    report = job["result"]
    assert (job["done"], job["failed"], job["total"], job["progress"]) == (2, 0, 2, 1.0)
    assert (report["dry_run"], report["committed"]) == (True, False)
    # The counts say what a real run would do.
    assert (report["total_rows"], report["valid_rows"], report["created"], report["updated"]) == (2, 2, 2, 0)
    assert report["errors"] == []
    assert report["columns"]["所在党组织"] == "org"
    assert report["ignored_columns"] == ["备注"]
    assert imported(session) == []
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "imports")).one()
    assert event.action == "dry_run"


def test_a_real_run_writes_every_row_through_the_member_rules(
    client: TestClient, world: World, session: Session
) -> None:
    report = post(client, world, GOOD, dry_run=False)
    assert (report["committed"], report["created"]) == (True, 2)
    first, second = imported(session)
    assert first.org_id == second.org_id == world.orgs["branch_a1"].id
    assert (first.education, first.category, first.stage) == (Education.BACHELOR, Category.RURAL, Stage.FULL)
    assert first.probationary_on == date(2010, 7, 1)
    assert first.birth_date == date(1985, 3, 1)  # derived from the ID number, as the API does
    assert (second.stage, second.probationary_on) == (Stage.PROBATIONARY, date(2026, 1, 15))
    # Each member's insert is audited like any other write.
    audited = session.scalars(
        select(AuditEvent.entity_id).where(AuditEvent.entity == "members", AuditEvent.action == "create")
    ).all()
    assert {str(first.id), str(second.id)} <= set(audited)


def test_every_bad_cell_is_named_and_a_real_run_then_writes_nothing(
    client: TestClient, world: World, session: Session
) -> None:
    good_id = id_number("19850301", "121")
    bad_checksum = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    rows = [
        HEADER,
        ["导入甲", "C-A-1", good_id, "本科", "农村", "正式党员", "2010-07-01", ""],
        ["导入乙", "C-A-1", bad_checksum, "本科", "农村", "正式党员", "2010-07-01", ""],
        ["导入丙", "C-A-1", "", "博士后", "农村", "正式党员", "2010-02-30", ""],
        ["导入丁", "乙一村党支部", "", "本科", "农村", "正式党员", "", ""],  # another town: not visible
        ["导入戊", "C-A-1", good_id, "本科", "农村", "正式党员", "", ""],  # the same person twice
    ]
    report = post(client, world, rows)
    found = {(e["row"], e["column"], e["code"]) for e in report["errors"]}
    assert {(r, c) for r, c, _ in found} == {
        (3, "身份证号"),
        (4, "学历"),
        (4, "入党日期"),
        (5, "所在党组织"),
        (6, "身份证号"),
    }
    assert (6, "身份证号", "import_duplicate_in_file") in found
    assert report["valid_rows"] == 1
    four = next(e for e in report["errors"] if e["row"] == 4 and e["column"] == "学历")
    assert "博士后" in four["messages"]["zh-CN"]

    started = upload(client, world, rows, dry_run=False)
    job = finished(client, world, started)
    assert (job["failed"], job["result"]["committed"]) == (4, False)
    assert job["result"]["errors"] == report["errors"]  # a real run finds what the dry run found
    assert imported(session) == []

    bad = client.get(
        f"/api/v1/imports/jobs/{started.json()['id']}/bad-rows.xlsx", headers=world.auth("sec_a1")
    )
    assert bad.status_code == 200, bad.text
    sheet = openpyxl.load_workbook(io.BytesIO(bad.content)).active
    assert sheet is not None
    got = [[c.value for c in row] for row in sheet.iter_rows()]
    assert got[0] == [*HEADER, "错误说明"]
    assert [r[0] for r in got[1:]] == ["导入乙", "导入丙", "导入丁", "导入戊"]  # the bad rows, in file order
    assert got[2][:8] == [c or None for c in rows[3]]  # as uploaded (empty cells stay empty), to fix
    assert "学历" in got[2][8]
    assert "入党日期" in got[2][8]
    assert "第 2 行" in got[4][8]


def test_the_org_column_may_be_left_to_a_default_org(
    client: TestClient, world: World, session: Session
) -> None:
    rows = [["姓名", "性别"], ["导入己", "女"]]
    missing = post(client, world, rows)
    assert [(e["row"], e["column"], e["code"]) for e in missing["errors"]] == [
        (1, "所在党组织", "import_column_missing")
    ]
    r = post(client, world, rows, org_id=world.orgs["branch_a2"].id, dry_run=False, user="town_a_admin")
    assert r["created"] == 1
    [member] = imported(session)
    assert member.org_id == world.orgs["branch_a2"].id


def test_the_permission_boundary(client: TestClient, world: World, session: Session) -> None:
    assert_problem(upload(client, world, GOOD, user="member_a1"), 403, "forbidden")
    assert_problem(upload(client, world, GOOD, user="auditor"), 403, "forbidden")
    # Another branch can neither aim at branch_a1 nor name it in the file.
    assert_problem(
        upload(client, world, GOOD, user="sec_b1", org_id=world.orgs["branch_a1"].id), 404, "org_not_found"
    )
    started = upload(client, world, GOOD, user="sec_b1", dry_run=False)
    report = finished(client, world, started, user="sec_b1")["result"]
    assert (report["committed"], {e["column"] for e in report["errors"]}) == (False, {"所在党组织"})
    assert imported(session) == []
    # Nor see the job, nor its bad rows.
    job_id = started.json()["id"]
    assert_problem(client.get(f"/api/v1/jobs/{job_id}", headers=world.auth("sec_a1")), 404, "job_not_found")
    assert_problem(
        client.get(f"/api/v1/imports/jobs/{job_id}/bad-rows.xlsx", headers=world.auth("sec_a1")),
        404,
        "job_not_found",
    )
    r = client.post(API, files={"file": ("a.csv", b"x", "text/csv")})
    assert r.status_code == 401


def test_the_template_round_trips(client: TestClient, world: World, session: Session) -> None:
    r = client.get("/api/v1/imports/templates/members.xlsx", headers=world.auth("sec_a1"))
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = book["党员名册"]
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["姓名*", "所在党组织"]
    assert "填写说明" in book.sheetnames
    row = {
        "姓名*": "导入庚",
        "所在党组织": "C-A-1",
        "性别": "女",
        "学历": "研究生",
        "入党日期": "2015年6月30日",
    }
    sheet.append([row.get(str(h)) for h in headers])
    out = io.BytesIO()
    book.save(out)
    done = client.post(
        API,
        headers=world.auth("sec_a1"),
        files={"file": ("填好的.xlsx", out.getvalue(), "application/octet-stream")},
        data={"dry_run": "false"},
    )
    assert finished(client, world, done)["result"]["created"] == 1
    [member] = imported(session)
    assert (member.education, member.probationary_on) == (Education.POSTGRADUATE, date(2015, 6, 30))


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    client: TestClient, world: World, session: Session
) -> None:
    assert post(client, world, GOOD, dry_run=False)["created"] == 2
    again = post(client, world, GOOD, dry_run=False)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert len(imported(session)) == 2
    versions = [m.version for m in imported(session)]

    corrected = [row[:] for row in GOOD]
    corrected[1][3] = "研究生"  # 学历 corrected for 导入甲
    third = post(client, world, corrected, dry_run=False)
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 1)
    first, second = imported(session)
    assert first.education is Education.POSTGRADUATE
    assert [first.version, second.version] == [versions[0] + 1, versions[1]]


def test_a_known_member_keeps_their_org_and_stage(client: TestClient, world: World, session: Session) -> None:
    post(client, world, GOOD, dry_run=False)
    moved = [row[:] for row in GOOD]
    moved[1][1] = "C-A-2"  # another branch: that is a transfer
    moved[2][5] = "正式党员"  # probationary → full: that is the pipeline's decision
    report = post(client, world, moved, user="town_a_admin")
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (2, "所在党组织", "import_member_in_another_org"),
        (3, "发展阶段", "import_stage_change"),
    ]


def test_valid_rows_mode_keeps_the_good_rows(client: TestClient, world: World, session: Session) -> None:
    rows = [*GOOD, ["导入辛", "C-A-1", "", "本科", "火星", "正式党员", "", ""]]
    report = post(client, world, rows, dry_run=False, mode="valid_rows")
    assert (report["committed"], report["created"]) == (True, 2)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(4, "党员类别")]
    assert [m.name for m in imported(session)] == ["导入甲", "导入乙"]
