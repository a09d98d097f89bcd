"""Every list's export: the same rows as the JSON list for the same query and caller, Chinese headers
with a BOM, a readable XLSX, the caller's scope, and the permission boundary of the list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.boundary import Endpoint, assert_boundary
from tests.exports.helpers import export, list_all, read_csv, read_xlsx
from tests.world import World
from vanguard.core.clock import local_today
from vanguard.core.exports import EXPORTS
from vanguard.members.models import Gender, Member
from vanguard.pairing.models import Beneficiary, BeneficiaryKind, Pair, PairKind, PairStatus, Visit, VisitType
from vanguard.study.models import Activity, ActivityKind

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = local_today()


@dataclass
class Seeded:
    activity: dict[str, int] = field(default_factory=dict)
    pair: dict[str, int] = field(default_factory=dict)


def _seed_branch(
    session: Session, world: World, client: TestClient, org: str, secretary: str
) -> tuple[int, int]:
    """An activity with attendance, a household paired with a member, two visits, a must-visit task and a
    complaint, all in `org`; the activity's and the pair's ids."""
    org_id = world.orgs[org].id
    helper = Member(org_id=org_id, name=f"帮扶人{org}", gender=Gender.MALE, phone="13812345678")
    session.add(helper)
    activity = Activity(
        org_id=org_id,
        kind=ActivityKind.BRANCH_MEETING,
        starts_at=datetime.now(UTC) - timedelta(days=3),
        topic="学习党章",
        hours=Decimal("2.0"),
        materials=["党章"],
    )
    household = Beneficiary(
        org_id=org_id,
        kind=BeneficiaryKind.HOUSEHOLD,
        head_name="张户主",
        address="三组十二号院",
        village="甲一村",
        household_size=4,
        contact_phone="13987654321",
    )
    session.add_all([activity, household])
    session.flush()
    pair = Pair(
        org_id=org_id,
        helper_member_id=helper.id,
        beneficiary_id=household.id,
        kind=PairKind.MEMBER_HOUSEHOLD,
        goals=[{"tag": "poverty_exit", "target": "年内人均增收3000元"}],
        started_on=TODAY - timedelta(days=100),
        status=PairStatus.ACTIVE,
    )
    session.add(pair)
    session.flush()
    for days in (60, 30):
        session.add(
            Visit(
                pair=pair,
                visited_on=TODAY - timedelta(days=days),
                type=VisitType.ROUTINE,
                work_done="了解生产情况",
                money_given=Decimal("200.00"),
                jobs_found=0,
            )
        )
    session.commit()
    headers = world.auth(secretary)
    members = client.get("/api/v1/members", params={"org_id": org_id}, headers=headers).json()["items"]
    entries = [{"member_id": m["id"], "status": "present"} for m in members]
    r = client.put(
        f"/api/v1/study/activities/{activity.id}/attendance", json={"entries": entries}, headers=headers
    )
    assert r.status_code == 200, r.text
    r = client.post(
        "/api/v1/pairing/events", json={"member_id": helper.id, "event": "illness"}, headers=headers
    )
    assert r.status_code == 201, r.text
    complaint = {
        "category": "roads",
        "title": "=村口路灯不亮",
        "description": "路灯坏了一周",
        "channel": "hotline",
    }
    r = client.post("/api/v1/complaints", json=complaint, headers=headers)
    assert r.status_code == 201, r.text
    return activity.id, pair.id


@pytest.fixture
def seeded(session: Session, world: World, client: TestClient) -> Seeded:
    out = Seeded()
    for org, secretary in (("branch_a1", "sec_a1"), ("branch_b1", "sec_b1")):
        out.activity[org], out.pair[org] = _seed_branch(session, world, client, org, secretary)
    for org in ("town_a", "town_b"):
        body = {"name": f"OA-{org}", "org_id": world.orgs[org].id, "scopes": ["complaints:read"]}
        r = client.post("/api/v1/service-accounts", json=body, headers=world.auth("admin"))
        assert r.status_code == 201, r.text
    return out


@dataclass(frozen=True)
class Case:
    kind: str
    path: str  # the list's path under /api/v1, {activity}/{pair} filled from the branch_a1 seed
    narrow: str  # a caller who sees part of the data …
    wide: str = "admin"  # … and one who sees more
    params: dict[str, Any] = field(default_factory=dict)
    key: str = "id"  # the list item's field in the first column
    narrow_path: bool = False  # the path names a record only the narrow caller's branch holds

    def __str__(self) -> str:
        return self.kind


CASES = [
    Case("members", "/members", "sec_a1"),
    Case("orgs", "/orgs", "sec_a1", params={"status": "active"}),
    Case("activities", "/study/activities", "sec_a1", params={"kind": "branch_meeting"}),
    Case(
        "attendance", "/study/activities/{activity}/attendance", "sec_a1", key="member_id", narrow_path=True
    ),
    Case("beneficiaries", "/pairing/beneficiaries", "sec_a1", params={"kind": "household"}),
    Case("pairs", "/pairing/pairs", "sec_a1", params={"status": "active"}),
    Case("visits", "/pairing/pairs/{pair}/visits", "sec_a1", narrow_path=True),
    Case("tasks", "/pairing/tasks", "sec_a1"),
    Case("complaints", "/complaints", "sec_a1", params={"channel": "hotline"}),
    Case("audit", "/audit", "town_a_admin"),
    Case("users", "/users", "town_a_admin"),
    Case("service-accounts", "/service-accounts", "town_a_admin"),
]


def test_every_export_is_tested() -> None:
    assert {c.kind for c in CASES} <= set(EXPORTS)
    assert {
        "members",
        "orgs",
        "activities",
        "attendance",
        "beneficiaries",
        "pairs",
        "visits",
        "tasks",
        "complaints",
        "audit",
        "users",
        "service-accounts",
    } <= set(EXPORTS)


def _first_column(header: list[str], rows: list[list[Any]]) -> list[int]:
    assert header[0] in ("编号", "党员编号")
    return [int(r[0]) for r in rows]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_export_has_the_lists_rows_for_each_caller(
    client: TestClient, world: World, seeded: Seeded, case: Case
) -> None:
    path = case.path.format(activity=seeded.activity["branch_a1"], pair=seeded.pair["branch_a1"])
    counts = {}
    for user in (case.narrow, case.wide):
        listed = [item[case.key] for item in list_all(client, world, user, path, **case.params)]
        header, rows = read_csv(export(client, world, user, path, **case.params))
        assert all(CJK.search(h) for h in header), header
        assert _first_column(header, rows) == listed, user
        assert listed, f"{user} should see some {case.kind}"
        counts[user] = len(listed)
        if case.kind != "audit":  # each export adds an audit event: the audit list grows between reads
            x_header, x_rows = read_xlsx(export(client, world, user, path, fmt="xlsx", **case.params))
            assert x_header == header
            assert [int(r[0]) for r in x_rows] == listed
    if not case.narrow_path:
        assert counts[case.wide] > counts[case.narrow], "the narrow caller's export must hold less"


def test_another_branchs_records_are_404_as_in_the_list(
    client: TestClient, world: World, seeded: Seeded
) -> None:
    ids = {"activity": seeded.activity["branch_a1"], "pair": seeded.pair["branch_a1"]}
    for endpoint in (
        Endpoint("GET", "/study/activities/{activity}/attendance/export", outsider_code="activity_not_found"),
        Endpoint("GET", "/pairing/pairs/{pair}/visits/export", outsider_code="pair_not_found"),
    ):
        assert_boundary(client, world, endpoint, ids)


@pytest.mark.parametrize(
    "path", ["/study/activities", "/pairing/beneficiaries", "/pairing/pairs", "/pairing/tasks", "/complaints"]
)
def test_filtering_by_another_branch_answers_as_the_list_does(
    client: TestClient, world: World, seeded: Seeded, path: str
) -> None:
    """Some lists answer 404 for an org outside the caller's subtree, some an empty page: the export
    answers the same, and never with the other branch's rows."""
    params = {"org_id": world.orgs["branch_a1"].id}
    listed = client.get(f"/api/v1{path}", params=params, headers=world.auth("sec_b1"))
    exported = export(client, world, "sec_b1", path, **params)
    assert exported.status_code == listed.status_code
    if listed.status_code == 404:
        assert exported.json()["code"] == listed.json()["code"]
    else:
        assert listed.json()["items"] == []
        assert read_csv(exported)[1] == []


