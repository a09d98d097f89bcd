"""The development pipeline (发展党员) as a state machine.

Each command loads the member within the caller's subtree (404 outside it), checks the input can
be true (422), checks the rules of DESIGN.md §3 (409, naming the rule and the dates), and only then
writes the step and the member's new stage — all in the caller's one transaction, so a refused
command writes nothing. The rules themselves are the small pure functions in the first section.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from vanguard.core import policy
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import InvalidCursor
from vanguard.core.permissions import Scope
from vanguard.development.dates import add_months, add_years
from vanguard.development.errors import (
    ActivistPeriodTooShort,
    AlreadyExtended,
    ApplicantUnder18,
    ApprovalPending,
    ApprovalTooLate,
    BirthDateUnknown,
    DateBeforeBirth,
    DateBeforePreviousStep,
    DateInFuture,
    ExtensionTooLong,
    ExtensionTooShort,
    IntroducerNotEligible,
    MajorityNotReached,
    MemberNotActive,
    MentorNotEligible,
    NothingToApprove,
    PoliticalReviewMissing,
    ProbationNotOver,
    PublicNoticeTooShort,
    QuorumNotMet,
    StageDateUnknown,
    StageOutOfOrder,
    TalkAlreadyHeld,
    TalkOverdue,
    TrainingInsufficient,
)
from vanguard.development.models import (
    ApprovalStatus,
    DecisionBody,
    DevelopmentStep,
    DevelopmentStepPerson,
    PersonRole,
    StepKind,
)
from vanguard.development.schemas import (
    ActivistCreate,
    AdmitCreate,
    Approval,
    ApprovalCreate,
    CancelCreate,
    CandidateCreate,
    ConfirmCreate,
    DueItem,
    DueList,
    DueRule,
    ExtendCreate,
    PoliticalReview,
    PublicNotice,
    StepPersonRead,
    StepRead,
    TalkCreate,
    TimelineRead,
    Training,
    Votes,
)
from vanguard.members.models import Member, MemberStatus, Stage
from vanguard.members.service import get_member, readable
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation

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


# --- loading --------------------------------------------------------------------------------------


def _load(session: Session, scope: Scope, member_id: int, if_match: str | None) -> Member:
    member = get_member(session, scope, member_id, for_update=True)
    check_if_match(if_match, member.version)
    if member.status is not MemberStatus.NORMAL:
        raise MemberNotActive(
            f"{member.name}已不在册（{member.status.value}），不能继续发展程序",
            f"{member.name} has left the roll ({member.status.value}); the procedure cannot continue",
        )
    return member


def _stage_date(member: Member, field: str) -> date:
    value: date | None = getattr(member, field)
    if value is None:
        raise StageDateUnknown(
            f"{member.name}的 {field} 未登记，请先补充党员信息",
            f"{member.name} has no {field} recorded; complete the member's record first",
        )
    return value


def _talk_since(session: Session, member_id: int, applied_on: date) -> DevelopmentStep | None:
    return session.scalars(
        select(DevelopmentStep)
        .where(
            DevelopmentStep.member_id == member_id,
            DevelopmentStep.kind == StepKind.TALK,
            DevelopmentStep.decided_on >= applied_on,
        )
        .order_by(DevelopmentStep.decided_on.desc(), DevelopmentStep.id.desc())
        .limit(1)
    ).first()


def _pending(session: Session, member_id: int) -> DevelopmentStep | None:
    return session.scalars(
        select(DevelopmentStep).where(
            DevelopmentStep.member_id == member_id,
            DevelopmentStep.approval_status == ApprovalStatus.PENDING,
        )
    ).first()


def _ensure_nothing_pending(session: Session, member: Member, today: date) -> None:
    """A decision awaiting approval blocks the next one, until its three months have run out: then it
    has lapsed, and the branch meeting decides again (复议) — the new decision replaces it."""
    pending = _pending(session, member.id)
    if pending is None:
        return
    if approval_due_on(pending.decided_on) < today:
        pending.approval_status = ApprovalStatus.LAPSED
        return
    kind_zh, kind_en = STEP_NAMES[pending.kind]
    raise ApprovalPending(
        f"{pending.decided_on} 支部大会关于“{kind_zh}”的决议尚待上级党委审批，"
        f"最迟 {approval_due_on(pending.decided_on)}",
        f"The branch meeting's decision of {pending.decided_on} on {kind_en} awaits approval "
        f"until {approval_due_on(pending.decided_on)}",
    )


def _extensions(session: Session, members: Sequence[Member]) -> dict[int, list[int]]:
    """The months of each approved extension of each member's current probation (one query for all)."""
    since = {m.id: m.probationary_on for m in members if m.probationary_on is not None}
    found: dict[int, list[int]] = {member_id: [] for member_id in since}
    if not since:
        return found
    rows = session.execute(
        select(DevelopmentStep.member_id, DevelopmentStep.decided_on, DevelopmentStep.evidence).where(
            DevelopmentStep.member_id.in_(since),
            DevelopmentStep.kind == StepKind.EXTEND,
            DevelopmentStep.approval_status == ApprovalStatus.APPROVED,
        )
    )
    for member_id, decided_on, evidence in rows:
        if decided_on >= since[member_id]:
            found[member_id].append(int(evidence["months"]))
    return found


