"""The permission boundary of every development endpoint: another branch's members are 404,
members without `members:*` permissions are 403."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.development.factory import VOTES, Roll
from tests.problems import assert_problem
from tests.world import World
from vanguard.core.clock import local_today
from vanguard.members.models import Member, Stage

MEMBERS = "/api/v1/members"
TODAY = local_today()
MEETING = str(TODAY - timedelta(days=1))
WRITES: dict[str, dict[str, Any]] = {
    "talk": {"talked_on": str(TODAY), "talked_by": "越权者"},
    "activist": {"decided_on": MEETING, "recommended_by": "party_members", "mentor_ids": [1]},
    "candidate": {"decided_on": MEETING},
    "admit": {
        "decided_on": MEETING,
        "political_review": {"passed": True, "completed_on": MEETING},
        "training": {"hours": 24, "completed_on": MEETING},
        "public_notice": {"starts_on": str(TODAY - timedelta(days=10)), "ends_on": MEETING},
        "introducer_ids": [1, 2],
        "votes": VOTES.model_dump(),
    },
    "confirm": {"decided_on": MEETING, "votes": VOTES.model_dump()},
    "extend": {"decided_on": MEETING, "months": 6, "reason": "越权延长", "votes": VOTES.model_dump()},
    "cancel": {"decided_on": MEETING, "reason": "越权取消", "votes": VOTES.model_dump()},
    "approval": {"approved_by": "越权党委", "approved_on": MEETING},
}
STAGE_FOR = {
    "talk": Stage.APPLICANT,
    "activist": Stage.APPLICANT,
    "candidate": Stage.ACTIVIST,
    "admit": Stage.CANDIDATE,
}


def _b1_member(roll: Roll, step: str) -> Member:
    """A person in branch B1 at exactly the stage the command expects, so only the scope can refuse."""
    stage = STAGE_FOR.get(step, Stage.PROBATIONARY)
    return roll.add(
        "乙成员",
        org="branch_b1",
        stage=stage,
        applied_on=date(2020, 1, 2),
        activist_on=date(2020, 3, 1) if stage is not Stage.APPLICANT else None,
        candidate_on=date(2021, 6, 1) if stage in (Stage.CANDIDATE, Stage.PROBATIONARY) else None,
        probationary_on=date(2022, 6, 1) if stage is Stage.PROBATIONARY else None,
    )


@pytest.mark.parametrize("step", list(WRITES))
def test_writes_to_another_branchs_member_are_404(
    client: TestClient, world: World, roll: Roll, step: str
) -> None:
    member = _b1_member(roll, step)
    r = client.post(
        f"{MEMBERS}/{member.id}/development/{step}", json=WRITES[step], headers=world.auth("sec_a1")
    )
    assert_problem(r, 404, "member_not_found")
    timeline = client.get(f"{MEMBERS}/{member.id}/timeline", headers=world.auth("sec_b1")).json()
    assert timeline["steps"] == []


def test_timeline_of_another_branchs_member_is_404(client: TestClient, world: World, roll: Roll) -> None:
    member = roll.add("乙申请", org="branch_b1", applied_on=TODAY)
    r = client.get(f"{MEMBERS}/{member.id}/timeline", headers=world.auth("sec_a1"))
    assert_problem(r, 404, "member_not_found")
    assert client.get(f"{MEMBERS}/{member.id}/timeline", headers=world.auth("sec_b1")).status_code == 200


def test_due_list_of_another_branch_is_404(client: TestClient, world: World) -> None:
    r = client.get(
        "/api/v1/development/due", params={"org_id": world.orgs["branch_b1"].id}, headers=world.auth("sec_a1")
    )
    assert_problem(r, 404, "org_not_found")


def test_due_list_never_shows_another_branch(client: TestClient, world: World, roll: Roll) -> None:
    roll.add("甲逾期", applied_on=TODAY - timedelta(days=60))
    roll.add("乙逾期", org="branch_b1", applied_on=TODAY - timedelta(days=60))

    def names(user: str) -> set[str]:
        listing = client.get("/api/v1/development/due", headers=world.auth(user)).json()
        return {item["member_name"] for item in listing["items"]}

    assert names("sec_a1") == {"甲逾期"}
    assert names("sec_b1") == {"乙逾期"}
    assert names("county_admin") == {"甲逾期", "乙逾期"}


@pytest.mark.parametrize("step", list(WRITES))
def test_writes_need_members_write(client: TestClient, world: World, roll: Roll, step: str) -> None:
    member = roll.add("甲申请", applied_on=TODAY - timedelta(days=5))
    for user in ("member_a1", "auditor"):
        r = client.post(
            f"{MEMBERS}/{member.id}/development/{step}", json=WRITES[step], headers=world.auth(user)
        )
        assert_problem(r, 403, "forbidden")


def test_reads_need_members_read(client: TestClient, world: World, roll: Roll) -> None:
    member = roll.add("甲申请", applied_on=TODAY - timedelta(days=5))
    for path in (f"{MEMBERS}/{member.id}/timeline", "/api/v1/development/due"):
        assert_problem(client.get(path, headers=world.auth("member_a1")), 403, "forbidden")
        assert client.get(path, headers=world.auth("auditor")).status_code == 200
