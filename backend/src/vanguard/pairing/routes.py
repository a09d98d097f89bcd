"""结对帮扶 endpoints: thin wrappers over `pairing.service`, all scoped by the caller's org subtree."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from vanguard.auth.deps import MemberReader, MemberWriter
from vanguard.core.deps import IfMatch, SessionDep
from vanguard.core.downloads import content_disposition
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
from vanguard.core.xlsx import XLSX_MEDIA_TYPE
from vanguard.pairing import export, ledger, service
from vanguard.pairing.models import BeneficiaryKind, EventType, PairStatus
from vanguard.pairing.schemas import (
    BeneficiaryCreate,
    BeneficiaryRead,
    BeneficiaryUpdate,
    CoverageRead,
    EventCreate,
    FollowUpRead,
    FollowUpState,
    PairCreate,
    PairEnd,
    PairRead,
    PairUpdate,
    TaskClose,
    TaskRead,
    VisitCreate,
    VisitRead,
    VisitUpdate,
)

router = APIRouter(prefix="/pairing", tags=["pairing"])

_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)
OrgFilter = Annotated[int | None, Query(description="Only this organisation's records")]
SubtreeFilter = Annotated[int | None, Query(description="Only this organisation's subtree")]
AsOf = Annotated[date | None, Query(description="The day to judge by (default today)")]


# --- beneficiaries (帮扶对象) --------------------------------------------------------------------


@router.get("/beneficiaries", response_model=Page[BeneficiaryRead], responses=_read_errors)
def list_beneficiaries(
    session: SessionDep,
    caller: MemberReader,
    org_id: OrgFilter = None,
    kind: BeneficiaryKind | None = None,
    member_id: Annotated[int | None, Query(description="Only the record of this member in hardship")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[BeneficiaryRead]:
    """Contact fields are masked for callers without the `pii` permission."""
    return service.list_beneficiaries(
        session, caller, org_id=org_id, kind=kind, member_id=member_id, cursor=cursor, limit=limit
    )


add_export_route(
    router,
    list_beneficiaries,
    kind="beneficiaries",
    title="帮扶对象",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("党组织编号", "org_id", width=10),
        col("类别", "kind", labels=export.BENEFICIARY_KIND_ZH, width=10),
        col("党员编号", "member_id", width=10),
        col("党员姓名", "member_name", width=10),
        col("户主姓名", "head_name", width=10),
        col("家庭住址", "address", width=24),
        col("所在村（社区）", "village", width=14),
        col("家庭人口", "household_size", width=8),
        col("家庭情况", "situation", width=30),
        col("帮扶需求", "needs", width=30),
        col("联系电话", "contact_phone", width=14),
    ],
)


@router.post(
    "/beneficiaries",
    response_model=BeneficiaryRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_beneficiary(
    session: SessionDep, caller: MemberWriter, body: BeneficiaryCreate, request: Request, response: Response
) -> BeneficiaryRead:
    """Register a member in hardship (困难党员) or a household (联系户)."""
    created = service.create_beneficiary(session, caller.scope, body)
    response.headers["Location"] = request.url_for("get_beneficiary", beneficiary_id=created.id).path
    return with_etag(service.read_beneficiary(session, caller, created.id), response)


@router.get("/beneficiaries/{beneficiary_id}", response_model=BeneficiaryRead, responses=_read_errors)
def get_beneficiary(
    session: SessionDep, caller: MemberReader, beneficiary_id: int, response: Response
) -> BeneficiaryRead:
    return with_etag(service.read_beneficiary(session, caller, beneficiary_id), response)


@router.patch("/beneficiaries/{beneficiary_id}", response_model=BeneficiaryRead, responses=_write_errors)
def update_beneficiary(
    session: SessionDep,
    caller: MemberWriter,
    beneficiary_id: int,
    body: BeneficiaryUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> BeneficiaryRead:
    service.update_beneficiary(session, caller.scope, beneficiary_id, body, if_match)
    return with_etag(service.read_beneficiary(session, caller, beneficiary_id), response)


# --- pairs (结对) -------------------------------------------------------------------------------


@router.get("/pairs", response_model=Page[PairRead], responses=_read_errors)
def list_pairs(
    session: SessionDep,
    caller: MemberReader,
    org_id: OrgFilter = None,
    helper_member_id: int | None = None,
    helper_user_id: int | None = None,
    beneficiary_id: int | None = None,
    status: PairStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PairRead]:
    return service.list_pairs(
        session,
        caller.scope,
        org_id=org_id,
        helper_member_id=helper_member_id,
        helper_user_id=helper_user_id,
        beneficiary_id=beneficiary_id,
        status=status,
        cursor=cursor,
        limit=limit,
    )


add_export_route(
    router,
    list_pairs,
    kind="pairs",
    title="结对关系",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("党组织编号", "org_id", width=10),
        col("帮扶党员编号", "helper_member_id", width=10),
        col("帮扶干部用户编号", "helper_user_id", width=10),
        col("帮扶对象编号", "beneficiary_id", width=10),
        col("结对类型", "kind", labels=export.PAIR_KIND_ZH, width=14),
        col("三包", lambda p: [f"{export.GOAL_ZH[g.tag]}：{g.target}" for g in p.goals], width=36),
        col("结对日期", "started_on", width=12),
        col("结束日期", "ends_on", width=12),
        col("状态", "status", labels=export.STATUS_ZH, width=10),
        col("终止原因", "end_reason", width=20),
    ],
)


@router.post("/pairs", response_model=PairRead, status_code=status.HTTP_201_CREATED, responses=_write_errors)
def create_pair(
    session: SessionDep, caller: MemberWriter, body: PairCreate, request: Request, response: Response
) -> PairRead:
    """Pair a helper (a member, or a cadre's user account) with a beneficiary; both must be within the
    caller's scope. One active pair per helper and beneficiary (409); each side's active pairs are capped."""
    pair = service.create_pair(session, caller.scope, body)
    response.headers["Location"] = request.url_for("get_pair", pair_id=pair.id).path
    return with_etag(service.pair_to_read(pair), response)


@router.get("/pairs/{pair_id}", response_model=PairRead, responses=_read_errors)
def get_pair(session: SessionDep, caller: MemberReader, pair_id: int, response: Response) -> PairRead:
    return with_etag(service.pair_to_read(service.get_pair(session, caller.scope, pair_id)), response)


@router.patch("/pairs/{pair_id}", response_model=PairRead, responses=_write_errors)
def update_pair(
    session: SessionDep,
    caller: MemberWriter,
    pair_id: int,
    body: PairUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> PairRead:
    """Change the goals (三包 tags and targets) or the planned end, while the pair is active (else 409)."""
    pair = service.update_pair(session, caller.scope, pair_id, body, if_match)
    return with_etag(service.pair_to_read(pair), response)


@router.post("/pairs/{pair_id}/end", response_model=PairRead, responses=_write_errors)
def end_pair(
    session: SessionDep,
    caller: MemberWriter,
    pair_id: int,
    body: PairEnd,
    response: Response,
    if_match: IfMatch = None,
) -> PairRead:
    """Completed, or ended early with a reason (today unless `ended_on` says otherwise)."""
    pair = service.end_pair(session, caller.scope, pair_id, body, if_match)
    return with_etag(service.pair_to_read(pair), response)


# --- visits (走访) ------------------------------------------------------------------------------


@router.get("/pairs/{pair_id}/visits", response_model=Page[VisitRead], responses=_read_errors)
def list_visits(
    session: SessionDep,
    caller: MemberReader,
    pair_id: int,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[VisitRead]:
    return service.list_visits(session, caller.scope, pair_id, cursor=cursor, limit=limit)


add_export_route(
    router,
    list_visits,
    kind="visits",
    title="走访记录",
    columns=[
        col("编号", "id", width=8),
        col("结对编号", "pair_id", width=8),
        col("走访日期", "visited_on", width=12),
        col("类型", "type", labels=export.VISIT_TYPE_ZH, width=14),
        col("走访内容", "work_done", width=40),
        col("帮扶资金（元）", "money_given", width=12),
        col("物资折价（元）", "goods_value", width=12),
        col("帮助就业人数", "jobs_found", width=10),
        col("技能培训", "skills", width=20),
        col("后续事项", "follow_up", width=30),
        col("后续事项期限", "follow_up_due_on", width=12),
        col("后续事项办结日期", "follow_up_done_on", width=12),
        col("照片数", lambda v: len(v.photos), width=8),
    ],
)


@router.post(
    "/pairs/{pair_id}/visits",
    response_model=VisitRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_visit(
    session: SessionDep, caller: MemberWriter, pair_id: int, body: VisitCreate, response: Response
) -> VisitRead:
    """A visit within the pair's dates; a 四必访 visit closes the beneficiary's open task of that type.
    `attachment_ids`: photos, image attachments uploaded for the pair's organisation (others are refused,
    naming them)."""
    return with_etag(
        service.visit_to_read(session, service.create_visit(session, caller.scope, pair_id, body)), response
    )


@router.get("/pairs/{pair_id}/visits/{visit_id}", response_model=VisitRead, responses=_read_errors)
def get_visit(
    session: SessionDep, caller: MemberReader, pair_id: int, visit_id: int, response: Response
) -> VisitRead:
    return with_etag(
        service.visit_to_read(session, service.get_visit(session, caller.scope, pair_id, visit_id)), response
    )


@router.patch("/pairs/{pair_id}/visits/{visit_id}", response_model=VisitRead, responses=_write_errors)
def update_visit(
    session: SessionDep,
    caller: MemberWriter,
    pair_id: int,
    visit_id: int,
    body: VisitUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> VisitRead:
    """Correct a visit; the date stays within the pair's. A visit that closed a must-visit task keeps its
    type (409)."""
    visit = service.update_visit(session, caller.scope, pair_id, visit_id, body, if_match)
    return with_etag(service.visit_to_read(session, visit), response)


@router.patch(
    "/pairs/{pair_id}/visits/{visit_id}/follow-up", response_model=VisitRead, responses=_write_errors
)
def set_follow_up(
    session: SessionDep,
    caller: MemberWriter,
    pair_id: int,
    visit_id: int,
    body: FollowUpState,
    response: Response,
    if_match: IfMatch = None,
) -> VisitRead:
    """Mark the visit's follow-up (后续事项) done, or open again; 409 when the visit has none."""
    visit = service.set_follow_up(session, caller.scope, pair_id, visit_id, body, if_match)
    return with_etag(service.visit_to_read(session, visit), response)