def _probation_end(session: Session, member: Member) -> date:
    probationary_on = _stage_date(member, "probationary_on")
    return probation_ends_on(probationary_on, sum(_extensions(session, [member])[member.id]))


def _eligible_people(
    session: Session, member: Member, ids: Sequence[int], role: PersonRole, on: date
) -> None:
    """Mentors and introducers are full members in good standing of the member's own organisation."""
    error = MentorNotEligible if role is PersonRole.MENTOR else IntroducerNotEligible
    role_zh, role_en = ROLE_NAMES[role]
    if member.id in ids:
        raise error(f"本人不能作自己的{role_zh}", f"Nobody can be their own {role_en}")
    found = {p.id: p for p in session.scalars(select(Member).where(Member.id.in_(ids)))}
    for person_id in ids:
        person = found.get(person_id)
        same_org = person is not None and person.org_id == member.org_id
        if person is None or not same_org:
            # Say nothing more about a person outside the member's organisation.
            raise error(
                f"编号 {person_id} 不是本组织的党员，不能作{role_zh}",
                f"Member {person_id} is not in this organisation and cannot be a {role_en}",
            )
        full = person.stage is Stage.FULL and person.status is MemberStatus.NORMAL
        if not full or (person.full_member_on is not None and person.full_member_on > on):
            raise error(
                f"{person.name}在 {on} 不是在册正式党员，不能作{role_zh}",
                f"{person.name} was not a full member in good standing on {on} and cannot be a {role_en}",
            )


# --- commands -------------------------------------------------------------------------------------


def _add_step(
    session: Session,
    member: Member,
    kind: StepKind,
    *,
    to_stage: Stage,
    decided_on: date,
    decided_by: DecisionBody | None,
    evidence: dict[str, Any],
    note: str | None,
    people: Iterable[tuple[int, PersonRole]] = (),
    needs_approval: bool = False,
    approval: Approval | None = None,
) -> DevelopmentStep:
    status = ApprovalStatus.NOT_REQUIRED
    if needs_approval:
        status = ApprovalStatus.APPROVED if approval is not None else ApprovalStatus.PENDING
    step = DevelopmentStep(
        member_id=member.id,
        org_id=member.org_id,
        kind=kind,
        from_stage=member.stage,
        to_stage=to_stage,
        decided_on=decided_on,
        decided_by=decided_by,
        approval_status=status,
        approved_by=approval.approved_by if approval else None,
        approved_on=approval.approved_on if approval else None,
        evidence=evidence,
        note=note,
        people=[DevelopmentStepPerson(member_id=pid, role=role) for pid, role in people],
    )
    session.add(step)
    return step


