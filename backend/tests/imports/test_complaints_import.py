"""Importing a complaints intake ledger: channel and urgency by label, category by code or Chinese
name, each row through the complaints service's intake; every bad row named; a second run of the same
file changes nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.imports.test_members_import import finished
from tests.imports.test_reading import xlsx
from tests.world import World
from vanguard.complaints.models import Channel, Complaint, Urgency

HEADER = ["受理组织", "渠道", "分类", "标题", "内容", "反映人", "联系电话", "紧急程度"]
ROWS: list[list[Any]] = [
    ["C-A-1", "来访", "党费", "党费收缴标准咨询", "询问退休党员党费标准", "王某", "13800000000", "一般"],  # 2
    ["", "专线电话", "other", "路灯不亮", "村口路灯坏了一个月", "", "", "紧急"],  # 3 the caller's own org
    ["C-A-1", "来访", "党费", "党费收缴标准咨询", "询问退休党员党费标准", "", "", ""],  # 4 row 2 again
    ["C-B-1", "来信", "other", "乙镇事项", "乙镇的事情", "", "", ""],  # 5 an org the caller cannot see
    ["C-A-1", "飞鸽", "other", "飞鸽传书", "内容", "", "", ""],  # 6 no such channel
    ["C-A-1", "来信", "不存在的分类", "标题七", "内容七", "", "", ""],  # 7 no such category
    ["C-A-1", "来信", "other", "短", "内容八", "", "", ""],  # 8 a title too short
]


def _run(client: TestClient, world: World, **form: Any) -> dict[str, Any]:
    started = client.post(
        "/api/v1/imports/complaints",
        headers=world.auth("sec_a1"),
        files={"file": ("诉求台账.xlsx", xlsx([HEADER, *ROWS]), "application/octet-stream")},
        data={k: str(v).lower() for k, v in form.items()},
    )
    result: dict[str, Any] = finished(client, world, started)["result"]
    return result


def _imported(session: Session) -> list[Complaint]:
    session.rollback()
    return list(session.scalars(select(Complaint).order_by(Complaint.id)))


def test_complaint_rows_go_through_intake(client: TestClient, world: World, session: Session) -> None:
    dry = _run(client, world)
    assert {(e["row"], e["column"], e["code"]) for e in dry["errors"]} == {
        (4, "标题", "import_duplicate_in_file"),
        (5, "受理组织", "import_cell_invalid"),
        (6, "渠道", "import_cell_invalid"),
        (7, "分类", "unknown_category"),
        (8, "标题", "string_too_short"),
    }
    assert (dry["created"], dry["committed"]) == (2, False)
    assert _imported(session) == []

    report = _run(client, world, dry_run=False, mode="valid_rows")
    assert (report["committed"], report["created"]) == (True, 2)
    first, second = _imported(session)
    assert (first.org_id, first.channel, first.urgency, first.title) == (
        world.orgs["branch_a1"].id,
        Channel.VISIT,
        Urgency.NORMAL,
        "党费收缴标准咨询",
    )
    assert (second.org_id, second.channel, second.urgency) == (
        world.orgs["branch_a1"].id,
        Channel.HOTLINE,
        Urgency.URGENT,
    )
    assert first.tracking_code != second.tracking_code
    assert first.due_at > first.received_at  # the intake's deadlines, as for any complaint

    again = _run(client, world, dry_run=False, mode="valid_rows")
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert len(_imported(session)) == 2
