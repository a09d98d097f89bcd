"""Organisation-relationship transfers (组织关系转接).

A transfer is visible to both sides: the sending org's subtree and the receiving org's subtree
(`readable`). Within the system it stays pending until the receiving side accepts; acceptance
moves the member in the same transaction, so the member belongs to exactly one org at any time.
Out of the system there is nobody here to accept: it completes at once, recorded with the
introduction letter's number, and the member leaves the roll as `transferred_out`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased

from vanguard.core.clock import local_today
from vanguard.core.db import utcnow
from vanguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Principal, Scope
from vanguard.members import service as members
from vanguard.members.models import Member, MemberStatus
from vanguard.orgs.models import Organisation, OrgKind, OrgStatus
from vanguard.orgs.rules import holds_roll
from vanguard.posts import service as posts
from vanguard.transfers.models import Transfer, TransferState
from vanguard.transfers.schemas import (
    Destination,
    Direction,
    TransferAccept,
    TransferCancel,
    TransferCreate,
    TransferRead,
    TransferReject,
)

S = TransferState
# The state machine: only a pending transfer moves, and only once.
TRANSITIONS: dict[TransferState, frozenset[TransferState]] = {
    S.PENDING: frozenset({S.ACCEPTED, S.REJECTED, S.CANCELLED}),
    S.ACCEPTED: frozenset(),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
    S.COMPLETED: frozenset(),
}


class TransferNotFound(NotFound):
    code = "transfer_not_found"
    message_zh = "组织关系转接记录不存在或不在您的管理范围内"
    message_en = "Transfer not found, or outside your scope"


class DestinationRequired(InvalidInput):
    code = "transfer_destination_required"
    message_zh = "请指定转入的系统内组织，或填写系统外接收组织的名称，二者只能选其一"
    message_en = "Give either a receiving organisation in the system or the name of one outside it, not both"


class LetterNumberRequired(InvalidInput):
    code = "letter_number_required"
    message_zh = "转出系统外须填写介绍信编号"
    message_en = "A transfer out of the system needs the introduction letter's number"


class SameOrg(InvalidInput):
    code = "transfer_to_same_org"
    message_zh = "转入组织与党员当前所在组织相同"
    message_en = "The member already belongs to that organisation"


class UnknownDestination(InvalidInput):
    code = "unknown_destination_org"
    message_zh = "转入组织在系统内不存在；转往系统外请填写接收组织名称和介绍信编号"
    message_en = "No such organisation in the system; for one outside it give its name and the letter number"


class TransferAlreadyPending(Conflict):
    code = "transfer_already_pending"
    message_zh = "该党员已有一项待接收的组织关系转接"
    message_en = "This member already has a pending transfer"


class InvalidTransition(Conflict):
    code = "invalid_transfer_transition"
    message_zh = "该组织关系转接已办结，不能再变更"
    message_en = "This transfer is no longer pending"


class MemberMoved(Conflict):
    code = "transfer_member_moved"
    message_zh = "党员已不在转出组织，该转接不能再接收"
    message_en = "The member no longer belongs to the sending organisation"


class DestinationUnavailable(Conflict):
    code = "transfer_destination_unavailable"
    message_zh = "转入组织已撤销或不能管理党员名册，不能接收"
    message_en = "The receiving organisation is dissolved or holds no roll"


class ReceiverOnly(Forbidden):
    code = "transfer_receiver_only"
    message_zh = "只有转入组织（或其上级）可以接收或退回"
    message_en = "Only the receiving organisation (or one above it) may accept or reject"


class SenderOnly(Forbidden):
    code = "transfer_sender_only"
    message_zh = "只有转出组织（或其上级）可以撤回"
    message_en = "Only the sending organisation (or one above it) may cancel"


# --- queries -----------------------------------------------------------------------------------

_from = aliased(Organisation, name="from_org")
_to = aliased(Organisation, name="to_org")


def _rows() -> Select[Any]:
    return (
        select(Transfer)
        .add_columns(Member.name, _from.name, _from.path, _to.name, _to.path)
        .join(Member, Member.id == Transfer.member_id)
        .join(_from, _from.id == Transfer.from_org_id)
        .outerjoin(_to, _to.id == Transfer.to_org_id)
    )


def readable(scope: Scope, direction: Direction | None = None) -> Select[Any]:
    """The one place that decides which transfers a caller sees: those leaving or entering their subtree."""
    stmt = _rows()
    if direction is Direction.INCOMING:
        return stmt.where(Transfer.to_org_id.is_not(None), scope.clause(_to.path))
    if direction is Direction.OUTGOING:
        return stmt.where(scope.clause(_from.path))
    return stmt.where(or_(scope.clause(_from.path), scope.clause(_to.path)))


@dataclass(frozen=True, slots=True)
class _Loaded:
    transfer: Transfer
    from_path: str
    to_path: str | None


def _load(session: Session, scope: Scope, transfer_id: int, *, for_update: bool = False) -> _Loaded:
    stmt = readable(scope).where(Transfer.id == transfer_id)
    if for_update:
        stmt = stmt.with_for_update(of=Transfer)
    row = session.execute(stmt).one_or_none()
    if row is None:
        raise TransferNotFound()
    transfer, _member_name, _from_name, from_path, _to_name, to_path = row
    return _Loaded(transfer, from_path, to_path)


def to_read(row: Any) -> TransferRead:
    transfer, member_name, from_name, _from_path, to_name, _to_path = row
    return TransferRead.model_validate(
        {
            **{key: getattr(transfer, key) for key in TransferRead.model_fields if hasattr(transfer, key)},
            "member_name": member_name,
            "from_org_name": from_name,
            "to_org_name": to_name,
        }
    )


def read(session: Session, scope: Scope, transfer_id: int) -> TransferRead:
    row = session.execute(readable(scope).where(Transfer.id == transfer_id)).one_or_none()
    if row is None:
        raise TransferNotFound()
    return to_read(row)


def list_transfers(
    session: Session,
    scope: Scope,
    *,
    direction: Direction | None,
    state: TransferState | None,
    cursor: str | None,
    limit: int,
) -> Page[TransferRead]:
    """Newest first."""
    stmt = readable(scope, direction)
    if state is not None:
        stmt = stmt.where(Transfer.state == state)
    return paginate_by_id(
        session, stmt, Transfer.id, cursor=cursor, limit=limit, to_item=to_read, descending=True
    )


def member_history(
    session: Session, scope: Scope, member_id: int, *, cursor: str | None, limit: int
) -> Page[TransferRead]:
    """Every transfer of a member the caller can see, including those between orgs outside their subtree."""
    members.get_member(session, scope, member_id)
    stmt = _rows().where(Transfer.member_id == member_id)
    return paginate_by_id(
        session, stmt, Transfer.id, cursor=cursor, limit=limit, to_item=to_read, descending=True
    )


def list_destinations(
    session: Session, *, q: str | None, cursor: str | None, limit: int
) -> Page[Destination]:
    """Organisations anywhere in the system that can receive a member (senders rarely see the
    receiving subtree). Only id, name and the parent's name are exposed."""
    parent = aliased(Organisation, name="parent")
    stmt = (
        select(Organisation.id)
        .add_columns(Organisation.name, parent.name)
        .outerjoin(parent, parent.id == Organisation.parent_id)
        .where(Organisation.status == OrgStatus.ACTIVE, Organisation.kind != OrgKind.GROUP)
    )
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            Organisation.name.like(pattern, escape="\\") | Organisation.code.like(pattern, escape="\\")
        )
    return paginate_by_id(
        session,
        stmt,
        Organisation.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: Destination(id=row[0], name=row[1], parent_name=row[2]),
    )


