"""凡训必考: exams of trainings, scores, retakes and completion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.problems import assert_problem
from tests.study.conftest import API
from tests.world import World
from vanguard.members.models import Member
from vanguard.study.models import Activity, Exam


def _scores(client: TestClient, world: World, exam: Exam, scores: list[dict[str, Any]]) -> Any:
    return client.put(
        f"{API}/study/exams/{exam.id}/scores", json={"scores": scores}, headers=world.auth("sec_a1")
    )


def test_only_a_training_has_an_exam(
    client: TestClient, world: World, activity: Activity, training: Activity
) -> None:
    headers = world.auth("sec_a1")
    ok = client.post(
        f"{API}/study/activities/{training.id}/exams",
        json={"title": "结业考试", "pass_mark": 80},
        headers=headers,
    )
    assert ok.status_code == 201, ok.text
    assert (ok.json()["max_score"], ok.json()["pass_mark"]) == (100, 80)
    meeting = client.post(
        f"{API}/study/activities/{activity.id}/exams", json={"title": "考试"}, headers=headers
    )
    assert_problem(meeting, 409, "activity_not_a_training")
    too_high = client.post(
        f"{API}/study/activities/{training.id}/exams",
        json={"title": "考试", "max_score": 50, "pass_mark": 60},
        headers=headers,
    )
    assert_problem(too_high, 422, "pass_mark_above_max")


def test_pass_retake_and_completion(
    client: TestClient, world: World, exam: Exam, add_member: Callable[..., Member]
) -> None:
    good, weak = add_member(name="优秀"), add_member(name="补考")
    first = _scores(
        client, world, exam, [{"member_id": good.id, "score": 92}, {"member_id": weak.id, "score": 45}]
    )
    assert first.status_code == 200, first.text
    by_id = {r["member_id"]: r for r in first.json()}
    assert (by_id[good.id]["passed"], by_id[good.id]["training_complete"], by_id[good.id]["attempts"]) == (
        True,
        True,
        1,
    )
    assert (by_id[weak.id]["passed"], by_id[weak.id]["training_complete"]) == (False, False)
    retake = _scores(client, world, exam, [{"member_id": weak.id, "score": 70}])
    assert retake.status_code == 200, retake.text
    results = client.get(f"{API}/study/exams/{exam.id}/results", headers=world.auth("sec_a1")).json()
    weak_row = {r["member_id"]: r for r in results}[weak.id]
    assert (
        weak_row["attempts"],
        weak_row["best_score"],
        weak_row["passed"],
        weak_row["training_complete"],
    ) == (
        2,
        70,
        True,
        True,
    )
    # Everyone expected is listed, sat or not: the world's three members of branch_a1 have not.
    assert sum(1 for r in results if r["attempts"] == 0 and not r["training_complete"]) == 3


def test_bad_scores_are_all_or_nothing(
    client: TestClient, world: World, exam: Exam, member: Member, add_member: Callable[..., Member]
) -> None:
    stranger = add_member(org="branch_b1", name="外支部")
    passed = add_member(name="已通过")
    assert _scores(client, world, exam, [{"member_id": passed.id, "score": 60}]).status_code == 200
    r = _scores(
        client,
        world,
        exam,
        [
            {"member_id": member.id, "score": 80},
            {"member_id": stranger.id, "score": 80},
            {"member_id": passed.id, "score": 99},
            {"member_id": member.id, "score": 101},
        ],
    )
    body = assert_problem(r, 422, "not_a_member")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("body.scores.1.member_id", "not_a_member"),
        ("body.scores.2.member_id", "already_passed"),
        ("body.scores.3.member_id", "duplicate_member"),
        ("body.scores.3.score", "score_above_max"),
    ]
    results = client.get(f"{API}/study/exams/{exam.id}/results", headers=world.auth("sec_a1")).json()
    assert {r["member_id"]: r["attempts"] for r in results}[member.id] == 0