def _take_effect(member: Member, step: DevelopmentStep) -> None:
    """What an effective (approved, or approval-free) step changes on the member's record."""
    match step.kind:
        case StepKind.ACTIVIST:
            member.stage, member.activist_on = Stage.ACTIVIST, step.decided_on
        case StepKind.CANDIDATE:
            member.stage, member.candidate_on = Stage.CANDIDATE, step.decided_on
        case StepKind.ADMIT:
            # Probation, and Party standing, run from the branch meeting, not from the approval.
            member.stage, member.probationary_on = Stage.PROBATIONARY, step.decided_on
        case StepKind.CONFIRM:
            # Full membership dates from the end of the probation (预备期满之日).
            member.stage = Stage.FULL
            member.full_member_on = date.fromisoformat(step.evidence["probation_ended_on"])
        case StepKind.CANCEL:
            member.status = MemberStatus.WITHDRAWN
            member.left_on = step.approved_on
            member.left_reason = f"取消预备党员资格：{step.evidence['reason']}"
        case StepKind.TALK | StepKind.EXTEND:
            pass  # the talk changes no stage; an extension moves the computed probation end


def _check_approval(approval: Approval | None, meeting_on: date, today: date, birth: date | None) -> None:
    if approval is None:
        return
    after = Earlier("支部大会", "the branch meeting", meeting_on)
    check_date("approval.approved_on", approval.approved_on, today=today, birth=birth, after=after)
    check_approval_in_time(meeting_on, approval.approved_on)


def _finish(session: Session, member: Member, step: DevelopmentStep) -> DevelopmentStep:
    if step.approval_status in (ApprovalStatus.NOT_REQUIRED, ApprovalStatus.APPROVED):
        _take_effect(member, step)
    session.flush()
    return step


def record_talk(
    session: Session,
    scope: Scope,
    member_id: int,
    data: TalkCreate,
    if_match: str | None = None,
    *,
    today: date | None = None,
) -> DevelopmentStep:
    today = today or date.today()
    member = _load(session, scope, member_id, if_match)
    check_stage(member, StepKind.TALK)
    applied_on = _stage_date(member, "applied_on")
    application = Earlier("递交入党申请", "the application", applied_on)
    check_date("talked_on", data.talked_on, today=today, birth=member.birth_date, after=application)
    check_applicant_age(member.birth_date, applied_on)
    held = _talk_since(session, member.id, applied_on)
    if held is not None:
        raise TalkAlreadyHeld(
            f"已于 {held.decided_on} 就 {applied_on} 的入党申请谈话",
            f"The talk about the application of {applied_on} was held on {held.decided_on}",
        )
    check_talk_in_time(applied_on, data.talked_on)
    step = _add_step(
        session,
        member,
        StepKind.TALK,
        to_stage=Stage.APPLICANT,
        decided_on=data.talked_on,
        decided_by=None,
        evidence={"talked_by": data.talked_by, "applied_on": applied_on.isoformat()},
        note=data.note,
    )
    return _finish(session, member, step)


def make_activist(
    session: Session,
    scope: Scope,
    member_id: int,
    data: ActivistCreate,
    if_match: str | None = None,
    *,
    today: date | None = None,
) -> DevelopmentStep:
    today = today or date.today()
    member = _load(session, scope, member_id, if_match)
    check_stage(member, StepKind.ACTIVIST)
    applied_on = _stage_date(member, "applied_on")
    talk = _talk_since(session, member.id, applied_on)
    if talk is None:
        raise StageOutOfOrder(
            f"须先就 {applied_on} 的入党申请同{member.name}谈话，才能确定为入党积极分子",
            f"The talk about the application of {applied_on} must come before becoming an activist",
        )
    birth = member.birth_date
    after_talk = Earlier("谈话", "the talk", talk.decided_on)
    check_date("decided_on", data.decided_on, today=today, birth=birth, after=after_talk)
    if data.filed_on is not None:
        decision = Earlier("支部决定", "the decision", data.decided_on)
        check_date("filed_on", data.filed_on, today=today, birth=birth, after=decision)
    check_applicant_age(birth, applied_on)
    _eligible_people(session, member, data.mentor_ids, PersonRole.MENTOR, data.decided_on)
    step = _add_step(
        session,
        member,
        StepKind.ACTIVIST,
        to_stage=Stage.ACTIVIST,
        decided_on=data.decided_on,
        decided_by=data.decided_by,
        evidence=data.model_dump(mode="json", include={"recommended_by", "filed_on"}),
        note=data.note,
        people=[(pid, PersonRole.MENTOR) for pid in data.mentor_ids],
    )
    return _finish(session, member, step)


