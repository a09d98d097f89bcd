"""The XLSX ledger opened back with openpyxl: layout, dates, quarters, masking and the audit row."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.pairing.conftest import API
from tests.problems import assert_problem
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.members.models import Member
from vanguard.pairing import export
from vanguard.pairing.export import PAIR_COLUMNS, VISIT_COLUMNS
from vanguard.pairing.models import Beneficiary, Pair, PairKind, PairStatus, Visit, VisitType

URL = API + "/pairing/ledger.xlsx"
YEAR = 2025


@pytest.fixture
def ledger_pairs(
    session: Session, world: World, helper: Member, household: Beneficiary, needy_beneficiary: Beneficiary
) -> Pair:
    """A member helping a household (three visits in 2025, one in 2024) and a cadre helping a member."""
    pair = Pair(
        org_id=household.org_id,
        helper_member_id=helper.id,
        beneficiary_id=household.id,
        kind=PairKind.MEMBER_HOUSEHOLD,
        goals=[
            {"tag": "technology", "target": "掌握大棚种植"},
            {"tag": "poverty_exit", "target": "年底脱贫"},
        ],
        started_on=date(2024, 12, 1),
        status=PairStatus.ACTIVE,
    )
    cadre = Pair(
        org_id=needy_beneficiary.org_id,
        helper_user_id=world.users["sec_a1"].id,
        beneficiary_id=needy_beneficiary.id,
        kind=PairKind.CADRE_MEMBER,
        goals=[],
        started_on=date(2025, 3, 1),
        ends_on=date(2025, 9, 30),
        status=PairStatus.COMPLETED,
    )
    session.add_all([pair, cadre])
    session.flush()
    for on, extra in (
        (date(2024, 12, 20), {}),
        (date(2025, 2, 3), {"money_given": Decimal("500.00")}),
        (
            date(2025, 2, 20),
            {
                "goods_value": Decimal("80.00"),
                "follow_up": "联系农技站",
                "follow_up_due_on": date(2025, 3, 1),
            },
        ),
        (date(2025, 11, 5), {"jobs_found": 1}),
    ):
        session.add(Visit(pair=pair, visited_on=on, type=VisitType.ROUTINE, work_done="入户走访", **extra))
    session.add(Visit(pair=cadre, visited_on=date(2025, 6, 1), type=VisitType.ILLNESS, work_done="住院慰问"))
    session.commit()
    return pair


def _book(
    client: TestClient, world: World, user: str, org: str = "branch_a1"
) -> tuple[Worksheet, Worksheet, str]:
    r = client.get(URL, params={"org_id": world.orgs[org].id, "year": YEAR}, headers=world.auth(user))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(BytesIO(r.content))
    pairs, visits = book["结对帮扶台账"], book["走访记录"]
    return pairs, visits, r.headers["content-disposition"]


def _row(ws: Worksheet, row: int, columns: tuple[tuple[str, int], ...]) -> dict[str, object]:
    return {name: ws.cell(row=row, column=i).value for i, (name, _) in enumerate(columns, start=1)}


def test_the_ledger_in_the_paper_layout(client: TestClient, world: World, ledger_pairs: Pair) -> None:
    pairs, visits, disposition = _book(client, world, "sec_a1")
    assert pairs["A1"].value == f"甲一村党支部结对帮扶台账（{YEAR}年）"
    assert [c.value for c in pairs[2]] == [name for name, _ in PAIR_COLUMNS]
    assert pairs.freeze_panes == "A3"
    assert pairs.column_dimensions["C"].width == 24
    assert pairs.max_row == 4  # title, header, two pairs
    member_row = _row(pairs, 3, PAIR_COLUMNS)
    assert member_row["帮扶人"] == "王帮扶"
    assert member_row["职务/单位"] == "党员 / 甲一村党支部"
    assert (member_row["帮扶对象"], member_row["类别"], member_row["结对类型"]) == (
        "张户主",
        "联系户",
        "党员联系户",
    )
    assert member_row["家庭情况"] == "4口人；因病致贫；需求：技术指导"
    assert member_row["帮扶措施/三包"] == "包技术：掌握大棚种植；包脱贫：年底脱贫"
    assert member_row["结对日期"] == datetime(2024, 12, 1)
    assert pairs.cell(row=3, column=11).number_format == "yyyy-mm-dd"
    quarters = [member_row[q] for q in ("一季度走访", "二季度走访", "三季度走访", "四季度走访", "全年走访")]
    assert quarters == [2, 0, 0, 1, 3]  # the 2024 visit is not this year's
    assert member_row["帮扶成效"] == "帮扶中；资金500.00元；物资折价80.00元；就业1人"
    cadre_row = _row(pairs, 4, PAIR_COLUMNS)
    assert (cadre_row["帮扶人"], cadre_row["职务/单位"], cadre_row["类别"]) == (
        "sec_a1",
        "书记 / 甲一村党支部",
        "困难党员",
    )
    assert cadre_row["帮扶对象"] == "李困难"
    assert cadre_row["三季度走访"] == 0
    assert cadre_row["二季度走访"] == 1
    assert cadre_row["备注"] == "已完成于2025-09-30"

    assert [c.value for c in visits[2]] == [name for name, _ in VISIT_COLUMNS]
    assert visits.freeze_panes == "A3"
    assert visits.max_row == 2 + 4
    first = _row(visits, 3, VISIT_COLUMNS)
    assert (first["日期"], first["类型"], first["帮扶物资/金额"]) == (
        datetime(2025, 2, 3),
        "日常走访",
        "资金500.00元",
    )
    assert visits.cell(row=3, column=4).number_format == "yyyy-mm-dd"
    second = _row(visits, 4, VISIT_COLUMNS)
    assert second["后续事项"] == "联系农技站（2025-03-01前）；未完成"
    assert _row(visits, 5, VISIT_COLUMNS)["类型"] == "生病住院必访"

    filename = f"结对帮扶台账-甲一村党支部-{YEAR}.xlsx"
    assert f"filename*=UTF-8''{quote(filename)}" in disposition
    assert disposition.startswith("attachment;")


def test_contact_fields_are_masked_without_pii(client: TestClient, world: World, ledger_pairs: Pair) -> None:
    plain = _row(_book(client, world, "sec_a1")[0], 3, PAIR_COLUMNS)
    assert (plain["家庭住址"], plain["联系电话"]) == ("甲一村三组十二号院", "13987654321")
    masked = _row(_book(client, world, "auditor")[0], 3, PAIR_COLUMNS)
    assert (masked["家庭住址"], masked["联系电话"]) == ("甲一村三组十****", "139****4321")


def test_the_export_is_audited(
    client: TestClient, session: Session, world: World, ledger_pairs: Pair
) -> None:
    _book(client, world, "auditor", org="town_a")
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "pairing_ledger")).all()
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.actor_name, event.entity_id, event.org_id) == (
        "export",
        "auditor",
        str(world.orgs["town_a"].id),
        world.orgs["town_a"].id,
    )
    assert event.after == {"year": YEAR, "pairs": 2, "visits": 4, "contact_masked": True}


def test_a_sibling_branchs_ledger_is_empty_and_another_towns_is_404(
    client: TestClient, world: World, ledger_pairs: Pair
) -> None:
    pairs, visits, _ = _book(client, world, "town_a_admin", org="branch_a2")
    assert (pairs.max_row, visits.max_row) == (2, 2)
    r = client.get(URL, params={"org_id": world.orgs["branch_a1"].id}, headers=world.auth("sec_b1"))
    assert_problem(r, 404, "org_not_found")
    r = client.get(URL, params={"org_id": world.orgs["branch_a1"].id}, headers=world.auth("member_a1"))
    assert_problem(r, 403, "forbidden")
    future = client.get(
        URL, params={"org_id": world.orgs["branch_a1"].id, "year": 2099}, headers=world.auth("sec_a1")
    )
    assert_problem(future, 422, "period_invalid")


def test_a_ledger_over_the_limit_asks_for_a_narrower_export(
    client: TestClient, world: World, ledger_pairs: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "PAIRING_LEDGER_MAX_PAIRS", 1)
    r = client.get(
        URL, params={"org_id": world.orgs["branch_a1"].id, "year": YEAR}, headers=world.auth("sec_a1")
    )
    assert_problem(r, 422, "ledger_too_large")
    assert r.json()["errors"][0]["field"] == "query.org_id"
