"""The rules of DESIGN.md §3 (发展党员工作细则), one test each, at the service layer.

Each refused command is a 409 naming the rule (its `code`) and the dates involved."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.development.factory import VOTES, Roll, admit_body
from vanguard.core.permissions import Scope
from vanguard.development import errors, rules, service
from vanguard.development.models import ApprovalStatus, DevelopmentStep
from vanguard.development.schemas import (
    ActivistCreate,
    AdmitCreate,
    Approval,
    ApprovalCreate,
    CancelCreate,
    CandidateCreate,
    ConfirmCreate,
    ExtendCreate,
    PoliticalReview,
    PublicNotice,
    Recommendation,
    TalkCreate,
    Training,
    Votes,
)
from vanguard.members.models import Member, MemberStatus, Stage

EVERYONE = Scope.everything()
TODAY = date(2026, 6, 30)


def talk(on: date) -> TalkCreate:
    return TalkCreate(talked_on=on, talked_by="李书记")


def activist(on: date, mentors: list[int]) -> ActivistCreate:
    return ActivistCreate(decided_on=on, recommended_by=Recommendation.PARTY_MEMBERS, mentor_ids=mentors)


def approval(on: date) -> Approval:
    return Approval(approved_by="中共甲镇委员会", approved_on=on)


def steps(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DevelopmentStep)) or 0


@pytest.fixture
def full(roll: Roll) -> list[Member]:
    """Three full members of branch A1, to serve as mentors and introducers."""
    return [roll.full(name) for name in ("王正式", "赵正式", "钱正式")]


@pytest.fixture
def probationer(roll: Roll) -> Member:
    """Admitted by the branch meeting on 2025-06-10 (approved), so the probation ends on 2026-06-10."""
    return roll.add(
        "孙预备",
        stage=Stage.PROBATIONARY,
        applied_on=date(2022, 1, 5),
        activist_on=date(2022, 3, 1),
        candidate_on=date(2023, 3, 1),
        probationary_on=date(2025, 6, 10),
    )


# --- 申请人年满十八岁 --------------------------------------------------------------------------------


def test_applicant_under_18(session: Session, roll: Roll) -> None:
    member = roll.add(birth=date(2008, 6, 2), applied_on=date(2026, 6, 1))
    with pytest.raises(errors.ApplicantUnder18) as refused:
        service.record_talk(session, EVERYONE, member.id, talk(date(2026, 6, 10)), today=TODAY)
    assert refused.value.code == "applicant_under_18"
    assert "2026-06-01" in refused.value.zh
    assert "2026-06-02" in refused.value.en  # the 18th birthday
    assert steps(session) == 0


def test_applicant_under_18_counts_the_18th_birthday_as_18(session: Session, roll: Roll) -> None:
    member = roll.add(birth=date(2008, 6, 1), applied_on=date(2026, 6, 1))
    step = service.record_talk(session, EVERYONE, member.id, talk(date(2026, 6, 10)), today=TODAY)
    assert step.decided_on == date(2026, 6, 10)


def test_applicant_under_18_born_on_29_february_is_18_on_28_february() -> None:
    rules.check_applicant_age(date(2008, 2, 29), date(2026, 2, 28))
    with pytest.raises(errors.ApplicantUnder18):
        rules.check_applicant_age(date(2008, 2, 29), date(2026, 2, 27))


def test_birth_date_unknown(session: Session, roll: Roll) -> None:
    member = roll.add(birth=None, applied_on=date(2026, 6, 1))
    with pytest.raises(errors.BirthDateUnknown):
        service.record_talk(session, EVERYONE, member.id, talk(date(2026, 6, 10)), today=TODAY)


def test_stage_date_unknown(session: Session, roll: Roll) -> None:
    member = roll.add(applied_on=None)
    with pytest.raises(errors.StageDateUnknown) as refused:
        service.record_talk(session, EVERYONE, member.id, talk(date(2026, 6, 10)), today=TODAY)
    assert "applied_on" in refused.value.en


# --- 一个月内谈话 -------------------------------------------------------------------------------------


def test_talk_overdue(session: Session, roll: Roll) -> None:
    member = roll.add(applied_on=date(2026, 3, 10))
    with pytest.raises(errors.TalkOverdue) as refused:
        service.record_talk(session, EVERYONE, member.id, talk(date(2026, 4, 11)), today=TODAY)
    assert refused.value.code == "talk_overdue"
    assert all(d in refused.value.zh for d in ("2026-03-10", "2026-04-10", "2026-04-11"))
    assert steps(session) == 0


def test_talk_overdue_counts_to_the_end_of_a_shorter_month(session: Session, roll: Roll) -> None:
    member = roll.add(applied_on=date(2026, 1, 31))
    service.record_talk(session, EVERYONE, member.id, talk(date(2026, 2, 28)), today=TODAY)
    with pytest.raises(errors.TalkOverdue):
        rules.check_talk_in_time(date(2026, 1, 31), date(2026, 3, 1))


def test_talk_already_held(session: Session, roll: Roll) -> None:
    member = roll.add(applied_on=date(2026, 6, 1))
    service.record_talk(session, EVERYONE, member.id, talk(date(2026, 6, 5)), today=TODAY)
    with pytest.raises(errors.TalkAlreadyHeld) as refused:
        service.record_talk(session, EVERYONE, member.id, talk(date(2026, 6, 6)), today=TODAY)
    assert "2026-06-05" in refused.value.zh


# --- 步骤顺序 -----------------------------------------------------------------------------------------


def test_stage_out_of_order_names_the_missing_step(session: Session, roll: Roll) -> None:
    member = roll.add(name="周申请", applied_on=date(2024, 1, 2))
    with pytest.raises(errors.StageOutOfOrder) as refused:
        service.make_candidate(session, EVERYONE, member.id, CandidateCreate(decided_on=TODAY), today=TODAY)
    assert refused.value.code == "stage_out_of_order"
    assert "确定为入党积极分子" in refused.value.zh
    assert "becoming an activist must come before becoming a candidate" in refused.value.en


def test_stage_out_of_order_activist_needs_the_talk_first(
    session: Session, roll: Roll, full: list[Member]
) -> None:
    member = roll.add(applied_on=date(2026, 6, 1))
    with pytest.raises(errors.StageOutOfOrder) as refused:
        service.make_activist(session, EVERYONE, member.id, activist(TODAY, [full[0].id]), today=TODAY)
    assert "谈话" in refused.value.zh


def test_stage_out_of_order_for_a_step_already_passed(session: Session, full: list[Member]) -> None:
    with pytest.raises(errors.StageOutOfOrder) as refused:
        service.confirm(
            session, EVERYONE, full[0].id, ConfirmCreate(decided_on=TODAY, votes=VOTES), today=TODAY
        )
    assert "already a full member" in refused.value.en


def test_member_not_active(session: Session, roll: Roll) -> None:
    member = roll.add(applied_on=date(2026, 6, 1), status=MemberStatus.WITHDRAWN)
    with pytest.raises(errors.MemberNotActive):
        service.record_talk(session, EVERYONE, member.id, talk(date(2026, 6, 5)), today=TODAY)


# --- 培养联系人、入党介绍人 ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_branch", "probationary", "withdrawn", "themself", "unknown"])
def test_mentor_not_eligible(session: Session, roll: Roll, full: list[Member], who: str) -> None:
    member = roll.add(applied_on=date(2026, 5, 1))
    service.record_talk(session, EVERYONE, member.id, talk(date(2026, 5, 5)), today=TODAY)
    mentor_id = {
        "other_branch": lambda: roll.full("乙正式", org="branch_b1").id,
        "probationary": lambda: roll.add("预备", stage=Stage.PROBATIONARY).id,
        "withdrawn": lambda: roll.full("退出", status=MemberStatus.WITHDRAWN).id,
        "themself": lambda: member.id,
        "unknown": lambda: 999_999,
    }[who]()
    body = activist(date(2026, 6, 1), [full[0].id, mentor_id])
    with pytest.raises(errors.MentorNotEligible) as refused:
        service.make_activist(session, EVERYONE, member.id, body, today=TODAY)
    assert refused.value.code == "mentor_not_eligible"
    assert member.stage is Stage.APPLICANT


def test_mentor_count_is_one_or_two_distinct_people(full: list[Member]) -> None:
    ActivistCreate.model_validate(activist(TODAY, [full[0].id]).model_dump())
    for mentors in ([], [full[0].id, full[1].id, full[2].id], [full[0].id, full[0].id]):
        with pytest.raises(ValidationError):
            activist(TODAY, mentors)


def test_introducer_not_eligible(session: Session, roll: Roll, full: list[Member]) -> None:
    outsider = roll.full("乙介绍", org="branch_b1")
    member = roll.add(
        "吴对象", stage=Stage.CANDIDATE, applied_on=date(2023, 1, 1), candidate_on=date(2025, 1, 1)
    )
    body = admit_body(date(2026, 6, 1), [full[0].id, outsider.id])
    with pytest.raises(errors.IntroducerNotEligible) as refused:
        service.admit(session, EVERYONE, member.id, body, today=TODAY)
    assert refused.value.code == "introducer_not_eligible"
    assert steps(session) == 0


def test_introducers_are_exactly_two_distinct_people(full: list[Member]) -> None:
    for introducers in ([full[0].id], [full[0].id, full[0].id], [f.id for f in full]):
        with pytest.raises(ValidationError):
            admit_body(date(2026, 6, 1), introducers)


# --- 一年以上培养考察 ---------------------------------------------------------------------------------


def test_activist_period_too_short(session: Session, roll: Roll) -> None:
    member = roll.add(
        "郑积极", stage=Stage.ACTIVIST, applied_on=date(2025, 1, 2), activist_on=date(2025, 3, 1)
    )
    with pytest.raises(errors.ActivistPeriodTooShort) as refused:
        service.make_candidate(
            session, EVERYONE, member.id, CandidateCreate(decided_on=date(2026, 2, 28)), today=TODAY
        )
    assert refused.value.code == "activist_period_too_short"
    assert all(d in refused.value.en for d in ("2025-03-01", "2026-03-01", "2026-02-28"))
    step = service.make_candidate(
        session, EVERYONE, member.id, CandidateCreate(decided_on=date(2026, 3, 1)), today=TODAY
    )
    assert (member.stage, member.candidate_on) == (Stage.CANDIDATE, step.decided_on)


# --- 发展对象：政审、培训、公示、表决 -----------------------------------------------------------------


@pytest.fixture
def candidate(roll: Roll) -> Member:
    return roll.add(
        "冯对象",
        stage=Stage.CANDIDATE,
        applied_on=date(2023, 1, 2),
        activist_on=date(2023, 3, 1),
        candidate_on=date(2024, 6, 1),
    )


def test_political_review_missing(session: Session, candidate: Member, full: list[Member]) -> None:
    meeting = date(2026, 6, 1)
    failed = PoliticalReview(passed=False, completed_on=date(2026, 5, 1))
    late = PoliticalReview(passed=True, completed_on=date(2026, 6, 2))
    for review in (failed, late):
        body = admit_body(meeting, [full[0].id, full[1].id], political_review=review)
        with pytest.raises(errors.PoliticalReviewMissing):
            service.admit(session, EVERYONE, candidate.id, body, today=TODAY)


@pytest.mark.parametrize(
    ("hours", "days", "accepted"), [(23.5, None, False), (None, 2, False), (24, None, True), (None, 3, True)]
)
def test_training_insufficient(
    session: Session,
    candidate: Member,
    full: list[Member],
    hours: float | None,
    days: int | None,
    accepted: bool,
) -> None:
    training = Training(hours=hours, days=days, completed_on=date(2026, 5, 1))
    body = admit_body(date(2026, 6, 1), [full[0].id, full[1].id], training=training)
    if accepted:
        service.admit(session, EVERYONE, candidate.id, body, today=TODAY)
        return
    with pytest.raises(errors.TrainingInsufficient) as refused:
        service.admit(session, EVERYONE, candidate.id, body, today=TODAY)
    assert refused.value.code == "training_insufficient"


def test_public_notice_too_short(session: Session, candidate: Member, full: list[Member]) -> None:
    meeting = date(2026, 6, 1)
    four_days = PublicNotice(starts_on=date(2026, 5, 20), ends_on=date(2026, 5, 23))
    past_the_meeting = PublicNotice(starts_on=date(2026, 5, 28), ends_on=date(2026, 6, 3))
    for notice in (four_days, past_the_meeting):
        body = admit_body(meeting, [full[0].id, full[1].id], public_notice=notice)
        with pytest.raises(errors.PublicNoticeTooShort) as refused:
            service.admit(session, EVERYONE, candidate.id, body, today=TODAY)
        assert str(notice.starts_on) in refused.value.zh
    five_days = PublicNotice(starts_on=date(2026, 5, 20), ends_on=date(2026, 5, 24))
    service.admit(
        session,
        EVERYONE,
        candidate.id,
        admit_body(meeting, [full[0].id, full[1].id], public_notice=five_days),
        today=TODAY,
    )


def test_quorum_not_met(session: Session, candidate: Member, full: list[Member]) -> None:
    votes = Votes(eligible_voters=10, present=5, votes_for=5, votes_against=0, abstentions=0)
    body = admit_body(date(2026, 6, 1), [full[0].id, full[1].id], votes=votes)
    with pytest.raises(errors.QuorumNotMet) as refused:
        service.admit(session, EVERYONE, candidate.id, body, today=TODAY)
    assert "2026-06-01" in refused.value.zh


def test_majority_not_reached(session: Session, candidate: Member, full: list[Member]) -> None:
    # Half of those entitled is not enough, even when everyone present voted for.
    votes = Votes(eligible_voters=10, present=6, votes_for=5, votes_against=0, abstentions=1)
    body = admit_body(date(2026, 6, 1), [full[0].id, full[1].id], votes=votes)
    with pytest.raises(errors.MajorityNotReached) as refused:
        service.admit(session, EVERYONE, candidate.id, body, today=TODAY)
    assert refused.value.code == "majority_not_reached"
    assert candidate.stage is Stage.CANDIDATE


def test_votes_cannot_exceed_the_members_entitled() -> None:
    with pytest.raises(ValidationError):
        Votes(eligible_voters=5, present=6, votes_for=5, votes_against=0, abstentions=0)
    with pytest.raises(ValidationError):
        Votes(eligible_voters=5, present=5, votes_for=5, votes_against=1, abstentions=0)


# --- 上级党委三个月内审批 -----------------------------------------------------------------------------


def test_approval_too_late(session: Session, candidate: Member, full: list[Member]) -> None:
    meeting = date(2025, 11, 30)
    service.admit(session, EVERYONE, candidate.id, admit_body(meeting, [full[0].id, full[1].id]), today=TODAY)
    late = ApprovalCreate(approved_by="中共甲镇委员会", approved_on=date(2026, 3, 1))
    with pytest.raises(errors.ApprovalTooLate) as refused:
        service.decide_approval(session, EVERYONE, candidate.id, late, today=TODAY)
    assert refused.value.code == "approval_too_late"
    assert all(d in refused.value.zh for d in ("2025-11-30", "2026-02-28", "2026-03-01"))
    on_time = ApprovalCreate(approved_by="中共甲镇委员会", approved_on=date(2026, 2, 28))
    step = service.decide_approval(session, EVERYONE, candidate.id, on_time, today=TODAY)
    assert step.approval_status is ApprovalStatus.APPROVED
    assert (candidate.stage, candidate.probationary_on) == (Stage.PROBATIONARY, meeting)


def test_approval_too_late_lapses_the_decision_so_the_branch_decides_again(
    session: Session, candidate: Member, full: list[Member]
) -> None:
    introducers = [full[0].id, full[1].id]
    first = service.admit(
        session, EVERYONE, candidate.id, admit_body(date(2025, 11, 30), introducers), today=TODAY
    )
    again = service.admit(
        session, EVERYONE, candidate.id, admit_body(date(2026, 6, 1), introducers), today=TODAY
    )
    assert (first.approval_status, again.approval_status) == (ApprovalStatus.LAPSED, ApprovalStatus.PENDING)


def test_a_refusal_has_no_deadline(session: Session, candidate: Member, full: list[Member]) -> None:
    service.admit(
        session, EVERYONE, candidate.id, admit_body(date(2025, 11, 30), [full[0].id, full[1].id]), today=TODAY
    )
    refusal = ApprovalCreate(approved=False, approved_by="中共甲镇委员会", approved_on=date(2026, 6, 1))
    assert (
        service.decide_approval(session, EVERYONE, candidate.id, refusal, today=TODAY).approval_status
        is ApprovalStatus.REJECTED
    )


def test_approval_too_late_also_inline(session: Session, candidate: Member, full: list[Member]) -> None:
    body = admit_body(date(2025, 11, 30), [full[0].id, full[1].id], approval=approval(date(2026, 3, 1)))
    with pytest.raises(errors.ApprovalTooLate):
        service.admit(session, EVERYONE, candidate.id, body, today=TODAY)
    assert steps(session) == 0


def test_approval_pending(session: Session, candidate: Member, full: list[Member]) -> None:
    body = admit_body(date(2026, 6, 1), [full[0].id, full[1].id])
    service.admit(session, EVERYONE, candidate.id, body, today=TODAY)
    assert candidate.stage is Stage.CANDIDATE  # not yet: the superior committee has not approved
    with pytest.raises(errors.ApprovalPending) as refused:
        service.admit(session, EVERYONE, candidate.id, body, today=TODAY)
    assert "2026-06-01" in refused.value.zh


def test_nothing_to_approve(session: Session, candidate: Member) -> None:
    body = ApprovalCreate(approved_by="中共甲镇委员会", approved_on=date(2026, 6, 1))
    with pytest.raises(errors.NothingToApprove):
        service.decide_approval(session, EVERYONE, candidate.id, body, today=TODAY)


def test_refused_approval_leaves_the_candidate_a_candidate(
    session: Session, candidate: Member, full: list[Member]
) -> None:
    service.admit(
        session, EVERYONE, candidate.id, admit_body(date(2026, 6, 1), [full[0].id, full[1].id]), today=TODAY
    )
    refusal = ApprovalCreate(approved=False, approved_by="中共甲镇委员会", approved_on=date(2026, 6, 20))
    step = service.decide_approval(session, EVERYONE, candidate.id, refusal, today=TODAY)
    assert step.approval_status is ApprovalStatus.REJECTED
    assert (candidate.stage, candidate.probationary_on) == (Stage.CANDIDATE, None)


# --- 预备期一年；延长、取消 ---------------------------------------------------------------------------


def test_probation_not_over(session: Session, probationer: Member) -> None:
    body = ConfirmCreate(decided_on=date(2026, 6, 9), votes=VOTES, approval=approval(date(2026, 6, 20)))
    with pytest.raises(errors.ProbationNotOver) as refused:
        service.confirm(session, EVERYONE, probationer.id, body, today=TODAY)
    assert refused.value.code == "probation_not_over"
    assert "2026-06-10" in refused.value.zh


def test_probation_is_one_year_and_full_membership_dates_from_its_end(
    session: Session, probationer: Member
) -> None:
    body = ConfirmCreate(decided_on=date(2026, 6, 15), votes=VOTES, approval=approval(date(2026, 6, 20)))
    service.confirm(session, EVERYONE, probationer.id, body, today=TODAY)
    assert (probationer.stage, probationer.full_member_on) == (Stage.FULL, date(2026, 6, 10))


def extension(months: int, on: date = date(2026, 6, 12)) -> ExtendCreate:
    return ExtendCreate(
        decided_on=on, months=months, reason="未能履行党员义务", votes=VOTES, approval=approval(on)
    )


def test_extension_too_long(session: Session, probationer: Member) -> None:
    with pytest.raises(errors.ExtensionTooLong) as refused:
        service.extend(session, EVERYONE, probationer.id, extension(13), today=TODAY)
    assert refused.value.code == "extension_too_long"


def test_extension_too_short(session: Session, probationer: Member) -> None:
    with pytest.raises(errors.ExtensionTooShort):
        service.extend(session, EVERYONE, probationer.id, extension(5), today=TODAY)


def test_extension_moves_the_end_of_probation(session: Session, probationer: Member) -> None:
    service.extend(session, EVERYONE, probationer.id, extension(6), today=TODAY)
    assert service.timeline(session, EVERYONE, probationer.id).probation_ends_on == date(2026, 12, 10)
    early = ConfirmCreate(decided_on=date(2026, 6, 20), votes=VOTES)
    with pytest.raises(errors.ProbationNotOver) as refused:
        service.confirm(session, EVERYONE, probationer.id, early, today=TODAY)
    assert "2026-12-10" in refused.value.en


def test_probation_extended_only_once(session: Session, probationer: Member) -> None:
    service.extend(session, EVERYONE, probationer.id, extension(6), today=date(2027, 1, 1))
    with pytest.raises(errors.AlreadyExtended) as refused:
        service.extend(
            session, EVERYONE, probationer.id, extension(6, date(2026, 12, 12)), today=date(2027, 1, 1)
        )
    assert refused.value.code == "probation_already_extended"


def test_cancellation_takes_them_off_the_roll(session: Session, probationer: Member) -> None:
    body = CancelCreate(decided_on=date(2026, 6, 12), reason="不具备党员条件", votes=VOTES)
    service.cancel(session, EVERYONE, probationer.id, body, today=TODAY)
    assert probationer.status is MemberStatus.NORMAL  # until the superior committee approves
    ok = ApprovalCreate(approved_by="中共甲镇委员会", approved_on=date(2026, 6, 25))
    service.decide_approval(session, EVERYONE, probationer.id, ok, today=TODAY)
    assert probationer.status is MemberStatus.WITHDRAWN
    assert probationer.left_on == date(2026, 6, 25)
    assert probationer.left_reason == "取消预备党员资格：不具备党员条件"


# --- 日期须真实（422） ---------------------------------------------------------------------------------


def test_date_in_future(session: Session, roll: Roll) -> None:
    member = roll.add(applied_on=date(2026, 6, 20))
    with pytest.raises(errors.DateInFuture) as refused:
        service.record_talk(session, EVERYONE, member.id, talk(date(2026, 7, 1)), today=TODAY)
    assert refused.value.status == 422
    assert refused.value.extra["errors"][0].field == "body.talked_on"


def test_date_before_birth(session: Session, candidate: Member, full: list[Member]) -> None:
    review = PoliticalReview(passed=True, completed_on=date(1980, 1, 1))
    body = admit_body(date(2026, 6, 1), [full[0].id, full[1].id], political_review=review)
    with pytest.raises(errors.DateBeforeBirth) as refused:
        service.admit(session, EVERYONE, candidate.id, body, today=TODAY)
    assert refused.value.extra["errors"][0].field == "body.political_review.completed_on"


def test_date_before_previous_step(session: Session, roll: Roll) -> None:
    member = roll.add(applied_on=date(2026, 6, 20))
    with pytest.raises(errors.DateBeforePreviousStep) as refused:
        service.record_talk(session, EVERYONE, member.id, talk(date(2026, 6, 19)), today=TODAY)
    assert "2026-06-20" in refused.value.zh


def test_date_before_previous_step_for_an_approval(
    session: Session, candidate: Member, full: list[Member]
) -> None:
    body = admit_body(date(2026, 6, 1), [full[0].id, full[1].id], approval=approval(date(2026, 5, 31)))
    with pytest.raises(errors.DateBeforePreviousStep):
        service.admit(session, EVERYONE, candidate.id, body, today=TODAY)


def test_public_notice_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError):
        PublicNotice(starts_on=date(2026, 5, 2), ends_on=date(2026, 5, 1))


def test_admission_body_accepts_no_unknown_fields(full: list[Member]) -> None:
    body = admit_body(date(2026, 6, 1), [full[0].id, full[1].id]).model_dump()
    with pytest.raises(ValidationError):
        AdmitCreate.model_validate({**body, "stage": "full"})
