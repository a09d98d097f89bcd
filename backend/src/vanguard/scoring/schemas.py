from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from vanguard.core.policy import (
    SCORING_FIRST_YEAR,
    SCORING_MAX_MANUAL_POINTS,
    SCORING_MAX_POINTS_PER_UNIT,
    SCORING_MAX_RULES,
    SCORING_MAX_TOKENS_PER_REQUEST,
)
from vanguard.members.models import Category
from vanguard.scoring.models import (
    CaseStatus,
    Disposal,
    Grade,
    ItemKind,
    ItemState,
    RaterGroup,
    RoundStatus,
    RuleWindow,
    SchemeStatus,
)

_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)
Weight = Field(ge=0, le=1, max_digits=6, decimal_places=4)


class RuleIn(BaseModel):
    """One automatic rule: `units × points_per_unit` per window, capped at `cap` (absolute) per window."""

    model_config = _FORBID

    source: str = Field(min_length=1, max_length=40, description="A known source (see `Source`); else 422")
    points_per_unit: Decimal = Field(
        ge=-SCORING_MAX_POINTS_PER_UNIT, le=SCORING_MAX_POINTS_PER_UNIT, max_digits=8, decimal_places=2
    )
    cap: Decimal | None = Field(default=None, gt=0, max_digits=8, decimal_places=2)
    period: RuleWindow = Field(default=RuleWindow.SCHEME, description="Cap per scheme period or per quarter")
    categories: list[Category] = Field(default_factory=list, description="Member categories; empty: all")
    label: str | None = Field(default=None, max_length=100)


class RuleRead(BaseModel):
    source: str
    points_per_unit: Decimal
    cap: Decimal | None
    period: RuleWindow
    categories: list[Category]
    label: str | None


class ComponentWeights(BaseModel):
    model_config = _FORBID

    points: Decimal = Weight
    evaluation: Decimal = Weight


class RaterWeights(BaseModel):
    model_config = _FORBID

    self: Decimal = Weight
    fellow: Decimal = Weight
    committee: Decimal = Weight
    superior: Decimal = Weight
    masses: Decimal = Weight


class GradeThresholds(BaseModel):
    model_config = _FORBID

    excellent: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)
    qualified: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)
    basic: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)


class SchemeCreate(BaseModel):
    model_config = _FORBID

    org_id: int = Field(ge=1, description="The subtree the scheme covers")
    name: str = Field(min_length=1, max_length=100)
    year: int = Field(ge=SCORING_FIRST_YEAR, le=2100)
    quarter: int | None = Field(default=None, ge=1, le=4, description="Empty: the whole year")
    rules: list[RuleIn] = Field(default_factory=list, max_length=SCORING_MAX_RULES)
    component_weights: ComponentWeights | None = None
    rater_weights: RaterWeights | None = None
    full_points: Decimal | None = Field(default=None, gt=0, le=10000, max_digits=7, decimal_places=2)
    grade_thresholds: GradeThresholds | None = None
    excellent_cap: tuple[int, int] | None = Field(
        default=None, description="[numerator, denominator]: 优秀 at most this share of those graded"
    )


class SchemeUpdate(BaseModel):
    """A new version of the scheme's rules or weights (If-Match); refused once published."""

    model_config = _FORBID

    name: str | None = Field(default=None, min_length=1, max_length=100)
    rules: list[RuleIn] | None = Field(default=None, max_length=SCORING_MAX_RULES)
    component_weights: ComponentWeights | None = None
    rater_weights: RaterWeights | None = None
    full_points: Decimal | None = Field(default=None, gt=0, le=10000, max_digits=7, decimal_places=2)
    grade_thresholds: GradeThresholds | None = None
    excellent_cap: tuple[int, int] | None = None


class SchemeRead(BaseModel):
    id: int
    org_id: int
    name: str
    year: int
    quarter: int | None
    period_start: date
    period_end: date
    status: SchemeStatus
    rules: list[RuleRead]
    component_weights: dict[str, Decimal]
    rater_weights: dict[str, Decimal]
    full_points: Decimal
    grade_thresholds: dict[str, Decimal]
    excellent_cap: tuple[int, int]
    computed_at: datetime | None
    published_at: datetime | None
    published_by: str | None
    version: int


class ManualItemCreate(BaseModel):
    model_config = _FORBID

    member_id: int = Field(ge=1)
    kind: ItemKind
    points: Decimal = Field(gt=0, le=SCORING_MAX_MANUAL_POINTS, max_digits=6, decimal_places=2)
    reason: str = Field(min_length=2, max_length=500)
    evidence_text: str | None = Field(default=None, max_length=2000, description="Text or a link")
    evidence_attachment_id: int | None = Field(default=None, ge=1)


class ManualItemDecision(BaseModel):
    model_config = _FORBID

    note: str | None = Field(default=None, max_length=500)


class ManualItemRead(BaseModel):
    id: int
    scheme_id: int
    member_id: int
    org_id: int
    kind: ItemKind
    points: Decimal
    reason: str
    evidence_text: str | None
    evidence_attachment_id: int | None
    state: ItemState
    requested_by: str
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    version: int


