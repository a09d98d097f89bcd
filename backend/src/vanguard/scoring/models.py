"""党员积分与民主评议: schemes (rules and weights per period), manual bonus/deduction items, evaluation
rounds with ballots and the masses' one-time tokens, computed results, branch stars and follow-up cases."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum

POINTS = Numeric(10, 2)
SCORE = Numeric(7, 2)


class SchemeStatus(StrEnum):
    DRAFT = "draft"  # rules and weights may change
    PUBLISHED = "published"  # results frozen; the scheme is locked


class Source(StrEnum):
    """Where a rule's units come from: each maps to a fact of another feature's `*_facts` function."""

    STUDY_HOURS = "study_hours"  # 学时: attended plus make-up hours, every kind
    TRAINING_HOURS = "training_hours"  # hours at training classes
    MEETINGS_ATTENDED = "meetings_attended"  # 三会一课 and other activities attended
    MEETINGS_ABSENT = "meetings_absent"  # absent without leave (give a negative points per unit)
    EXAMS_PASSED = "exams_passed"  # 凡训必考: exams passed
    STUDY_REPORT_FILED = "study_report_filed"  # 述学: 1 when a report covers the period
    STUDY_REPORT_GRADE = "study_report_grade"  # 评学: the grade's points (STUDY_REPORT_GRADE_POINTS)
    PAIRING_VISITS = "pairing_visits"  # 走访 made as helper
    MUST_VISITS_ON_TIME = "must_visits_on_time"  # 四必访 tasks visited by their due date
    MUST_VISITS_MISSED = "must_visits_missed"
    DUES_MONTHS_ON_TIME = "dues_months_on_time"  # months paid in full by the month's end
    DUES_MONTHS_LATE = "dues_months_late"  # months owed in the period not paid in full by the month's end
    PLEDGES_KEPT = "pledges_kept"  # 承诺 due in the period and kept
    PLEDGES_NOT_KEPT = "pledges_not_kept"
    POSTS_HELD = "posts_held"  # 设岗定责: posts held at some time in the period
    # 群众诉求 the member handled — through the user account linked to their record (users.member_id):
    COMPLAINTS_ON_TIME = "complaints_on_time"  # resolved in the period by the deadline
    COMPLAINTS_LATE = "complaints_late"  # resolved in the period after the deadline
    COMPLAINTS_SATISFIED = "complaints_satisfied"  # ratings given in the period at or above "satisfied"
    COMPLAINTS_DISSATISFIED = "complaints_dissatisfied"  # the other ratings given in the period


class RuleWindow(StrEnum):
    SCHEME = "scheme"  # the cap applies to the scheme's whole period
    QUARTER = "quarter"  # units counted and capped per quarter, then added


class RaterGroup(StrEnum):
    SELF = "self"  # 自评
    FELLOW = "fellow"  # 党员互评 — anonymous
    COMMITTEE = "committee"  # 支部委员会
    SUPERIOR = "superior"  # 上级党组织
    MASSES = "masses"  # 群众评议, through one-time tokens


class Grade(StrEnum):
    EXCELLENT = "excellent"  # 优秀
    QUALIFIED = "qualified"  # 合格
    BASIC = "basic"  # 基本合格
    UNQUALIFIED = "unqualified"  # 不合格


class ItemKind(StrEnum):
    BONUS = "bonus"  # 加分: e.g. commendation
    DEDUCTION = "deduction"  # 减分: e.g. disciplinary sanction, a serious complaint


class ItemState(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CaseStatus(StrEnum):
    OPEN = "open"  # 不合格: education talks under way
    IMPROVING = "improving"  # an improvement deadline is set (限期改正)
    DECIDED = "decided"  # the disposal decision is made
    CLOSED = "closed"


class Disposal(StrEnum):
    IMPROVED = "improved"  # 限期改正后合格
    PERSUADE_WITHDRAWAL = "persuade_withdrawal"  # 劝其退党
    REMOVAL = "removal"  # 除名
    OTHER = "other"


class Scheme(Audited, VersionedMixin, TimestampMixin, Base):
    """Rules and weights for one org subtree and period (a year, or a quarter of it)."""

    __tablename__ = "scoring_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer, default=0)  # 0: the whole year
    status: Mapped[SchemeStatus] = mapped_column(str_enum(SchemeStatus), default=SchemeStatus.DRAFT)
    component_weights: Mapped[dict[str, str]] = mapped_column(JSON)
    rater_weights: Mapped[dict[str, str]] = mapped_column(JSON)
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    full_points: Mapped[Decimal] = mapped_column(POINTS)
    grade_thresholds: Mapped[dict[str, str]] = mapped_column(JSON)
    excellent_cap: Mapped[list[int]] = mapped_column(JSON)  # [numerator, denominator]
    computed_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    published_by: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (UniqueConstraint("org_id", "year", "quarter", name="uq_scoring_schemes_period"),)

    def audit_org_id(self) -> int | None:
        return self.org_id


class ManualItem(Audited, VersionedMixin, TimestampMixin, Base):
    """A bonus or deduction for one member, requested by one person and decided by another."""

    __tablename__ = "scoring_manual_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id", ondelete="RESTRICT"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind))
    points: Mapped[Decimal] = mapped_column(POINTS)  # positive; a deduction subtracts it
    reason: Mapped[str] = mapped_column(String(500))
    evidence_text: Mapped[str | None] = mapped_column(String(2000))
    evidence_attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="RESTRICT")
    )
    state: Mapped[ItemState] = mapped_column(str_enum(ItemState), default=ItemState.REQUESTED)
    requested_by_kind: Mapped[str] = mapped_column(String(16))
    requested_by_id: Mapped[int] = mapped_column(Integer)
    requested_by: Mapped[str] = mapped_column(String(128))
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(500))

    def audit_org_id(self) -> int | None:
        return self.org_id


class EvaluationRound(Audited, VersionedMixin, TimestampMixin, Base):
    """民主评议 of one branch (or other org holding a roll) under a scheme."""

    __tablename__ = "scoring_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id", ondelete="RESTRICT"))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    status: Mapped[RoundStatus] = mapped_column(str_enum(RoundStatus), default=RoundStatus.OPEN)
    closed_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("scheme_id", "org_id", name="uq_scoring_rounds_scheme_org"),)

    def audit_org_id(self) -> int | None:
        return self.org_id


class Ballot(Audited, TimestampMixin, Base):
    """One rater's grade or score for one member. `rater_key` identifies the rater only to refuse a second
    ballot: fellow members' keys are keyed one-way digests, never their member id."""

    __tablename__ = "scoring_ballots"
    # Who rated stays out of the audit log too (the actor is whoever entered the sheet).
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"rater_key"})

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scoring_rounds.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    rater_group: Mapped[RaterGroup] = mapped_column(str_enum(RaterGroup))
    rater_key: Mapped[str] = mapped_column(String(80))
    grade: Mapped[Grade | None] = mapped_column(str_enum(Grade))
    score: Mapped[Decimal | None] = mapped_column(SCORE)
    comment: Mapped[str | None] = mapped_column(String(1000))

    __table_args__ = (
        UniqueConstraint(
            "round_id", "member_id", "rater_group", "rater_key", name="uq_scoring_ballots_rater"
        ),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


class MassesToken(Audited, TimestampMixin, Base):
    """A one-time token for one person of the masses to fill in one round's ballot sheet."""

    __tablename__ = "scoring_masses_tokens"
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"token_digest"})

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scoring_rounds.id", ondelete="RESTRICT"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None]

    def audit_org_id(self) -> int | None:
        return self.org_id


