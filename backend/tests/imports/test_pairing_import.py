"""Importing pairing ledgers: beneficiaries (a member by ID number, a household by org, 户主 and address)
and their helpers' pairs, each row through the pairing service; every bad row named; a second run
changes nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.imports.test_members_import import finished
from tests.imports.test_reading import xlsx
from tests.members.helpers import id_number
from tests.world import World
from vanguard.core.security import pii
from vanguard.members.models import Gender, Member
from vanguard.pairing.models import Beneficiary, BeneficiaryKind, Pair, PairKind

HEADER = ["对象类型", "身份证号", "所在党组织", "户主", "地址", "家庭人口", "帮扶人身份证号", "帮扶类型"]
P1, P2, H1, B1 = (
    id_number("19600101", "111"),
    id_number("19610101", "121"),
    id_number("19700101", "131"),
    id_number("19800101", "141"),
)


def _member(session: Session, world: World, org: str, name: str, number: str) -> Member:
    member = Member(
        org_id=world.orgs[org].id, name=name, gender=Gender.MALE, id_number_digest=pii.lookup_digest(number)
    )
    session.add(member)
    return member


def _run(client: TestClient, world: World, rows: list[list[Any]], **form: Any) -> dict[str, Any]:
    started = client.post(
        "/api/v1/imports/pairing",
        headers=world.auth("sec_a1"),
        files={"file": ("台账.xlsx", xlsx([HEADER, *rows]), "application/octet-stream")},
        data={k: str(v).lower() for k, v in form.items()},
    )
    result: dict[str, Any] = finished(client, world, started)["result"]
    return result


ROWS: list[list[Any]] = [
    ["困难党员", P1, "", "", "", 3, H1, "干部联系党员"],  # 2 new beneficiary and pair
    ["联系户", "", "C-A-1", "张大爷", "甲一村3组", 4, H1, "党员联系户"],  # 3 new household and pair
    ["联系户", "", "C-A-1", "张大爷", "甲一村3组", 5, "", ""],  # 4 the same household again
    ["困难党员", B1, "", "", "", "", "", ""],  # 5 another town's member
    ["联系户", "", "", "李四", "乙路2号", "", "", ""],  # 6 a household without an org
    ["困难党员", P2, "", "", "", "", P2, "干部联系党员"],  # 7 helping oneself
    ["贫困", "", "C-A-1", "王五", "", "", "", ""],  # 8 no such kind
    ["联系户", "", "C-A-1", "赵六", "丙路", "", H1, ""],  # 9 a helper but no pair kind
]


def test_pairing_rows_go_through_the_pairing_rules(
    client: TestClient, world: World, session: Session
) -> None:
    p1 = _member(session, world, "branch_a1", "困难甲", P1)
    _member(session, world, "branch_a1", "困难乙", P2)
    h1 = _member(session, world, "branch_a1", "帮扶人", H1)
    _member(session, world, "branch_b1", "乙镇党员", B1)
    session.commit()

    dry = _run(client, world, ROWS)
    found = {(e["row"], e["column"], e["code"]) for e in dry["errors"]}
    assert {(r, c) for r, c, _ in found} == {
        (4, "户主"),
        (5, "身份证号"),
        (6, "所在党组织"),
        (7, "帮扶人身份证号"),
        (8, "对象类型"),
        (9, "帮扶类型"),
    }
    assert {
        (4, "户主", "import_duplicate_in_file"),
        (5, "身份证号", "import_member_not_found"),
        (6, "所在党组织", "beneficiary_details_invalid"),
        (7, "帮扶人身份证号", "helper_is_beneficiary"),
        (8, "对象类型", "import_cell_invalid"),
    } <= found
    assert (dry["created"], dry["committed"]) == (2, False)
    session.rollback()
    assert session.scalars(select(Beneficiary)).all() == []

    report = _run(client, world, ROWS, dry_run=False, mode="valid_rows")
    assert (report["committed"], report["created"], len({e["row"] for e in report["errors"]})) == (True, 2, 6)
    session.rollback()
    beneficiaries = {b.kind: b for b in session.scalars(select(Beneficiary))}
    assert set(beneficiaries) == {BeneficiaryKind.MEMBER, BeneficiaryKind.HOUSEHOLD}
    assert (
        beneficiaries[BeneficiaryKind.MEMBER].member_id,
        beneficiaries[BeneficiaryKind.MEMBER].household_size,
    ) == (
        p1.id,
        3,
    )
    household = beneficiaries[BeneficiaryKind.HOUSEHOLD]
    assert (household.org_id, household.head_name, household.household_size) == (
        world.orgs["branch_a1"].id,
        "张大爷",
        4,
    )
    pairs = {(p.helper_member_id, p.beneficiary_id, p.kind) for p in session.scalars(select(Pair))}
    assert pairs == {
        (h1.id, beneficiaries[BeneficiaryKind.MEMBER].id, PairKind.CADRE_MEMBER),
        (h1.id, household.id, PairKind.MEMBER_HOUSEHOLD),
    }

    again = _run(client, world, ROWS[:2], dry_run=False)
    assert (again["created"], again["updated"], again["unchanged"], again["errors"]) == (0, 0, 2, [])
    grown = _run(
        client, world, [["联系户", "", "C-A-1", "张大爷", "甲一村3组", 5, H1, "党员联系户"]], dry_run=False
    )
    assert (grown["created"], grown["updated"], grown["unchanged"]) == (0, 1, 0)
    session.rollback()
    session.expire_all()
    assert session.get(Beneficiary, household.id).household_size == 5  # type: ignore[union-attr]
    assert len(session.scalars(select(Pair)).all()) == 2