class RoundCreate(BaseModel):
    model_config = _FORBID

    org_id: int = Field(ge=1, description="The org (branch) whose members are evaluated")


class RoundRead(BaseModel):
    id: int
    scheme_id: int
    org_id: int
    status: RoundStatus
    closed_at: datetime | None
    ballots: int
    tokens_issued: int
    tokens_used: int
    version: int


class BallotCreate(BaseModel):
    """A grade or a 0–100 score (exactly one). `rater_member_id` names the member who rates for `self`
    (the same member), `fellow` (kept only as a one-way key) and `committee`; `superior` ballots are
    the caller's own, as a user of an org above the round's."""

    model_config = _FORBID

    member_id: int = Field(ge=1)
    rater_group: RaterGroup
    rater_member_id: int | None = Field(default=None, ge=1)
    grade: Grade | None = None
    score: Decimal | None = Field(default=None, ge=0, le=100, max_digits=5, decimal_places=2)
    comment: str | None = Field(default=None, max_length=1000)


class BallotRead(BaseModel):
    """Never names the rater: a fellow member's ballot is anonymous in every response."""

    id: int
    round_id: int
    member_id: int
    rater_group: RaterGroup
    grade: Grade | None
    score: Decimal | None
    comment: str | None
    created_at: datetime


class TokensCreate(BaseModel):
    model_config = _FORBID

    count: int = Field(ge=1, le=SCORING_MAX_TOKENS_PER_REQUEST)


class TokensIssued(BaseModel):
    round_id: int
    tokens: list[str] = Field(description="Shown only now; each is good for one ballot sheet")


class PublicSheetMember(BaseModel):
    member_id: int
    name: str


class PublicSheet(BaseModel):
    org_name: str
    year: int
    quarter: int | None
    members: list[PublicSheetMember]


class PublicBallot(BaseModel):
    model_config = _FORBID

    member_id: int = Field(ge=1)
    grade: Grade | None = None
    score: Decimal | None = Field(default=None, ge=0, le=100, max_digits=5, decimal_places=2)
    comment: str | None = Field(default=None, max_length=1000)


class PublicBallots(BaseModel):
    model_config = _FORBID

    ballots: list[PublicBallot] = Field(min_length=1, max_length=500)


class PublicReceipt(BaseModel):
    accepted: int


class RecomputeReport(BaseModel):
    scheme_id: int
    members: int
    branches: int
    seconds: float
    members_per_second: float


class ResultRead(BaseModel):
    id: int = Field(description="What an appeal of this grade names (`subject_kind` `evaluation_result`)")
    scheme_id: int
    member_id: int
    member_name: str
    org_id: int
    category: str
    probationary: bool
    points: Decimal
    points_component: Decimal
    evaluation_component: Decimal | None
    score: Decimal
    grade: Grade | None
    grade_note: str | None
    rank_in_org: int
    rank_in_scheme: int
    explanation: list[dict[str, Any]] = Field(
        description="Every rule with its facts and points, each manual item, each rater group; the "
        "`contribution`s sum to `score` exactly"
    )
    computed_at: datetime
    published: bool


class RankingRow(BaseModel):
    rank: int
    member_id: int
    member_name: str
    org_id: int
    score: Decimal
    grade: Grade | None
    probationary: bool


UNGRADED = "ungraded"


class ScoreBand(BaseModel):
    low: int = Field(description="Scores from this (inclusive)")
    high: int = Field(description="to this (exclusive; the top band includes 100)")
    count: int


class ScoreDistribution(BaseModel):
    """The scheme's latest computed results within an org's subtree, for a histogram and a grade pie."""

    scheme_id: int
    org_id: int | None = Field(description="Whose subtree is counted; null for everything")
    total: int = Field(description="Members with a result")
    average_score: Decimal | None = Field(description="Null when nothing has been computed")
    computed_at: datetime | None = Field(description="When the results were computed; null when not yet")
    bands: list[ScoreBand] = Field(description="Every band from 0 to 100, empty ones as 0, lowest first")
    by_grade: dict[str, int] = Field(
        description="Keys: `excellent`, `qualified`, `basic`, `unqualified`, then `ungraded` (probationary)"
    )


class BranchStarRead(BaseModel):
    org_id: int
    org_name: str
    members: int
    graded: int
    average_score: Decimal
    excellent: int
    unqualified: int
    complaints_overdue: int
    stars: int
    explanation: str


class CaseRead(BaseModel):
    id: int
    scheme_id: int
    member_id: int
    org_id: int
    status: CaseStatus
    talks: list[dict[str, Any]]
    improvement_deadline: date | None
    disposal: Disposal | None
    decision_note: str | None
    decided_on: date | None
    closed_on: date | None
    version: int


class CaseTalkCreate(BaseModel):
    model_config = _FORBID

    held_on: date
    by: str = Field(min_length=1, max_length=100, description="Who talked with the member")
    notes: str = Field(min_length=1, max_length=2000)


class DeadlineSet(BaseModel):
    model_config = _FORBID

    improvement_deadline: date


class CaseDecision(BaseModel):
    model_config = _FORBID

    disposal: Disposal
    note: str = Field(min_length=1, max_length=1000)
    decided_on: date | None = None
