from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from vanguard.auth.deps import CurrentPrincipal, MemberReader, MemberWriter
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
from vanguard.core.permissions import Permission
from vanguard.members import service
from vanguard.members.labels import CATEGORY_ZH, EDUCATION_ZH, GENDER_ZH, STAGE_ZH, STATUS_ZH
from vanguard.members.models import Category, Education, Gender, MemberStatus, Stage
from vanguard.members.schemas import MemberCreate, MemberLeave, MemberRead, MemberSort, MemberUpdate

router = APIRouter(prefix="/members", tags=["members"])
_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)


@router.get("", response_model=Page[MemberRead], responses=_read_errors)
def list_members(
    session: SessionDep,
    caller: MemberReader,
    org_id: Annotated[int | None, Query(description="Only this org's subtree")] = None,
    q: Annotated[
        str | None,
        Query(max_length=50, description="Name, pinyin initials (zsf), phone digits or a full ID number"),
    ] = None,
    category: Category | None = None,
    stage: Stage | None = None,
    gender: Gender | None = None,
    education: Education | None = None,
    age_min: Annotated[int | None, Query(ge=0, le=130)] = None,
    age_max: Annotated[int | None, Query(ge=0, le=130)] = None,
    join_year: Annotated[
        int | None, Query(ge=1921, le=2100, description="Year of 入党 (probationary_on)")
    ] = None,
    member_status: Annotated[MemberStatus, Query(alias="status")] = MemberStatus.NORMAL,
    sort: MemberSort = MemberSort.ID,
    descending: bool = False,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[MemberRead]:
    """The roll, keyset-paged. ID numbers are masked in lists; open a record to see one in full."""
    filters = service.MemberFilter(
        org_id=org_id,
        q=q,
        category=category,
        stage=stage,
        gender=gender,
        education=education,
        age_min=age_min,
        age_max=age_max,
        join_year=join_year,
        status=member_status,
    )
    return service.list_members(
        session, caller, filters, sort=sort, descending=descending, cursor=cursor, limit=limit
    )


add_export_route(
    router,
    list_members,
    kind="members",
    title="党员名册",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("姓名", "name", width=10),
        col("所在党组织", "org_name", width=28),
        col("性别", "gender", labels=GENDER_ZH, width=6),
        col("民族", "ethnicity", width=8),
        col("出生日期", "birth_date", width=12),
        col("年龄", "age", width=6),
        col("身份证号", "id_number", width=20),
        col("联系电话", "phone", width=14),
        col("学历", "education", labels=EDUCATION_ZH, width=12),
        col("职业", "occupation", width=16),
        col("党员类别", "category", labels=CATEGORY_ZH, width=10),
        col("发展阶段", "stage", labels=STAGE_ZH, width=12),
        col("申请入党日期", "applied_on", width=12),
        col("确定积极分子日期", "activist_on", width=12),
        col("确定发展对象日期", "candidate_on", width=12),
        col("入党日期", "probationary_on", width=12),
        col("转正日期", "full_member_on", width=12),
        col("党籍状态", "status", labels=STATUS_ZH, width=10),
        col("离开日期", "left_on", width=12),
        col("离开原因", "left_reason", width=20),
    ],
)


@router.post("", response_model=MemberRead, status_code=status.HTTP_201_CREATED, responses=_write_errors)
def create_member(
    session: SessionDep, caller: MemberWriter, body: MemberCreate, request: Request, response: Response
) -> MemberRead:
    member = service.create(session, caller, body)
    response.headers["Location"] = request.url_for("get_member", member_id=member.id).path
    return with_etag(service.read(session, caller, member.id, reveal_pii=False), response)


@router.get("/{member_id}", response_model=MemberRead, responses=_read_errors)
def get_member(
    session: SessionDep, caller: CurrentPrincipal, member_id: int, response: Response
) -> MemberRead:
    """One record. Callers holding `pii` see the full ID number and phone; such reads are audited. Needs
    members:read, except for a member reading their own record (an account linked to it)."""
    caller.require_unless_own(Permission.MEMBERS_READ, member_id)
    return with_etag(service.read(session, caller, member_id), response)


@router.patch("/{member_id}", response_model=MemberRead, responses=_write_errors)
def update_member(
    session: SessionDep,
    caller: MemberWriter,
    member_id: int,
    body: MemberUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> MemberRead:
    """Edit the record. Org changes go through transfers, stage changes through the pipeline."""
    service.update(session, caller, member_id, body, if_match)
    return with_etag(service.read(session, caller, member_id, reveal_pii=False), response)


@router.post("/{member_id}/leave", response_model=MemberRead, responses=_write_errors)
def record_member_leaving(
    session: SessionDep,
    caller: MemberWriter,
    member_id: int,
    body: MemberLeave,
    response: Response,
    if_match: IfMatch = None,
) -> MemberRead:
    """Soft delete with the reason (出党, 停止党籍, 退党/除名, 死亡): the record is never erased."""
    service.leave(session, caller, member_id, body, if_match)
    return with_etag(service.read(session, caller, member_id, reveal_pii=False), response)
