from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from vanguard.audit import service
from vanguard.audit.schemas import AuditEventRead
from vanguard.auth.deps import AuditReader
from vanguard.core.deps import SessionDep
from vanguard.core.errors import Forbidden, InvalidInput, NotFound, problem_responses
from vanguard.core.exports import add_export_route, col
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get(
    "",
    response_model=Page[AuditEventRead],
    responses=problem_responses(Forbidden, NotFound, InvalidInput),
)
def list_audit_events(
    session: SessionDep,
    caller: AuditReader,
    org_id: Annotated[int | None, Query(description="Only events of this org's subtree")] = None,
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
        org_id=org_id,
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


ACTOR_KIND_ZH = {"user": "用户", "service": "服务账号", "system": "系统"}

add_export_route(
    router,
    list_audit_events,
    kind="audit",
    title="审计日志",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("时间", "occurred_at", width=18),
        col("操作者类型", "actor_kind", labels=ACTOR_KIND_ZH, width=10),
        col("操作者编号", "actor_id", width=10),
        col("操作者", "actor_name", width=14),
        col("对象", "entity", width=14),
        col("对象编号", "entity_id", width=10),
        col("操作", "action", width=10),
        col("党组织编号", "org_id", width=10),
        col("修改前", "before", width=40),
        col("修改后", "after", width=40),
        col("请求编号", "request_id", width=20),
    ],
)
