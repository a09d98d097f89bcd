"""申诉、检举、控告、批评建议 endpoints: thin wrappers over `petitions.service`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from vanguard.auth.deps import CurrentPrincipal, PetitionHandler
from vanguard.core.clock import ClockDep
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
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from vanguard.core.permissions import Permission, Principal
from vanguard.petitions import service
from vanguard.petitions.models import PetitionKind, PetitionState
from vanguard.petitions.schemas import PetitionAnswer, PetitionCreate, PetitionRead, PetitionReject

router = APIRouter(prefix="/petitions", tags=["petitions"])

RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
_read_errors = problem_responses(NotFound, Forbidden, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)


def _party(caller: CurrentPrincipal) -> Principal:
    """A filer (an account linked to a member record) or a handler; anyone else is refused up front."""
    if caller.member_id is None:
        caller.require(Permission.PETITIONS_HANDLE)
    return caller


PetitionParty = Annotated[Principal, Depends(_party)]


@router.post(
    "",
    response_model=PetitionRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def file_petition(
    session: SessionDep,
    caller: CurrentPrincipal,
    clock: ClockDep,
    body: PetitionCreate,
    request: Request,
    response: Response,
) -> PetitionRead:
    """File an appeal (申诉), a report (检举/控告) or a criticism (批评建议) as the member one's account is
    linked to. It goes to the org above the one concerned."""
    now = clock.now()
    petition = service.file(session, caller, body, now)
    response.headers["Location"] = request.url_for("get_petition", petition_id=petition.id).path
    return with_etag(service.read_after_write(session, petition, now), response)


@router.get("/mine", response_model=Page[PetitionRead], responses=_read_errors)
def list_my_petitions(
    session: SessionDep,
    caller: CurrentPrincipal,
    clock: ClockDep,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PetitionRead]:
    """The petitions the caller's member record filed, newest first (empty for accounts without one)."""
    return service.list_mine(session, caller, clock.now(), cursor=cursor, limit=limit)


@router.get("", response_model=Page[PetitionRead], responses=_read_errors)
def list_petitions(
    session: SessionDep,
    caller: PetitionHandler,
    clock: ClockDep,
    state: PetitionState | None = None,
    kind: PetitionKind | None = None,
    overdue: Annotated[
        bool | None, Query(description="Only those past (true) or within (false) their deadline")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PetitionRead]:
    """Petitions handled by an org in the caller's subtree, newest first; never those about the caller."""
    return service.list_for_handling(
        session, caller, clock.now(), state=state, kind=kind, overdue=overdue, cursor=cursor, limit=limit
    )


@router.get("/{petition_id}", response_model=PetitionRead, responses=_read_errors)
def get_petition(
    session: SessionDep, caller: PetitionParty, clock: ClockDep, petition_id: RowId, response: Response
) -> PetitionRead:
    return with_etag(service.get(session, caller, petition_id, clock.now()), response)


@router.post("/{petition_id}/accept", response_model=PetitionRead, responses=_write_errors)
def accept_petition(
    session: SessionDep,
    caller: PetitionHandler,
    clock: ClockDep,
    petition_id: RowId,
    response: Response,
    if_match: IfMatch = None,
) -> PetitionRead:
    """filed → accepted (受理); the answer is due within the policy's days."""
    now = clock.now()
    petition = service.accept(session, caller, petition_id, now, if_match)
    return with_etag(service.read_after_write(session, petition, now), response)


@router.post("/{petition_id}/reject", response_model=PetitionRead, responses=_write_errors)
def reject_petition(
    session: SessionDep,
    caller: PetitionHandler,
    clock: ClockDep,
    petition_id: RowId,
    body: PetitionReject,
    response: Response,
    if_match: IfMatch = None,
) -> PetitionRead:
    """filed → rejected (不予受理), with the reason the filer will read."""
    now = clock.now()
    petition = service.reject(session, caller, petition_id, body.reason, now, if_match)
    return with_etag(service.read_after_write(session, petition, now), response)


@router.post("/{petition_id}/answer", response_model=PetitionRead, responses=_write_errors)
def answer_petition(
    session: SessionDep,
    caller: PetitionHandler,
    clock: ClockDep,
    petition_id: RowId,
    body: PetitionAnswer,
    response: Response,
    if_match: IfMatch = None,
) -> PetitionRead:
    """accepted → answered (书面答复)."""
    now = clock.now()
    petition = service.answer(session, caller, petition_id, body.answer, now, if_match)
    return with_etag(service.read_after_write(session, petition, now), response)


@router.post("/{petition_id}/close", response_model=PetitionRead, responses=_write_errors)
def close_petition(
    session: SessionDep,
    caller: PetitionParty,
    clock: ClockDep,
    petition_id: RowId,
    response: Response,
    if_match: IfMatch = None,
) -> PetitionRead:
    """answered → closed: by the filer, or by the handling org once the filer has left it open long
    enough after the answer."""
    now = clock.now()
    petition = service.close(session, caller, petition_id, now, if_match)
    return with_etag(service.read_after_write(session, petition, now), response)
