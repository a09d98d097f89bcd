"""The dues endpoints: JSON shapes (exact money, YYYY-MM months), the workflow over HTTP, permissions,
and the subtree boundary on every endpoint."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.dues.conftest import YEAR, add_member, set_base
from tests.problems import assert_problem
from tests.world import World
from vanguard.members.models import Member

API = "/api/v1"
JAN, FEB = f"{YEAR}-01", f"{YEAR}-02"


@pytest.fixture
def member(session: Session, world: World) -> Member:
    member = add_member(session, world, "branch_a1")
    session.commit()
    return member


@pytest.fixture
def foreign(session: Session, world: World) -> Member:
    """A member of branch B1, outside sec_a1's subtree, with a base and a pending reduction."""
    member = add_member(session, world, "branch_b1", name="乙一党员")
    set_base(session, member)
    session.commit()
    return member


def _payment(month: str = JAN, amount: str = "32.00", **extra: Any) -> dict[str, Any]:
    return {"month": month, "amount": amount, "paid_on": f"{month}-05", "method": "wechat", **extra}


def _waiver(start: str = JAN, end: str = FEB) -> dict[str, Any]:
    return {"from_month": start, "to_month": end, "kind": "waiver", "reason": "因病生活困难"}


def test_set_base_returns_it_with_the_monthly_due_and_an_etag(
    client: TestClient, world: World, member: Member
) -> None:
    r = client.put(
        f"{API}/members/{member.id}/dues/base",
        json={"effective_from": JAN, "monthly_income": 3200},
        headers=world.auth("sec_a1"),
    )
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == '"1"'
    body = r.json()
    assert (body["effective_from"], body["category"], body["monthly_due"]) == (JAN, "employed", "32.00")
    listed = client.get(f"{API}/members/{member.id}/dues/bases", headers=world.auth("sec_a1")).json()
    assert [b["monthly_income"] for b in listed] == ["3200.00"]


def test_money_is_exact_to_the_fen(client: TestClient, world: World, member: Member) -> None:
    r = client.put(
        f"{API}/members/{member.id}/dues/base",
        json={"effective_from": JAN, "monthly_income": "3200.001"},
        headers=world.auth("sec_a1"),
    )
    body = assert_problem(r, 422, "validation_failed")
    assert body["errors"][0]["field"] == "body.monthly_income"


@pytest.mark.parametrize("month", ["2025-13", "2025-1", "2025-01-15", "Jan"])
def test_months_are_given_as_yyyy_mm(client: TestClient, world: World, member: Member, month: str) -> None:
    r = client.put(
        f"{API}/members/{member.id}/dues/base",
        json={"effective_from": month, "monthly_income": 3000},
        headers=world.auth("sec_a1"),
    )
    body = assert_problem(r, 422, "validation_failed")
    assert body["errors"][0]["field"] == "body.effective_from"


def test_a_rule_violation_is_a_problem_with_its_code(
    client: TestClient, world: World, member: Member
) -> None:
    r = client.put(
        f"{API}/members/{member.id}/dues/base",
        json={"effective_from": JAN, "category": "rural", "fixed_amount": "2.00"},
        headers=world.auth("sec_a1"),
    )
    assert_problem(r, 422, "dues_rural_amount_out_of_range")


def test_payments_and_the_statement_over_http(
    client: TestClient, world: World, session: Session, member: Member
) -> None:
    set_base(session, member)
    session.commit()
    headers = world.auth("sec_a1")
    r = client.post(f"{API}/members/{member.id}/dues/payments", json=_payment(), headers=headers)
    assert r.status_code == 201, r.text
    assert (r.json()["month"], r.json()["amount"], r.json()["collector"]) == (JAN, "32.00", "sec_a1")
    again = client.post(f"{API}/members/{member.id}/dues/payments", json=_payment(), headers=headers)
    assert_problem(again, 409, "dues_month_already_paid")
    st = client.get(f"{API}/members/{member.id}/dues/statement", params={"year": YEAR}, headers=headers)
    assert st.status_code == 200, st.text
    body = st.json()
    jan, feb = body["months"][0], body["months"][1]
    assert (jan["status"], jan["paid"], jan["balance"]) == ("paid", "32.00", "0.00")
    assert (feb["status"], feb["balance"]) == ("unpaid", "32.00")
    assert body["totals"]["outstanding"] == "352.00"
    assert body["arrears"]["oldest_month"] == FEB


def test_arrears_over_http(client: TestClient, world: World, session: Session, member: Member) -> None:
    set_base(session, member)
    session.commit()
    r = client.get(f"{API}/dues/arrears", params={"as_of": f"{YEAR}-03"}, headers=world.auth("town_a_admin"))
    assert r.status_code == 200, r.text
    (item,) = r.json()["items"]
    assert (item["member_id"], item["amount_owed"], item["oldest_unpaid_month"]) == (member.id, "96.00", JAN)
    assert r.json()["next_cursor"] is None


