"""The score distribution of a scheme: bands of ten points and grades, within the caller's subtree.

A county scheme whose results are, by hand:
| member | org       | score  | grade       |
| a10    | branch_a1 | 95.00  | excellent   |
| a11    | branch_a1 | 72.00  | qualified   |
| a12    | branch_a1 | 10.00  | (probationary, not graded) |
| a20    | branch_a2 | 69.99  | basic       |
| b10    | branch_b1 | 100.00 | excellent   |
| b11    | branch_b1 | 9.99   | unqualified |
Bands are [low, low + 10), the top one [90, 100]: 10.00 is in 10–20, 69.99 in 60–70, 100.00 in 90–100.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tests.problems import assert_problem
from tests.scoring.conftest import Api
from vanguard.members.models import Member
from vanguard.scoring.models import Grade, Result

COMPUTED = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
ROWS = [
    ("branch_a1", 0, "95.00", Grade.EXCELLENT),
    ("branch_a1", 1, "72.00", Grade.QUALIFIED),
    ("branch_a1", 2, "10.00", None),
    ("branch_a2", 0, "69.99", Grade.BASIC),
    ("branch_b1", 0, "100.00", Grade.EXCELLENT),
    ("branch_b1", 1, "9.99", Grade.UNQUALIFIED),
]


def _results(api: Api) -> int:
    scheme_id = int(api.scheme("county", user="county_admin")["id"])
    for org, index, score, grade in ROWS:
        member = api.session.scalars(
            select(Member).where(Member.org_id == api.world.orgs[org].id).order_by(Member.id)
        ).all()[index]
        api.session.add(
            Result(
                scheme_id=scheme_id,
                member_id=member.id,
                org_id=member.org_id,
                category="employed",
                probationary=grade is None,
                points=Decimal(0),
                points_component=Decimal(0),
                evaluation_component=None,
                score=Decimal(score),
                grade=grade,
                grade_note="probationary" if grade is None else None,
                explanation={"lines": []},
                computed_at=COMPUTED,
            )
        )
    api.session.commit()
    return scheme_id


def _bands(body: dict[str, Any]) -> dict[str, int]:
    assert [(b["low"], b["high"]) for b in body["bands"]] == [(low, low + 10) for low in range(0, 100, 10)]
    return {f"{b['low']}": b["count"] for b in body["bands"] if b["count"]}


def test_bands_and_grades_by_hand(api: Api) -> None:
    scheme_id = _results(api)
    county = api.ok("GET", f"/schemes/{scheme_id}/distribution", user="county_admin")
    assert (county["org_id"], county["total"], county["average_score"]) == (
        api.world.orgs["county"].id,
        6,
        "59.50",  # (95 + 72 + 10 + 69.99 + 100 + 9.99) / 6 = 356.98 / 6 = 59.4966…
    )
    assert county["computed_at"].startswith("2027-01-10T02:00:00")
    assert _bands(county) == {"0": 1, "10": 1, "60": 1, "70": 1, "90": 2}
    assert county["by_grade"] == {"excellent": 2, "qualified": 1, "basic": 1, "unqualified": 1, "ungraded": 1}


def test_scoped_to_the_callers_subtree(api: Api) -> None:
    scheme_id = _results(api)
    path = f"/schemes/{scheme_id}/distribution"
    mine = api.ok("GET", path, user="sec_a1")  # the county's scheme, read from branch_a1
    assert (mine["org_id"], mine["total"], mine["average_score"]) == (
        api.world.orgs["branch_a1"].id,
        3,
        "59.00",
    )
    assert _bands(mine) == {"10": 1, "70": 1, "90": 1}
    assert mine["by_grade"] == {"excellent": 1, "qualified": 1, "basic": 0, "unqualified": 0, "ungraded": 1}
    town_a = api.ok("GET", path, user="town_a_admin")
    assert town_a["total"] == 4
    own_roll = api.ok("GET", f"{path}?subtree=false", user="town_a_admin")
    assert (own_roll["total"], own_roll["average_score"], own_roll["computed_at"]) == (0, None, None)
    b1 = api.ok("GET", f"{path}?org_id={api.world.orgs['branch_b1'].id}", user="county_admin")
    assert _bands(b1) == {"0": 1, "90": 1}
    # Another branch is out of reach, and so is another branch's scheme.
    other = api.call("GET", f"{path}?org_id={api.world.orgs['branch_b1'].id}", user="sec_a1")
    assert_problem(other, 404, "org_not_found")
    theirs = api.ok(
        "POST",
        "/schemes",
        {"org_id": api.world.orgs["branch_b1"].id, "name": "乙一", "year": 2026},
        user="sec_b1",
    )
    assert_problem(
        api.call("GET", f"/schemes/{theirs['id']}/distribution", user="sec_a1"), 404, "scheme_not_found"
    )
