from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from vanguard.auth.deps import MemberReader, MemberWriter
from vanguard.core.deps import IfMatch, SessionDep
from vanguard.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    problem_responses,
)
from vanguard.core.etag import with_etag
from vanguard.core.exports import add_export_route, col
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from vanguard.core.permissions import Principal
from vanguard.transfers import service
from vanguard.transfers.models import TransferState
from vanguard.transfers.schemas import (
    Destination,
    Direction,
    TransferAccept,
    TransferCancel,
    TransferCreate,
    TransferRead,
    TransferReject,
)

router = APIRouter(tags=["transfers"])

_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)


def _respond(session: SessionDep, caller: Principal, transfer_id: int, response: Response) -> TransferRead:
    return with_etag(service.read(session, caller.scope, transfer_id), response)


@router.get("/transfers", response_model=Page[TransferRead], responses=_read_errors)
def list_transfers(
    session: SessionDep,
    caller: MemberReader,
    direction: Annotated[
        Direction | None,
        Query(description="incoming: into your subtree; outgoing: out of it; omitted: both"),
    ] = None,
    state: TransferState | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[TransferRead]:
    """Transfers leaving or entering the caller's subtree, newest first (`state=pending`: the to-do list)."""
    return service.list_transfers(
        session, caller.scope, direction=direction, state=state, cursor=cursor, limit=limit
    )


TRANSFER_STATE_ZH = {
    TransferState.PENDING: "待接收",
    TransferState.ACCEPTED: "已接收",
    TransferState.REJECTED: "已退回",
    TransferState.CANCELLED: "已撤回",
    TransferState.COMPLETED: "已转出",
}
TRANSFER_COLUMNS = [
    col("编号", "id", width=8),
    col("党员编号", "member_id", width=10),
    col("姓名", "member_name", width=10),
    col("转出党组织", "from_org_name", width=24),
    col("转入党组织", lambda t: t.to_org_name or t.external_org_name, width=24),
    col("介绍信编号", "letter_number", width=14),
    col("转接原因", "reason", width=24),
    col("状态", "state", labels=TRANSFER_STATE_ZH, width=8),
    col("申请人", "requested_by", width=10),
    col("申请时间", "requested_at", width=18),
    col("办理人", "decided_by", width=10),
    col("办理时间", "decided_at", width=18),
    col("办理意见", "decision_note", width=24),
]

add_export_route(router, list_transfers, kind="transfers", title="组织关系转接", columns=TRANSFER_COLUMNS)


@router.post(
    "/transfers", response_model=TransferRead, status_code=status.HTTP_201_CREATED, responses=_write_errors
)
def request_transfer(
    session: SessionDep, caller: MemberWriter, body: TransferCreate, request: Request, response: Response
) -> TransferRead:
    """Transfer a member of your subtree: to an org in the system (pending until it accepts), or out of
    the system with the introduction letter's number (completed at once; the member leaves the roll)."""
    transfer = service.request(session, caller, body)
    response.headers["Location"] = request.url_for("get_transfer", transfer_id=transfer.id).path
    return _respond(session, caller, transfer.id, response)


@router.get(
    "/transfers/destinations", response_model=Page[Destination], responses=problem_responses(InvalidInput)
)
def list_transfer_destinations(
    session: SessionDep,
    caller: MemberWriter,
    q: Annotated[str | None, Query(max_length=100, description="Name or code contains")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[Destination]:
    """Organisations anywhere in the system that can receive a member (id and names only)."""
    return service.list_destinations(session, q=q, cursor=cursor, limit=limit)


@router.get("/transfers/{transfer_id}", response_model=TransferRead, responses=_read_errors)
def get_transfer(
    session: SessionDep, caller: MemberReader, transfer_id: int, response: Response
) -> TransferRead:
    return _respond(session, caller, transfer_id, response)


@router.post("/transfers/{transfer_id}/accept", response_model=TransferRead, responses=_write_errors)
def accept_transfer(
    session: SessionDep,
    caller: MemberWriter,
    transfer_id: int,
    response: Response,
    body: TransferAccept | None = None,
    if_match: IfMatch = None,
) -> TransferRead:
    """The receiving side takes the member in; the member's org changes in the same transaction."""
    service.accept(session, caller, transfer_id, body or TransferAccept(), if_match)
    return _respond(session, caller, transfer_id, response)


@router.post("/transfers/{transfer_id}/reject", response_model=TransferRead, responses=_write_errors)
def reject_transfer(
    session: SessionDep,
    caller: MemberWriter,
    transfer_id: int,
    body: TransferReject,
    response: Response,
    if_match: IfMatch = None,
) -> TransferRead:
    """The receiving side declines, with a reason; the member stays."""
    service.reject(session, caller, transfer_id, body, if_match)
    return _respond(session, caller, transfer_id, response)


@router.post("/transfers/{transfer_id}/cancel", response_model=TransferRead, responses=_write_errors)
def cancel_transfer(
    session: SessionDep,
    caller: MemberWriter,
    transfer_id: int,
    response: Response,
    body: TransferCancel | None = None,
    if_match: IfMatch = None,
) -> TransferRead:
    """The sending side withdraws a pending request."""
    service.cancel(session, caller, transfer_id, body or TransferCancel(), if_match)
    return _respond(session, caller, transfer_id, response)


@router.get("/members/{member_id}/transfers", response_model=Page[TransferRead], responses=_read_errors)
def list_member_transfers(
    session: SessionDep,
    caller: MemberReader,
    member_id: int,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[TransferRead]:
    """The member's transfer history, newest first."""
    return service.member_history(session, caller.scope, member_id, cursor=cursor, limit=limit)


add_export_route(
    router, list_member_transfers, kind="member-transfers", title="党员转接记录", columns=TRANSFER_COLUMNS
)
