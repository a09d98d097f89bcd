"""Posts (设岗定责) and pledges (党员承诺): their rules, at the service layer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.posts.conftest import TODAY
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.core.dates import DateInFuture
from vanguard.core.permissions import Principal, Scope
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus
from vanguard.posts import service
from vanguard.posts.models import Pledge, PledgeResult, Post
from vanguard.posts.schemas import (
    PledgeCreate,
    PledgeEvaluate,
    PledgeUpdate,
    PostCreate,
    PostEnd,
    PostUpdate,
    Verdict,
)

AsUser = Callable[[str], Principal]
EVERYTHING = Scope.everything()


def _scope(world: World, org: str = "branch_a1") -> Scope:
    return Scope(world.orgs[org].path)


# --- posts -------------------------------------------------------------------------------------


def test_a_new_post_starts_today_by_default(session: Session, world: World, member: Member) -> None:
    post = service.create_post(
        session, _scope(world), member.id, PostCreate(title="宣传员", duties="宣讲政策"), today=TODAY
    )
    assert (post.started_on, post.ended_on, post.active) == (TODAY, None, True)


def test_a_post_cannot_start_in_the_future(session: Session, world: World, member: Member) -> None:
    data = PostCreate(title="宣传员", duties="宣讲政策", started_on=TODAY + timedelta(days=1))
    with pytest.raises(DateInFuture):
        service.create_post(session, _scope(world), member.id, data, today=TODAY)


def test_a_member_holds_a_title_only_once_at_a_time(
    session: Session, world: World, member: Member, post: Post
) -> None:
    with pytest.raises(service.DuplicateActivePost):
        service.create_post(session, _scope(world), member.id, PostCreate(title=post.title, duties="重复"))


def test_an_ended_title_may_be_held_again(session: Session, world: World, member: Member, post: Post) -> None:
    service.end_post(session, _scope(world), post.id, PostEnd(ended_on=TODAY), None, today=TODAY)
    again = service.create_post(
        session, _scope(world), member.id, PostCreate(title=post.title, duties="再次上岗"), today=TODAY
    )
    assert again.active


def test_renaming_a_post_to_another_held_title_is_refused(
    session: Session, world: World, member: Member, post: Post
) -> None:
    other = service.create_post(session, _scope(world), member.id, PostCreate(title="宣传员", duties="宣讲"))
    with pytest.raises(service.DuplicateActivePost):
        service.update_post(session, _scope(world), other.id, PostUpdate(title=post.title), None)


def test_only_members_on_the_roll_take_posts_or_pledges(
    session: Session, world: World, add_member: Callable[..., Member]
) -> None:
    gone = add_member(status=MemberStatus.TRANSFERRED_OUT)
    with pytest.raises(members.MemberAlreadyLeft):
        service.create_post(session, _scope(world), gone.id, PostCreate(title="宣传员", duties="宣讲政策"))
    with pytest.raises(members.MemberAlreadyLeft):
        service.create_pledge(
            session, _scope(world), gone.id, PledgeCreate(content="按时交纳党费", due_on=TODAY)
        )


def test_a_post_cannot_end_before_it_started(session: Session, world: World, post: Post) -> None:
    with pytest.raises(service.PostEndsBeforeStart):
        service.end_post(session, _scope(world), post.id, PostEnd(ended_on=date(2025, 2, 28)), None)


def test_a_post_cannot_end_in_the_future(session: Session, world: World, post: Post) -> None:
    data = PostEnd(ended_on=TODAY + timedelta(days=1))
    with pytest.raises(DateInFuture):
        service.end_post(session, _scope(world), post.id, data, None, today=TODAY)


def test_an_ended_post_is_history_and_does_not_change(session: Session, world: World, post: Post) -> None:
    service.end_post(session, _scope(world), post.id, PostEnd(), None, today=TODAY)
    assert post.ended_on == TODAY
    with pytest.raises(service.PostAlreadyEnded):
        service.end_post(session, _scope(world), post.id, PostEnd(), None)
    with pytest.raises(service.PostAlreadyEnded):
        service.update_post(session, _scope(world), post.id, PostUpdate(duties="改写历史"), None)


def test_another_branch_cannot_reach_a_post(session: Session, world: World, post: Post) -> None:
    with pytest.raises(service.PostNotFound):
        service.get_post(session, _scope(world, "branch_b1"), post.id)
    with pytest.raises(service.PostNotFound):
        service.update_post(session, _scope(world, "branch_b1"), post.id, PostUpdate(duties="越权"), None)


def test_post_writes_are_audited_under_the_members_org(
    session: Session, world: World, member: Member, post: Post
) -> None:
    service.update_post(session, _scope(world), post.id, PostUpdate(duties="每天巡查"), None)
    session.commit()
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "posts", AuditEvent.action == "update")
    ).one()
    assert event.org_id == world.orgs["branch_a1"].id
    assert event.after == {"duties": "每天巡查"}


# --- pledges -----------------------------------------------------------------------------------


def test_a_pledge_cannot_fall_due_before_it_was_made(session: Session, world: World, member: Member) -> None:
    data = PledgeCreate(content="按时交纳党费", made_on=date(2026, 3, 1), due_on=date(2026, 2, 1))
    with pytest.raises(service.PledgeDueBeforeMade):
        service.create_pledge(session, _scope(world), member.id, data, today=TODAY)


def test_a_pledge_cannot_be_made_in_the_future(session: Session, world: World, member: Member) -> None:
    data = PledgeCreate(content="按时交纳党费", made_on=TODAY + timedelta(days=1), due_on=date(2027, 1, 1))
    with pytest.raises(DateInFuture):
        service.create_pledge(session, _scope(world), member.id, data, today=TODAY)


def test_a_pledge_may_be_judged_kept_before_its_due_date(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    pledge = service.create_pledge(
        session,
        _scope(world),
        member.id,
        PledgeCreate(content="带头清理河道", due_on=date(2026, 12, 31)),
        today=TODAY,
    )
    done = service.evaluate_pledge(
        session, as_user("sec_a1"), pledge.id, PledgeEvaluate(result=Verdict.KEPT), None, today=TODAY
    )
    assert (done.result, done.evaluated_on, done.evaluated_by) == (PledgeResult.KEPT, TODAY, "sec_a1")


def test_a_pledge_may_be_judged_not_kept_only_after_its_due_date(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    pledge = service.create_pledge(
        session, _scope(world), member.id, PledgeCreate(content="带头清理河道", due_on=TODAY), today=TODAY
    )
    verdict = PledgeEvaluate(result=Verdict.NOT_KEPT)
    with pytest.raises(service.PledgeNotDue):  # on the due date itself the member still has time
        service.evaluate_pledge(session, as_user("sec_a1"), pledge.id, verdict, None, today=TODAY)
    later = TODAY + timedelta(days=1)
    done = service.evaluate_pledge(session, as_user("sec_a1"), pledge.id, verdict, None, today=later)
    assert done.result is PledgeResult.NOT_KEPT


def test_a_pledge_is_evaluated_only_once(session: Session, pledge: Pledge, as_user: AsUser) -> None:
    service.evaluate_pledge(session, as_user("sec_a1"), pledge.id, PledgeEvaluate(result=Verdict.KEPT), None)
    with pytest.raises(service.PledgeAlreadyEvaluated):
        service.evaluate_pledge(
            session, as_user("sec_a1"), pledge.id, PledgeEvaluate(result=Verdict.NOT_KEPT), None
        )


def test_an_evaluated_pledge_cannot_be_edited(
    session: Session, world: World, pledge: Pledge, as_user: AsUser
) -> None:
    service.evaluate_pledge(session, as_user("sec_a1"), pledge.id, PledgeEvaluate(result=Verdict.KEPT), None)
    with pytest.raises(service.PledgeAlreadyEvaluated):
        service.update_pledge(session, _scope(world), pledge.id, PledgeUpdate(content="事后改写"), None)


def test_an_evaluation_is_dated_between_the_pledge_and_today(
    session: Session, pledge: Pledge, as_user: AsUser
) -> None:
    sec = as_user("sec_a1")
    future = PledgeEvaluate(result=Verdict.KEPT, evaluated_on=TODAY + timedelta(days=1))
    with pytest.raises(DateInFuture):
        service.evaluate_pledge(session, sec, pledge.id, future, None, today=TODAY)
    early = PledgeEvaluate(result=Verdict.KEPT, evaluated_on=pledge.made_on - timedelta(days=1))
    with pytest.raises(service.EvaluatedBeforeMade):
        service.evaluate_pledge(session, sec, pledge.id, early, None, today=TODAY)


def test_editing_a_pledge_keeps_its_dates_in_order(session: Session, world: World, pledge: Pledge) -> None:
    with pytest.raises(service.PledgeDueBeforeMade):
        service.update_pledge(session, _scope(world), pledge.id, PledgeUpdate(due_on=date(2025, 1, 1)), None)


def test_another_branch_cannot_reach_a_pledge(
    session: Session, world: World, pledge: Pledge, as_user: AsUser
) -> None:
    with pytest.raises(service.PledgeNotFound):
        service.get_pledge(session, _scope(world, "branch_b1"), pledge.id)
    with pytest.raises(service.PledgeNotFound):
        service.evaluate_pledge(
            session, as_user("sec_b1"), pledge.id, PledgeEvaluate(result=Verdict.KEPT), None
        )


# --- for scoring -------------------------------------------------------------------------------


def _pledge(session: Session, member: Member, due_on: date, result: PledgeResult) -> Pledge:
    p = Pledge(member=member, content="承诺", made_on=date(2025, 1, 1), due_on=due_on, result=result)
    session.add(p)
    return p


def test_pledges_for_counts_the_pledges_due_in_the_period(
    session: Session, world: World, member: Member
) -> None:
    _pledge(session, member, date(2026, 3, 31), PledgeResult.KEPT)
    _pledge(session, member, date(2026, 12, 31), PledgeResult.NOT_KEPT)
    _pledge(session, member, date(2026, 6, 30), PledgeResult.PENDING)
    _pledge(session, member, date(2025, 12, 31), PledgeResult.KEPT)  # last year's: not counted
    session.commit()
    tally = service.pledges_for(session, _scope(world), [member.id], service.Period.year(2026))[member.id]
    assert (tally.kept, tally.not_kept, tally.pending) == (1, 1, 1)
    assert [p.due_on for p in tally.pledges] == [date(2026, 3, 31), date(2026, 6, 30), date(2026, 12, 31)]
    q1 = service.pledges_for(session, _scope(world), [member.id], service.Period.quarter(2026, 1))
    assert q1[member.id].kept == 1
    assert len(q1[member.id].pledges) == 1


def test_pledges_for_gives_every_visible_member_a_tally(
    session: Session, world: World, add_member: Callable[..., Member]
) -> None:
    idle = add_member(name="未承诺")
    result = service.pledges_for(session, _scope(world), [idle.id], service.Period.year(2026))
    assert result[idle.id].pledges == ()


def test_pledges_for_leaves_out_members_outside_the_scope(
    session: Session, world: World, add_member: Callable[..., Member]
) -> None:
    mine, theirs = add_member(), add_member("branch_b1", name="乙村党员")
    _pledge(session, theirs, date(2026, 6, 30), PledgeResult.KEPT)
    session.commit()
    result = service.pledges_for(session, _scope(world), [mine.id, theirs.id], service.Period.year(2026))
    assert set(result) == {mine.id}


def test_pledges_for_handles_more_ids_than_one_query_binds(
    session: Session, world: World, member: Member
) -> None:
    _pledge(session, member, date(2026, 6, 30), PledgeResult.KEPT)
    session.commit()
    ids = [*range(10_000_000, 10_002_500), member.id]
    result = service.pledges_for(session, EVERYTHING, ids, service.Period.year(2026))
    assert list(result) == [member.id]
    assert result[member.id].kept == 1


def test_a_quarter_ends_on_its_last_day() -> None:
    assert service.Period.quarter(2028, 1) == service.Period(date(2028, 1, 1), date(2028, 3, 31))
    assert service.Period.quarter(2026, 4).end == date(2026, 12, 31)
    with pytest.raises(ValueError, match="quarter"):
        service.Period.quarter(2026, 5)