def make_candidate(
    session: Session,
    scope: Scope,
    member_id: int,
    data: CandidateCreate,
    if_match: str | None = None,
    *,
    today: date | None = None,
) -> DevelopmentStep:
    today = today or date.today()
    member = _load(session, scope, member_id, if_match)
    check_stage(member, StepKind.CANDIDATE)
    activist_on = _stage_date(member, "activist_on")
    birth = member.birth_date
    activist = Earlier("确定为入党积极分子", "becoming an activist", activist_on)
    check_date("decided_on", data.decided_on, today=today, birth=birth, after=activist)
    if data.filed_on is not None:
        decision = Earlier("支部决定", "the decision", data.decided_on)
        check_date("filed_on", data.filed_on, today=today, birth=birth, after=decision)
    check_activist_period(activist_on, data.decided_on)
    step = _add_step(
        session,
        member,
        StepKind.CANDIDATE,
        to_stage=Stage.CANDIDATE,
        decided_on=data.decided_on,
        decided_by=data.decided_by,
        evidence=data.model_dump(mode="json", include={"filed_on"}),
        note=data.note,
    )
    return _finish(session, member, step)


def admit(
    session: Session,
    scope: Scope,
    member_id: int,
    data: AdmitCreate,
    if_match: str | None = None,
    *,
    today: date | None = None,
) -> DevelopmentStep:
    """The branch general meeting admits the candidate as a probationary member; effective on approval."""
    today = today or date.today()
    member = _load(session, scope, member_id, if_match)
    check_stage(member, StepKind.ADMIT)
    _ensure_nothing_pending(session, member, today)
    candidate_on = _stage_date(member, "candidate_on")
    birth = member.birth_date
    candidate = Earlier("列为发展对象", "becoming a candidate", candidate_on)
    check_date("decided_on", data.decided_on, today=today, birth=birth, after=candidate)
    for field, value in (
        ("political_review.completed_on", data.political_review.completed_on),
        ("training.completed_on", data.training.completed_on),
        ("public_notice.starts_on", data.public_notice.starts_on),
        ("public_notice.ends_on", data.public_notice.ends_on),
    ):
        check_date(field, value, today=today, birth=birth, after=None)
    if data.pre_reviewed_on is not None:
        check_date("pre_reviewed_on", data.pre_reviewed_on, today=today, birth=birth, after=candidate)
        pre_review = Earlier("上级党委预审", "the pre-review", data.pre_reviewed_on)
        check_date("decided_on", data.decided_on, today=today, birth=birth, after=pre_review)
    _check_approval(data.approval, data.decided_on, today, birth)
    check_political_review(data.political_review, data.decided_on)
    check_training(data.training, data.decided_on)
    check_public_notice(data.public_notice, data.decided_on)
    check_votes(data.votes, data.decided_on)
    _eligible_people(session, member, data.introducer_ids, PersonRole.INTRODUCER, data.decided_on)
    step = _add_step(
        session,
        member,
        StepKind.ADMIT,
        to_stage=Stage.PROBATIONARY,
        decided_on=data.decided_on,
        decided_by=DecisionBody.BRANCH_MEETING,
        evidence=data.model_dump(
            mode="json",
            include={"political_review", "training", "public_notice", "pre_reviewed_on", "votes"},
        ),
        note=data.note,
        people=[(pid, PersonRole.INTRODUCER) for pid in data.introducer_ids],
        needs_approval=True,
        approval=data.approval,
    )
    return _finish(session, member, step)


