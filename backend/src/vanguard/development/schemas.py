from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vanguard.core import policy
from vanguard.core.pagination import Page
from vanguard.development.models import ApprovalStatus, DecisionBody, PersonRole, StepKind
from vanguard.members.models import MemberStatus, Stage


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Command(_Strict):
    note: str | None = Field(default=None, max_length=500)


def _distinct(ids: list[int], what: str) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"{what} must be distinct people")


class Recommendation(StrEnum):
    PARTY_MEMBERS = "party_members"  # 党员推荐
    MASS_ORGANISATION = "mass_organisation"  # 群团组织推优 (共青团、工会、妇联)


class TalkCreate(_Command):
    talked_on: date = Field(description="The day the organisation talked with the applicant")
    talked_by: str = Field(min_length=1, max_length=50, description="Who held the talk, for the organisation")


class ActivistCreate(_Command):
    decided_on: date = Field(description="The branch committee's decision: the activist date")
    decided_by: DecisionBody = Field(
        default=DecisionBody.BRANCH_COMMITTEE,
        description="支部委员会, or 支部大会 where there is no committee",
    )
    recommended_by: Recommendation = Field(description="党员推荐 or 群团组织推优")
    mentor_ids: list[int] = Field(
        min_length=policy.DEV_MIN_MENTORS,
        max_length=policy.DEV_MAX_MENTORS,
        description="培养联系人: full members of the same organisation",
    )
    filed_on: date | None = Field(default=None, description="Reported to the superior committee (备案)")

    @model_validator(mode="after")
    def _mentors_distinct(self) -> Self:
        _distinct(self.mentor_ids, "mentor_ids")
        return self


class CandidateCreate(_Command):
    decided_on: date = Field(description="The branch committee's decision: the candidate date")
    decided_by: DecisionBody = DecisionBody.BRANCH_COMMITTEE
    filed_on: date | None = Field(default=None, description="Reported to the superior committee (备案)")


class PoliticalReview(_Strict):
    passed: bool = Field(description="The political review (政治审查) found the candidate qualified")
    completed_on: date


class Training(_Strict):
    hours: float | None = Field(default=None, ge=0, le=1000, description="Class hours (学时)")
    days: int | None = Field(default=None, ge=0, le=366)
    completed_on: date
    certificate_no: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _hours_or_days(self) -> Self:
        if self.hours is None and self.days is None:
            raise ValueError("give the training's hours or days")
        return self


class PublicNotice(_Strict):
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("the notice cannot end before it starts")
        return self


class Votes(_Strict):
    """A branch general meeting's vote. Written opinions of members who could not attend count as votes."""

    eligible_voters: int = Field(ge=1, description="应到会有表决权的党员 (probationary members do not vote)")
    present: int = Field(ge=0, description="有表决权的到会党员")
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)
    abstentions: int = Field(ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.present > self.eligible_voters:
            raise ValueError("more voters present than entitled to vote")
        if self.votes_for + self.votes_against + self.abstentions > self.eligible_voters:
            raise ValueError("more votes cast than members entitled to vote")
        return self


class Approval(_Strict):
    approved_by: str = Field(min_length=1, max_length=100, description="The approving committee (上级党委)")
    approved_on: date


class _MeetingDecision(_Command):
    decided_on: date = Field(description="The branch general meeting (支部大会)")
    votes: Votes
    approval: Approval | None = Field(
        default=None,
        description="The superior committee's approval, if given already; otherwise the decision awaits it",
    )


class AdmitCreate(_MeetingDecision):
    decided_on: date = Field(description="The branch general meeting that admitted them: the 入党时间")
    political_review: PoliticalReview
    training: Training
    public_notice: PublicNotice
    pre_reviewed_on: date | None = Field(
        default=None, description="The superior committee's pre-review (预审)"
    )
    introducer_ids: list[int] = Field(
        min_length=policy.DEV_INTRODUCERS,
        max_length=policy.DEV_INTRODUCERS,
        description="入党介绍人: full members of the same organisation",
    )

    @model_validator(mode="after")
    def _introducers_distinct(self) -> Self:
        _distinct(self.introducer_ids, "introducer_ids")
        return self


class ConfirmCreate(_MeetingDecision):
    pass


class ExtendCreate(_MeetingDecision):
    months: int = Field(ge=1, description="The extension, in months (at least six, at most twelve)")
    reason: str = Field(min_length=2, max_length=500)


class CancelCreate(_MeetingDecision):
    reason: str = Field(min_length=2, max_length=180)


class ApprovalCreate(_Strict):
    approved: bool = Field(default=True, description="false records the superior committee's refusal")
    approved_by: str = Field(min_length=1, max_length=100)
    approved_on: date
    note: str | None = Field(default=None, max_length=500)


class StepPersonRead(BaseModel):
    member_id: int
    name: str
    role: PersonRole


class StepRead(BaseModel):
    id: int
    member_id: int
    org_id: int
    kind: StepKind
    from_stage: Stage
    to_stage: Stage
    decided_on: date
    decided_by: DecisionBody | None
    approval_status: ApprovalStatus
    approved_by: str | None
    approved_on: date | None
    evidence: dict[str, Any]
    note: str | None
    people: list[StepPersonRead]
    created_at: datetime


class DueRule(StrEnum):
    TALK_DUE = "talk_due"  # applicant not yet talked to: due one month after the application
    CANDIDATE_ELIGIBLE = "candidate_eligible"  # activist for a year: may be made a candidate
    APPROVAL_DUE = "approval_due"  # a branch meeting's decision awaits the superior committee
    PROBATION_ENDING = "probation_ending"  # probation (with any extension) ends: the branch must decide


class NextKind(StrEnum):
    """The step to record next: a pipeline command, or the superior committee's decision."""

    TALK = StepKind.TALK.value
    ACTIVIST = StepKind.ACTIVIST.value
    CANDIDATE = StepKind.CANDIDATE.value
    ADMIT = StepKind.ADMIT.value
    CONFIRM = StepKind.CONFIRM.value
    APPROVAL = "approval"


class NextStepRead(BaseModel):
    kind: NextKind
    alternatives: list[StepKind] = Field(
        description="Other commands open at the same point (at the end of probation: extend or cancel)"
    )
    rule: DueRule | None = Field(description="The rule that dates the step, as in the due list")
    due_on: date | None = Field(description="The deadline, or the first day the step is allowed")
    deadline: bool
    overdue: bool
    days_overdue: int
    step_id: int | None = Field(description="For an approval: the branch decision awaiting it")


class TimelineRead(BaseModel):
    member_id: int
    name: str
    org_id: int
    stage: Stage
    status: MemberStatus
    applied_on: date | None
    activist_on: date | None
    candidate_on: date | None
    probationary_on: date | None
    full_member_on: date | None
    probation_ends_on: date | None = Field(description="For probationary members, extensions included")
    steps: list[StepRead] = Field(description="Every recorded step, oldest first")
    as_of: date = Field(description="Today in China, the day `next` is reckoned on")
    next: NextStepRead | None = Field(description="What the development calls for next; null when it is over")


class DueItem(BaseModel):
    member_id: int
    member_name: str
    org_id: int
    org_name: str
    stage: Stage
    rule: DueRule
    due_on: date = Field(description="The deadline, or the first day the next step is allowed")
    deadline: bool = Field(description="true: must happen by due_on; false: may happen from due_on")
    overdue: bool
    days_overdue: int = Field(ge=0)
    step_id: int | None = Field(default=None, description="The decision awaiting approval")


class DueList(Page[DueItem]):
    as_of: date
    within_days: int
