"""The rest of the lists: each export holds its list's rows for the same caller and query."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.exports.helpers import export, list_all, read_csv, read_xlsx
from tests.world import World
from vanguard.core.clock import local_today
from vanguard.core.exports import EXPORTS
from vanguard.members.models import Member

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = local_today()


def _ok(r: Any) -> dict[str, Any]:
    assert r.status_code in (200, 201, 202), r.text
    body: dict[str, Any] = r.json()
    return body


@pytest.fixture
def ids(client: TestClient, session: Session, world: World) -> dict[str, int]:
    """A post, a pledge, a study report, a transfer, a dues reduction, a webhook with a delivery and an
    attachment, each in branch_a1 (and some in branch_b1), made through the API."""
    a1 = world.orgs["branch_a1"].id
    members = {
        org: list(
            session.scalars(select(Member.id).where(Member.org_id == world.orgs[org].id).order_by(Member.id))
        )
        for org in ("branch_a1", "branch_b1")
    }
    member = members["branch_a1"][0]
    admin = world.auth("admin")
    for org, sec in (("branch_a1", "sec_a1"), ("branch_b1", "sec_b1")):
        m = members[org][0]
        headers = world.auth(sec)
        _ok(
            client.post(
                f"/api/v1/members/{m}/posts",
                json={"title": "卫生监督岗", "duties": "=负责村容整洁"},
                headers=headers,
            )
        )
        _ok(
            client.post(
                f"/api/v1/members/{m}/pledges",
                json={"content": "带头垃圾分类", "due_on": (TODAY + timedelta(days=90)).isoformat()},
                headers=headers,
            )
        )
        _ok(
            client.post(
                "/api/v1/study/reports",
                json={"member_id": m, "year": TODAY.year, "content": "学习体会"},
                headers=headers,
            )
        )
        _ok(
            client.post(
                "/api/v1/transfers",
                json={
                    "member_id": members[org][1],
                    "external_org_name": "外省某村党支部",
                    "letter_number": "组转字001",
                    "reason": "外出务工",
                },
                headers=headers,
            )
        )
        _ok(
            client.post(
                f"/api/v1/members/{m}/dues/reductions",
                json={
                    "from_month": f"{TODAY.year}-01",
                    "to_month": f"{TODAY.year}-03",
                    "kind": "waiver",
                    "reason": "生活困难",
                },
                headers=headers,
            )
        )
    webhook = _ok(
        client.post(
            "/api/v1/webhooks",
            json={"org_id": a1, "url": "http://127.0.0.1:9/hook", "event_types": ["webhook.ping"]},
            headers=admin,
        )
    )
    _ok(client.post(f"/api/v1/webhooks/{webhook['id']}/ping", headers=admin))
    r = client.post(
        "/api/v1/attachments",
        data={"org_id": str(a1)},
        files={"file": ("会议记录.txt", "支部会议记录".encode(), "text/plain")},
        headers=world.auth("sec_a1"),
    )
    _ok(r)
    return {"member": member, "moved": members["branch_a1"][1], "webhook": webhook["id"], "org": a1}


CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("posts", "/members/{member}/posts", "sec_a1", {}),
    ("pledges", "/members/{member}/pledges", "sec_a1", {}),
    ("study-reports", "/study/reports", "sec_a1", {}),
    ("study-reports", "/study/reports", "admin", {"year": TODAY.year}),
    ("transfers", "/transfers", "sec_a1", {}),
    ("transfers", "/transfers", "admin", {"state": "completed"}),
    ("member-transfers", "/members/{moved}/transfers", "sec_a1", {}),
    ("dues-reductions", "/dues/reductions", "sec_a1", {}),
    ("dues-reductions", "/dues/reductions", "admin", {"state": "requested"}),
    ("dues-arrears", "/dues/arrears", "admin", {}),
    ("follow-ups", "/pairing/follow-ups/overdue", "admin", {}),
    ("webhooks", "/webhooks", "town_a_admin", {}),
    ("webhook-deliveries", "/webhooks/{webhook}/deliveries", "admin", {}),
    ("attachments", "/attachments", "sec_a1", {"org_id": "{org}"}),
]


def test_every_export_is_covered() -> None:
    from tests.exports.test_jobs_scoring import CASES as JOBS_SCORING
    from tests.exports.test_lists import CASES as FIRST

    covered = {kind for kind, *_ in CASES} | {c.kind for c in FIRST} | {c.kind for c in JOBS_SCORING}
    assert covered == set(EXPORTS)


@pytest.mark.parametrize(("kind", "path", "user", "params"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_export_has_the_lists_rows(
    client: TestClient,
    world: World,
    ids: dict[str, int],
    kind: str,
    path: str,
    user: str,
    params: dict[str, Any],
) -> None:
    path = path.format(**ids)
    params = {k: v.format(**ids) if isinstance(v, str) else v for k, v in params.items()}
    listed = list_all(client, world, user, path, **params)
    header, rows = read_csv(export(client, world, user, path, **params))
    assert all(CJK.search(h) for h in header), header
    key = "member_id" if header[0] == "党员编号" else "visit_id" if header[0] == "走访记录编号" else "id"
    assert [int(r[0]) for r in rows] == [item[key] for item in listed]
    if kind not in ("dues-arrears", "follow-ups"):  # nothing owed or overdue in this world
        assert rows, f"{user} should see some {kind}"
    x_header, x_rows = read_xlsx(export(client, world, user, path, fmt="xlsx", **params))
    assert x_header == header
    assert [int(r[0]) for r in x_rows] == [item[key] for item in listed]