def _probation_decision(
    session: Session,
    scope: Scope,
    member_id: int,
    kind: StepKind,
    data: ConfirmCreate | ExtendCreate | CancelCreate,
    if_match: str | None,
    today: date,
) -> tuple[Member, date]:
    """What confirmation, extension and cancellation share: stage, dates, approval and the vote."""
    member = _load(session, scope, member_id, if_match)
    check_stage(member, kind)
    _ensure_nothing_pending(session, member, today)
    probationary_on = _stage_date(member, "probationary_on")
    admitted = Earlier("接收为预备党员", "the admission", probationary_on)
    check_date("decided_on", data.decided_on, today=today, birth=member.birth_date, after=admitted)
    _check_approval(data.approval, data.decided_on, today, member.birth_date)
    return member, _probation_end(session, member)


def confirm(
    session: Session,
    scope: Scope,
    member_id: int,
    data: ConfirmCreate,
    if_match: str | None = None,
    *,
    today: date | None = None,
) -> DevelopmentStep:
    """At the end of probation the branch meeting makes them a full member, from the day it ended."""
    member, ends_on = _probation_decision(
        session, scope, member_id, StepKind.CONFIRM, data, if_match, today or date.today()
    )
    check_probation_over(ends_on, data.decided_on)
    check_votes(data.votes, data.decided_on)
    step = _add_step(
        session,
        member,
        StepKind.CONFIRM,
        to_stage=Stage.FULL,
        decided_on=data.decided_on,
        decided_by=DecisionBody.BRANCH_MEETING,
        evidence={
            **data.model_dump(mode="json", include={"votes"}),
            "probation_ended_on": ends_on.isoformat(),
        },
        note=data.note,
        needs_approval=True,
        approval=data.approval,
    )
    return _finish(session, member, step)


def extend(
    session: Session,
    scope: Scope,
    member_id: int,
    data: ExtendCreate,
    if_match: str | None = None,
    *,
    today: date | None = None,
) -> DevelopmentStep:
    """At the end of probation the branch meeting extends it, once, by six to twelve months."""
    member, ends_on = _probation_decision(
        session, scope, member_id, StepKind.EXTEND, data, if_match, today or date.today()
    )
    check_extension(data.months, len(_extensions(session, [member])[member.id]))
    check_probation_over(ends_on, data.decided_on)
    check_votes(data.votes, data.decided_on)
    step = _add_step(
        session,
        member,
        StepKind.EXTEND,
        to_stage=Stage.PROBATIONARY,
        decided_on=data.decided_on,
        decided_by=DecisionBody.BRANCH_MEETING,
        evidence={
            **data.model_dump(mode="json", include={"months", "reason", "votes"}),
            "probation_ended_on": ends_on.isoformat(),
            "extended_to": add_months(ends_on, data.months).isoformat(),
        },
        note=data.note,
        needs_approval=True,
        approval=data.approval,
    )
    return _finish(session, member, step)


def cancel(
    session: Session,
    scope: Scope,
    member_id: int,
    data: CancelCreate,
    if_match: str | None = None,
    *,
    today: date | None = None,
) -> DevelopmentStep:
    """The probation is cancelled (at its end, or earlier for misconduct): they leave the roll."""
    member, _ends_on = _probation_decision(
        session, scope, member_id, StepKind.CANCEL, data, if_match, today or date.today()
    )
    check_votes(data.votes, data.decided_on)
    step = _add_step(
        session,
        member,
        StepKind.CANCEL,
        to_stage=Stage.PROBATIONARY,
        decided_on=data.decided_on,
        decided_by=DecisionBody.BRANCH_MEETING,
        evidence=data.model_dump(mode="json", include={"reason", "votes"}),
        note=data.note,
        needs_approval=True,
        approval=data.approval,
    )
    return _finish(session, member, step)


