"""The scoring rules as pure functions: no database, no clock. `service`/`recompute` feed them facts.

How a member's score is made (every step is a line of the explanation):
- Each rule gives `units × points_per_unit` per window (the scheme's period, or each quarter), capped at
  `cap` in absolute value per window; rules may be limited to member categories.
- Approved manual items add (bonus) or subtract (deduction) their points.
- The points total counts at most `full_points` and at least 0 (a `points_cap` / `points_floor` line).
- The points component is `points / full_points × 100`; the evaluation component is the weighted mean of
  each rater group's average ballot (a grade counts as `SCORING_BALLOT_GRADE_SCORES`); groups without
  ballots drop out and the others' weights are scaled to sum to 1. Without any ballot the points carry
  the whole score.
- composite = points weight × points component + evaluation weight × evaluation component.
- Each line's contribution to the composite is rounded to 0.01 (half up) and the score IS the sum of
  the lines, so the explanation always adds up to the score exactly.
Grades by thresholds; probationary members get none. 优秀 is capped per org at ⌊graded × cap⌋ by rank;
members tied on the cap line are all held at 合格 so the cap is never exceeded (the branch may re-vote).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from vanguard.core.policy import SCORING_BALLOT_GRADE_SCORES, SCORING_STAR_THRESHOLDS
from vanguard.scoring.models import Grade, ItemKind, RaterGroup, RuleWindow, Source

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A decimal as text without trailing zeros noise (2.50 → "2.5", 3.00 → "3")."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True, slots=True)
class Rule:
    source: Source
    points_per_unit: Decimal
    cap: Decimal | None = None  # per window, in absolute points
    window: RuleWindow = RuleWindow.SCHEME
    categories: frozenset[str] = frozenset()  # empty: every member category
    label: str | None = None

    def applies_to(self, category: str) -> bool:
        return not self.categories or category in self.categories


@dataclass(frozen=True, slots=True)
class Params:
    rules: tuple[Rule, ...]
    points_weight: Decimal
    evaluation_weight: Decimal
    rater_weights: Mapping[RaterGroup, Decimal]
    full_points: Decimal
    thresholds: tuple[tuple[Grade, Decimal], ...]  # excellent, qualified, basic: lowest score for each
    excellent_cap: tuple[int, int]
    windows: Mapping[RuleWindow, tuple[str, ...]]  # labels of each window kind, e.g. quarter → 2026-Q1…


@dataclass(frozen=True, slots=True)
class ManualEntry:
    item_id: int
    kind: ItemKind
    points: Decimal
    reason: str


@dataclass(slots=True)
class MemberInput:
    member_id: int
    org_id: int
    category: str
    probationary: bool
    units: dict[tuple[Source, str], Decimal] = field(default_factory=dict)  # (source, window label)
    manual: list[ManualEntry] = field(default_factory=list)
    ballots: dict[RaterGroup, list[Decimal]] = field(default_factory=dict)  # each ballot's 0–100 value


@dataclass(frozen=True, slots=True)
class MemberScore:
    member_id: int
    org_id: int
    category: str
    probationary: bool
    points: Decimal  # automatic + manual, before the full-points cap
    points_component: Decimal
    evaluation_component: Decimal | None
    score: Decimal
    lines: tuple[dict[str, Any], ...]


def ballot_value(grade: Grade | None, score: Decimal | None) -> Decimal:
    if score is not None:
        return Decimal(score)
    assert grade is not None
    return Decimal(SCORING_BALLOT_GRADE_SCORES[grade.value])


def _rule_line(rule: Rule, inp: MemberInput, params: Params) -> tuple[Decimal, dict[str, Any]]:
    windows = []
    total = ZERO
    for label in params.windows[rule.window]:
        units = inp.units.get((rule.source, label), ZERO)
        raw = units * rule.points_per_unit
        points = raw
        if rule.cap is not None and abs(raw) > rule.cap:
            points = rule.cap if raw > 0 else -rule.cap
        total += points
        windows.append(
            {"window": label, "units": plain(units), "raw_points": plain(raw), "points": plain(points)}
        )
    line = {
        "kind": "rule",
        "source": rule.source.value,
        "label": rule.label,
        "points_per_unit": plain(rule.points_per_unit),
        "cap": plain(rule.cap) if rule.cap is not None else None,
        "windows": windows,
        "points": plain(total),
    }
    return total, line


def apportion(exact: Sequence[Decimal]) -> list[Decimal]:
    """Each contribution in cents such that they add up to the exact total rounded once (half up): lines
    rounded one by one could drift a cent or two from it (95.01 for an exact 95). The cents the line-wise
    rounding is short of (or over) go to the lines it rounded down (or up) the most — the
    largest-remainder method — ties to the earlier line."""
    rounded = [cents(value) for value in exact]
    short = int((cents(sum(exact, ZERO)) - sum(rounded, ZERO)) / CENT)
    sign = 1 if short > 0 else -1
    step = CENT * sign
    # The lines whose rounding moved them furthest against the needed direction come first.
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - rounded[i]) * sign, i))
    for i in order[: abs(short)]:
        rounded[i] += step
    return rounded


def score_member(inp: MemberInput, params: Params) -> MemberScore:
    groups = {
        g: values for g, values in inp.ballots.items() if values and params.rater_weights.get(g, ZERO) > 0
    }
    has_evaluation = bool(groups)
    points_weight = params.points_weight if has_evaluation else Decimal(1)
    factor = points_weight * HUNDRED / params.full_points  # composite points per point
    lines: list[dict[str, Any]] = []
    exact: list[Decimal] = []  # each line's unrounded contribution, in the order of `lines`
    points = ZERO
    for rule in params.rules:
        if not rule.applies_to(inp.category):
            continue
        value, line = _rule_line(rule, inp, params)
        points += value
        exact.append(value * factor)
        lines.append(line)
    for item in inp.manual:
        signed = item.points if item.kind is ItemKind.BONUS else -item.points
        points += signed
        lines.append(
            {
                "kind": "manual",
                "item_id": item.item_id,
                "type": item.kind.value,
                "reason": item.reason,
                "points": plain(signed),
            }
        )
        exact.append(signed * factor)
    counted = min(max(points, ZERO), params.full_points)
    if counted != points:
        adjust = counted - points
        lines.append(
            {
                "kind": "points_cap" if points > counted else "points_floor",
                "points": plain(adjust),
            }
        )
        exact.append(adjust * factor)
    points_component = cents(counted * HUNDRED / params.full_points)
    evaluation_component: Decimal | None = None
    if has_evaluation:
        weight_sum = sum((params.rater_weights[g] for g in groups), ZERO)
        component = ZERO
        for group in RaterGroup:
            if group not in groups:
                continue
            values = groups[group]
            average = sum(values, ZERO) / len(values)
            share = params.rater_weights[group] / weight_sum
            component += share * average
            lines.append(
                {
                    "kind": "evaluation",
                    "group": group.value,
                    "ballots": len(values),
                    "average": str(cents(average)),
                    "weight": plain(params.rater_weights[group]),
                    "share": str(share.quantize(Decimal("0.0001"), ROUND_HALF_UP)),
                }
            )
            exact.append(params.evaluation_weight * share * average)
        evaluation_component = cents(component)
    contributions = apportion(exact)
    for line, contribution in zip(lines, contributions, strict=True):
        line["contribution"] = str(contribution)
    score = sum(contributions, ZERO)
    return MemberScore(
        member_id=inp.member_id,
        org_id=inp.org_id,
        category=inp.category,
        probationary=inp.probationary,
        points=points,
        points_component=points_component,
        evaluation_component=evaluation_component,
        score=score,
        lines=tuple(lines),
    )


def grade_of(score: Decimal, thresholds: Sequence[tuple[Grade, Decimal]]) -> Grade:
    for grade, lowest in thresholds:
        if score >= lowest:
            return grade
    return Grade.UNQUALIFIED


# Why a member did not get the grade their score alone would give.
NOTE_PROBATIONARY = "probationary"  # 预备党员参加评议，不评定等次
NOTE_CAP = "excellent_cap"  # 优秀名额已满
NOTE_CAP_TIE = "excellent_cap_tie"  # 与名额线并列，均不评为优秀


def grade_all(scores: Iterable[MemberScore], params: Params) -> dict[int, tuple[Grade | None, str | None]]:
    """Grades of every member, the 优秀 cap applied within each org among those graded."""
    numerator, denominator = params.excellent_cap
    by_org: dict[int, list[MemberScore]] = defaultdict(list)
    out: dict[int, tuple[Grade | None, str | None]] = {}
    for s in scores:
        if s.probationary:
            out[s.member_id] = (None, NOTE_PROBATIONARY)
        else:
            by_org[s.org_id].append(s)
    for graded in by_org.values():
        cap = len(graded) * numerator // denominator
        for s in graded:
            out[s.member_id] = (grade_of(s.score, params.thresholds), None)
        candidates = sorted(
            (s for s in graded if out[s.member_id][0] is Grade.EXCELLENT), key=lambda s: s.score, reverse=True
        )
        if len(candidates) <= cap:
            continue
        line = candidates[cap].score  # the first score that does not fit
        for s in candidates:
            if s.score > line:
                continue  # within the cap, and strictly above everyone left out
            below = grade_of(s.score, [(g, t) for g, t in params.thresholds if g is not Grade.EXCELLENT])
            out[s.member_id] = (
                below,
                NOTE_CAP_TIE if s.score == line and _tied_inside(candidates, cap) else NOTE_CAP,
            )
    return out


def _tied_inside(candidates: Sequence[MemberScore], cap: int) -> bool:
    """Whether someone within the cap shares the cap line's score (so they were held back by the tie)."""
    return cap > 0 and candidates[cap - 1].score == candidates[cap].score


