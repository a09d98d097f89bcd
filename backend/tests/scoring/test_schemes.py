"""Schemes: defaults, weights that must sum to 1, known sources only, versions with If-Match, the lock."""

from __future__ import annotations

from tests.problems import assert_problem
from tests.scoring.conftest import Api

RULE = {"source": "pledges_kept", "points_per_unit": "5", "cap": "10"}


def test_create_with_defaults(api: Api) -> None:
    s = api.scheme(rules=[RULE])
    assert s["status"] == "draft"
    assert s["quarter"] is None
    assert (s["period_start"], s["period_end"]) == ("2026-01-01", "2026-12-31")
    assert s["component_weights"] == {"points": "0.4", "evaluation": "0.6"}
    assert sum(float(w) for w in s["rater_weights"].values()) == 1.0
    assert s["rater_weights"]["masses"] == "0.3"  # the masses' weight raised
    assert s["excellent_cap"] == [1, 3]
    assert s["rules"] == [
        {
            "source": "pledges_kept",
            "points_per_unit": "5",
            "cap": "10",
            "period": "scheme",
            "categories": [],
            "label": None,
        }
    ]
    assert s["version"] == 1


def test_a_quarter_scheme(api: Api) -> None:
    s = api.scheme(quarter=2, name="二季度")
    assert (s["period_start"], s["period_end"]) == ("2026-04-01", "2026-06-30")


def test_weights_not_summing_to_one_are_422_with_the_sum(api: Api) -> None:
    r = api.call(
        "POST",
        "/schemes",
        {
            "org_id": api.world.orgs["branch_a1"].id,
            "name": "x",
            "year": 2026,
            "rater_weights": {
                "self": "0.1",
                "fellow": "0.3",
                "committee": "0.2",
                "superior": "0.1",
                "masses": "0.2",
            },
        },
    )
    body = assert_problem(r, 422, "weights_not_one")
    assert "0.9" in body["messages"]["en"]
    assert body["errors"][0]["field"] == "body.rater_weights"
    r = api.call(
        "POST",
        "/schemes",
        {
            "org_id": api.world.orgs["branch_a1"].id,
            "name": "x",
            "year": 2026,
            "component_weights": {"points": "0.5", "evaluation": "0.6"},
        },
    )
    assert "1.1" in assert_problem(r, 422, "weights_not_one")["messages"]["zh-CN"]


def test_unknown_source_is_422(api: Api) -> None:
    r = api.call(
        "POST",
        "/schemes",
        {
            "org_id": api.world.orgs["branch_a1"].id,
            "name": "x",
            "year": 2026,
            "rules": [RULE, {"source": "karma", "points_per_unit": "1"}],
        },
    )
    body = assert_problem(r, 422, "unknown_source")
    assert body["errors"][0]["field"] == "body.rules.1.source"


def test_thresholds_must_descend_and_cap_is_a_share(api: Api) -> None:
    org = api.world.orgs["branch_a1"].id
    r = api.call(
        "POST",
        "/schemes",
        {
            "org_id": org,
            "name": "x",
            "year": 2026,
            "grade_thresholds": {"excellent": 60, "qualified": 70, "basic": 50},
        },
    )
    assert_problem(r, 422, "thresholds_not_descending")
    r = api.call("POST", "/schemes", {"org_id": org, "name": "x", "year": 2026, "excellent_cap": [2, 1]})
    assert_problem(r, 422, "excellent_cap_invalid")


def test_one_scheme_per_org_and_period(api: Api) -> None:
    api.scheme()
    assert_problem(
        api.call(
            "POST", "/schemes", {"org_id": api.world.orgs["branch_a1"].id, "name": "again", "year": 2026}
        ),
        409,
        "scheme_exists",
    )
    api.scheme(quarter=1)  # a quarter is another period


def test_editing_makes_the_next_version_and_needs_the_current_etag(api: Api) -> None:
    s = api.scheme(rules=[RULE])
    r = api.call("PATCH", f"/schemes/{s['id']}", {"rules": [RULE | {"cap": "15"}]}, **{"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"2"'
    assert r.json()["rules"][0]["cap"] == "15"
    stale = api.call("PATCH", f"/schemes/{s['id']}", {"name": "改"}, **{"If-Match": '"1"'})
    assert_problem(stale, 412, "stale_version")
    bad = api.call(
        "PATCH", f"/schemes/{s['id']}", {"component_weights": {"points": "0.3", "evaluation": "0.6"}}
    )
    assert_problem(bad, 422, "weights_not_one")


def test_a_published_scheme_is_locked(api: Api) -> None:
    s = api.scheme(rules=[RULE])
    api.recompute(s["id"])
    published = api.ok("POST", f"/schemes/{s['id']}/publish")
    assert published["status"] == "published"
    assert published["published_by"] == "sec_a1"
    assert_problem(api.call("PATCH", f"/schemes/{s['id']}", {"name": "改"}), 409, "scheme_locked")
    assert_problem(api.call("POST", f"/schemes/{s['id']}/recompute"), 409, "scheme_locked")
    assert_problem(api.call("POST", f"/schemes/{s['id']}/publish"), 409, "scheme_locked")
    member = api.members()[0]
    item = {"member_id": member, "kind": "bonus", "points": "2", "reason": "表彰"}
    assert_problem(api.call("POST", f"/schemes/{s['id']}/items", item), 409, "scheme_locked")
    round_body = {"org_id": api.world.orgs["branch_a1"].id}
    assert_problem(api.call("POST", f"/schemes/{s['id']}/rounds", round_body), 409, "scheme_locked")


def test_publish_needs_fresh_results(api: Api) -> None:
    s = api.scheme(rules=[RULE])
    assert_problem(api.call("POST", f"/schemes/{s['id']}/publish"), 409, "results_not_computed")
    api.recompute(s["id"])
    api.ok("PATCH", f"/schemes/{s['id']}", {"name": "改名"})  # a new version: results are stale again
    assert_problem(api.call("POST", f"/schemes/{s['id']}/publish"), 409, "results_not_computed")


def test_a_branch_reads_the_county_scheme_but_cannot_change_it(api: Api) -> None:
    s = api.scheme("county", user="county_admin")
    seen = api.ok("GET", f"/schemes/{s['id']}")
    assert seen["org_id"] == api.world.orgs["county"].id
    assert [x["id"] for x in api.ok("GET", "/schemes")["items"]] == [s["id"]]
    assert_problem(api.call("PATCH", f"/schemes/{s['id']}", {"name": "改"}), 403, "scheme_above_scope")
    assert api.ok("GET", f"/schemes/{s['id']}", user="sec_b1")["id"] == s["id"]  # it covers town_b too
    own = api.scheme()
    assert_problem(api.call("GET", f"/schemes/{own['id']}", user="sec_b1"), 404, "scheme_not_found")