def decide_approval(
    session: Session,
    scope: Scope,
    member_id: int,
    data: ApprovalCreate,
    if_match: str | None = None,
    *,
    today: date | None = None,
) -> DevelopmentStep:
    """The superior committee approves (or refuses) the decision awaiting it; approval makes it effective.
    Only approval has a deadline: a refusal may be recorded whenever it comes."""
    today = today or date.today()
    member = _load(session, scope, member_id, if_match)
    step = _pending(session, member.id)
    if step is None:
        raise NothingToApprove(
            f"{member.name}没有待审批的决议", f"{member.name} has no decision awaiting approval"
        )
    meeting = Earlier("支部大会", "the branch meeting", step.decided_on)
    check_date("approved_on", data.approved_on, today=today, birth=member.birth_date, after=meeting)
    if data.approved:
        check_approval_in_time(step.decided_on, data.approved_on)
    step.approval_status = ApprovalStatus.APPROVED if data.approved else ApprovalStatus.REJECTED
    step.approved_by, step.approved_on = data.approved_by, data.approved_on
    if data.note:
        # Reassigned, not updated in place: the ORM does not track changes inside a JSON value.
        step.evidence = {**step.evidence, "approval_note": data.note}
    return _finish(session, member, step)


# --- reads ----------------------------------------------------------------------------------------


def _names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {
        row.id: row.name
        for row in session.execute(select(Member.id, Member.name).where(Member.id.in_(wanted)))
    }


def _step_read(step: DevelopmentStep, names: dict[int, str]) -> StepRead:
    return StepRead(
        id=step.id,
        member_id=step.member_id,
        org_id=step.org_id,
        kind=step.kind,
        from_stage=step.from_stage,
        to_stage=step.to_stage,
        decided_on=step.decided_on,
        decided_by=step.decided_by,
        approval_status=step.approval_status,
        approved_by=step.approved_by,
        approved_on=step.approved_on,
        evidence=step.evidence,
        note=step.note,
        people=[
            StepPersonRead(member_id=p.member_id, name=names.get(p.member_id, ""), role=p.role)
            for p in sorted(step.people, key=lambda p: (p.role.value, p.member_id))
        ],
        created_at=step.created_at,
    )


def step_read(session: Session, step: DevelopmentStep) -> StepRead:
    return _step_read(step, _names(session, (p.member_id for p in step.people)))


def timeline(session: Session, scope: Scope, member_id: int) -> TimelineRead:
    member = get_member(session, scope, member_id)
    steps = session.scalars(
        select(DevelopmentStep)
        .where(DevelopmentStep.member_id == member.id)
        .order_by(DevelopmentStep.decided_on, DevelopmentStep.id)
    ).all()
    names = _names(session, (p.member_id for s in steps for p in s.people))
    ends_on = None
    if member.stage is Stage.PROBATIONARY and member.probationary_on is not None:
        ends_on = _probation_end(session, member)
    return TimelineRead(
        member_id=member.id,
        name=member.name,
        org_id=member.org_id,
        stage=member.stage,
        status=member.status,
        applied_on=member.applied_on,
        activist_on=member.activist_on,
        candidate_on=member.candidate_on,
        probationary_on=member.probationary_on,
        full_member_on=member.full_member_on,
        probation_ends_on=ends_on,
        steps=[_step_read(s, names) for s in steps],
    )


# --- the due-soon list ----------------------------------------------------------------------------

# The shortest a period can be, so SQL can pre-filter before the exact calendar arithmetic.
_MIN_DAYS_IN_MONTHS = {1: 28, 3: 89, 6: 181, 12: 365}


def _min_days(months: int) -> int:
    return _MIN_DAYS_IN_MONTHS.get(months, months * 28)


@dataclass(frozen=True, slots=True)
class _Due:
    member: Member
    org_name: str
    rule: DueRule
    due_on: date
    deadline: bool
    step_id: int | None = None

    @property
    def key(self) -> tuple[date, int, str]:
        return self.due_on, self.member.id, self.rule.value


