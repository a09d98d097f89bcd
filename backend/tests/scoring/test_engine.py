"""The scoring rules on their own, with every number worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

from vanguard.scoring import engine
from vanguard.scoring.engine import MemberInput, MemberScore, Params, Rule
from vanguard.scoring.models import Grade, ItemKind, RaterGroup, RuleWindow, Source

D = Decimal

QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
THRESHOLDS = ((Grade.EXCELLENT, D(90)), (Grade.QUALIFIED, D(70)), (Grade.BASIC, D(60)))
RATERS = {
    RaterGroup.SELF: D("0.1"),
    RaterGroup.FELLOW: D("0.3"),
    RaterGroup.COMMITTEE: D("0.2"),
    RaterGroup.SUPERIOR: D("0.1"),
    RaterGroup.MASSES: D("0.3"),
}


def params(*rules: Rule, cap: tuple[int, int] = (1, 3)) -> Params:
    return Params(
        rules=rules,
        points_weight=D("0.4"),
        evaluation_weight=D("0.6"),
        rater_weights=RATERS,
        full_points=D(20),
        thresholds=THRESHOLDS,
        excellent_cap=cap,
        windows={RuleWindow.SCHEME: ("scheme",), RuleWindow.QUARTER: QUARTERS},
    )


RULES = (
    Rule(Source.PLEDGES_KEPT, D(5), cap=D(10)),
    Rule(Source.POSTS_HELD, D(8)),
    Rule(Source.MEETINGS_ABSENT, D(-2), cap=D(6), window=RuleWindow.QUARTER),
    Rule(Source.DUES_MONTHS_ON_TIME, D("0.5"), categories=frozenset({"rural"})),
)


def member_a() -> MemberInput:
    return MemberInput(
        member_id=1,
        org_id=10,
        category="employed",
        probationary=False,
        units={
            (Source.PLEDGES_KEPT, "scheme"): D(3),
            (Source.POSTS_HELD, "scheme"): D(1),
            (Source.MEETINGS_ABSENT, "2026-Q1"): D(4),
            (Source.MEETINGS_ABSENT, "2026-Q2"): D(1),
            (Source.DUES_MONTHS_ON_TIME, "scheme"): D(12),  # employed: the rural-only rule does not apply
        },
        manual=[engine.ManualEntry(7, ItemKind.BONUS, D(4), "县级表彰")],
        ballots={
            RaterGroup.SELF: [D(95)],
            RaterGroup.FELLOW: [D(90), D(80), D(70)],
            RaterGroup.COMMITTEE: [D(85)],
            RaterGroup.MASSES: [D(60), D(100)],
        },
    )


def test_a_member_scored_by_hand() -> None:
    # Points: pledges 3 × 5 = 15, capped at 10; one post × 8 = 8; absences -2 each, capped at 6 a
    # quarter: Q1 4 × -2 = -8 → -6, Q2 1 × -2 = -2, so -8; the rural dues rule skips an employed member;
    # bonus +4. Total 10 + 8 - 8 + 4 = 14 of 20 full points → points component 70.
    # Each point is worth 0.4 × 100 / 20 = 2 composite points: 20 + 16 - 16 + 8 = 28 (= 0.4 × 70).
    # Ballots: self 95; fellow (90+80+70)/3 = 80; committee 85; masses (60+100)/2 = 80; no superior
    # ballot, so the other weights 0.1 + 0.3 + 0.2 + 0.3 = 0.9 are scaled: shares 1/9, 1/3, 2/9, 1/3.
    # Evaluation component 95/9 + 80/3 + 170/9 + 80/3 = 745/9 = 82.78.
    # Contributions 0.6 × share × average: 6.333…, 16, 11.333…, 16 = 49.666…; score 28 + 49.666… = 77.67
    # rounded once. Line by line the cents would give 6.33 + 11.33 (77.66), so the cent short goes to the
    # first of the two lines rounded down the most: self 6.34. → 合格.
    s = engine.score_member(member_a(), params(*RULES))
    assert s.points == D(14)
    assert s.points_component == D("70.00")
    assert s.evaluation_component == D("82.78")
    assert s.score == D("77.67")
    contributions = [
        (line["kind"], line.get("source") or line.get("group"), line["contribution"]) for line in s.lines
    ]
    assert contributions == [
        ("rule", "pledges_kept", "20.00"),
        ("rule", "posts_held", "16.00"),
        ("rule", "meetings_absent", "-16.00"),
        ("manual", None, "8.00"),
        ("evaluation", "self", "6.34"),
        ("evaluation", "fellow", "16.00"),
        ("evaluation", "committee", "11.33"),
        ("evaluation", "masses", "16.00"),
    ]
    assert sum(D(line["contribution"]) for line in s.lines) == s.score  # the explanation adds up
    absent = s.lines[2]
    assert absent["windows"][0] == {"window": "2026-Q1", "units": "4", "raw_points": "-8", "points": "-6"}
    assert absent["points"] == "-8"
    assert engine.grade_of(s.score, THRESHOLDS) is Grade.QUALIFIED


def test_category_rules_apply_only_to_their_category() -> None:
    rural = member_a()
    rural.category = "rural"
    s = engine.score_member(rural, params(*RULES))
    dues = next(line for line in s.lines if line.get("source") == "dues_months_on_time")
    assert dues["points"] == "6"  # 12 months × 0.5
    assert s.points == D(20)  # 14 + 6: exactly full points, nothing cut


def test_points_above_full_marks_are_cut_and_shown() -> None:
    # 40 posts × 8 = 320 points, far above 20: a points_cap line takes back 300 (× 2 = -600.00).
    # Without ballots the points carry the whole score: 1 × 100 / 20 = 5 per point → 1600 - 1500 = 100.
    inp = MemberInput(1, 10, "employed", False, units={(Source.POSTS_HELD, "scheme"): D(40)})
    s = engine.score_member(inp, params(*RULES))
    assert s.evaluation_component is None
    # Every rule is listed, with or without units (so "why 0 for pledges?" has an answer too).
    assert [line["contribution"] for line in s.lines] == ["0.00", "1600.00", "0.00", "-1500.00"]
    assert s.lines[-1]["kind"] == "points_cap"
    assert s.score == D(100)


def test_points_below_zero_are_floored() -> None:
    inp = MemberInput(
        1, 10, "employed", False, manual=[engine.ManualEntry(1, ItemKind.DEDUCTION, D(5), "处分")]
    )
    s = engine.score_member(inp, params(*RULES))
    # -5 points × 5 = -25, floored back to 0 with +25.
    assert [line["kind"] for line in s.lines] == ["rule", "rule", "rule", "manual", "points_floor"]
    assert [line["contribution"] for line in s.lines[3:]] == ["-25.00", "25.00"]
    assert s.score == D(0)


def _score(member_id: int, score: str, *, org: int = 10, probationary: bool = False) -> MemberScore:
    return MemberScore(member_id, org, "employed", probationary, D(0), D(0), None, D(score), ())


def test_excellent_cap_by_rank_with_ties_on_the_line() -> None:
    # Seven graded members → at most ⌊7 / 3⌋ = 2 优秀. Four reach 90: 96, 93, 93, 91. The third place
    # ties the second (93 = 93), so admitting both would make three: both are held at 合格 and only 96
    # is 优秀 — the cap is never exceeded. 91 is simply beyond the cap. The probationary member (99) is
    # scored but not graded and does not count towards the seven.
    scores = [
        _score(1, "96"),
        _score(2, "93"),
        _score(3, "93"),
        _score(4, "91"),
        _score(5, "85"),
        _score(6, "72"),
        _score(7, "55"),
        _score(8, "99", probationary=True),
        _score(9, "95", org=11),  # another org, its own cap: ⌊1 / 3⌋ = 0
    ]
    grades = engine.grade_all(scores, params())
    assert grades == {
        1: (Grade.EXCELLENT, None),
        2: (Grade.QUALIFIED, engine.NOTE_CAP_TIE),
        3: (Grade.QUALIFIED, engine.NOTE_CAP_TIE),
        4: (Grade.QUALIFIED, engine.NOTE_CAP),
        5: (Grade.QUALIFIED, None),
        6: (Grade.QUALIFIED, None),
        7: (Grade.UNQUALIFIED, None),
        8: (None, engine.NOTE_PROBATIONARY),
        9: (Grade.QUALIFIED, engine.NOTE_CAP),
    }


def test_excellent_cap_without_ties_takes_the_top() -> None:
    scores = [_score(i, s) for i, s in enumerate(["96", "94", "93", "65", "80", "62"], start=1)]
    grades = engine.grade_all(scores, params())  # ⌊6 / 3⌋ = 2
    assert [grades[i][0] for i in range(1, 7)] == [
        Grade.EXCELLENT,
        Grade.EXCELLENT,
        Grade.QUALIFIED,
        Grade.BASIC,
        Grade.QUALIFIED,
        Grade.BASIC,
    ]
    assert grades[3][1] == engine.NOTE_CAP


def test_configurable_cap() -> None:
    scores = [_score(i, "95") for i in range(1, 5)]
    assert all(g == (Grade.EXCELLENT, None) for g in engine.grade_all(scores, params(cap=(1, 1))).values())


def test_branch_stars() -> None:
    scores = [_score(1, "92"), _score(2, "80"), _score(3, "71")]  # average 81 → 4 stars
    grades = engine.grade_all(scores, params())
    assert engine.branch_stars(10, scores, grades, 0).stars == 4
    overdue = engine.branch_stars(10, scores, grades, 2)
    assert overdue.stars == 3  # an overdue complaint costs a star
    assert overdue.average_score == D("81.00")
    assert engine.branch_stars(10, [_score(1, "10")], grades, 5).stars == 1  # never below one


def test_recompute_batches_hold_whole_orgs() -> None:
    from types import SimpleNamespace

    from vanguard.core.policy import SCORING_RECOMPUTE_BATCH
    from vanguard.scoring.results import _batches

    # Three orgs of 60% of a batch each: the first batch takes two whole orgs (120%), the last the third.
    size = SCORING_RECOMPUTE_BATCH * 3 // 5
    roster = [SimpleNamespace(id=i, org_id=i // size) for i in range(3 * size)]
    batches = _batches(roster)
    assert [len(b) for b in batches] == [2 * size, size]
    assert all(
        len({row.org_id for row in b} & {row.org_id for row in other}) == 0
        for b in batches
        for other in batches
        if other is not b
    )


def test_contributions_add_up_to_the_total_rounded_once() -> None:
    # Three thirds of 10 points: each line 3.333… → 3.33 line by line, 9.99 in all; the exact total is
    # 10.00, so the cent goes to the first of the equally rounded-down lines.
    third = D(10) / 3
    assert engine.apportion([third, third, third]) == [D("3.34"), D("3.33"), D("3.33")]
    # Rounded half up one by one, 0.125 + 0.125 gives 0.26 for an exact 0.25: one line gives a cent back.
    assert engine.apportion([D("0.125"), D("0.125")]) == [D("0.12"), D("0.13")]
    # Negative lines: -1.005 twice is exactly -2.01; half up (away from zero) gives -1.01 each, -2.02.
    assert engine.apportion([D("-1.005"), D("-1.005")]) == [D("-1.00"), D("-1.01")]
    assert engine.apportion([D("5.40"), D("13.50")]) == [D("5.40"), D("13.50")]  # exact lines untouched
