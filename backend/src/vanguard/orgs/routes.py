from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from vanguard.auth.deps import OrgReader, OrgWriter
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
from vanguard.orgs import service
from vanguard.orgs.models import OrgKind, OrgStatus
from vanguard.orgs.schemas import OrgCreate, OrgMove, OrgRead, OrgRoots, OrgStats, OrgUpdate

router = APIRouter(prefix="/orgs", tags=["orgs"])

_read_errors = problem_responses(NotFound)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)


@router.get("/roots", response_model=OrgRoots)
def list_org_roots(session: SessionDep, caller: OrgReader) -> OrgRoots:
    """The top of the tree the caller may see (their own scope's root, or every top-level org)."""
    return OrgRoots(items=service.roots(session, caller.scope))


@router.get("", response_model=Page[OrgRead], responses=problem_responses(NotFound, InvalidInput))
def list_orgs(
    session: SessionDep,
    caller: OrgReader,
    parent_id: Annotated[int | None, Query(description="Only direct children of this org")] = None,
    within: Annotated[int | None, Query(description="Only this org's subtree (itself included)")] = None,
    kind: OrgKind | None = None,
    org_status: Annotated[OrgStatus | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Name or code contains")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[OrgRead]:
    return service.list_orgs(
        session,
        caller.scope,
        parent_id=parent_id,
        within_id=within,
        kind=kind,
        status=org_status,
        q=q,
        cursor=cursor,
        limit=limit,
    )


ORG_KIND_ZH = {
    OrgKind.COMMITTEE: "党委",
    OrgKind.WORKING_COMMITTEE: "党工委",
    OrgKind.GENERAL_BRANCH: "党总支",
    OrgKind.BRANCH: "党支部",
    OrgKind.GROUP: "党小组",
}
ORG_STATUS_ZH = {OrgStatus.ACTIVE: "正常", OrgStatus.DISSOLVED: "已撤销"}

add_export_route(
    router,
    list_orgs,
    kind="orgs",
    title="党组织",
    org_param="within",
    columns=[
        col("编号", "id", width=8),
        col("名称", "name", width=28),
        col("组织编码", "code", width=14),
        col("类型", "kind", labels=ORG_KIND_ZH, width=8),
        col("上级组织编号", "parent_id", width=10),
        col("层级", "depth", width=6),
        col("书记", "secretary_name", width=10),
        col("联系电话", "contact_phone", width=14),
        col("成立日期", "established_on", width=12),
        col("状态", "status", labels=ORG_STATUS_ZH, width=8),
        col("人口", "population", width=10),
        col("下级组织数", "child_count", width=10),
        col("党员数", "member_count", width=10),
    ],
)


@router.post("", response_model=OrgRead, status_code=status.HTTP_201_CREATED, responses=_write_errors)
def create_org(
    session: SessionDep, caller: OrgWriter, body: OrgCreate, request: Request, response: Response
) -> OrgRead:
    org = service.create(session, caller.scope, body)
    response.headers["Location"] = request.url_for("get_org", org_id=org.id).path
    return _respond(session, caller, org.id, response)


@router.get("/{org_id}", response_model=OrgRead, responses=_read_errors)
def get_org(session: SessionDep, caller: OrgReader, org_id: int, response: Response) -> OrgRead:
    return _respond(session, caller, org_id, response)


@router.patch("/{org_id}", response_model=OrgRead, responses=_write_errors)
def update_org(
    session: SessionDep,
    caller: OrgWriter,
    org_id: int,
    body: OrgUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> OrgRead:
    service.update_org(session, caller.scope, org_id, body, if_match)
    return _respond(session, caller, org_id, response)


@router.post("/{org_id}/move", response_model=OrgRead, responses=_write_errors)
def move_org(
    session: SessionDep,
    caller: OrgWriter,
    org_id: int,
    body: OrgMove,
    response: Response,
    if_match: IfMatch = None,
) -> OrgRead:
    """Re-parent the org; its whole subtree is re-pathed in the same transaction. Cycles are 409."""
    service.move(session, caller.scope, org_id, body.new_parent_id, if_match)
    return _respond(session, caller, org_id, response)


@router.get("/{org_id}/stats", response_model=OrgStats, responses=_read_errors)
def get_org_stats(session: SessionDep, caller: OrgReader, org_id: int) -> OrgStats:
    return service.stats(session, caller.scope, org_id)


def _respond(session: SessionDep, caller: Principal, org_id: int, response: Response) -> OrgRead:
    return with_etag(service.read(session, caller.scope, org_id), response)
