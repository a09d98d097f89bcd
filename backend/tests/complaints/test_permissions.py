"""The permission boundary: scoping (404 outside the subtree), write permission (403), reporter masking,
intake validation, service accounts and the category admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.complaints.conftest import BASE, Api, report
from tests.problems import assert_problem
from vanguard.audit.models import AuditEvent
from vanguard.core.security import tokens
from vanguard.users.models import ApiToken, ServiceAccount

ACTIONS = ("accept", "reject", "assign", "start", "extend", "resolve", "close", "reopen", "escalate")


def test_other_branch_cannot_see_or_act(api: Api) -> None:
    c = api.walk_to("assigned")
    auth = api.world.auth("sec_b1")
    assert_problem(api.client.get(f"{BASE}/{c['id']}", headers=auth), 404, "complaint_not_found")
    assert_problem(api.client.get(f"{BASE}/{c['id']}/timeline", headers=auth), 404, "complaint_not_found")
    for action in ACTIONS:
        body = {"reason": "fixed", "result": "xx", "days": 5} | api.assign_body("branch_b1", "sec_b1")
        body |= api.promise_body() if action == "start" else {}
        r = api.step(c["id"], action, _only(action, body), user="sec_b1")
        assert_problem(r, 404, "complaint_not_found")
    assert api.client.get(BASE, headers=auth).json()["items"] == []
    stats = api.client.get(f"{BASE}/stats", params={"start": "2026-01-01", "end": "2026-12-31"}, headers=auth)
    assert stats.json()["rows"] == []


def _only(action: str, body: dict[str, object]) -> dict[str, object]:
    """The fields each step's body accepts (bodies forbid extra fields)."""
    keys = {
        "accept": set(),
        "escalate": set(),
        "reject": {"reason"},
        "reopen": {"reason"},
        "close": {"reason"},
        "resolve": {"result"},
        "extend": {"days", "reason"},
        "assign": {"org_id", "responsible_user_id"},
        "start": {"promise", "promised_by"},
    }[action]
    return {k: v for k, v in body.items() if k in keys}


def test_sec_b1_cannot_assign_into_town_a(api: Api) -> None:
    c = api.create(user="sec_b1")
    api.ok(c["id"], "accept", user="sec_b1")
    r = api.step(c["id"], "assign", api.assign_body("branch_a1", "sec_a1"), user="sec_b1")
    assert_problem(r, 404, "org_not_found")


def test_member_cannot_write_or_read(api: Api) -> None:
    c = api.create()
    auth = api.world.auth("member_a1")
    assert_problem(api.client.post(BASE, json=report(channel="web"), headers=auth), 403, "forbidden")
    for action in ACTIONS:
        assert_problem(api.step(c["id"], action, {}, user="member_a1"), 403, "forbidden")
    assert_problem(api.client.get(f"{BASE}/{c['id']}", headers=auth), 403, "forbidden")


def test_reporter_masked_outside_the_handling_org(api: Api, session: Session) -> None:
    c = api.create()
    assert c["reporter_masked"] is False
    assert c["reporter_phone"] == "13812345678"
    for user in ("town_a_admin", "county_admin", "auditor"):
        seen = api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth(user)).json()
        assert seen["reporter_masked"] is True, user
        assert seen["reporter_phone"] == "138****5678"
        assert seen["reporter_name"] == "王**"
    admin = api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth("admin")).json()
    assert admin["reporter_masked"] is False
    assert admin["reporter_name"] == "王小明"
    session.rollback()  # a fresh snapshot
    reads = session.scalars(select(AuditEvent.actor_name).where(AuditEvent.action == "read_reporter")).all()
    assert sorted(reads) == ["admin", "sec_a1"]  # each unmasked read is audited


def test_list_rows_carry_no_reporter_data(api: Api) -> None:
    api.create()
    item = api.client.get(BASE, headers=api.world.auth("sec_a1")).json()["items"][0]
    assert not any(key.startswith("reporter") for key in item)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("channel", "pigeon", "validation_failed"), ("category", "no_such_thing", "unknown_category")],
)
def test_unknown_channel_or_category_is_named(api: Api, field: str, value: str, code: str) -> None:
    body = report(channel="hotline") | {field: value}
    problem = assert_problem(api.client.post(BASE, json=body, headers=api.world.auth("sec_a1")), 422, code)
    assert problem["errors"][0]["field"] == f"body.{field}"


def test_service_account_intake(api: Api, session: Session) -> None:
    account = ServiceAccount(
        name="hotline-12345",
        org_id=api.world.orgs["town_a"].id,
        scopes=["complaints:read", "complaints:write"],
    )
    session.add(account)
    session.flush()
    raw = tokens.new_service_token()
    session.add(
        ApiToken(
            service_account_id=account.id,
            name="t",
            token_digest=tokens.digest(raw),
            display_prefix=tokens.display_prefix(raw),
            org_id=account.org_id,
        )
    )
    session.commit()
    r = api.client.post(BASE, json=report(channel="hotline"), headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 201, r.text
    assert r.json()["org_id"] == api.world.orgs["town_a"].id
    assert r.json()["channel"] == "hotline"
    timeline = api.client.get(
        f"{BASE}/{r.json()['id']}/timeline", headers=api.world.auth("town_a_admin")
    ).json()
    assert timeline[0]["actor_kind"] == "service"


def test_category_tree_and_admin_only_writes(api: Api) -> None:
    tree = api.client.get(f"{BASE}/categories", headers=api.world.auth("member_a1")).json()
    top = {n["code"] for n in tree}
    assert {
        "land_housing",
        "social_security",
        "infrastructure",
        "environment",
        "public_order",
        "cadre_conduct",
        "party_affairs",
        "other",
    } <= top
    infra = next(n for n in tree if n["code"] == "infrastructure")
    assert {c["code"] for c in infra["children"]} == {"roads", "water_power"}
    body = {"code": "snow", "name_zh": "除雪", "name_en": "Snow clearing"}
    for user in ("county_admin", "sec_a1"):
        r = api.client.post(f"{BASE}/categories", json=body, headers=api.world.auth(user))
        assert_problem(r, 403, "system_admin_only")
    r = api.client.post(f"{BASE}/categories", json=body, headers=api.world.auth("admin"))
    assert r.status_code == 201
    dup = api.client.post(f"{BASE}/categories", json=body, headers=api.world.auth("admin"))
    assert_problem(dup, 409, "category_code_taken")
    cid, etag = r.json()["id"], r.headers["ETag"]
    r = api.client.patch(
        f"{BASE}/categories/{cid}",
        json={"is_active": False},
        headers=api.world.auth("admin") | {"If-Match": etag},
    )
    assert r.status_code == 200
    assert r.json()["is_active"] is False
    # An inactive category takes no new items.
    assert_problem(
        api.client.post(BASE, json=report(channel="web", category="snow"), headers=api.world.auth("sec_a1")),
        422,
        "unknown_category",
    )


def test_ids_beyond_the_database_range_are_422(api: Api) -> None:
    r = api.client.get(f"{BASE}/99999999999999999999", headers=api.world.auth("sec_a1"))
    assert_problem(r, 422, "validation_failed")
