"""Exports of the jobs list and the scoring lists (rankings, branch stars, manual items, cases): each holds
its list's rows for the same caller and query, with Chinese headers and words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.exports.helpers import column, export, list_all, read_csv, read_xlsx
from tests.problems import assert_problem
from tests.scoring.conftest import NOW
from tests.world import World
from vanguard.core.clock import FakeClock
from vanguard.jobs.runner import get_runner
from vanguard.members.models import Member

API = "/api/v1"


@dataclass
class Scoring:
    county: int  # a scheme over the whole county, recomputed and published by county_admin
    branch: int  # a scheme of branch_a1 only, recomputed by sec_a1


def _ok(r: Any) -> Any:
    assert r.status_code in (200, 201, 202), r.text
    return r.json()


def _recompute(client: TestClient, world: World, scheme_id: int, user: str) -> None:
    job = _ok(client.post(f"{API}/scoring/schemes/{scheme_id}/recompute", headers=world.auth(user)))
    get_runner().wait(job["id"], timeout=60)
    assert _ok(client.get(f"{API}/jobs/{job['id']}", headers=world.auth(user)))["state"] == "succeeded"


@pytest.fixture
def scoring(app: FastAPI, client: TestClient, session: Session, world: World) -> Scoring:
    app.state.clock = FakeClock(NOW)  # the 2026 period is over
    county_admin = world.auth("county_admin")

    def scheme(org: str, user: str, name: str) -> int:
        body = {"org_id": world.orgs[org].id, "name": name, "year": 2026}
        return int(_ok(client.post(f"{API}/scoring/schemes", json=body, headers=world.auth(user)))["id"])

    county = scheme("county", "county_admin", "2026年度全县党员积分")
    for org, secretary in (("branch_a1", "sec_a1"), ("branch_b1", "sec_b1")):
        member = session.scalars(select(Member.id).where(Member.org_id == world.orgs[org].id)).first()
        body = {"member_id": member, "kind": "bonus", "points": "5", "reason": "=县级表彰"}
        _ok(client.post(f"{API}/scoring/schemes/{county}/items", json=body, headers=world.auth(secretary)))
    _recompute(client, world, county, "county_admin")
    _ok(client.post(f"{API}/scoring/schemes/{county}/publish", headers=county_admin))
    case = _ok(client.get(f"{API}/scoring/cases", headers=world.auth("sec_a1")))["items"][0]
    talk = {"held_on": "2027-01-10", "by": "支部书记", "notes": "谈心谈话"}
    _ok(client.post(f"{API}/scoring/cases/{case['id']}/talks", json=talk, headers=world.auth("sec_a1")))

    branch = scheme("branch_a1", "sec_a1", "2026年度甲一村党员积分")
    _recompute(client, world, branch, "sec_a1")
    return Scoring(county, branch)


@dataclass(frozen=True)
class Case:
    kind: str
    path: str
    narrow: str
    wide: str
    key: str = "id"
    params: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        return self.kind


CASES = [
    Case("jobs", "/jobs", "sec_a1", "county_admin"),
    Case("scoring-rankings", "/scoring/schemes/{county}/rankings", "sec_a1", "county_admin", key="member_id"),
    Case("scoring-branches", "/scoring/schemes/{county}/branches", "sec_a1", "county_admin", key="org_id"),
    Case("scoring-items", "/scoring/schemes/{county}/items", "sec_a1", "county_admin"),
    Case("scoring-cases", "/scoring/cases", "sec_a1", "county_admin"),
]
KEY_HEADER = {"id": "编号", "member_id": "党员编号", "org_id": "党组织编号"}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_export_has_the_lists_rows_for_each_caller(
    client: TestClient, world: World, scoring: Scoring, case: Case
) -> None:
    path = case.path.format(county=scoring.county)
    counts = {}
    for user in (case.narrow, case.wide):
        listed = [item[case.key] for item in list_all(client, world, user, path, **dict(case.params))]
        header, rows = read_csv(export(client, world, user, path, **dict(case.params)))
        assert [int(v) for v in column(header, rows, KEY_HEADER[case.key])] == listed, user
        assert listed, f"{user} should see some {case.kind}"
        counts[user] = len(listed)
        x_header, x_rows = read_xlsx(export(client, world, user, path, fmt="xlsx", **dict(case.params)))
        assert x_header == header
        assert [int(v) for v in column(x_header, x_rows, KEY_HEADER[case.key])] == listed
    assert counts[case.wide] > counts[case.narrow], "the narrow caller's export must hold less"


def _rows(client: TestClient, world: World, user: str, path: str, **params: Any) -> list[dict[str, str]]:
    header, rows = read_csv(export(client, world, user, path, **params))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_files_speak_chinese(client: TestClient, world: World, scoring: Scoring) -> None:
    jobs = _rows(client, world, "county_admin", "/jobs")
    assert {(j["任务类型"], j["状态"]) for j in jobs} == {("积分计算", "已完成")}
    assert {j["发起人"] for j in jobs} == {"county_admin", "sec_a1"}

    ranking = _rows(client, world, "county_admin", f"/scoring/schemes/{scoring.county}/rankings")
    assert [r["名次"] for r in ranking][:1] == ["1"]
    assert {r["等次"] for r in ranking} <= {"优秀", "合格", "基本合格", "不合格"}

    items = _rows(client, world, "sec_a1", f"/scoring/schemes/{scoring.county}/items")
    assert [(i["类型"], i["状态"], i["分值"]) for i in items] == [("加分", "待审批", "5.00")]
    assert items[0]["事由"] == "'=县级表彰"  # formula-like text stays text in CSV

    cases = _rows(client, world, "sec_a1", "/scoring/cases", status="open")
    talked = [c for c in cases if c["谈话记录"]]
    assert [(c["状态"], c["谈话记录"]) for c in talked] == [("教育谈话中", "2027-01-10 支部书记：谈心谈话")]

    stars = _rows(client, world, "county_admin", f"/scoring/schemes/{scoring.county}/branches")
    names = {s["党组织名称"] for s in stars}
    assert {"甲一村党支部", "乙一村党支部"} <= names


def test_filters_are_the_lists_own(client: TestClient, world: World, scoring: Scoring) -> None:
    rankings = f"/scoring/schemes/{scoring.county}/rankings"
    a1 = world.orgs["branch_a1"].id
    rows = _rows(client, world, "county_admin", rankings, org_id=a1)
    assert rows
    assert {int(r["党组织编号"]) for r in rows} == {a1}
    assert _rows(client, world, "county_admin", "/jobs", state="failed") == []
    assert_problem(export(client, world, "county_admin", "/jobs", state="eaten"), 422, "validation_failed")


def test_another_branchs_records_are_404_as_in_the_list(
    client: TestClient, world: World, scoring: Scoring
) -> None:
    a1 = world.orgs["branch_a1"].id
    rankings = f"/scoring/schemes/{scoring.county}/rankings"
    listed = client.get(f"{API}{rankings}", params={"org_id": a1}, headers=world.auth("sec_b1"))
    problem = assert_problem(
        export(client, world, "sec_b1", rankings, org_id=a1), listed.status_code, "org_not_found"
    )
    assert problem["status"] == 404
    for path in (
        f"/scoring/schemes/{scoring.branch}/rankings",
        f"/scoring/schemes/{scoring.branch}/branches",
        f"/scoring/schemes/{scoring.branch}/items",
    ):
        assert client.get(f"{API}{path}", headers=world.auth("sec_b1")).status_code == 404
        assert export(client, world, "sec_b1", path).status_code == 404
    assert_problem(export(client, world, "member_a1", "/scoring/cases"), 403, "forbidden")
