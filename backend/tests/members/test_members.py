"""The member record: create, read, update, leave, and what each caller may see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.members.helpers import id_number
from tests.problems import assert_problem
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.core.clock import local_today
from vanguard.core.security import pii
from vanguard.members.models import Member

MEMBERS = "/api/v1/members"


def _body(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "org_id": world.orgs["branch_a1"].id,
        "name": "张三丰",
        "id_number": id_number(),
        "phone": "13812345678",
        "education": "bachelor",
        "category": "rural",
        "probationary_on": "2005-07-01",
        "full_member_on": "2006-07-01",
        **extra,
    }


def _create(client: TestClient, world: World, user: str = "sec_a1", **extra: Any) -> dict[str, Any]:
    r = client.post(MEMBERS, json=_body(world, **extra), headers=world.auth(user))
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def test_create_derives_birth_date_gender_and_initials_from_the_record(
    client: TestClient, world: World
) -> None:
    m = _create(client, world)
    assert (m["birth_date"], m["gender"], m["name_initials"]) == ("1980-01-15", "male", "zsf")
    assert m["id_number"] == "110105********1236"[:14] + id_number()[-4:]
    assert m["id_number_masked"] is True


def test_id_number_is_stored_as_digest_and_ciphertext_only(
    client: TestClient, world: World, session: Session
) -> None:
    m = _create(client, world)
    row = session.get(Member, m["id"])
    assert row is not None
    assert row.id_number_digest == pii.lookup_digest(id_number())
    assert row.id_number_cipher is not None
    assert id_number() not in row.id_number_cipher
    assert pii.decrypt(row.id_number_cipher) == id_number()


def test_lower_case_x_is_normalised(client: TestClient, world: World) -> None:
    number = next(n for n in (id_number(seq=f"{s:03d}") for s in range(100)) if n.endswith("X"))
    m = _create(client, world, id_number=number.lower())
    full = client.get(f"{MEMBERS}/{m['id']}", headers=world.auth("sec_a1")).json()
    assert full["id_number"] == number


def test_a_bad_check_digit_is_refused_and_names_the_field(client: TestClient, world: World) -> None:
    bad = id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1")
    r = client.post(MEMBERS, json=_body(world, id_number=bad), headers=world.auth("sec_a1"))
    body = assert_problem(r, 422, "invalid_id_number")
    assert body["errors"][0]["field"] == "body.id_number"


def test_given_gender_must_match_the_id_number(client: TestClient, world: World) -> None:
    r = client.post(MEMBERS, json=_body(world, gender="female"), headers=world.auth("sec_a1"))
    assert_problem(r, 422, "gender_mismatch")


def test_given_birth_date_must_match_the_id_number(client: TestClient, world: World) -> None:
    r = client.post(MEMBERS, json=_body(world, birth_date="1980-01-16"), headers=world.auth("sec_a1"))
    assert assert_problem(r, 422, "birth_date_mismatch")["errors"][0]["field"] == "body.birth_date"


def test_duplicate_id_number_names_the_holding_org_when_visible(client: TestClient, world: World) -> None:
    _create(client, world)
    r = client.post(
        MEMBERS,
        json=_body(world, org_id=world.orgs["branch_a2"].id, name="李四"),
        headers=world.auth("town_a_admin"),
    )
    body = assert_problem(r, 409, "duplicate_id_number")
    assert "甲一村党支部" in body["messages"]["zh-CN"]


def test_duplicate_id_number_does_not_reveal_an_org_outside_scope(client: TestClient, world: World) -> None:
    _create(client, world)
    r = client.post(
        MEMBERS, json=_body(world, org_id=world.orgs["branch_b1"].id), headers=world.auth("sec_b1")
    )
    body = assert_problem(r, 409, "duplicate_id_number")
    assert "甲一" not in body["messages"]["zh-CN"]


def test_dates_in_the_future_are_refused(client: TestClient, world: World) -> None:
    future = (local_today() + timedelta(days=3)).isoformat()
    r = client.post(MEMBERS, json=_body(world, full_member_on=future), headers=world.auth("sec_a1"))
    assert_problem(r, 422, "date_in_future")


def test_dates_before_birth_are_refused(client: TestClient, world: World) -> None:
    r = client.post(MEMBERS, json=_body(world, probationary_on="1979-07-01"), headers=world.auth("sec_a1"))
    assert_problem(r, 422, "date_before_birth")


def test_pipeline_dates_must_be_in_order(client: TestClient, world: World) -> None:
    r = client.post(MEMBERS, json=_body(world, full_member_on="2004-07-01"), headers=world.auth("sec_a1"))
    assert_problem(r, 422, "dates_out_of_order")


def test_dates_beyond_the_stage_are_refused(client: TestClient, world: World) -> None:
    r = client.post(MEMBERS, json=_body(world, stage="probationary"), headers=world.auth("sec_a1"))
    assert_problem(r, 422, "date_beyond_stage")


def test_members_cannot_be_put_in_a_party_group(client: TestClient, world: World) -> None:
    r = client.post(
        MEMBERS, json=_body(world, org_id=world.orgs["group_a1"].id), headers=world.auth("sec_a1")
    )
    assert_problem(r, 422, "org_holds_no_roll")


def test_pii_holder_sees_the_full_number_and_the_read_is_audited(
    client: TestClient, world: World, session: Session
) -> None:
    m = _create(client, world)
    full = client.get(f"{MEMBERS}/{m['id']}", headers=world.auth("sec_a1")).json()
    assert (full["id_number"], full["id_number_masked"], full["phone"]) == (id_number(), False, "13812345678")
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "read_pii", AuditEvent.entity_id == str(m["id"]))
    ).all()
    assert [e.actor_name for e in events] == ["sec_a1"]


def test_caller_without_pii_sees_masks_and_leaves_no_pii_read(
    client: TestClient, world: World, session: Session
) -> None:
    m = _create(client, world)
    seen = client.get(f"{MEMBERS}/{m['id']}", headers=world.auth("auditor")).json()
    assert seen["id_number"].count("*") == 8
    assert seen["phone"] == "138****5678"
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "read_pii")) is None


def test_lists_never_show_full_id_numbers(client: TestClient, world: World) -> None:
    _create(client, world)
    items = client.get(MEMBERS, params={"q": "张"}, headers=world.auth("admin")).json()["items"]
    assert [i["id_number_masked"] for i in items] == [True]
    assert id_number() not in str(items)


def test_audit_log_never_holds_the_full_number(client: TestClient, world: World, session: Session) -> None:
    m = _create(client, world)
    client.get(f"{MEMBERS}/{m['id']}", headers=world.auth("sec_a1"))
    for event in session.scalars(select(AuditEvent)):
        assert id_number() not in f"{event.before}{event.after}"


def test_stale_update_is_412_and_current_one_succeeds(client: TestClient, world: World) -> None:
    m = _create(client, world)
    url, headers = f"{MEMBERS}/{m['id']}", world.auth("sec_a1")
    etag = client.get(url, headers=headers).headers["etag"]
    ok = client.patch(url, json={"occupation": "村医"}, headers={**headers, "If-Match": etag})
    assert ok.status_code == 200
    stale = client.patch(url, json={"occupation": "教师"}, headers={**headers, "If-Match": etag})
    assert_problem(stale, 412, "stale_version")
    assert client.get(url, headers=headers).json()["occupation"] == "村医"


@pytest.mark.parametrize("field", ["org_id", "stage", "status", "id", "version"])
def test_read_only_fields_cannot_be_set_by_update(client: TestClient, world: World, field: str) -> None:
    m = _create(client, world)
    r = client.patch(f"{MEMBERS}/{m['id']}", json={field: 1}, headers=world.auth("sec_a1"))
    assert assert_problem(r, 422, "validation_failed")["errors"][0]["field"] == f"body.{field}"


def test_leaving_keeps_the_record_with_the_reason(client: TestClient, world: World) -> None:
    m = _create(client, world)
    body = {"status": "deceased", "left_on": "2024-03-01", "reason": "病故"}
    r = client.post(f"{MEMBERS}/{m['id']}/leave", json=body, headers=world.auth("sec_a1"))
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["left_reason"]) == ("deceased", "病故")
    assert client.get(MEMBERS, params={"q": "张三丰"}, headers=world.auth("sec_a1")).json()["items"] == []
    gone = client.get(MEMBERS, params={"q": "张三丰", "status": "deceased"}, headers=world.auth("sec_a1"))
    assert [i["id"] for i in gone.json()["items"]] == [m["id"]]
    again = client.post(f"{MEMBERS}/{m['id']}/leave", json=body, headers=world.auth("sec_a1"))
    assert_problem(again, 409, "member_already_left")


def test_there_is_no_hard_delete(client: TestClient, world: World) -> None:
    m = _create(client, world)
    assert client.delete(f"{MEMBERS}/{m['id']}", headers=world.auth("admin")).status_code == 405


def test_leaving_is_refused_while_a_transfer_is_pending(client: TestClient, world: World) -> None:
    m = _create(client, world)
    transfer = {"member_id": m["id"], "to_org_id": world.orgs["branch_b1"].id, "reason": "工作调动"}
    assert client.post("/api/v1/transfers", json=transfer, headers=world.auth("sec_a1")).status_code == 201
    body = {"status": "withdrawn", "left_on": "2024-03-01", "reason": "本人申请"}
    r = client.post(f"{MEMBERS}/{m['id']}/leave", json=body, headers=world.auth("sec_a1"))
    assert_problem(r, 409, "transfer_pending")
