"""The monthly satisfaction trend: China months, the same facts as `/stats`, scoped to the subtree.

By hand (clock starts Monday 2 March 2026 09:00 CST, the trend is read on 20 May 2026):
| item | org       | received            | resolved             | rating        |
| a    | branch_a1 | March               | March, on time       | 5 in March    |
| b    | branch_a1 | March               | May (70 days), late  | 2 in May      |
| c    | branch_a1 | 31 March 23:30 CST  |                      |               |
| d    | branch_a1 | 1 April 00:30 CST   |                      |               |
| e    | branch_b1 | March               |                      |               |
The rating of 2 reopens b, so (as in `/stats`) its May resolution no longer counts; the rating does.
c and d are an hour apart on the same UTC day (31 March): China's calendar puts them in different months.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.complaints.conftest import BASE, Api
from tests.problems import assert_problem
from vanguard.core.clock import CST

READ_ON = datetime(2026, 5, 20, 10, 0, tzinfo=CST)


def _world(api: Api) -> None:
    a = api.walk_to("resolved")
    assert api.rate(str(a["tracking_code"]), 5).status_code == 200
    b = api.walk_to("in_progress")
    api.create(user="sec_b1")
    api.clock.set(datetime(2026, 3, 31, 23, 30, tzinfo=CST))
    api.create()
    api.clock.set(datetime(2026, 4, 1, 0, 30, tzinfo=CST))
    api.create()
    api.clock.set(datetime(2026, 5, 11, 9, 0, tzinfo=CST))
    b = api.ok(b["id"], "resolve", {"result": "已办结"})
    assert api.rate(str(b["tracking_code"]), 2).status_code == 200
    api.clock.set(READ_ON)


def _trend(api: Api, user: str, **params: Any) -> Any:
    r = api.client.get(f"{BASE}/stats/trend", params=params, headers=api.world.auth(user))
    assert r.status_code == 200, r.text
    return r.json()


def _facts(month: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("received", "resolved", "resolved_on_time", "on_time_rate", "rated", "satisfied")
    return (month["month"], *(month[k] for k in keys), month["satisfaction_rate"], month["average_rating"])


def test_months_by_hand(api: Api) -> None:
    _world(api)
    county = _trend(api, "county_admin", months=4)
    assert county["org_id"] == api.world.orgs["county"].id
    # Open past their deadline on 20 May: c, d and e (never accepted, 15 days), not b (resolved, reopened).
    assert county["overdue_open"] == 3
    assert [_facts(m) for m in county["months"]] == [
        ("2026-02", 0, 0, 0, None, 0, 0, None, None),
        ("2026-03", 4, 1, 1, 1.0, 1, 1, 1.0, 5.0),
        ("2026-04", 1, 0, 0, None, 0, 0, None, None),
        ("2026-05", 0, 0, 0, None, 1, 0, 0.0, 2.0),
    ]
    # Twelve months by default, oldest first, through the current one.
    default = _trend(api, "county_admin")["months"]
    assert [m["month"] for m in default] == [f"2025-{m:02}" for m in range(6, 13)] + [
        f"2026-{m:02}" for m in range(1, 6)
    ]


def test_a_secretary_sees_only_their_branch(api: Api) -> None:
    _world(api)
    a1 = _trend(api, "sec_a1", months=3)
    assert (a1["org_id"], a1["overdue_open"]) == (api.world.orgs["branch_a1"].id, 2)
    assert [(m["month"], m["received"]) for m in a1["months"]] == [
        ("2026-03", 3),
        ("2026-04", 1),
        ("2026-05", 0),
    ]
    b1 = _trend(api, "sec_b1", months=3)
    assert [(m["month"], m["received"], m["resolved"]) for m in b1["months"]] == [
        ("2026-03", 1, 0),
        ("2026-04", 0, 0),
        ("2026-05", 0, 0),
    ]
    town_b = _trend(api, "county_admin", months=3, org_id=api.world.orgs["town_b"].id)
    assert [m["received"] for m in town_b["months"]] == [1, 0, 0]
    # Another branch's subtree is not the caller's to count.
    denied = api.client.get(
        f"{BASE}/stats/trend",
        params={"org_id": api.world.orgs["branch_a1"].id},
        headers=api.world.auth("sec_b1"),
    )
    assert_problem(denied, 404, "org_not_found")


def test_months_are_bounded(api: Api) -> None:
    for months in (0, 37):
        r = api.client.get(
            f"{BASE}/stats/trend", params={"months": months}, headers=api.world.auth("county_admin")
        )
        assert r.status_code == 422
