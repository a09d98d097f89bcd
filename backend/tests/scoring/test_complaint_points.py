"""Points for the 群众诉求 a member handled, through the user account linked to their record.

a10's account (a member-role user linked to a10) is the responsible person for:

| item | resolved (CST)          | deadline kept | rating        | counts in 2026 |
| c1   | 2026-03-02              | yes           | 5 (satisfied) | on time, satisfied |
| c2   | 2026-06-14 (70 days on) | no            | 3             | late, dissatisfied |
| c3   | 2026-07-01              | yes           |               | on time |
| c4   | 2026-07-01              | yes           |               | on time |
| c5   | 2025-12-31 23:30        | yes           |               | no: 2025 |
| c6   | 2026-01-01 00:30        | yes           |               | on time (China's new year) |

sec_a1 (no member record) handles c7: it counts for nobody.
Rules: on time 3 each capped at 9, late −1, satisfied +2, dissatisfied −2.
a10: 4 on time → 12 → 9; 1 late → −1; 1 satisfied → 2; 1 dissatisfied → −2: 8 points. a11: none.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tests.complaints.conftest import Api as ComplaintsApi
from tests.problems import assert_problem
from tests.scoring.conftest import NOW, Api
from tests.world import PASSWORD
from vanguard.core.clock import FakeClock

RULES = [
    {"source": "complaints_on_time", "points_per_unit": "3", "cap": "9", "label": "诉求按期办结"},
    {"source": "complaints_late", "points_per_unit": "-1", "label": "诉求超期办结"},
    {"source": "complaints_satisfied", "points_per_unit": "2", "label": "群众满意"},
    {"source": "complaints_dissatisfied", "points_per_unit": "-2", "label": "群众不满意"},
]


def _handled(desk: ComplaintsApi, at: datetime, handler: int, *, late: bool = False) -> dict[str, Any]:
    desk.clock.set(at)
    c = desk.create()
    c = desk.ok(c["id"], "accept")
    c = desk.ok(
        c["id"], "assign", {"org_id": desk.world.orgs["branch_a1"].id, "responsible_user_id": handler}
    )
    c = desk.ok(c["id"], "start", desk.promise_body(days=1))
    if late:
        desk.clock.advance(days=70)
    return desk.ok(c["id"], "resolve", {"result": "已办结"})


def _token(api: Api, username: str) -> dict[str, str]:
    login = api.client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def test_points_for_complaints_a_member_handled(api: Api, clock: FakeClock) -> None:
    a10, a11, _ = api.members()
    account = api.client.post(
        "/api/v1/users",
        headers=api.world.auth("sec_a1"),
        json={
            "username": "a10",
            "display_name": "党员a10",
            "password": PASSWORD,
            "role": "member",
            "org_id": api.world.orgs["branch_a1"].id,
            "member_id": a10,
        },
    )
    assert account.status_code == 201, account.text
    handler = account.json()["id"]
    desk = ComplaintsApi(api.client, api.world, clock)
    c1 = _handled(desk, datetime(2026, 3, 2, 2, tzinfo=UTC), handler)
    assert desk.rate(c1["tracking_code"], 5).status_code == 200
    c2 = _handled(desk, datetime(2026, 4, 5, 2, tzinfo=UTC), handler, late=True)
    assert desk.rate(c2["tracking_code"], 3).status_code == 200
    _handled(desk, datetime(2026, 7, 1, 2, tzinfo=UTC), handler)
    _handled(desk, datetime(2026, 7, 1, 3, tzinfo=UTC), handler)
    _handled(desk, datetime(2025, 12, 31, 15, 30, tzinfo=UTC), handler)  # 23:30 CST, still 2025
    _handled(desk, datetime(2025, 12, 31, 16, 30, tzinfo=UTC), handler)  # 00:30 CST, 2026
    _handled(desk, datetime(2026, 3, 3, 2, tzinfo=UTC), api.world.users["sec_a1"].id)
    clock.set(NOW)

    scheme = api.scheme(rules=RULES, full_points="20")
    api.recompute(scheme["id"])
    r10 = api.ok("GET", f"/results/{a10}")
    lines = {line["source"]: line for line in r10["explanation"] if line["kind"] == "rule"}
    assert {s: (ln["windows"][0]["units"], ln["points"]) for s, ln in lines.items()} == {
        "complaints_on_time": ("4", "9"),
        "complaints_late": ("1", "-1"),
        "complaints_satisfied": ("1", "2"),
        "complaints_dissatisfied": ("1", "-2"),
    }
    assert lines["complaints_on_time"]["windows"][0]["raw_points"] == "12"
    assert r10["points"] == "8.00"
    assert sum(Decimal(line["contribution"]) for line in r10["explanation"]) == Decimal(r10["score"])
    assert api.ok("GET", f"/results/{a11}")["points"] == "0.00"

    # The member reads their own result once it is published — and nobody else's.
    own = _token(api, "a10")
    assert_problem(api.client.get(f"/api/v1/scoring/results/{a10}", headers=own), 404, "result_not_found")
    api.ok("POST", f"/schemes/{scheme['id']}/publish")
    mine = api.client.get(f"/api/v1/scoring/results/{a10}", headers=own)
    assert mine.status_code == 200, mine.text
    assert (mine.json()["score"], mine.json()["published"]) == (r10["score"], True)
    assert_problem(api.client.get(f"/api/v1/scoring/results/{a11}", headers=own), 403, "forbidden")
    unlinked = api.client.get(f"/api/v1/scoring/results/{a10}", headers=api.world.auth("member_a1"))
    assert_problem(unlinked, 403, "forbidden")
