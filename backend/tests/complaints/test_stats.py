"""Satisfaction and on-time rates per org and per responsible person, and the facts scoring reads."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from tests.complaints.conftest import BASE, Api
from vanguard.complaints.service import complaint_facts
from vanguard.core.permissions import Scope


def _resolved(api: Api, *, late: bool = False) -> dict[str, object]:
    c = api.walk_to("in_progress")
    if late:
        api.clock.advance(days=70)
    c = api.ok(c["id"], "resolve", {"result": "已办结"})
    if late:
        api.clock.advance(days=-70)
    return c


def test_rates_per_org_and_person(api: Api, session: Session) -> None:
    a = _resolved(api)
    b = _resolved(api)
    _resolved(api, late=True)
    api.create()  # received, not resolved
    assert api.rate(str(a["tracking_code"]), 5).status_code == 200
    assert api.rate(str(b["tracking_code"]), 1).status_code == 200  # reopens, but the rating still counts
    params = {"start": "2026-03-01", "end": "2026-03-31"}
    r = api.client.get(f"{BASE}/stats", params=params, headers=api.world.auth("town_a_admin"))
    [row] = r.json()["rows"]
    assert row["key"] == api.world.orgs["branch_a1"].id
    assert row["name"] == api.world.orgs["branch_a1"].name
    assert row["received"] == 4
    # b was reopened, so its resolution no longer counts; the late one is resolved in May.
    assert row["resolved"] == 1
    assert row["resolved_on_time"] == 1
    assert row["on_time_rate"] == 1.0
    assert row["rated"] == 2
    assert row["satisfied"] == 1
    assert row["satisfaction_rate"] == 0.5
    assert row["average_rating"] == 3.0
    may = api.client.get(
        f"{BASE}/stats",
        params={"start": "2026-05-01", "end": "2026-05-31"},
        headers=api.world.auth("town_a_admin"),
    )
    [late_row] = may.json()["rows"]
    assert late_row["resolved"] == 1
    assert late_row["resolved_on_time"] == 0
    assert late_row["on_time_rate"] == 0.0
    by_person = api.client.get(
        f"{BASE}/stats", params=params | {"by": "person"}, headers=api.world.auth("town_a_admin")
    )
    [person] = by_person.json()["rows"]
    assert person["key"] == api.world.users["sec_a1"].id
    assert person["rated"] == 2
    bad = api.client.get(
        f"{BASE}/stats",
        params={"start": "2026-03-31", "end": "2026-03-01"},
        headers=api.world.auth("town_a_admin"),
    )
    assert bad.status_code == 422


def test_facts_for_scoring_respect_scope(api: Api, session: Session) -> None:
    _resolved(api)
    mine = api.world.orgs["branch_a1"].id
    town_b = Scope(api.world.orgs["town_b"].path)
    start, end = date(2026, 3, 1), date(2026, 3, 31)
    now = api.clock.now()
    assert complaint_facts(session, town_b, by="org", ids=[mine], start=start, end=end, now=now) == {}
    facts = complaint_facts(session, Scope.everything(), by="org", ids=[mine], start=start, end=end, now=now)
    assert facts[mine].resolved == 1
    assert facts[mine].on_time_rate == 1.0
    assert facts[mine].satisfaction_rate is None
    overdue = complaint_facts(
        session, Scope.everything(), by="org", ids=None, start=start, end=end, now=now + timedelta(days=16)
    )
    assert overdue[mine].overdue_open == 0  # the only item is resolved