class Result(Base):
    """A member's computed score under a scheme (rewritten by recompute; frozen once published).
    Written in bulk: recompute records one audit event for the whole set."""

    __tablename__ = "scoring_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    category: Mapped[str] = mapped_column(String(32))
    probationary: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[Decimal] = mapped_column(POINTS)  # automatic + manual, before the cap at full points
    points_component: Mapped[Decimal] = mapped_column(SCORE)
    evaluation_component: Mapped[Decimal | None] = mapped_column(SCORE)
    score: Mapped[Decimal] = mapped_column(SCORE)
    grade: Mapped[Grade | None] = mapped_column(str_enum(Grade))  # None: probationary (not graded)
    grade_note: Mapped[str | None] = mapped_column(String(200))
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("scheme_id", "member_id", name="uq_scoring_results_member"),
        Index("ix_scoring_results_rank", "scheme_id", "org_id", "score"),
    )


class BranchResult(Base):
    """A branch's aggregates and star rating (星级) under a scheme, written with the member results."""

    __tablename__ = "scoring_branch_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id", ondelete="RESTRICT"))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    members: Mapped[int] = mapped_column(Integer)
    graded: Mapped[int] = mapped_column(Integer)
    average_score: Mapped[Decimal] = mapped_column(SCORE)
    excellent: Mapped[int] = mapped_column(Integer)
    unqualified: Mapped[int] = mapped_column(Integer)
    complaints_overdue: Mapped[int] = mapped_column(Integer)
    stars: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("scheme_id", "org_id", name="uq_scoring_branch_results_org"),)


class FollowUpCase(Audited, VersionedMixin, TimestampMixin, Base):
    """不合格 → education talks, an improvement deadline, a disposal decision, closed at the end."""

    __tablename__ = "scoring_follow_up_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.OPEN)
    talks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    improvement_deadline: Mapped[date | None]
    disposal: Mapped[Disposal | None] = mapped_column(str_enum(Disposal))
    decision_note: Mapped[str | None] = mapped_column(String(1000))
    decided_on: Mapped[date | None]
    closed_on: Mapped[date | None]

    __table_args__ = (UniqueConstraint("scheme_id", "member_id", name="uq_scoring_follow_up_cases_member"),)

    def audit_org_id(self) -> int | None:
        return self.org_id
