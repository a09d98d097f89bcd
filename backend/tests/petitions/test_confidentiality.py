"""Who reads a petition: the filer and the handling org's subtree — never the member reported, never a
branch below the handling org; and the reporter's identity reaches the reported person through no
endpoint they can call (petitions, the audit log and its export, error messages)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.petitions.conftest import BASE, CONTACT, People, act, file, report
from tests.world import World


def _ids(client: TestClient, world: World, by: str, path: str = BASE) -> list[int]:
    r = client.get(path, headers=world.auth(by))
    assert r.status_code == 200, r.text
    return [p["id"] for p in r.json()["items"]]


def test_the_filer_sees_their_petition_in_mine_and_by_id(
    client: TestClient, world: World, people: People
) -> None:
    pid = report(client, world, people)["id"]
    assert _ids(client, world, "member_a1", f"{BASE}/mine") == [pid]
    r = client.get(f"{BASE}/{pid}", headers=world.auth("member_a1"))
    assert r.status_code == 200
    assert r.headers["ETag"] == '"1"'


def test_the_handling_org_sees_who_filed(client: TestClient, world: World, people: People) -> None:
    pid = report(client, world, people)["id"]
    assert _ids(client, world, "town_a_admin") == [pid]
    body = client.get(f"{BASE}/{pid}", headers=world.auth("town_a_admin")).json()
    assert (body["filer_member_id"], body["filer_name"], body["contact_phone"]) == (
        people.filer,
        "党员a10",
        CONTACT,
    )


def test_an_org_above_the_handling_org_may_read(client: TestClient, world: World, people: People) -> None:
    pid = report(client, world, people)["id"]
    assert client.get(f"{BASE}/{pid}", headers=world.auth("county_admin")).status_code == 200


def test_the_reported_members_branch_secretary_cannot_read(
    client: TestClient, world: World, people: People
) -> None:
    pid = report(client, world, people)["id"]
    assert _ids(client, world, "sec_a1") == []
    assert client.get(f"{BASE}/{pid}", headers=world.auth("sec_a1")).status_code == 404


def test_another_branchs_secretary_cannot_read(client: TestClient, world: World, people: People) -> None:
    pid = report(client, world, people)["id"]
    assert _ids(client, world, "sec_b1") == []
    assert client.get(f"{BASE}/{pid}", headers=world.auth("sec_b1")).status_code == 404


def test_another_member_cannot_read_someone_elses_petition(
    client: TestClient, world: World, people: People
) -> None:
    pid = report(client, world, people)["id"]
    assert _ids(client, world, "bystander", f"{BASE}/mine") == []
    assert client.get(f"{BASE}/{pid}", headers=world.auth("bystander")).status_code == 404


def test_the_reported_member_never_reads_it_even_with_handling_rights(
    client: TestClient, world: World, people: People
) -> None:
    pid = report(client, world, people)["id"]
    assert _ids(client, world, "reported") == []
    assert _ids(client, world, "reported", f"{BASE}/mine") == []
    for r in (
        client.get(f"{BASE}/{pid}", headers=world.auth("reported")),
        act(client, world, pid, "accept", by="reported"),
        act(client, world, pid, "reject", by="reported", reason="不予受理"),
        act(client, world, pid, "answer", by="reported", answer="答复"),
        act(client, world, pid, "close", by="reported"),
    ):
        assert r.status_code == 404, r.text
        for secret in ("党员a10", CONTACT, "filer"):
            assert secret not in r.text


def test_the_audit_log_the_reported_member_reads_hides_the_reporter(
    client: TestClient, world: World, people: People
) -> None:
    pid = report(client, world, people)["id"]
    assert act(client, world, pid, "accept").status_code == 200
    filer_user = world.users["member_a1"].id
    auth = world.auth("reported")
    r = client.get("/api/v1/audit", params={"entity": "petitions"}, headers=auth)
    assert r.status_code == 200
    events = r.json()["items"]
    assert {e["action"] for e in events} == {"create", "update"}  # the reported admin sees the log…
    created = next(e for e in events if e["action"] == "create")
    assert (created["actor_kind"], created["actor_id"], created["actor_name"]) == (
        "system",
        None,
        "petitioner",
    )
    for key in ("filer_member_id", "filer_user_id", "contact_phone", "concerned_member_id"):
        assert created["after"][key] == "***"
    assert not {"title", "content"} & created["after"].keys()
    for secret in ("党员a10", CONTACT, "member_a1"):
        assert secret not in r.text
    # …and no filter finds the filer's account behind any event
    by_actor = client.get(
        "/api/v1/audit", params={"actor_kind": "user", "actor_id": filer_user}, headers=auth
    )
    assert by_actor.json()["items"] == []


def test_the_audit_export_hides_the_reporter(client: TestClient, world: World, people: People) -> None:
    report(client, world, people)
    r = client.get(
        "/api/v1/audit/export",
        params={"entity": "petitions", "format": "csv"},
        headers=world.auth("reported"),
    )
    assert r.status_code == 200
    text = r.content.decode("utf-8-sig")
    assert "petitions" in text
    for secret in ("党员a10", CONTACT, "member_a1"):
        assert secret not in text


def test_the_filers_close_is_audited_without_the_filer(
    client: TestClient, world: World, people: People
) -> None:
    pid = report(client, world, people)["id"]
    act(client, world, pid, "accept")
    act(client, world, pid, "answer", answer="经核查，情况属实，已严肃处理。")
    assert act(client, world, pid, "close", by="member_a1").status_code == 200
    events = client.get(
        "/api/v1/audit", params={"entity": "petitions", "entity_id": str(pid)}, headers=world.auth("auditor")
    ).json()["items"]
    actors = [(e["after"].get("state"), e["actor_name"]) for e in events]
    assert ("closed", "petitioner") in actors
    assert ("accepted", "town_a_admin") in actors  # handlers' steps stay attributed


def test_the_reported_member_may_still_file_their_own(
    client: TestClient, world: World, people: People
) -> None:
    report(client, world, people)
    r = file(client, world, by="reported", kind="criticism", concerned_org_id=world.orgs["branch_a1"].id)
    assert r.status_code == 201
    assert _ids(client, world, "reported", f"{BASE}/mine") == [r.json()["id"]]
