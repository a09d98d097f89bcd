"""党务公开 endpoints: publishers and members (`/api/v1/publications`) and the public page
(`/api/v1/public/...`, no login, rate limited). Thin wrappers over `publicity.service`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from vanguard.audit.hook import SYSTEM_ACTOR_KEY
from vanguard.auth.deps import CurrentPrincipal, MemberReader, MemberWriter
from vanguard.core.clock import ClockDep, local_today
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
from vanguard.core.ratelimit import Rule, client_ip, guarded_route
from vanguard.publicity import service
from vanguard.publicity.models import FeedbackKind, PublicationKind, PublicationState
from vanguard.publicity.schemas import (
    FeedbackAnswer,
    FeedbackCreate,
    FeedbackRead,
    FeedbackReceipt,
    PublicationCreate,
    PublicationRead,
    PublicationUpdate,
    PublicationView,
    PublicationWithdraw,
)

RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]

router = APIRouter(prefix="/publications", tags=["publicity"])
# No login: the masses read an org's public items and file feedback on them.
public_router = APIRouter(prefix="/public", tags=["public"], route_class=guarded_route(Rule("ip", client_ip)))

_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)
_public_errors: dict[int | str, dict[str, Any]] = {
    **problem_responses(NotFound, Conflict, InvalidInput),
    413: {"description": "Request body too large (`payload_too_large`)"},
    429: {"description": "Too many requests (`rate_limited`); see Retry-After"},
}


def _reader(principal: CurrentPrincipal) -> Principal:
    """Staff with members:read, or a member's own account (which sees what is published to the member)."""
    if principal.member_id is None:
        principal.require(Permission.MEMBERS_READ)
    return principal


PublicationReader = Annotated[Principal, Depends(_reader)]


