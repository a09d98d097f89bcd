"""The rules of 中国共产党发展党员工作细则 (2014) as small pure functions: each raises the 409/422
that names the rule and the dates, or returns the date a step falls due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vanguard.core import policy
from vanguard.development.dates import add_months, add_years
from vanguard.development.errors import (
    ActivistPeriodTooShort,
    AlreadyExtended,
    ApplicantUnder18,
    ApprovalTooLate,
    BirthDateUnknown,
    DateBeforeBirth,
    DateBeforePreviousStep,
    DateInFuture,
    ExtensionTooLong,
    ExtensionTooShort,
    MajorityNotReached,
    PoliticalReviewMissing,
    ProbationNotOver,
    PublicNoticeTooShort,
    QuorumNotMet,
    StageOutOfOrder,
    TalkOverdue,
    TrainingInsufficient,
)
from vanguard.development.models import (
    PersonRole,
    StepKind,
)
from vanguard.development.schemas import (
    PoliticalReview,
    PublicNotice,
    Training,
    Votes,
)
from vanguard.members.models import Member, Stage

STAGE_NAMES: dict[Stage, tuple[str, str]] = {
    Stage.APPLICANT: ("入党申请人", "an applicant"),
    Stage.ACTIVIST: ("入党积极分子", "an activist"),
    Stage.CANDIDATE: ("发展对象", "a candidate"),
    Stage.PROBATIONARY: ("预备党员", "a probationary member"),
    Stage.FULL: ("正式党员", "a full member"),
}
STEP_NAMES: dict[StepKind, tuple[str, str]] = {
    StepKind.TALK: ("谈话", "the talk"),
    StepKind.ACTIVIST: ("确定为入党积极分子", "becoming an activist"),
    StepKind.CANDIDATE: ("列为发展对象", "becoming a candidate"),
    StepKind.ADMIT: ("接收为预备党员", "admission as a probationary member"),
    StepKind.CONFIRM: ("转为正式党员", "full membership"),
    StepKind.EXTEND: ("延长预备期", "extending the probation"),
    StepKind.CANCEL: ("取消预备党员资格", "cancelling the probation"),
}
# The stage a command starts from, and the command that leads into each stage.
REQUIRED_STAGE: dict[StepKind, Stage] = {
    StepKind.TALK: Stage.APPLICANT,
    StepKind.ACTIVIST: Stage.APPLICANT,
    StepKind.CANDIDATE: Stage.ACTIVIST,
    StepKind.ADMIT: Stage.CANDIDATE,
    StepKind.CONFIRM: Stage.PROBATIONARY,
    StepKind.EXTEND: Stage.PROBATIONARY,
    StepKind.CANCEL: Stage.PROBATIONARY,
}
ENTERED_BY: dict[Stage, StepKind] = {
    Stage.ACTIVIST: StepKind.ACTIVIST,
    Stage.CANDIDATE: StepKind.CANDIDATE,
    Stage.PROBATIONARY: StepKind.ADMIT,
    Stage.FULL: StepKind.CONFIRM,
}
STAGE_ORDER: list[Stage] = list(Stage)
ROLE_NAMES: dict[PersonRole, tuple[str, str]] = {
    PersonRole.MENTOR: ("培养联系人", "mentor"),
    PersonRole.INTRODUCER: ("入党介绍人", "introducer"),
}


# --- the rules (DESIGN.md §3), as pure functions -------------------------------------------------


def adult_on(birth_date: date) -> date:
    return add_years(birth_date, policy.DEV_MIN_APPLICANT_AGE_YEARS)


def check_applicant_age(birth_date: date | None, applied_on: date) -> None:
    """An applicant is at least 18 on the day of the application (the 18th birthday counts)."""
    if birth_date is None:
        raise BirthDateUnknown()
    if applied_on < adult_on(birth_date):
        raise ApplicantUnder18(
            f"递交入党申请之日（{applied_on}）未满十八周岁："
            f"出生于 {birth_date}，{adult_on(birth_date)} 年满十八周岁",
            f"Applied on {applied_on}, before turning 18 (born {birth_date}, 18 on {adult_on(birth_date)})",
        )


def talk_due_on(applied_on: date) -> date:
    return add_months(applied_on, policy.DEV_TALK_WITHIN_MONTHS)


def check_talk_in_time(applied_on: date, talked_on: date) -> None:
    """The organisation talks with the applicant within one month of receiving the application."""
    due = talk_due_on(applied_on)
    if talked_on > due:
        raise TalkOverdue(
            f"应在收到入党申请书后一个月内谈话：申请于 {applied_on}，最迟 {due}，谈话于 {talked_on}",
            f"The talk must be within one month of the application: applied {applied_on}, "
            f"due by {due}, talk on {talked_on}",
        )


def candidate_eligible_on(activist_on: date) -> date:
    return add_years(activist_on, policy.DEV_MIN_ACTIVIST_YEARS)


def check_activist_period(activist_on: date, decided_on: date) -> None:
    """An activist is trained and observed for a year or more before becoming a candidate."""
    earliest = candidate_eligible_on(activist_on)
    if decided_on < earliest:
        raise ActivistPeriodTooShort(
            f"入党积极分子须经一年以上培养考察：确定为积极分子于 {activist_on}，"
            f"最早 {earliest} 可列为发展对象，决定日期为 {decided_on}",
            f"An activist needs a year of training and observation: activist since {activist_on}, "
            f"a candidate from {earliest} at the earliest, decided on {decided_on}",
        )


def check_political_review(review: PoliticalReview, meeting_on: date) -> None:
    if not review.passed or review.completed_on > meeting_on:
        raise PoliticalReviewMissing(
            f"支部大会（{meeting_on}）前须完成政治审查且结论合格（审查于 {review.completed_on}，"
            f"{'合格' if review.passed else '不合格'}）",
            f"A passed political review must precede the meeting of {meeting_on} "
            f"(review of {review.completed_on}: {'passed' if review.passed else 'not passed'})",
        )


def check_training(training: Training, meeting_on: date) -> None:
    """Short concentrated training: at least 24 class hours or three days, finished before the meeting."""
    enough = (training.hours or 0) >= policy.DEV_MIN_TRAINING_HOURS or (
        training.days or 0
    ) >= policy.DEV_MIN_TRAINING_DAYS
    if not enough:
        raise TrainingInsufficient(
            f"短期集中培训不少于 {policy.DEV_MIN_TRAINING_DAYS} 天或 {policy.DEV_MIN_TRAINING_HOURS} 学时"
            f"（实际 {training.days or 0} 天、{training.hours or 0:g} 学时）",
            f"Concentrated training needs {policy.DEV_MIN_TRAINING_DAYS} days or "
            f"{policy.DEV_MIN_TRAINING_HOURS} class hours (had {training.days or 0} days, "
            f"{training.hours or 0:g} hours)",
        )
    if training.completed_on > meeting_on:
        raise TrainingInsufficient(
            f"培训须在支部大会（{meeting_on}）前结业，结业日期为 {training.completed_on}",
            f"Training must be completed before the meeting of {meeting_on}; "
            f"it was completed on {training.completed_on}",
        )


def check_public_notice(notice: PublicNotice, meeting_on: date) -> None:
    """The candidate is publicly notified for some days, ending before the branch meeting votes."""
    days = (notice.ends_on - notice.starts_on).days + 1
    if days < policy.DEV_MIN_PUBLIC_NOTICE_DAYS or notice.ends_on > meeting_on:
        raise PublicNoticeTooShort(
            f"公示期应不少于 {policy.DEV_MIN_PUBLIC_NOTICE_DAYS} 天并在支部大会（{meeting_on}）前结束："
            f"公示 {notice.starts_on} 至 {notice.ends_on}，共 {days} 天",
            f"The public notice must last {policy.DEV_MIN_PUBLIC_NOTICE_DAYS} days and end by the meeting "
            f"of {meeting_on}: it ran {notice.starts_on} to {notice.ends_on}, {days} days",
        )


def _more_than_share(count: int, of: int, share: tuple[int, int]) -> bool:
    numerator, denominator = share
    return count * denominator > of * numerator


def check_votes(votes: Votes, meeting_on: date) -> None:
    """More than half of those entitled to vote attend; more than half of those entitled vote for."""
    if not _more_than_share(votes.present, votes.eligible_voters, policy.DEV_QUORUM_SHARE):
        raise QuorumNotMet(
            f"{meeting_on} 的支部大会到会有表决权党员 {votes.present} 人，未超过应到会 "
            f"{votes.eligible_voters} 人的半数",
            f"The meeting of {meeting_on} had {votes.present} of {votes.eligible_voters} voters present: "
            "not more than half",
        )
    if not _more_than_share(votes.votes_for, votes.eligible_voters, policy.DEV_MAJORITY_SHARE):
        raise MajorityNotReached(
            f"{meeting_on} 的支部大会赞成 {votes.votes_for} 票，未超过应到会有表决权党员 "
            f"{votes.eligible_voters} 人的半数",
            f"The meeting of {meeting_on} had {votes.votes_for} votes for out of {votes.eligible_voters} "
            "entitled: not more than half",
        )


def approval_due_on(meeting_on: date) -> date:
    return add_months(meeting_on, policy.DEV_APPROVAL_WITHIN_MONTHS)


def check_approval_in_time(meeting_on: date, approved_on: date) -> None:
    """The superior committee decides within three months of the branch meeting."""
    due = approval_due_on(meeting_on)
    if approved_on > due:
        raise ApprovalTooLate(
            f"上级党委应在支部大会后三个月内审批：支部大会 {meeting_on}，最迟 {due}，审批于 {approved_on}",
            f"The superior committee must decide within three months of the branch meeting: "
            f"meeting {meeting_on}, due by {due}, decided {approved_on}",
        )


def probation_ends_on(probationary_on: date, extension_months: int = 0) -> date:
    return add_months(add_years(probationary_on, policy.DEV_PROBATION_YEARS), extension_months)


def check_probation_over(ends_on: date, decided_on: date) -> None:
    """Full membership (or an extension) is decided when the probation has run its year."""
    if decided_on < ends_on:
        raise ProbationNotOver(
            f"预备期至 {ends_on} 期满，{decided_on} 尚未期满",
            f"The probation ends on {ends_on}; on {decided_on} it is not over",
        )


def check_extension(months: int, previous_extensions: int) -> None:
    """Probation is extended once, by at least half a year and at most one year."""
    if previous_extensions >= policy.DEV_MAX_EXTENSIONS:
        raise AlreadyExtended()
    if months > policy.DEV_MAX_EXTENSION_MONTHS:
        raise ExtensionTooLong(
            f"延长预备期最长不超过 {policy.DEV_MAX_EXTENSION_MONTHS} 个月，申请延长 {months} 个月",
            f"An extension is at most {policy.DEV_MAX_EXTENSION_MONTHS} months; {months} were asked",
        )
    if months < policy.DEV_MIN_EXTENSION_MONTHS:
        raise ExtensionTooShort(
            f"延长预备期不能少于 {policy.DEV_MIN_EXTENSION_MONTHS} 个月，申请延长 {months} 个月",
            f"An extension is at least {policy.DEV_MIN_EXTENSION_MONTHS} months; {months} were asked",
        )


def check_stage(member: Member, kind: StepKind) -> None:
    """The command fits the member's stage; otherwise name the step that is missing (or passed)."""
    required = REQUIRED_STAGE[kind]
    if member.stage is required:
        return
    stage_zh, stage_en = STAGE_NAMES[member.stage]
    kind_zh, kind_en = STEP_NAMES[kind]
    if STAGE_ORDER.index(member.stage) < STAGE_ORDER.index(required):
        missing_zh, missing_en = STEP_NAMES[ENTERED_BY[STAGE_ORDER[STAGE_ORDER.index(member.stage) + 1]]]
        raise StageOutOfOrder(
            f"{member.name}目前是{stage_zh}，须先“{missing_zh}”，才能“{kind_zh}”",
            f"{member.name} is {stage_en}: {missing_en} must come before {kind_en}",
        )
    raise StageOutOfOrder(
        f"{member.name}已是{stage_zh}，不能再“{kind_zh}”",
        f"{member.name} is already {stage_en}; {kind_en} no longer applies",
    )


@dataclass(frozen=True, slots=True)
class Earlier:
    """The event a date may not precede, for the 422 message."""

    zh: str
    en: str
    on: date


def check_date(field: str, value: date, *, today: date, birth: date | None, after: Earlier | None) -> None:
    """Input sanity (422): not in the future, not before birth, not before the previous step."""
    if value > today:
        raise DateInFuture(
            field, f"{field}（{value}）不能晚于今天（{today}）", f"{field} ({value}) is after today"
        )
    if birth is not None and value < birth:
        raise DateBeforeBirth(
            field,
            f"{field}（{value}）不能早于出生日期（{birth}）",
            f"{field} ({value}) precedes birth ({birth})",
        )
    if after is not None and value < after.on:
        raise DateBeforePreviousStep(
            field,
            f"{field}（{value}）不能早于{after.zh}（{after.on}）",
            f"{field} ({value}) precedes {after.en} ({after.on})",
        )
