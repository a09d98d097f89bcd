from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from vanguard.audit.models import AuditEvent
from vanguard.audit.schemas import AuditEventRead
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Scope
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation


def readable(scope: Scope) -> Select[AuditEvent]:
    if scope.root_path is None:
        return select(AuditEvent)
    # Events about records of orgs in the subtree; system-wide events (no org) stay with global auditors.
    return (
        select(AuditEvent)
        .join(Organisation, Organisation.id == AuditEvent.org_id)
        .where(scope.clause(Organisation.path))
    )


def list_events(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    entity: str | None,
    entity_id: str | None,
    actor_kind: str | None,
    actor_id: int | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[AuditEventRead]:
    stmt = readable(scope)
    if org_id is not None:
        # An org outside the caller's subtree is a 404, as everywhere else.
        within = Scope(orgs.get(session, scope, org_id).path)
        stmt = stmt.where(
            AuditEvent.org_id.in_(select(Organisation.id).where(within.clause(Organisation.path)))
        )
    if entity is not None:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if actor_kind is not None:
        stmt = stmt.where(AuditEvent.actor_kind == actor_kind)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < until)
    return paginate_by_id(
        session,
        stmt,
        AuditEvent.id,
        cursor=cursor,
        limit=limit,
        descending=True,
        to_item=lambda row: AuditEventRead.model_validate(row[0]),
    )