# --- commands ----------------------------------------------------------------------------------


def _check_destination_shape(data: TransferCreate) -> None:
    if (data.to_org_id is None) == (data.external_org_name is None):
        raise DestinationRequired.at("to_org_id")
    if data.to_org_id is None and data.letter_number is None:
        raise LetterNumberRequired.at("letter_number")


def request(
    session: Session, caller: Principal, data: TransferCreate, *, today: date | None = None
) -> Transfer:
    """Start a transfer of a member of the caller's subtree. Out of the system it completes at once."""
    _check_destination_shape(data)
    member = members.get_member(session, caller.scope, data.member_id, for_update=True)
    if member.status is not MemberStatus.NORMAL:
        raise members.MemberAlreadyLeft()
    if data.to_org_id is not None:
        if data.to_org_id == member.org_id:
            raise SameOrg.at("to_org_id")
        # System-wide on purpose: the receiving org is usually outside the sender's subtree.
        destination = session.get(Organisation, data.to_org_id)
        if destination is None:
            raise UnknownDestination.at("to_org_id")
        if not holds_roll(destination):
            raise members.OrgHoldsNoRoll.at("to_org_id")
    pending = session.scalar(
        select(Transfer.id).where(Transfer.member_id == member.id, Transfer.state == S.PENDING)
    )
    if pending is not None:
        raise TransferAlreadyPending()
    transfer = Transfer(
        member_id=member.id,
        from_org_id=member.org_id,
        to_org_id=data.to_org_id,
        external_org_name=data.external_org_name,
        letter_number=data.letter_number,
        reason=data.reason,
        state=S.PENDING,
        requested_by=caller.name,
        requested_at=utcnow(),
    )
    if data.to_org_id is None:
        _complete_out_of_system(session, caller, transfer, member, today or local_today())
    session.add(transfer)
    session.flush()
    return transfer