def _encode_cursor(key: tuple[date, int, str]) -> str:
    raw = json.dumps([key[0].isoformat(), key[1], key[2]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[date, int, str]:
    try:
        raw = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
        due_on, member_id, rule = raw
        key = (date.fromisoformat(due_on), member_id, DueRule(rule).value)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(member_id, int) or isinstance(member_id, bool):
        raise InvalidCursor()
    return key


def _due_candidates(session: Session, base: Select[Any], horizon: date) -> list[_Due]:
    normal = Member.status == MemberStatus.NORMAL
    due: list[_Due] = []

    talk_held = exists().where(
        DevelopmentStep.member_id == Member.id,
        DevelopmentStep.kind == StepKind.TALK,
        DevelopmentStep.decided_on >= Member.applied_on,
    )
    latest_application = horizon - timedelta(days=_min_days(policy.DEV_TALK_WITHIN_MONTHS))
    applicants = base.where(
        normal, Member.stage == Stage.APPLICANT, Member.applied_on <= latest_application, ~talk_held
    )
    for member, org_name in session.execute(applicants):
        if member.applied_on is not None:
            due_on = talk_due_on(member.applied_on)
            due.append(_Due(member, org_name, DueRule.TALK_DUE, due_on, deadline=True))

    latest_activist = horizon - timedelta(days=_min_days(12 * policy.DEV_MIN_ACTIVIST_YEARS))
    activists = base.where(normal, Member.stage == Stage.ACTIVIST, Member.activist_on <= latest_activist)
    for member, org_name in session.execute(activists):
        if member.activist_on is not None:
            eligible = candidate_eligible_on(member.activist_on)
            due.append(_Due(member, org_name, DueRule.CANDIDATE_ELIGIBLE, eligible, deadline=False))

    latest_meeting = horizon - timedelta(days=_min_days(policy.DEV_APPROVAL_WITHIN_MONTHS))
    awaiting = (
        base.add_columns(DevelopmentStep.id, DevelopmentStep.decided_on)
        .join(DevelopmentStep, DevelopmentStep.member_id == Member.id)
        .where(
            normal,
            DevelopmentStep.approval_status == ApprovalStatus.PENDING,
            DevelopmentStep.decided_on <= latest_meeting,
        )
    )
    for member, org_name, step_id, decided_on in session.execute(awaiting):
        due_on = approval_due_on(decided_on)
        due.append(_Due(member, org_name, DueRule.APPROVAL_DUE, due_on, deadline=True, step_id=step_id))

    pending = exists().where(
        DevelopmentStep.member_id == Member.id, DevelopmentStep.approval_status == ApprovalStatus.PENDING
    )
    latest_admission = horizon - timedelta(days=_min_days(12 * policy.DEV_PROBATION_YEARS))
    probationers = session.execute(
        base.where(
            normal,
            Member.stage == Stage.PROBATIONARY,
            Member.probationary_on <= latest_admission,
            ~pending,
        )
    ).all()
    extensions = _extensions(session, [m for m, _ in probationers])
    for member, org_name in probationers:
        if member.probationary_on is not None:
            ends_on = probation_ends_on(member.probationary_on, sum(extensions[member.id]))
            due.append(_Due(member, org_name, DueRule.PROBATION_ENDING, ends_on, deadline=True))
    return [d for d in due if d.due_on <= horizon]


def due_list(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    within_days: int,
    cursor: str | None,
    limit: int,
    today: date | None = None,
) -> DueList:
    """Who is ready for the next step within `within_days`, and who is overdue, soonest first."""
    today = today or date.today()
    horizon = today + timedelta(days=within_days)
    base: Select[Any] = readable(scope).add_columns(Organisation.name)
    if org_id is not None:
        base = base.where(Organisation.path.like(orgs.get(session, scope, org_id).path + "%"))
    items = sorted(_due_candidates(session, base, horizon), key=lambda d: d.key)
    if cursor is not None:
        after = _decode_cursor(cursor)
        items = [d for d in items if d.key > after]
    page, more = items[:limit], len(items) > limit
    return DueList(
        as_of=today,
        within_days=within_days,
        items=[
            DueItem(
                member_id=d.member.id,
                member_name=d.member.name,
                org_id=d.member.org_id,
                org_name=d.org_name,
                stage=d.member.stage,
                rule=d.rule,
                due_on=d.due_on,
                deadline=d.deadline,
                overdue=d.deadline and d.due_on < today,
                days_overdue=max(0, (today - d.due_on).days) if d.deadline else 0,
                step_id=d.step_id,
            )
            for d in page
        ],
        next_cursor=_encode_cursor(page[-1].key) if more and page else None,
    )