@router.get("/follow-ups/overdue", response_model=Page[FollowUpRead], responses=_read_errors)
def overdue_follow_ups(
    session: SessionDep,
    caller: MemberReader,
    org_id: SubtreeFilter = None,
    as_of: AsOf = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[FollowUpRead]:
    """Follow-ups not done whose due date is before `as_of`, oldest visit first."""
    return service.overdue_follow_ups(
        session, caller.scope, org_id=org_id, as_of=as_of, cursor=cursor, limit=limit
    )


add_export_route(
    router,
    overdue_follow_ups,
    kind="follow-ups",
    title="逾期后续事项",
    org_param="org_id",
    columns=[
        col("走访记录编号", "visit_id", width=10),
        col("结对编号", "pair_id", width=8),
        col("党组织编号", "org_id", width=10),
        col("帮扶党员编号", "helper_member_id", width=10),
        col("帮扶干部用户编号", "helper_user_id", width=10),
        col("帮扶对象编号", "beneficiary_id", width=10),
        col("走访日期", "visited_on", width=12),
        col("后续事项", "follow_up", width=36),
        col("期限", "follow_up_due_on", width=12),
        col("逾期天数", "days_overdue", width=8),
    ],
)


# --- must-visit tasks (四必访) ------------------------------------------------------------------


@router.post("/events", response_model=TaskRead, status_code=status.HTTP_201_CREATED, responses=_write_errors)
def record_event(
    session: SessionDep, caller: MemberWriter, body: EventCreate, response: Response
) -> TaskRead:
    """Record an event for a member (illness, hardship, dispute, wedding/funeral): opens a must-visit
    task for the helper of the member's active pair, or for the branch, due per policy."""
    return with_etag(service.task_to_read(service.record_event(session, caller.scope, body)), response)


@router.get("/tasks", response_model=Page[TaskRead], responses=_read_errors)
def list_tasks(
    session: SessionDep,
    caller: MemberReader,
    org_id: OrgFilter = None,
    overdue: Annotated[bool | None, Query(description="true: open and past due; false: the rest")] = None,
    as_of: AsOf = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[TaskRead]:
    return service.list_tasks(
        session, caller.scope, org_id=org_id, overdue=overdue, today=as_of, cursor=cursor, limit=limit
    )


EVENT_ZH = {
    EventType.HARDSHIP: "生活困难",
    EventType.ILLNESS: "生病住院",
    EventType.FAMILY_DISPUTE: "家庭矛盾",
    EventType.WEDDING_FUNERAL: "婚丧嫁娶",
}
TASK_STATUS_ZH = {"open": "待走访", "visited": "已走访", "closed": "已办结", "cancelled": "已取消"}

add_export_route(
    router,
    list_tasks,
    kind="tasks",
    title="四必访任务",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("党组织编号", "org_id", width=10),
        col("党员编号", "member_id", width=10),
        col("事由", "event", labels=EVENT_ZH, width=10),
        col("发生日期", "occurred_on", width=12),
        col("说明", "note", width=30),
        col("走访期限", "due_on", width=12),
        col("责任党员编号", "helper_member_id", width=10),
        col("责任干部用户编号", "helper_user_id", width=10),
        col("结对编号", "pair_id", width=8),
        col("走访记录编号", "visit_id", width=10),
        col("状态", "status", labels=TASK_STATUS_ZH, width=8),
        col("办结日期", "closed_on", width=12),
        col("办结说明", "close_reason", width=20),
    ],
)


@router.get("/tasks/{task_id}", response_model=TaskRead, responses=_read_errors)
def get_task(session: SessionDep, caller: MemberReader, task_id: int, response: Response) -> TaskRead:
    return with_etag(service.task_to_read(service.get_task(session, caller.scope, task_id)), response)


@router.post("/tasks/{task_id}/close", response_model=TaskRead, responses=_write_errors)
def close_task(
    session: SessionDep,
    caller: MemberWriter,
    task_id: int,
    body: TaskClose,
    response: Response,
    if_match: IfMatch = None,
) -> TaskRead:
    """Close (handled outside a recorded visit) or cancel an open task by hand, with a reason; 409 when
    it is already visited or closed."""
    task = service.close_task(session, caller.scope, task_id, body, if_match)
    return with_etag(service.task_to_read(task), response)


# --- coverage (台账) ---------------------------------------------------------------------------


@router.get("/coverage", response_model=CoverageRead, responses=_read_errors)
def get_coverage(
    session: SessionDep,
    caller: MemberReader,
    org_id: Annotated[int, Query(description="The organisation; its whole subtree is counted")],
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="A year, or with `quarter` a quarter")
    ] = None,
    quarter: Annotated[int | None, Query(ge=1, le=4)] = None,
    as_of: Annotated[
        date | None, Query(description="Instead of year: that day's quarter, read on it")
    ] = None,
) -> CoverageRead:
    """Coverage (share of hardship members and households with a running pair), visits per pair per
    quarter, overdue must-visit tasks and outcomes, for the subtree and for each org in it. Default: the
    current quarter, read today."""
    return ledger.coverage(session, caller.scope, org_id, year=year, quarter=quarter, as_of=as_of)


@router.get(
    "/ledger.xlsx",
    response_class=Response,
    responses={
        200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "The 结对帮扶台账 workbook"},
        **_read_errors,
    },
)
def export_ledger(
    session: SessionDep,
    caller: MemberReader,
    org_id: Annotated[int, Query(description="The organisation; its whole subtree is exported")],
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Default: this year")] = None,
) -> Response:
    """The 结对帮扶台账 as XLSX: one row per pair running in the year (visits per quarter, help given),
    and a sheet of its visits. Contact fields are masked without `pii`; the export is audited."""
    file = export.export_ledger(session, caller, org_id, year=year)
    return Response(
        file.content,
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": content_disposition(file.filename)},
    )