def test_arrears_as_of_is_a_month(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/dues/arrears", params={"as_of": "2025/03"}, headers=world.auth("admin"))
    body = assert_problem(r, 422, "validation_failed")
    assert body["errors"][0]["field"] == "query.as_of"


def test_the_reduction_workflow_over_http(
    client: TestClient, world: World, session: Session, member: Member
) -> None:
    set_base(session, member)
    session.commit()
    r = client.post(
        f"{API}/members/{member.id}/dues/reductions", json=_waiver(), headers=world.auth("sec_a1")
    )
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert (r.json()["state"], r.json()["requested_by"]) == ("requested", "sec_a1")
    reviewed = client.post(
        f"{API}/dues/reductions/{rid}/review", json={"note": "支委会同意"}, headers=world.auth("sec_a1")
    )
    assert reviewed.json()["state"] == "branch_reviewed"
    early = client.post(f"{API}/dues/reductions/{rid}/approve", json={}, headers=world.auth("sec_a1"))
    assert_problem(early, 403, "dues_approval_needs_superior_committee")
    pending = client.get(
        f"{API}/dues/reductions", params={"state": "branch_reviewed"}, headers=world.auth("town_a_admin")
    )
    assert [x["id"] for x in pending.json()["items"]] == [rid]
    approved = client.post(
        f"{API}/dues/reductions/{rid}/approve", json={}, headers=world.auth("town_a_admin")
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["decided_by_id"] == world.users["town_a_admin"].id
    again = client.post(
        f"{API}/dues/reductions/{rid}/reject", json={"note": "x"}, headers=world.auth("admin")
    )
    assert_problem(again, 409, "dues_reduction_invalid_transition")
    st = client.get(
        f"{API}/members/{member.id}/dues/statement", params={"year": YEAR}, headers=world.auth("sec_a1")
    )
    assert [m["status"] for m in st.json()["months"][:3]] == ["waived", "waived", "unpaid"]


def test_a_rejection_needs_a_reason(client: TestClient, world: World, member: Member) -> None:
    r = client.post(
        f"{API}/members/{member.id}/dues/reductions", json=_waiver(), headers=world.auth("sec_a1")
    )
    rejected = client.post(
        f"{API}/dues/reductions/{r.json()['id']}/reject", json={}, headers=world.auth("sec_a1")
    )
    assert_problem(rejected, 422, "validation_failed")


def test_a_stale_if_match_on_a_decision_is_412(client: TestClient, world: World, member: Member) -> None:
    r = client.post(
        f"{API}/members/{member.id}/dues/reductions", json=_waiver(), headers=world.auth("sec_a1")
    )
    rid, etag = r.json()["id"], r.headers["etag"]
    ok = client.post(
        f"{API}/dues/reductions/{rid}/review", json={}, headers={**world.auth("sec_a1"), "If-Match": etag}
    )
    assert ok.status_code == 200
    stale = client.post(
        f"{API}/dues/reductions/{rid}/approve",
        json={},
        headers={**world.auth("town_a_admin"), "If-Match": etag},
    )
    assert_problem(stale, 412, "stale_version")


def test_members_may_not_read_dues(client: TestClient, world: World, member: Member) -> None:
    r = client.get(f"{API}/members/{member.id}/dues/statement", headers=world.auth("member_a1"))
    assert_problem(r, 403, "forbidden")


def test_auditors_may_read_dues_but_not_write(client: TestClient, world: World, member: Member) -> None:
    headers = world.auth("auditor")
    assert client.get(f"{API}/members/{member.id}/dues/statement", headers=headers).status_code == 200
    r = client.post(f"{API}/members/{member.id}/dues/payments", json=_payment(), headers=headers)
    assert_problem(r, 403, "forbidden")


# --- the subtree boundary ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("PUT", "base", {"effective_from": JAN, "monthly_income": 3000}),
        ("GET", "bases", None),
        ("POST", "payments", _payment()),
        ("GET", "statement", None),
        ("POST", "reductions", _waiver()),
    ],
)
def test_another_branchs_member_is_not_found(
    client: TestClient, world: World, foreign: Member, method: str, suffix: str, body: object
) -> None:
    r = client.request(
        method, f"{API}/members/{foreign.id}/dues/{suffix}", json=body, headers=world.auth("sec_a1")
    )
    assert_problem(r, 404, "member_not_found")


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("POST", "/review", {}),
        ("POST", "/approve", {}),
        ("POST", "/reject", {"note": "越权驳回"}),
    ],
)
def test_another_branchs_reduction_is_not_found(
    client: TestClient, world: World, foreign: Member, method: str, suffix: str, body: object
) -> None:
    r = client.post(
        f"{API}/members/{foreign.id}/dues/reductions", json=_waiver(), headers=world.auth("sec_b1")
    )
    assert r.status_code == 201, r.text
    probe = client.request(
        method, f"{API}/dues/reductions/{r.json()['id']}{suffix}", json=body, headers=world.auth("sec_a1")
    )
    assert_problem(probe, 404, "dues_reduction_not_found")
    assert (
        client.get(f"{API}/dues/reductions/{r.json()['id']}", headers=world.auth("sec_b1")).json()["state"]
        == "requested"
    )


def test_lists_never_show_another_branchs_members(
    client: TestClient, world: World, foreign: Member, member: Member
) -> None:
    client.post(f"{API}/members/{foreign.id}/dues/reductions", json=_waiver(), headers=world.auth("sec_b1"))
    headers = world.auth("sec_a1")
    arrears = client.get(f"{API}/dues/arrears", params={"as_of": f"{YEAR}-12"}, headers=headers)
    assert arrears.status_code == 200
    assert arrears.json()["items"] == []
    assert client.get(f"{API}/dues/reductions", headers=headers).json()["items"] == []
    by_member = client.get(f"{API}/dues/reductions", params={"member_id": foreign.id}, headers=headers)
    assert_problem(by_member, 404, "member_not_found")
    by_org = client.get(f"{API}/dues/arrears", params={"org_id": world.orgs["branch_b1"].id}, headers=headers)
    assert_problem(by_org, 404, "org_not_found")
