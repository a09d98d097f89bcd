"""Member roll exports: the list's rows for the same query, Chinese headers, BOM, masks, XLSX, scope,
streaming in pages, audit."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from tests.boundary import Endpoint, assert_boundary
from tests.exports.helpers import BOM, column, export, ids, list_all, read_csv, read_xlsx
from tests.members.helpers import id_number
from tests.problems import assert_problem
from tests.world import World
from vanguard.auth.service import user_principal
from vanguard.core.exports import EXPORTS, ExportFormat, stream_export
from vanguard.members.models import Gender, Member

MEMBERS = "/members"


@pytest.fixture
def roll(client: TestClient, world: World) -> dict[str, int]:
    """Members with ID numbers and phones in two branches of town A and in town B, through the API."""
    people = [
        ("branch_a1", "张三", id_number("19800115", "123"), "13800001111", "rural", "full"),
        ("branch_a1", "李四", id_number("19900220", "244"), "13800002222", "employed", "probationary"),
        ("branch_a1", "王五", id_number("19700310", "315"), None, "rural", "full"),
        ("branch_a2", "赵六", id_number("19850405", "417"), "13800004444", "rural", "full"),
        ("branch_b1", "孙七", id_number("19600506", "519"), "13800005555", "rural", "full"),
    ]
    made: dict[str, int] = {}
    for org, name, number, phone, category, stage in people:
        body = {
            "org_id": world.orgs[org].id,
            "name": name,
            "id_number": number,
            "phone": phone,
            "category": category,
            "stage": stage,
            "probationary_on": "2010-07-01",
            "full_member_on": "2011-07-01" if stage == "full" else None,
        }
        r = client.post("/api/v1/members", json=body, headers=world.auth("admin"))
        assert r.status_code == 201, r.text
        made[name] = r.json()["id"]
    return made


def test_csv_has_a_bom_chinese_headers_and_the_lists_rows(
    client: TestClient, world: World, roll: dict[str, int]
) -> None:
    response = export(client, world, "town_a_admin", MEMBERS, category="rural")
    header, rows = read_csv(response)
    assert header[:4] == ["编号", "姓名", "所在党组织", "性别"]
    assert {"身份证号", "联系电话", "党员类别", "发展阶段", "入党日期"} <= set(header)
    listed = list_all(client, world, "town_a_admin", MEMBERS, category="rural")
    assert ids(header, rows) == [m["id"] for m in listed]
    assert set(ids(header, rows)) == {roll["张三"], roll["王五"], roll["赵六"]}  # 孙七 is in town B
    assert set(column(header, rows, "党员类别")) == {"农村"}
    zhang = rows[ids(header, rows).index(roll["张三"])]
    assert zhang[header.index("所在党组织")] == "甲一村党支部"
    assert zhang[header.index("性别")] == "男"
    assert zhang[header.index("入党日期")] == "2010-07-01"
    assert zhang[header.index("发展阶段")] == "正式党员"
    assert response.headers["content-disposition"].endswith(".csv")
    assert "filename*=UTF-8''%E5%85%9A%E5%91%98%E5%90%8D%E5%86%8C-" in response.headers["content-disposition"]


def test_sort_and_other_filters_are_the_lists_own(
    client: TestClient, world: World, roll: dict[str, int]
) -> None:
    for params in (
        {"sort": "name", "descending": "true"},
        {"sort": "birth_date"},
        {"stage": "probationary"},
        {"q": "zs"},
        {"org_id": world.orgs["branch_a1"].id, "age_min": 30},
    ):
        header, rows = read_csv(export(client, world, "county_admin", MEMBERS, **params))
        listed = list_all(client, world, "county_admin", MEMBERS, **params)
        assert ids(header, rows) == [m["id"] for m in listed], params
    header, rows = read_csv(export(client, world, "county_admin", MEMBERS, stage="probationary"))
    assert ids(header, rows) == [roll["李四"]]


def test_id_numbers_and_phones_are_masked_exactly_as_in_the_list(
    client: TestClient, world: World, roll: dict[str, int]
) -> None:
    for user in ("admin", "sec_a1", "auditor"):
        response = export(client, world, user, MEMBERS)
        header, rows = read_csv(response)
        listed = {m["id"]: m for m in list_all(client, world, user, MEMBERS)}
        assert ids(header, rows) == list(listed)
        for row in rows:
            item = listed[int(row[0])]
            assert row[header.index("身份证号")] == (item["id_number"] or "")
            assert row[header.index("联系电话")] == (item["phone"] or "")
        # the list never shows a full ID number, so neither does the export — not even to an admin
        assert id_number("19800115", "123").encode() not in response.content
    header, rows = read_csv(export(client, world, "sec_a1", MEMBERS))
    zhang = rows[ids(header, rows).index(roll["张三"])]
    assert zhang[header.index("身份证号")] == "110105********123" + id_number("19800115", "123")[-1]


def test_xlsx_opens_and_holds_the_same_rows(client: TestClient, world: World, roll: dict[str, int]) -> None:
    response = export(client, world, "town_a_admin", MEMBERS, fmt="xlsx", category="rural")
    header, rows = read_xlsx(response)
    assert header[:3] == ["编号", "姓名", "所在党组织"]
    listed = list_all(client, world, "town_a_admin", MEMBERS, category="rural")
    assert [int(r[0]) for r in rows] == [m["id"] for m in listed]
    zhang = next(r for r in rows if r[0] == roll["张三"])
    assert zhang[header.index("入党日期")].date() == date(2010, 7, 1)  # a real date cell
    assert zhang[header.index("党员类别")] == "农村"
    assert response.headers["content-disposition"].endswith(".xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.active is not None
    assert book.active.title == "党员名册"
    assert book.active.freeze_panes == "A2"


def test_a_secretarys_export_holds_only_their_branch(
    client: TestClient, world: World, roll: dict[str, int]
) -> None:
    header, rows = read_csv(export(client, world, "sec_a1", MEMBERS))
    assert set(column(header, rows, "所在党组织")) == {"甲一村党支部"}
    assert roll["赵六"] not in ids(header, rows)
    assert roll["孙七"] not in ids(header, rows)
    assert len(rows) == 3 + 3  # the world's three and 张三, 李四, 王五
    foreign = export(client, world, "sec_a1", MEMBERS, org_id=world.orgs["branch_b1"].id)
    assert_problem(foreign, 404, "org_not_found")


def test_export_holds_the_permission_boundary(client: TestClient, world: World) -> None:
    endpoint = Endpoint("GET", "/members/export?org_id={org}", outsider_code="org_not_found")
    assert_boundary(client, world, endpoint, {"org": world.orgs["branch_a1"].id})


def test_bad_filters_are_refused_before_anything_is_sent(client: TestClient, world: World) -> None:
    assert_problem(export(client, world, "admin", MEMBERS, age_min=-1), 422, "validation_failed")
    assert_problem(export(client, world, "admin", MEMBERS, fmt="pdf"), 422, "validation_failed")


def test_every_export_is_audited(client: TestClient, world: World) -> None:
    read_csv(export(client, world, "sec_a1", MEMBERS, stage="full"))
    events = client.get("/api/v1/audit", params={"entity": "export"}, headers=world.auth("auditor")).json()[
        "items"
    ]
    assert len(events) == 1
    assert events[0]["entity_id"] == "members"
    assert events[0]["action"] == "export"
    assert events[0]["actor_name"] == "sec_a1"
    assert events[0]["after"] == {
        "format": "csv",
        "filters": {"stage": "full", "member_status": "normal", "sort": "id", "descending": False},
    }


def test_text_that_looks_like_a_formula_stays_text(client: TestClient, world: World) -> None:
    body = {"org_id": world.orgs["branch_a1"].id, "name": "公式", "gender": "male", "occupation": "=1+2"}
    assert client.post("/api/v1/members", json=body, headers=world.auth("admin")).status_code == 201
    header, rows = read_csv(export(client, world, "admin", MEMBERS, q="公式"))
    assert column(header, rows, "职业") == ["'=1+2"]
    response = export(client, world, "admin", MEMBERS, fmt="xlsx", q="公式")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = sheet.cell(row=2, column=header.index("职业") + 1)
    assert (cell.value, cell.data_type) == ("=1+2", "s")


def test_a_large_export_is_streamed_in_pages(session: Session, world: World) -> None:
    org = world.orgs["branch_a2"].id
    session.execute(
        insert(Member),
        [{"org_id": org, "name": f"批量{i:05d}", "gender": Gender.FEMALE, "version": 1} for i in range(5000)],
    )
    session.commit()
    spec = EXPORTS["members"]
    caller = user_principal(session, world.users["town_a_admin"])
    arguments = {"caller": caller, "org_id": org}
    calls = 0
    inner = spec.list_endpoint

    def counting(**kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return inner(**kwargs)

    spec.list_endpoint = counting
    try:
        chunks = list(
            stream_export(spec, Session(bind=session.get_bind()), arguments, ExportFormat.CSV, chunk_rows=250)
        )
    finally:
        spec.list_endpoint = inner
    assert calls == 21  # 5,002 rows: 20 full pages of 250, then the last 2
    assert len(chunks) == 1 + 21  # BOM and header, then one piece per page
    assert chunks[0].startswith(BOM)
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert len(rows) == 1 + 5002
    assert len({r[0] for r in rows[1:]}) == 5002


def test_pages_are_read_in_one_snapshot(session: Session, world: World, engine: Engine) -> None:
    """A member added while the export runs is not in it: every page comes from the same snapshot."""
    org = world.orgs["branch_a2"].id
    session.execute(
        insert(Member),
        [{"org_id": org, "name": f"快照{i}", "gender": Gender.MALE, "version": 1} for i in range(30)],
    )
    session.commit()
    caller = user_principal(session, world.users["admin"])
    read = Session(bind=engine)
    body = stream_export(
        EXPORTS["members"], read, {"caller": caller, "org_id": org}, ExportFormat.CSV, chunk_rows=10
    )
    if engine.dialect.name == "postgresql":
        assert read.execute(text("SHOW transaction_isolation")).scalar() == "repeatable read"
        assert read.execute(text("SHOW transaction_read_only")).scalar() == "on"
    pieces = [next(body), next(body)]  # header, first page
    with Session(bind=engine) as writer:
        writer.add(Member(org_id=org, name="后来者", gender=Gender.MALE))
        writer.commit()
    pieces += list(body)
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))
    names = [r[1] for r in rows[1:]]
    assert len(names) == 30 + 2  # the world's two members of branch_a2 and the 30 above
    assert "后来者" not in names