@dataclass(frozen=True, slots=True)
class BranchStars:
    org_id: int
    members: int
    graded: int
    average_score: Decimal
    excellent: int
    unqualified: int
    complaints_overdue: int
    stars: int
    explanation: str


def branch_stars(
    org_id: int,
    scores: Sequence[MemberScore],
    grades: Mapping[int, tuple[Grade | None, str | None]],
    complaints_overdue: int,
) -> BranchStars:
    """星级 from the branch's aggregates: the average score sets the stars by `SCORING_STAR_THRESHOLDS`;
    complaints still open past their deadline cost one star (never below one)."""
    average = cents(sum((s.score for s in scores), ZERO) / len(scores)) if scores else ZERO
    stars = next((n for n, lowest in SCORING_STAR_THRESHOLDS if average >= lowest), 1)
    why = f"average {average} → {stars}"
    if complaints_overdue and stars > 1:
        stars -= 1
        why += f"; {complaints_overdue} complaint(s) overdue → {stars}"
    given = [grades[s.member_id][0] for s in scores]
    return BranchStars(
        org_id=org_id,
        members=len(scores),
        graded=sum(1 for g in given if g is not None),
        average_score=average,
        excellent=sum(1 for g in given if g is Grade.EXCELLENT),
        unqualified=sum(1 for g in given if g is Grade.UNQUALIFIED),
        complaints_overdue=complaints_overdue,
        stars=stars,
        explanation=why,
    )
