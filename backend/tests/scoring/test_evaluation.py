"""民主评议 input rules: who may rate whom, grade or score, and the masses' one-time tokens."""

from __future__ import annotations

from typing import Any

from tests.problems import assert_problem
from tests.scoring.conftest import Api
from vanguard.members.models import Stage

PUBLIC = "/api/v1/public/scoring/sheets"


def _round(api: Api) -> tuple[int, list[int]]:
    scheme = api.scheme()
    rnd = api.ok("POST", f"/schemes/{scheme['id']}/rounds", {"org_id": api.world.orgs["branch_a1"].id})
    return int(rnd["id"]), api.members()


def test_ballot_input_rules(api: Api) -> None:
    rnd, (a10, a11, _a12) = _round(api)
    outsider = api.members("branch_a2")[0]
    path = f"/rounds/{rnd}/ballots"

    def refused(body: dict[str, Any], code: str) -> None:
        assert_problem(api.call("POST", path, body), 422, code)

    refused({"member_id": a10, "rater_group": "self", "rater_member_id": a10}, "ballot_value_required")
    refused(
        {
            "member_id": a10,
            "rater_group": "self",
            "rater_member_id": a10,
            "grade": "excellent",
            "score": "90",
        },
        "ballot_value_required",
    )
    refused(
        {"member_id": a10, "rater_group": "self", "rater_member_id": a11, "score": "90"},
        "self_rater_mismatch",
    )
    refused(
        {"member_id": a10, "rater_group": "fellow", "rater_member_id": a10, "score": "90"}, "fellow_is_self"
    )
    refused(
        {"member_id": a10, "rater_group": "fellow", "rater_member_id": outsider, "score": "90"},
        "member_not_in_round",
    )
    refused(
        {"member_id": outsider, "rater_group": "committee", "rater_member_id": a10, "score": "90"},
        "member_not_in_round",
    )
    refused({"member_id": a10, "rater_group": "masses", "score": "90"}, "masses_use_tokens")
    r = api.call(
        "POST", path, {"member_id": a10, "rater_group": "self", "rater_member_id": a10, "score": "101"}
    )
    assert_problem(r, 422, "validation_failed")
    activist = api.add_member("积极分子", stage=Stage.ACTIVIST)
    refused(
        {"member_id": activist, "rater_group": "committee", "rater_member_id": a10, "score": "90"},
        "member_not_in_round",
    )
    ok = api.ok(
        "POST", path, {"member_id": a10, "rater_group": "committee", "rater_member_id": a11, "grade": "basic"}
    )
    assert (ok["grade"], ok["score"]) == ("basic", None)


def test_a_round_per_org_within_the_scheme(api: Api) -> None:
    scheme = api.scheme()
    api.ok("POST", f"/schemes/{scheme['id']}/rounds", {"org_id": api.world.orgs["branch_a1"].id})
    again = api.call("POST", f"/schemes/{scheme['id']}/rounds", {"org_id": api.world.orgs["branch_a1"].id})
    assert_problem(again, 409, "round_exists")
    town = api.scheme("town_a", user="town_a_admin")
    api.ok(
        "POST",
        f"/schemes/{town['id']}/rounds",
        {"org_id": api.world.orgs["branch_a2"].id},
        user="town_a_admin",
    )
    outside = api.call(
        "POST",
        f"/schemes/{scheme['id']}/rounds",
        {"org_id": api.world.orgs["branch_a2"].id},
        user="town_a_admin",
    )
    assert_problem(outside, 422, "org_outside_scheme")


def test_masses_tokens_are_good_once(api: Api) -> None:
    rnd, (a10, a11, a12) = _round(api)
    tokens = api.ok("POST", f"/rounds/{rnd}/tokens", {"count": 3})["tokens"]
    assert len(set(tokens)) == 3
    sheet = api.client.get(f"{PUBLIC}/{tokens[0]}")
    assert sheet.status_code == 200, sheet.text
    assert [m["member_id"] for m in sheet.json()["members"]] == [a10, a11, a12]
    assert set(sheet.json()) == {"org_name", "year", "quarter", "members"}
    body = {
        "ballots": [
            {"member_id": a10, "grade": "excellent", "comment": "热心"},
            {"member_id": a11, "score": "70"},
        ]
    }
    assert api.client.post(f"{PUBLIC}/{tokens[0]}", json=body).json() == {"accepted": 2}
    assert_problem(api.client.post(f"{PUBLIC}/{tokens[0]}", json=body), 409, "token_used")
    assert_problem(api.client.get(f"{PUBLIC}/{tokens[0]}"), 409, "token_used")
    assert_problem(api.client.get(f"{PUBLIC}/not-a-real-token"), 404, "token_not_found")
    twice = {"ballots": [{"member_id": a12, "score": "70"}, {"member_id": a12, "score": "80"}]}
    assert_problem(api.client.post(f"{PUBLIC}/{tokens[1]}", json=twice), 422, "ballot_repeated")
    stranger = {"ballots": [{"member_id": api.members("branch_b1")[0], "score": "70"}]}
    assert_problem(api.client.post(f"{PUBLIC}/{tokens[1]}", json=stranger), 422, "member_not_in_round")
    # Nothing of a refused sheet was kept, and the token still works.
    assert (
        api.client.post(
            f"{PUBLIC}/{tokens[1]}", json={"ballots": [{"member_id": a12, "score": "60"}]}
        ).status_code
        == 201
    )
    masses = [b for b in api.ok("GET", f"/rounds/{rnd}/ballots")["items"] if b["rater_group"] == "masses"]
    assert sorted((b["member_id"], b["grade"], b["score"]) for b in masses) == [
        (a10, "excellent", None),
        (a11, None, "70.00"),
        (a12, None, "60.00"),
    ]
    api.ok("POST", f"/rounds/{rnd}/close")
    assert_problem(api.client.post(f"{PUBLIC}/{tokens[2]}", json=body), 409, "round_closed")
    assert_problem(api.call("POST", f"/rounds/{rnd}/tokens", {"count": 1}), 409, "round_closed")


def test_manual_item_rules(api: Api) -> None:
    scheme = api.scheme()
    outsider = api.members("branch_a2")[0]
    body = {"member_id": outsider, "kind": "bonus", "points": "2", "reason": "表彰"}
    assert_problem(
        api.call("POST", f"/schemes/{scheme['id']}/items", body, user="town_a_admin"),
        422,
        "member_outside_scheme",
    )
    assert_problem(api.call("POST", f"/schemes/{scheme['id']}/items", body), 404, "member_not_found")
    big = {"member_id": api.members()[0], "kind": "deduction", "points": "500", "reason": "处分"}
    assert_problem(api.call("POST", f"/schemes/{scheme['id']}/items", big), 422, "validation_failed")
