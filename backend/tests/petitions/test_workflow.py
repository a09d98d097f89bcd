"""Handling: filed → accepted → answered → closed, or rejected; deadlines, overdue, ETags."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.petitions.conftest import BASE, T0, People, act, file, report
from tests.world import World
from vanguard.core.clock import FakeClock
from vanguard.core.policy import PETITIONS_ACCEPT_DAYS, PETITIONS_ANSWER_DAYS, PETITIONS_FILER_CLOSE_DAYS
from vanguard.petitions.models import Petition, PetitionState
from vanguard.petitions.service import is_overdue

ANSWER = "经核查，反映的问题属实，已责令整改。"


def _overdue_ids(client: TestClient, world: World, overdue: bool) -> list[int]:
    r = client.get(BASE, params={"overdue": overdue}, headers=world.auth("town_a_admin"))
    return [p["id"] for p in r.json()["items"]]


def test_accept_answer_and_the_filer_closes(client: TestClient, world: World, people: People) -> None:
    pid = report(client, world, people)["id"]
    accepted = act(client, world, pid, "accept").json()
    assert accepted["state"] == "accepted"
    assert accepted["answer_due_at"] is not None
    answered = act(client, world, pid, "answer", answer=ANSWER).json()
    assert (answered["state"], answered["answer"]) == ("answered", ANSWER)
    mine = client.get(f"{BASE}/mine", headers=world.auth("member_a1")).json()["items"][0]
    assert mine["answer"] == ANSWER
    closed = act(client, world, pid, "close", by="member_a1")
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"


def test_an_answer_must_be_written(client: TestClient, world: World, people: People) -> None:
    pid = report(client, world, people)["id"]
    act(client, world, pid, "accept")
    assert act(client, world, pid, "answer", answer="").status_code == 422
    r = client.post(f"{BASE}/{pid}/answer", json={}, headers=world.auth("town_a_admin"))
    assert r.status_code == 422


def test_answering_after_close_conflicts(client: TestClient, world: World, people: People) -> None:
    pid = report(client, world, people)["id"]
    act(client, world, pid, "accept")
    act(client, world, pid, "answer", answer=ANSWER)
    act(client, world, pid, "close", by="member_a1")
    r = act(client, world, pid, "answer", answer="再次答复")
    assert r.status_code == 409
    assert r.json()["code"] == "invalid_transition"


def test_answering_before_acceptance_conflicts(client: TestClient, world: World, people: People) -> None:
    pid = report(client, world, people)["id"]
    assert act(client, world, pid, "answer", answer=ANSWER).status_code == 409


def test_rejection_records_the_reason_and_ends_handling(
    client: TestClient, world: World, people: People
) -> None:
    pid = report(client, world, people)["id"]
    r = act(client, world, pid, "reject", reason="不属于本级受理范围")
    assert (r.json()["state"], r.json()["rejection_reason"]) == ("rejected", "不属于本级受理范围")
    assert act(client, world, pid, "accept").status_code == 409


def test_a_stale_if_match_is_refused(client: TestClient, world: World, people: People) -> None:
    pid = report(client, world, people)["id"]
    stale = client.get(f"{BASE}/{pid}", headers=world.auth("town_a_admin")).headers["ETag"]
    act(client, world, pid, "accept")
    r = client.post(
        f"{BASE}/{pid}/answer",
        json={"answer": ANSWER},
        headers={**world.auth("town_a_admin"), "If-Match": stale},
    )
    assert r.status_code == 412


def test_overdue_when_not_accepted_in_time(
    client: TestClient, world: World, people: People, clock: FakeClock
) -> None:
    pid = report(client, world, people)["id"]
    clock.advance(days=PETITIONS_ACCEPT_DAYS, seconds=-1)
    assert _overdue_ids(client, world, True) == []
    clock.advance(seconds=2)
    assert _overdue_ids(client, world, True) == [pid]
    assert _overdue_ids(client, world, False) == []
    assert client.get(f"{BASE}/{pid}", headers=world.auth("member_a1")).json()["overdue"] is True


def test_overdue_when_not_answered_in_time_after_acceptance(
    client: TestClient, world: World, people: People, clock: FakeClock
) -> None:
    pid = report(client, world, people)["id"]
    clock.advance(days=PETITIONS_ACCEPT_DAYS - 1)
    act(client, world, pid, "accept")
    clock.advance(days=PETITIONS_ANSWER_DAYS - 1)
    assert _overdue_ids(client, world, False) == [pid]
    clock.advance(days=2)
    assert _overdue_ids(client, world, True) == [pid]
    act(client, world, pid, "answer", answer=ANSWER)
    assert _overdue_ids(client, world, True) == []


def test_the_handling_org_closes_only_after_the_filers_window(
    client: TestClient, world: World, people: People, clock: FakeClock
) -> None:
    pid = report(client, world, people)["id"]
    act(client, world, pid, "accept")
    act(client, world, pid, "answer", answer=ANSWER)
    r = act(client, world, pid, "close")
    assert r.status_code == 409
    assert r.json()["code"] == "petition_not_closable"
    clock.advance(days=PETITIONS_FILER_CLOSE_DAYS)
    assert act(client, world, pid, "close").json()["state"] == "closed"


def test_the_filer_cannot_close_before_the_answer(client: TestClient, world: World, people: People) -> None:
    pid = report(client, world, people)["id"]
    assert act(client, world, pid, "close", by="member_a1").status_code == 409


def test_a_member_without_handling_rights_cannot_act(
    client: TestClient, world: World, people: People
) -> None:
    pid = report(client, world, people)["id"]
    assert act(client, world, pid, "accept", by="member_a1").status_code == 403
    assert client.get(BASE, headers=world.auth("member_a1")).status_code == 403


def test_a_handler_cannot_handle_their_own_petition(client: TestClient, world: World, people: People) -> None:
    r = file(client, world, by="reported", kind="criticism", concerned_org_id=world.orgs["branch_a2"].id)
    pid = r.json()["id"]
    assert r.json()["handling_org_id"] == world.orgs["town_a"].id  # within the filer's own subtree
    r = act(client, world, pid, "accept", by="reported")
    assert r.status_code == 403
    assert r.json()["code"] == "own_petition"


def test_the_list_filters_by_state_and_kind(client: TestClient, world: World, people: People) -> None:
    reported = report(client, world, people)["id"]
    criticism = file(client, world, kind="criticism", concerned_org_id=world.orgs["branch_a2"].id).json()[
        "id"
    ]
    act(client, world, criticism, "accept")
    auth = world.auth("town_a_admin")
    by_state = client.get(BASE, params={"state": "accepted"}, headers=auth).json()["items"]
    by_kind = client.get(BASE, params={"kind": "report"}, headers=auth).json()["items"]
    assert [p["id"] for p in by_state] == [criticism]
    assert [p["id"] for p in by_kind] == [reported]


def test_overdue_counts_only_the_deadline_of_the_current_state() -> None:
    filed = Petition(state=PetitionState.FILED, accept_due_at=T0)
    assert is_overdue(filed, T0 + timedelta(seconds=1))
    assert not is_overdue(filed, T0)
    answered = Petition(state=PetitionState.ANSWERED, accept_due_at=T0, answer_due_at=T0)
    assert not is_overdue(answered, T0 + timedelta(days=365))
