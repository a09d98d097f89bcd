"""Transfer rules, at the service layer: the member belongs to exactly one org at any time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tests.transfers.conftest import to_org
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.core.errors import Conflict, InvalidInput
from vanguard.core.permissions import Principal
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus
from vanguard.orgs.models import Organisation, OrgStatus
from vanguard.posts.models import Post
from vanguard.transfers import service
from vanguard.transfers.models import Transfer, TransferState
from vanguard.transfers.schemas import TransferAccept, TransferCancel, TransferCreate, TransferReject

AsUser = Callable[[str], Principal]
TODAY = date(2026, 11, 23)


def _fresh(session: Session, member: Member) -> Member:
    session.expire_all()
    found = session.get(Member, member.id)
    assert found is not None
    return found


def test_transfer_within_the_system_is_pending_until_accepted(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.commit()
    assert transfer.state is TransferState.PENDING
    assert transfer.from_org_id == world.orgs["branch_a1"].id
    assert transfer.requested_by == "sec_a1"
    assert _fresh(session, member).org_id == world.orgs["branch_a1"].id


def test_accepting_moves_the_member_in_the_same_transaction(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.commit()
    service.accept(session, as_user("sec_b1"), transfer.id, TransferAccept(note="欢迎"), None)
    session.commit()
    assert _fresh(session, member).org_id == world.orgs["branch_b1"].id
    done = session.get(Transfer, transfer.id)
    assert done is not None
    assert done.state is TransferState.ACCEPTED
    assert (done.decided_by, done.decision_note) == ("sec_b1", "欢迎")
    assert done.decided_at is not None


def test_transfer_to_the_same_org_is_rejected(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    with pytest.raises(service.SameOrg):
        service.request(session, as_user("sec_a1"), to_org(world, member, "branch_a1"))


def test_transfer_to_an_org_unknown_to_the_system_is_rejected(
    session: Session, member: Member, as_user: AsUser
) -> None:
    data = TransferCreate(member_id=member.id, to_org_id=999_999, reason="工作调动")
    with pytest.raises(service.UnknownDestination):
        service.request(session, as_user("sec_a1"), data)


def test_transfer_to_a_party_group_is_rejected(
    session: Session, world: World, add_member: Callable[..., Member], as_user: AsUser
) -> None:
    # Party groups hold no roll: their members stay on the branch's roll.
    outsider = add_member("branch_b1")
    with pytest.raises(members.OrgHoldsNoRoll):
        service.request(session, as_user("sec_b1"), to_org(world, outsider, "group_a1"))


def test_transfer_to_a_dissolved_org_is_rejected(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    session.execute(
        update(Organisation)
        .where(Organisation.id == world.orgs["branch_b1"].id)
        .values(status=OrgStatus.DISSOLVED)
    )
    with pytest.raises(members.OrgHoldsNoRoll):
        service.request(session, as_user("sec_a1"), to_org(world, member))


def test_destination_is_either_in_the_system_or_outside_it(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    both = to_org(world, member, external_org_name="外省某党支部", letter_number="L-1")
    neither = TransferCreate(member_id=member.id, reason="工作调动")
    for data in (both, neither):
        with pytest.raises(service.DestinationRequired):
            service.request(session, as_user("sec_a1"), data)


def test_transfer_out_of_the_system_needs_a_letter_number(
    session: Session, member: Member, as_user: AsUser
) -> None:
    data = TransferCreate(member_id=member.id, external_org_name="外省某党支部", reason="迁居")
    with pytest.raises(service.LetterNumberRequired):
        service.request(session, as_user("sec_a1"), data)


def test_transfer_out_of_the_system_completes_at_once_and_the_member_leaves_the_roll(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    data = TransferCreate(
        member_id=member.id, external_org_name="外省某村党支部", letter_number="甲组转字第12号", reason="迁居"
    )
    transfer = service.request(session, as_user("sec_a1"), data, today=TODAY)
    session.commit()
    assert transfer.state is TransferState.COMPLETED
    assert transfer.to_org_id is None
    assert transfer.decided_by == "sec_a1"
    left = _fresh(session, member)
    assert left.status is MemberStatus.TRANSFERRED_OUT
    assert left.org_id == world.orgs["branch_a1"].id  # the record stays with the last org
    assert left.left_on == TODAY
    assert left.left_reason is not None
    assert "甲组转字第12号" in left.left_reason


def test_a_member_has_at_most_one_pending_transfer(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    service.request(session, as_user("sec_a1"), to_org(world, member))
    session.commit()
    with pytest.raises(service.TransferAlreadyPending):
        service.request(session, as_user("sec_a1"), to_org(world, member, "branch_a2"))


def test_a_member_off_the_roll_cannot_be_transferred(
    session: Session, world: World, add_member: Callable[..., Member], as_user: AsUser
) -> None:
    gone = add_member(status=MemberStatus.DECEASED)
    with pytest.raises(members.MemberAlreadyLeft):
        service.request(session, as_user("sec_a1"), to_org(world, gone))


def test_a_new_transfer_may_follow_a_rejected_one(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    first = service.request(session, as_user("sec_a1"), to_org(world, member))
    service.reject(session, as_user("sec_b1"), first.id, TransferReject(note="信息有误"), None)
    session.commit()
    second = service.request(session, as_user("sec_a1"), to_org(world, member, "branch_a2"))
    assert second.state is TransferState.PENDING


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("cancel", "accept"),
        ("cancel", "reject"),
        ("reject", "accept"),
        ("accept", "reject"),
        ("accept", "cancel"),
        ("accept", "accept"),
    ],
)
def test_only_a_pending_transfer_changes_state_and_only_once(
    session: Session, world: World, member: Member, as_user: AsUser, first: str, then: str
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    county = as_user("county_admin")  # both sides are in the county's subtree
    commands: dict[str, Callable[[], object]] = {
        "accept": lambda: service.accept(session, county, transfer.id, TransferAccept(), None),
        "reject": lambda: service.reject(session, county, transfer.id, TransferReject(note="退回"), None),
        "cancel": lambda: service.cancel(session, county, transfer.id, TransferCancel(), None),
    }
    commands[first]()
    session.commit()
    with pytest.raises(service.InvalidTransition):
        commands[then]()


def test_an_out_of_system_transfer_is_final(session: Session, member: Member, as_user: AsUser) -> None:
    data = TransferCreate(
        member_id=member.id, external_org_name="外省某党支部", letter_number="L-9", reason="迁居"
    )
    transfer = service.request(session, as_user("sec_a1"), data)
    session.commit()
    with pytest.raises(service.InvalidTransition):
        service.cancel(session, as_user("sec_a1"), transfer.id, TransferCancel(), None)


def test_rejection_keeps_the_member_where_they_are(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    done = service.reject(session, as_user("sec_b1"), transfer.id, TransferReject(note="不符合条件"), None)
    session.commit()
    assert done.state is TransferState.REJECTED
    assert done.decision_note == "不符合条件"
    assert _fresh(session, member).org_id == world.orgs["branch_a1"].id


def test_cancelling_keeps_the_member_where_they_are(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    done = service.cancel(session, as_user("sec_a1"), transfer.id, TransferCancel(note="填错了"), None)
    session.commit()
    assert done.state is TransferState.CANCELLED
    assert _fresh(session, member).org_id == world.orgs["branch_a1"].id


def test_only_the_receiving_side_may_accept_or_reject(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.commit()
    with pytest.raises(service.ReceiverOnly):
        service.accept(session, as_user("sec_a1"), transfer.id, TransferAccept(), None)
    with pytest.raises(service.ReceiverOnly):
        service.reject(session, as_user("sec_a1"), transfer.id, TransferReject(note="自己退回"), None)


def test_only_the_sending_side_may_cancel(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.commit()
    with pytest.raises(service.SenderOnly):
        service.cancel(session, as_user("sec_b1"), transfer.id, TransferCancel(), None)


def test_an_org_outside_both_sides_does_not_see_the_transfer(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member, "branch_a2"))
    session.commit()
    with pytest.raises(service.TransferNotFound):
        service.read(session, as_user("sec_b1").scope, transfer.id)
    with pytest.raises(service.TransferNotFound):
        service.accept(session, as_user("sec_b1"), transfer.id, TransferAccept(), None)


def test_accept_fails_when_the_member_was_moved_meanwhile(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.execute(update(Member).where(Member.id == member.id).values(org_id=world.orgs["branch_a2"].id))
    session.commit()
    with pytest.raises(service.MemberMoved):
        service.accept(session, as_user("sec_b1"), transfer.id, TransferAccept(), None)


def test_accept_fails_when_the_member_left_the_roll_meanwhile(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.execute(update(Member).where(Member.id == member.id).values(status=MemberStatus.DECEASED))
    session.commit()
    with pytest.raises(members.MemberAlreadyLeft):
        service.accept(session, as_user("sec_b1"), transfer.id, TransferAccept(), None)


def test_accept_fails_when_the_destination_was_dissolved_meanwhile(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.execute(
        update(Organisation)
        .where(Organisation.id == world.orgs["branch_b1"].id)
        .values(status=OrgStatus.DISSOLVED)
    )
    session.commit()
    with pytest.raises(service.DestinationUnavailable):
        service.accept(session, as_user("sec_b1"), transfer.id, TransferAccept(), None)


def test_a_failed_accept_writes_nothing(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.execute(update(Member).where(Member.id == member.id).values(status=MemberStatus.SUSPENDED))
    session.commit()
    with pytest.raises(Conflict):
        service.accept(session, as_user("sec_b1"), transfer.id, TransferAccept(), None)
    session.rollback()
    session.expire_all()
    assert session.get(Transfer, transfer.id).state is TransferState.PENDING  # type: ignore[union-attr]
    assert _fresh(session, member).org_id == world.orgs["branch_a1"].id


def test_accepting_ends_the_posts_held_in_the_old_branch(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    session.add(Post(member=member, title="宣传员", duties="宣讲政策", started_on=date(2025, 1, 1)))
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.commit()
    service.accept(session, as_user("sec_b1"), transfer.id, TransferAccept(), None, today=TODAY)
    session.commit()
    post = session.scalars(select(Post).where(Post.member_id == member.id)).one()
    assert post.ended_on == TODAY
    ended = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "posts", AuditEvent.action == "update")
    ).one()
    assert ended.org_id == world.orgs["branch_a1"].id  # recorded under the branch that set the post


def test_accepting_audits_the_transfer_and_the_move_together(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    transfer = service.request(session, as_user("sec_a1"), to_org(world, member))
    session.commit()
    service.accept(session, as_user("sec_b1"), transfer.id, TransferAccept(), None)
    session.commit()
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "update").order_by(AuditEvent.id)
    ).all()
    moved = next(e for e in events if e.entity == "members" and e.entity_id == str(member.id))
    assert moved.before == {"org_id": world.orgs["branch_a1"].id}
    assert moved.after == {"org_id": world.orgs["branch_b1"].id}
    decided = next(e for e in events if e.entity == "transfers" and e.entity_id == str(transfer.id))
    assert decided.after is not None
    assert decided.after["state"] == "accepted"
    assert decided.org_id == world.orgs["branch_a1"].id


def test_history_keeps_every_transfer_of_a_member(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    first = service.request(session, as_user("sec_a1"), to_org(world, member, "branch_a2"))
    service.cancel(session, as_user("sec_a1"), first.id, TransferCancel(), None)
    second = service.request(session, as_user("sec_a1"), to_org(world, member))
    service.accept(session, as_user("sec_b1"), second.id, TransferAccept(), None)
    session.commit()
    # The new branch sees the whole history, including the transfer between town_a's branches.
    history = service.member_history(session, as_user("sec_b1").scope, member.id, cursor=None, limit=10)
    assert [(t.id, t.state) for t in history.items] == [
        (second.id, TransferState.ACCEPTED),
        (first.id, TransferState.CANCELLED),
    ]
    assert history.items[1].to_org_name == world.orgs["branch_a2"].name


def test_the_sender_may_send_to_an_org_outside_its_subtree(
    session: Session, world: World, member: Member, as_user: AsUser
) -> None:
    sender = as_user("sec_a1")
    assert not sender.scope.contains(world.orgs["branch_b1"].path)
    transfer = service.request(session, sender, to_org(world, member))
    read = service.read(session, sender.scope, transfer.id)
    assert read.to_org_name == world.orgs["branch_b1"].name


def test_unknown_destination_names_the_field(session: Session, member: Member, as_user: AsUser) -> None:
    data = TransferCreate(member_id=member.id, to_org_id=999_999, reason="工作调动")
    with pytest.raises(InvalidInput) as caught:
        service.request(session, as_user("sec_a1"), data)
    assert caught.value.extra["errors"][0].field == "body.to_org_id"


def test_the_database_itself_refuses_a_second_pending_transfer(
    session: Session, world: World, member: Member
) -> None:
    # The last line against two requests racing past the service's check.
    def pending() -> Transfer:
        return Transfer(
            member_id=member.id,
            from_org_id=member.org_id,
            to_org_id=world.orgs["branch_b1"].id,
            reason="并发",
            requested_by="tests",
        )

    session.add(pending())
    session.commit()
    session.add(pending())
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    closed = pending()
    closed.state = TransferState.CANCELLED
    session.add(closed)
    session.commit()  # closed ones do not count
