from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from vanguard.audit import service
from vanguard.audit.schemas import AuditEventRead
from vanguard.auth.deps import AuditReader
from vanguard.core.deps import SessionDep
from vanguard.core.errors import Forbidden, InvalidInput, problem_responses
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get(
    "",
    response_model=Page[AuditEventRead],
    responses=problem_responses(Forbidden, InvalidInput),
)
def list_audit_events(
    session: SessionDep,
    caller: AuditReader,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_kind: Annotated[
        Literal["user", "service", "system"] | None,
        Query(description="Users and service accounts number their ids separately"),
    ] = None,
    actor_id: int | None = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[AuditEventRead]:
    """Newest first, within the caller's subtree."""
    return service.list_events(
        session,
        caller.scope,
        entity=entity,
        entity_id=entity_id,
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        since=since,
        until=until,
        cursor=cursor,
        limit=limit,
    )
