"""The development pipeline (发展党员) as a state machine.

Each command loads the member within the caller's subtree (404 outside it), checks the input can
be true (422), checks the rules of DESIGN.md §3 (409, naming the rule and the dates), and only then
writes the step and the member's new stage — all in the caller's one transaction, so a refused
command writes nothing. The rules themselves are the small pure functions in `rules.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.core.clock import local_today
from vanguard.core.etag import check_if_match
from vanguard.core.permissions import Scope
from vanguard.development.dates import add_months
from vanguard.development.errors import (
    ApprovalPending,
    IntroducerNotEligible,
    MemberNotActive,
    MentorNotEligible,
    NothingToApprove,
    StageDateUnknown,
    StageOutOfOrder,
    TalkAlreadyHeld,
)
from vanguard.development.models import (
    ApprovalStatus,
    DecisionBody,
    DevelopmentStep,
    DevelopmentStepPerson,
    PersonRole,
    StepKind,
)
from vanguard.development.next_step import next_step
from vanguard.development.rules import (
    ROLE_NAMES,
    STEP_NAMES,
    Earlier,
    approval_due_on,
    check_activist_period,
    check_applicant_age,
    check_approval_in_time,
    check_date,
    check_extension,
    check_political_review,
    check_probation_over,
    check_public_notice,
    check_stage,
    check_talk_in_time,
    check_training,
    check_votes,
    probation_ends_on,
)
from vanguard.development.schemas import (
    ActivistCreate,
    AdmitCreate,
    Approval,
    ApprovalCreate,
    CancelCreate,
    CandidateCreate,
    ConfirmCreate,
    ExtendCreate,
    StepPersonRead,
    StepRead,
    TalkCreate,
    TimelineRead,
)
from vanguard.members.models import Member, MemberStatus, Stage
from vanguard.members.service import get_member
from vanguard.publicity.service import ensure_objections_answered

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


def probation_extensions(session: Session, members: Sequence[Member]) -> dict[int, list[int]]:
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
    return probation_ends_on(probationary_on, sum(probation_extensions(session, [member])[member.id]))


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
    today = today or local_today()
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
    today = today or local_today()
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
    today = today or local_today()
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
    today = today or local_today()
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
    ensure_objections_answered(session, member)  # objections to the notice are answered first (党务公开)
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
        session, scope, member_id, StepKind.CONFIRM, data, if_match, today or local_today()
    )
    check_probation_over(ends_on, data.decided_on)
    ensure_objections_answered(session, member)  # the probationary member's notice, likewise
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
        session, scope, member_id, StepKind.EXTEND, data, if_match, today or local_today()
    )
    check_extension(data.months, len(probation_extensions(session, [member])[member.id]))
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
        session, scope, member_id, StepKind.CANCEL, data, if_match, today or local_today()
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
    today = today or local_today()
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


def timeline(session: Session, scope: Scope, member_id: int, today: date | None = None) -> TimelineRead:
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
    today = today or local_today()
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
        as_of=today,
        next=next_step(member, steps, ends_on, today),
    )