@router.get("", response_model=Page[PublicationRead], responses=_read_errors)
def list_publications(
    session: SessionDep,
    caller: PublicationReader,
    clock: ClockDep,
    org_id: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Only this org's own items")] = None,
    kind: PublicationKind | None = None,
    state: PublicationState | None = None,
    member_id: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Only the candidate notices of this member")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PublicationRead]:
    """Newest first. Staff see every item of their subtree; a member's own account sees the published items
    of the current period whose audience includes the member."""
    return service.list_publications(
        session,
        caller,
        today=local_today(clock.now()),
        org_id=org_id,
        kind=kind,
        state=state,
        member_id=member_id,
        cursor=cursor,
        limit=limit,
    )


@router.post("", response_model=PublicationRead, status_code=status.HTTP_201_CREATED, responses=_write_errors)
def create_publication(
    session: SessionDep, caller: MemberWriter, body: PublicationCreate, request: Request, response: Response
) -> PublicationRead:
    """A draft. A field outside the kind's allow-list (personal data above all) is refused naming it:
    422 `field_not_publishable`."""
    item = service.create(session, caller.scope, body)
    response.headers["Location"] = request.url_for("get_publication", publication_id=item.id).path
    return with_etag(service.to_read(session, item), response)


@router.get("/{publication_id}", response_model=PublicationRead, responses=_read_errors)
def get_publication(
    session: SessionDep, caller: PublicationReader, clock: ClockDep, publication_id: RowId, response: Response
) -> PublicationRead:
    return with_etag(service.read(session, caller, publication_id, local_today(clock.now())), response)


@router.patch("/{publication_id}", response_model=PublicationRead, responses=_write_errors)
def update_publication(
    session: SessionDep,
    caller: MemberWriter,
    publication_id: RowId,
    body: PublicationUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> PublicationRead:
    """Only a draft (409 after publishing); a stale If-Match is 412."""
    item = service.update(session, caller.scope, publication_id, body, if_match)
    return with_etag(service.to_read(session, item), response)


@router.post("/{publication_id}/publish", response_model=PublicationRead, responses=_write_errors)
def publish_publication(
    session: SessionDep,
    caller: MemberWriter,
    clock: ClockDep,
    publication_id: RowId,
    response: Response,
    if_match: IfMatch = None,
) -> PublicationRead:
    """draft → published (409 from any other state, or once the period is over)."""
    now = clock.now()
    item = service.publish(session, caller.scope, publication_id, if_match, now=now, today=local_today(now))
    return with_etag(service.to_read(session, item), response)


@router.post("/{publication_id}/withdraw", response_model=PublicationRead, responses=_write_errors)
def withdraw_publication(
    session: SessionDep,
    caller: MemberWriter,
    clock: ClockDep,
    publication_id: RowId,
    body: PublicationWithdraw,
    response: Response,
    if_match: IfMatch = None,
) -> PublicationRead:
    """published → withdrawn, with a reason (409 from any other state)."""
    item = service.withdraw(session, caller.scope, publication_id, body.reason, if_match, now=clock.now())
    return with_etag(service.to_read(session, item), response)


@router.get("/{publication_id}/feedback", response_model=Page[FeedbackRead], responses=_read_errors)
def list_publication_feedback(
    session: SessionDep,
    caller: MemberReader,
    publication_id: RowId,
    kind: FeedbackKind | None = None,
    unanswered: Annotated[bool | None, Query(description="true: still unanswered; false: answered")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[FeedbackRead]:
    """Names and contacts are masked for callers without the `pii` permission."""
    return service.list_feedback(
        session, caller, publication_id, kind=kind, unanswered=unanswered, cursor=cursor, limit=limit
    )


@router.post(
    "/{publication_id}/feedback",
    response_model=FeedbackRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def file_publication_feedback(
    session: SessionDep,
    caller: PublicationReader,
    clock: ClockDep,
    publication_id: RowId,
    body: FeedbackCreate,
    response: Response,
) -> FeedbackRead:
    """An objection or comment by a signed-in caller who can see the item, within its period (409 after)."""
    now = clock.now()
    feedback = service.file_feedback(session, caller, publication_id, body, now=now, today=local_today(now))
    return with_etag(service.feedback_to_read(feedback, reveal=caller.can(Permission.PII)), response)


@router.post(
    "/{publication_id}/feedback/{feedback_id}/answer", response_model=FeedbackRead, responses=_write_errors
)
def answer_publication_feedback(
    session: SessionDep,
    caller: MemberWriter,
    clock: ClockDep,
    publication_id: RowId,
    feedback_id: RowId,
    body: FeedbackAnswer,
    response: Response,
    if_match: IfMatch = None,
) -> FeedbackRead:
    """A written answer to an objection, once (409 for a comment or a second answer)."""
    feedback = service.answer(session, caller, publication_id, feedback_id, body, if_match, now=clock.now())
    return with_etag(service.feedback_to_read(feedback, reveal=caller.can(Permission.PII)), response)


# --- the public page -----------------------------------------------------------------------------


@public_router.get(
    "/orgs/{org_id}/publications", response_model=Page[PublicationView], responses=_public_errors
)
def list_public_publications(
    session: SessionDep,
    clock: ClockDep,
    org_id: RowId,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PublicationView]:
    """The org's items published to the public whose period covers today (China's calendar), newest first:
    only their rendered allowed fields. 404 for an unknown org."""
    return service.list_public(session, org_id, today=local_today(clock.now()), cursor=cursor, limit=limit)


@public_router.post(
    "/publications/{publication_id}/feedback",
    response_model=FeedbackReceipt,
    status_code=status.HTTP_201_CREATED,
    responses=_public_errors,
)
def file_public_feedback(
    session: SessionDep, clock: ClockDep, publication_id: RowId, body: FeedbackCreate
) -> FeedbackReceipt:
    """An objection or comment on an item the public page shows (404 for any other); name and contact are
    optional."""
    session.info[SYSTEM_ACTOR_KEY] = "public"  # the audit log attributes this write to the public
    now = clock.now()
    feedback = service.file_public_feedback(session, publication_id, body, now=now, today=local_today(now))
    return service.receipt(feedback)
