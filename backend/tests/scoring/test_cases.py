"""Follow-up of 不合格: talks, an improvement deadline, a disposal decision, closed at the end."""

from __future__ import annotations

from tests.problems import assert_problem
from tests.scoring.conftest import Api


def test_a_case_from_publish_to_close(api: Api) -> None:
    scheme = api.scheme()
    api.recompute(scheme["id"])
    api.ok("POST", f"/schemes/{scheme['id']}/publish")
    cases = api.ok("GET", "/cases", None)["items"]
    assert len(cases) == 3  # nobody has any points or ballots: everyone is 不合格
    case = cases[0]
    path = f"/cases/{case['id']}"
    assert (case["status"], case["talks"]) == ("open", [])
    assert_problem(
        api.call("POST", f"{path}/deadline", {"improvement_deadline": "2027-06-30"}), 409, "invalid_case_step"
    )
    assert_problem(
        api.call("POST", f"{path}/decide", {"disposal": "improved", "note": "x"}), 409, "invalid_case_step"
    )
    future = {"held_on": "2027-02-01", "by": "支部书记", "notes": "谈心谈话"}
    assert_problem(api.call("POST", f"{path}/talks", future), 422, "talk_in_future")
    talk = api.ok(
        "POST", f"{path}/talks", {"held_on": "2027-01-10", "by": "支部书记", "notes": "谈心谈话，指出问题"}
    )
    assert talk["talks"][0] | {} == {
        "held_on": "2027-01-10",
        "by": "支部书记",
        "notes": "谈心谈话，指出问题",
        "recorded_by": "sec_a1",
    }
    early = api.call("POST", f"{path}/deadline", {"improvement_deadline": "2027-01-09"})
    assert_problem(early, 422, "deadline_out_of_range")
    late = api.call("POST", f"{path}/deadline", {"improvement_deadline": "2028-02-01"})
    assert_problem(late, 422, "deadline_out_of_range")
    stale = api.call(
        "POST", f"{path}/deadline", {"improvement_deadline": "2027-06-30"}, **{"If-Match": '"1"'}
    )
    assert_problem(stale, 412, "stale_version")
    improving = api.ok("POST", f"{path}/deadline", {"improvement_deadline": "2027-06-30"})
    assert (improving["status"], improving["improvement_deadline"]) == ("improving", "2027-06-30")
    api.ok("POST", f"{path}/talks", {"held_on": "2027-01-14", "by": "组织委员", "notes": "跟踪"})
    decided = api.ok("POST", f"{path}/decide", {"disposal": "improved", "note": "限期内已改正"})
    assert (decided["status"], decided["disposal"], decided["decided_on"]) == (
        "decided",
        "improved",
        "2027-01-15",
    )
    assert_problem(
        api.call("POST", f"{path}/talks", {"held_on": "2027-01-14", "by": "x", "notes": "y"}),
        409,
        "invalid_case_step",
    )
    closed = api.ok("POST", f"{path}/close")
    assert (closed["status"], closed["closed_on"]) == ("closed", "2027-01-15")
    assert_problem(api.call("POST", f"{path}/close"), 409, "invalid_case_step")
    assert [c["id"] for c in api.ok("GET", "/cases?status=closed")["items"]] == [case["id"]]
