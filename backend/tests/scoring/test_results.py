"""A small branch scored end to end through the API, every number worked out by hand.

branch_a1's roll: 党员a10, 党员a11, 党员a12 (full members, from the world) and 预备 (probationary).
Scheme 2026: pledges kept 5 points each, capped at 10; posts held 8 points each; full points 20;
points weight 0.4, evaluation 0.6 (so one point is worth 0.4 × 100 / 20 = 2 composite points);
rater weights self 0.1, fellow 0.25, committee 0.2, superior 0.15, masses 0.3 (the defaults).

| member | pledges kept | posts | manual                   | points | points part |
| a10    | 2 → 10       | 1 → 8 | +2 approved              | 20     | 20+16+4 = 40 |
| a11    | 3 → 15 → 10  | 1 → 8 | +2 approved, +4 rejected | 20     | 20+16+4 = 40 |
| a12    | 1 → 5        | 0     | -3 approved              | 2      | 10-6 = 4     |
| 预备    | 2 → 10       | 0     |                          | 10     | no ballots: 5 per point → 50 |

Ballots: a10 and a11 get 90 from every group (fellow: a grade 优秀 = 95 and an 85, mean 90; masses: two
tokens, 90 each) → evaluation 90 → 0.6 × 90 = 54, split 5.40 + 13.50 + 10.80 + 8.10 + 16.20.
a12 only rates himself 50 → that group alone carries the evaluation: 0.6 × 50 = 30.
Scores: a10 94.00, a11 94.00, a12 34.00, 预备 50.00.
Grades: three graded → at most ⌊3/3⌋ = 1 优秀; a10 and a11 tie on 94, so neither is 优秀 (both 合格,
`excellent_cap_tie`); a12 不合格; 预备 is scored but not graded. Ranks 1, 1, 3 (预备), 4 (a12).
Branch average (94 + 94 + 34 + 50) / 4 = 68.00 → 2 stars.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tests.problems import assert_problem
from tests.scoring.conftest import Api
from vanguard.audit.models import AuditEvent
from vanguard.core.permissions import Scope
from vanguard.members.models import Member, Stage
from vanguard.posts.models import Pledge, PledgeResult, Post
from vanguard.scoring.evaluation import fellow_key
from vanguard.scoring.models import Ballot
from vanguard.webhooks import service as webhooks
from vanguard.webhooks.models import EventType, WebhookDelivery
from vanguard.webhooks.schemas import WebhookCreate

RULES = [
    {"source": "pledges_kept", "points_per_unit": "5", "cap": "10", "label": "践诺"},
    {"source": "posts_held", "points_per_unit": "8", "label": "设岗定责"},
]


def _facts(api: Api, members: dict[str, int]) -> None:
    s = api.session
    m = {name: s.get(Member, member_id) for name, member_id in members.items()}
    for name, kept in (("a10", 2), ("a11", 3), ("a12", 1), ("p", 2)):
        for i in range(kept):
            s.add(
                Pledge(
                    member=m[name],
                    content=f"承诺{i}",
                    made_on=date(2026, 1, 10),
                    due_on=date(2026, 6, 30),
                    result=PledgeResult.KEPT,
                    evaluated_on=date(2026, 7, 1),
                )
            )
    s.add(
        Pledge(
            member=m["a10"],
            content="去年的",
            made_on=date(2025, 1, 1),
            due_on=date(2025, 12, 1),
            result=PledgeResult.KEPT,
        )
    )
    for name in ("a10", "a11"):
        s.add(Post(member=m[name], title="宣传岗", duties="宣讲", started_on=date(2025, 3, 1)))
    s.add(
        Post(
            member=m["a12"],
            title="旧岗",
            duties="x",
            started_on=date(2024, 1, 1),
            ended_on=date(2025, 6, 30),
        )
    )
    s.commit()


def _items(api: Api, scheme_id: int, members: dict[str, int]) -> None:
    def request(member: str, kind: str, points: str) -> int:
        body = {
            "member_id": members[member],
            "kind": kind,
            "points": points,
            "reason": "县级表彰",
            "evidence_text": "县委文件〔2026〕3号",
        }
        item: dict[str, Any] = api.ok("POST", f"/schemes/{scheme_id}/items", body)
        assert item["state"] == "requested"
        return int(item["id"])

    bonus_a10, bonus_a11, big_a11, deduction_a12 = (
        request("a10", "bonus", "2"),
        request("a11", "bonus", "2"),
        request("a11", "bonus", "4"),
        request("a12", "deduction", "3"),
    )
    # The requester may not approve their own request.
    assert_problem(api.call("POST", f"/items/{bonus_a10}/approve", {}), 409, "approver_is_requester")
    for item in (bonus_a10, bonus_a11, deduction_a12):
        assert (
            api.ok("POST", f"/items/{item}/approve", {"note": "同意"}, user="town_a_admin")["state"]
            == "approved"
        )
    assert api.ok("POST", f"/items/{big_a11}/reject", {}, user="town_a_admin")["state"] == "rejected"
    assert_problem(
        api.call("POST", f"/items/{big_a11}/approve", {}, user="town_a_admin"), 409, "item_already_decided"
    )


def _ballots(api: Api, scheme_id: int, members: dict[str, int]) -> int:
    rnd = api.ok("POST", f"/schemes/{scheme_id}/rounds", {"org_id": api.world.orgs["branch_a1"].id})
    path = f"/rounds/{rnd['id']}/ballots"

    def cast(
        member: str, group: str, rater: str | None, user: str = "sec_a1", **value: Any
    ) -> dict[str, Any]:
        body = {"member_id": members[member], "rater_group": group} | value
        if rater is not None:
            body["rater_member_id"] = members[rater]
        out: dict[str, Any] = api.ok("POST", path, body, user=user)
        return out

    for m, fellows in (("a10", ("a11", "a12")), ("a11", ("a10", "a12"))):
        cast(m, "self", m, score="90")
        cast(m, "fellow", fellows[0], grade="excellent")
        cast(m, "fellow", fellows[1], score="85", comment="工作积极")
        cast(m, "committee", "a12", score="90")
        cast(m, "superior", None, user="town_a_admin", score="90")
    cast("a12", "self", "a12", score="50")
    tokens = api.ok("POST", f"/rounds/{rnd['id']}/tokens", {"count": 2})["tokens"]
    for token in tokens:
        r = api.client.post(
            f"/api/v1/public/scoring/sheets/{token}",
            json={
                "ballots": [
                    {"member_id": members["a10"], "score": "90"},
                    {"member_id": members["a11"], "score": "90"},
                ]
            },
        )
        assert r.status_code == 201, r.text
    closed = api.ok("POST", f"/rounds/{rnd['id']}/close")
    assert closed["status"] == "closed"
    assert closed["ballots"] == 15
    assert (closed["tokens_issued"], closed["tokens_used"]) == (2, 2)
    return int(rnd["id"])


def test_a_small_branch_by_hand(api: Api) -> None:
    a10, a11, a12 = api.members()
    members = {"a10": a10, "a11": a11, "a12": a12, "p": api.add_member("预备", stage=Stage.PROBATIONARY)}
    api.add_member("积极分子", stage=Stage.ACTIVIST)  # not yet a member: neither scored nor rated
    _facts(api, members)
    scheme = api.scheme(rules=RULES, full_points="20")
    _items(api, scheme["id"], members)
    _ballots(api, scheme["id"], members)

    report = api.recompute(scheme["id"])
    assert (report["members"], report["branches"]) == (4, 1)

    def result(name: str) -> dict[str, Any]:
        out: dict[str, Any] = api.ok("GET", f"/results/{members[name]}")
        assert sum(Decimal(line["contribution"]) for line in out["explanation"]) == Decimal(out["score"])
        return out

    r10 = result("a10")
    assert [
        (line.get("source") or line.get("group") or line["kind"], line["contribution"])
        for line in r10["explanation"]
    ] == [
        ("pledges_kept", "20.00"),
        ("posts_held", "16.00"),
        ("manual", "4.00"),
        ("self", "5.40"),
        ("fellow", "13.50"),
        ("committee", "10.80"),
        ("superior", "8.10"),
        ("masses", "16.20"),
    ]
    pledges = r10["explanation"][0]
    assert pledges["label"] == "践诺"
    assert pledges["windows"] == [{"window": "scheme", "units": "2", "raw_points": "10", "points": "10"}]
    fellow = r10["explanation"][4]
    assert (fellow["ballots"], fellow["average"], fellow["share"]) == (2, "90.00", "0.2500")
    assert (r10["score"], r10["points"], r10["points_component"], r10["evaluation_component"]) == (
        "94.00",
        "20.00",
        "100.00",
        "90.00",
    )
    assert (r10["grade"], r10["grade_note"]) == ("qualified", "excellent_cap_tie")
    assert (r10["rank_in_org"], r10["rank_in_scheme"]) == (1, 1)

    r11 = result("a11")
    assert r11["explanation"][0]["windows"][0] == {
        "window": "scheme",
        "units": "3",
        "raw_points": "15",
        "points": "10",
    }
    assert [line["points"] for line in r11["explanation"] if line["kind"] == "manual"] == [
        "2"
    ]  # the rejected +4 does not count
    assert (r11["score"], r11["grade"], r11["grade_note"], r11["rank_in_org"]) == (
        "94.00",
        "qualified",
        "excellent_cap_tie",
        1,
    )

    r12 = result("a12")
    assert [line["contribution"] for line in r12["explanation"]] == ["10.00", "0.00", "-6.00", "30.00"]
    assert r12["explanation"][3]["group"] == "self"
    assert (r12["score"], r12["grade"], r12["rank_in_org"]) == ("34.00", "unqualified", 4)

    rp = result("p")
    assert rp["evaluation_component"] is None
    assert [line["contribution"] for line in rp["explanation"]] == ["50.00", "0.00"]
    assert (rp["score"], rp["grade"], rp["grade_note"], rp["probationary"]) == (
        "50.00",
        None,
        "probationary",
        True,
    )
    assert rp["rank_in_org"] == 3

    ranking = api.ok("GET", f"/schemes/{scheme['id']}/rankings")["items"]
    assert [(row["rank"], row["member_id"], row["score"]) for row in ranking] == [
        (1, a10, "94.00"),
        (1, a11, "94.00"),
        (3, members["p"], "50.00"),
        (4, a12, "34.00"),
    ]
    page = api.client.get(
        f"/api/v1/scoring/schemes/{scheme['id']}/rankings",
        params={"limit": 2},
        headers=api.world.auth("sec_a1"),
    ).json()
    rest = api.client.get(
        f"/api/v1/scoring/schemes/{scheme['id']}/rankings",
        params={"limit": 2, "cursor": page["next_cursor"]},
        headers=api.world.auth("sec_a1"),
    ).json()
    assert [row["member_id"] for row in page["items"] + rest["items"]] == [a10, a11, members["p"], a12]
    assert rest["next_cursor"] is None

    stars = api.ok("GET", f"/schemes/{scheme['id']}/branches")["items"]
    assert [
        (b["org_id"], b["members"], b["graded"], b["average_score"], b["unqualified"], b["stars"])
        for b in stars
    ] == [(api.world.orgs["branch_a1"].id, 4, 3, "68.00", 1, 2)]


def _subscribe(api: Api) -> None:
    data = WebhookCreate(
        org_id=api.world.orgs["town_a"].id,
        url="https://oa.example.gov.cn/hook",
        event_types=[EventType.SCORING_PUBLISHED],
    )
    webhooks.create_subscription(api.session, Scope.everything(), data)
    api.session.commit()


def test_publishing_freezes_opens_cases_and_notifies(api: Api) -> None:
    a10, a11, a12 = api.members()
    _subscribe(api)
    scheme = api.scheme(rules=RULES, full_points="20")
    rnd = api.ok("POST", f"/schemes/{scheme['id']}/rounds", {"org_id": api.world.orgs["branch_a1"].id})
    api.ok(
        "POST",
        f"/rounds/{rnd['id']}/ballots",
        {"member_id": a12, "rater_group": "self", "rater_member_id": a12, "grade": "unqualified"},
    )
    api.ok(
        "POST",
        f"/rounds/{rnd['id']}/ballots",
        {"member_id": a10, "rater_group": "self", "rater_member_id": a10, "score": "100"},
    )
    api.recompute(scheme["id"])
    assert_problem(api.call("POST", f"/schemes/{scheme['id']}/publish"), 409, "rounds_open")
    api.ok("POST", f"/rounds/{rnd['id']}/close")
    current = api.call("GET", f"/schemes/{scheme['id']}").headers["ETag"]
    assert_problem(
        api.call("POST", f"/schemes/{scheme['id']}/publish", **{"If-Match": '"99"'}), 412, "stale_version"
    )
    api.ok("POST", f"/schemes/{scheme['id']}/publish", **{"If-Match": current})
    r12 = api.ok("GET", f"/results/{a12}")
    # No points, only the self-review: 不合格 counts 40 → 0.6 × 40 = 24.
    assert (r12["score"], r12["grade"], r12["published"]) == ("24.00", "unqualified", True)
    # a10: no points, a self-review of 100 → 0.6 × 100 = 60.00 → 基本合格.
    assert api.ok("GET", f"/results/{a10}")["grade"] == "basic"
    # a11: no facts, no ballots: the 0 points carry the whole score.
    assert (api.ok("GET", f"/results/{a11}")["score"], api.ok("GET", f"/results/{a11}")["grade"]) == (
        "0.00",
        "unqualified",
    )
    cases = api.ok("GET", "/cases")["items"]
    assert [(c["member_id"], c["status"]) for c in cases] == [(a11, "open"), (a12, "open")]
    api.session.rollback()
    sent = api.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.event_type == "scoring.published")
    ).all()
    assert len(sent) == 1
    assert sent[0].payload["data"]["grades"] == {"basic": 1, "unqualified": 2}
    assert sent[0].payload["data"]["members"] == 3
    events = api.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "scoring_results")
    ).all()
    assert events == ["recompute"]


def test_anonymous_fellow_ballots(api: Api) -> None:
    a10, a11, a12 = api.members()
    scheme = api.scheme()
    rnd = api.ok("POST", f"/schemes/{scheme['id']}/rounds", {"org_id": api.world.orgs["branch_a1"].id})
    body = {"member_id": a10, "rater_group": "fellow", "rater_member_id": a11, "score": "77", "comment": "好"}
    cast = api.ok("POST", f"/rounds/{rnd['id']}/ballots", body)
    assert set(cast) == {
        "id",
        "round_id",
        "member_id",
        "rater_group",
        "grade",
        "score",
        "comment",
        "created_at",
    }
    assert_problem(api.call("POST", f"/rounds/{rnd['id']}/ballots", body), 409, "ballot_exists")
    api.ok("POST", f"/rounds/{rnd['id']}/ballots", body | {"rater_member_id": a12})  # another fellow
    listed = api.ok("GET", f"/rounds/{rnd['id']}/ballots")["items"]
    assert all(not {"rater_key", "rater_member_id"} & set(row) for row in listed)
    api.session.rollback()
    keys = api.session.scalars(select(Ballot.rater_key)).all()
    # Stored: a keyed digest per (round, rater) — two raters, two keys, neither holding a member id.
    assert all(re.fullmatch(r"fellow:[0-9a-f]{64}", k) for k in keys)
    assert len(set(keys)) == 2
    assert sorted(keys) == sorted(fellow_key(rnd["id"], m) for m in (a11, a12))
    assert fellow_key(rnd["id"] + 1, a11) not in keys  # another round's key says nothing about this one
    audited = api.session.scalars(select(AuditEvent).where(AuditEvent.entity == "scoring_ballots")).all()
    assert len(audited) == 2
    assert all(
        "rater_key" not in (e.after or {}) and "rater_member_id" not in (e.after or {}) for e in audited
    )
    api.ok("POST", f"/rounds/{rnd['id']}/close")
    assert_problem(
        api.call("POST", f"/rounds/{rnd['id']}/ballots", body | {"member_id": a11, "rater_member_id": a10}),
        409,
        "round_closed",
    )
    assert_problem(api.call("POST", f"/rounds/{rnd['id']}/close"), 409, "round_closed")