def test_complaint_titles_that_look_like_formulas_stay_text(
    client: TestClient, world: World, seeded: Seeded
) -> None:
    header, rows = read_csv(export(client, world, "sec_a1", "/complaints"))
    assert [r[header.index("标题")] for r in rows] == ["'=村口路灯不亮"]
    assert [r[header.index("渠道")] for r in rows] == ["专线电话"]


def test_dates_and_times_are_china_time(client: TestClient, world: World, seeded: Seeded) -> None:
    listed = list_all(client, world, "sec_a1", "/complaints")
    header, rows = read_csv(export(client, world, "sec_a1", "/complaints"))
    received = datetime.fromisoformat(listed[0]["received_at"]).astimezone(
        __import__("vanguard.core.clock", fromlist=["CST"]).CST
    )
    assert rows[0][header.index("登记时间")] == received.replace(tzinfo=None).isoformat(
        sep=" ", timespec="seconds"
    )
    header, rows = read_csv(
        export(client, world, "sec_a1", "/pairing/pairs/{}/visits".format(seeded.pair["branch_a1"]))
    )
    assert rows[0][header.index("走访日期")] == (TODAY - timedelta(days=60)).isoformat()
    assert rows[0][header.index("帮扶资金（元）")] == "200.00"
    assert isinstance(date.today(), date)


def test_contacts_are_masked_exactly_as_in_the_list(client: TestClient, world: World, seeded: Seeded) -> None:
    seen = {}
    for user in ("sec_a1", "auditor"):
        listed = list_all(client, world, user, "/pairing/beneficiaries")
        header, rows = read_csv(export(client, world, user, "/pairing/beneficiaries"))
        assert [r[header.index("联系电话")] for r in rows] == [b["contact_phone"] or "" for b in listed]
        assert [r[header.index("家庭住址")] for r in rows] == [b["address"] or "" for b in listed]
        seen[user] = {r[header.index("联系电话")] for r in rows}
    assert "13987654321" in seen["sec_a1"]  # the branch's secretary holds `pii`, as in the list
    assert "13987654321" not in seen["auditor"]  # an auditor does not: masked in both