def _complete_out_of_system(
    session: Session, caller: Principal, transfer: Transfer, member: Member, today: date
) -> None:
    transfer.state = S.COMPLETED
    transfer.decided_by, transfer.decided_at = caller.name, transfer.requested_at
    member.status = MemberStatus.TRANSFERRED_OUT
    member.left_on = today
    reason = f"组织关系转出至{transfer.external_org_name}（介绍信编号：{transfer.letter_number}）"
    member.left_reason = reason[:200]
    posts.end_active_posts(session, member, today)


def _transition(loaded: _Loaded, target: TransferState, if_match: str | None) -> None:
    check_if_match(if_match, loaded.transfer.version)
    if target not in TRANSITIONS[loaded.transfer.state]:
        raise InvalidTransition(
            f"该组织关系转接当前状态为 {loaded.transfer.state.value}，不能再变更",
            f"This transfer is {loaded.transfer.state.value}; it can no longer change",
        )


def _decide(transfer: Transfer, caller: Principal, state: TransferState, note: str | None) -> None:
    transfer.state = state
    transfer.decided_by, transfer.decided_at, transfer.decision_note = caller.name, utcnow(), note


def _require_receiver(caller: Principal, loaded: _Loaded) -> None:
    if loaded.to_path is None or not caller.scope.contains(loaded.to_path):
        raise ReceiverOnly()


def accept(
    session: Session,
    caller: Principal,
    transfer_id: int,
    data: TransferAccept,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Transfer:
    """The receiving side takes the member: the member's org changes in this same transaction."""
    loaded = _load(session, caller.scope, transfer_id, for_update=True)
    _transition(loaded, S.ACCEPTED, if_match)
    _require_receiver(caller, loaded)
    transfer = loaded.transfer
    # Not scoped: the receiver cannot see the member until the move is done.
    member = session.scalars(select(Member).where(Member.id == transfer.member_id).with_for_update()).one()
    if member.status is not MemberStatus.NORMAL:
        raise members.MemberAlreadyLeft()
    if member.org_id != transfer.from_org_id:
        raise MemberMoved()
    # Locked, so the org cannot be dissolved (which counts its members) while the member moves in.
    destination = session.scalars(
        select(Organisation).where(Organisation.id == transfer.to_org_id).with_for_update()
    ).one()
    if not holds_roll(destination):
        raise DestinationUnavailable()
    # Posts are the old branch's: end them (and audit that under it) before the member moves.
    posts.end_active_posts(session, member, today or local_today())
    session.flush()
    member.org_id = destination.id
    _decide(transfer, caller, S.ACCEPTED, data.note)
    session.flush()
    return transfer


def reject(
    session: Session, caller: Principal, transfer_id: int, data: TransferReject, if_match: str | None
) -> Transfer:
    """The receiving side declines, with a reason; the member stays where they are."""
    loaded = _load(session, caller.scope, transfer_id, for_update=True)
    _transition(loaded, S.REJECTED, if_match)
    _require_receiver(caller, loaded)
    _decide(loaded.transfer, caller, S.REJECTED, data.note)
    session.flush()
    return loaded.transfer


def cancel(
    session: Session, caller: Principal, transfer_id: int, data: TransferCancel, if_match: str | None
) -> Transfer:
    """The sending side withdraws a pending request."""
    loaded = _load(session, caller.scope, transfer_id, for_update=True)
    _transition(loaded, S.CANCELLED, if_match)
    if not caller.scope.contains(loaded.from_path):
        raise SenderOnly()
    _decide(loaded.transfer, caller, S.CANCELLED, data.note)
    session.flush()
    return loaded.transfer
