"""群众诉求 endpoints: staff (`/api/v1/complaints`), the public face (`/api/v1/public/complaints`, no
login, rate limited) and Open311 GeoReport v2 (`/open311/v2`). Thin wrappers over `complaints.service`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from vanguard.audit.hook import SYSTEM_ACTOR_KEY
from vanguard.auth.deps import ComplaintReader, ComplaintWriter, CurrentPrincipal
from vanguard.complaints import open311, service
from vanguard.complaints.models import Channel, Complaint, Status, Urgency
from vanguard.complaints.schemas import (
    ComplaintAssign,
    ComplaintCategory,
    ComplaintCategoryCreate,
    ComplaintCategoryUpdate,
    ComplaintClose,
    ComplaintCreate,
    ComplaintExtend,
    ComplaintNote,
    ComplaintRating,
    ComplaintRead,
    ComplaintReason,
    ComplaintReceipt,
    ComplaintResolve,
    ComplaintStart,
    ComplaintStats,
    ComplaintSummary,
    ComplaintTimelineEvent,
    ComplaintTrend,
    PublicComplaintCreate,
    PublicComplaintView,
)
from vanguard.core.clock import Clock, ClockDep
from vanguard.core.config import get_settings
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
from vanguard.core.policy import COMPLAINTS_TREND_MAX_MONTHS
from vanguard.core.ratelimit import Rule, client_ip, guarded_route, path_param

# Ids fit the database's integer columns: larger ones are 422, not a driver error.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
_by_ip = Rule("ip", client_ip)
_by_code = Rule("code", path_param("code"))

router = APIRouter(prefix="/complaints", tags=["complaints"])
# No login: the masses file and track their requests by tracking code.
public_router = APIRouter(prefix="/public", tags=["public"], route_class=guarded_route(_by_ip, _by_code))
# Open311 GeoReport v2 lives outside /api/v1 where civic clients expect it; it shares the per-IP limit.
open311_router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=guarded_route(_by_ip))

_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)
_public_errors: dict[int | str, dict[str, Any]] = {
    **problem_responses(NotFound, Conflict, InvalidInput),
    413: {"description": "Request body too large (`payload_too_large`)"},
    429: {"description": "Too many requests (`rate_limited`); see Retry-After"},
}


# --- categories and statistics (before /{complaint_id}) --------------------------------------


@router.get("/categories", response_model=list[ComplaintCategory])
def list_complaint_categories(session: SessionDep, caller: CurrentPrincipal) -> list[ComplaintCategory]:
    """The category tree, with each node's SLA overrides (empty: inherited)."""
    return service.category_tree(session)


@router.post(
    "/categories",
    response_model=ComplaintCategory,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_complaint_category(
    session: SessionDep, caller: CurrentPrincipal, body: ComplaintCategoryCreate, response: Response
) -> ComplaintCategory:
    """System administrators only."""
    return with_etag(service.category_node(service.create_category(session, caller, body)), response)


@router.patch("/categories/{category_id}", response_model=ComplaintCategory, responses=_write_errors)
def update_complaint_category(
    session: SessionDep,
    caller: CurrentPrincipal,
    category_id: RowId,
    body: ComplaintCategoryUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintCategory:
    """System administrators only; deactivating hides a category from intake but keeps its items."""
    category = service.update_category(session, caller, category_id, body, if_match)
    return with_etag(service.category_node(category), response)


@router.get("/stats", response_model=ComplaintStats, responses=_read_errors)
def complaint_stats(
    session: SessionDep,
    caller: ComplaintReader,
    clock: ClockDep,
    start: date,
    end: date,
    by: Annotated[
        Literal["org", "person"], Query(description="Per handling org or responsible person")
    ] = "org",
) -> ComplaintStats:
    """On-time and satisfaction rates for days `start`–`end` (CST, inclusive), within the caller's scope."""
    if end < start:
        raise InvalidInput("结束日期不能早于开始日期", "end cannot be before start", code="end_before_start")
    rows = service.stats(session, caller.scope, by=by, start=start, end=end, now=clock.now())
    return ComplaintStats(start=start, end=end, by=by, rows=rows)


@router.get("/stats/trend", response_model=ComplaintTrend, responses=_read_errors)
def complaint_trend(
    session: SessionDep,
    caller: ComplaintReader,
    clock: ClockDep,
    org_id: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="Count this org's subtree (default: your scope root)"),
    ] = None,
    months: Annotated[
        int, Query(ge=1, le=COMPLAINTS_TREND_MAX_MONTHS, description="Through this month")
    ] = 12,
) -> ComplaintTrend:
    """Received, resolved, on-time and satisfaction rates per China month, the same facts as `/stats`."""
    return service.trend(session, caller.scope, org_id, months=months, now=clock.now())


# --- the ledger --------------------------------------------------------------------------------


@router.get("", response_model=Page[ComplaintSummary], responses=_read_errors)
def list_complaints(
    session: SessionDep,
    caller: ComplaintReader,
    clock: ClockDep,
    status: Status | None = None,
    category: Annotated[str | None, Query(max_length=32, description="Category code")] = None,
    org_id: Annotated[int | None, Query(description="Only this handling org's items")] = None,
    responsible_user_id: int | None = None,
    overdue: Annotated[
        bool | None, Query(description="true: the overdue list (open, past due), most overdue first")
    ] = None,
    escalated_to_org_id: Annotated[
        int | None, Query(description="督查: items escalated to this (superior) org")
    ] = None,
    channel: Channel | None = None,
    urgency: Urgency | None = None,
    q: Annotated[
        str | None,
        Query(max_length=100, description="Words of the title, or an item's exact tracking code"),
    ] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ComplaintSummary]:
    """The caller's subtree, newest first. List rows carry no reporter data."""
    return service.list_complaints(
        session,
        caller.scope,
        clock.now(),
        status=status,
        category=category,
        org_id=org_id,
        responsible_user_id=responsible_user_id,
        overdue=overdue,
        escalated_to_org_id=escalated_to_org_id,
        cursor=cursor,
        limit=limit,
        channel=channel,
        urgency=urgency,
        q=q,
    )


CHANNEL_ZH = {
    Channel.WEB: "网上信访",
    Channel.HOTLINE: "专线电话",
    Channel.VIDEO: "视频接访",
    Channel.AGENT: "信访代理",
    Channel.LETTER: "来信",
    Channel.VISIT: "来访",
    Channel.OA: "政务OA",
}
URGENCY_ZH = {Urgency.NORMAL: "一般", Urgency.URGENT: "紧急", Urgency.CRITICAL: "特急"}

add_export_route(
    router,
    list_complaints,
    kind="complaints",
    title="群众诉求台账",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("渠道", "channel", labels=CHANNEL_ZH, width=10),
        col("类别编号", "category_id", width=8),
        col("承办组织编号", "org_id", width=10),
        col("责任人用户编号", "responsible_user_id", width=10),
        col("紧急程度", "urgency", labels=URGENCY_ZH, width=8),
        col("标题", "title", width=36),
        col("状态", "status", labels=service.STATUS_ZH, width=10),
        col("登记时间", "received_at", width=18),
        col("办理期限", "due_at", width=18),
        col("超期时间", "overdue_at", width=18),
        col("督查时间", "escalated_at", width=18),
    ],
)


@router.post("", response_model=ComplaintRead, status_code=status.HTTP_201_CREATED, responses=_write_errors)
def create_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    body: ComplaintCreate,
    request: Request,
    response: Response,
) -> ComplaintRead:
    """Register an item from any channel (staff, or a service account such as the hotline system)."""
    now = clock.now()
    complaint = service.create(session, caller, body, now)
    response.headers["Location"] = request.url_for("get_complaint", complaint_id=complaint.id).path
    return with_etag(service.to_read(session, caller, complaint, now), response)


@router.get("/{complaint_id}", response_model=ComplaintRead, responses=_read_errors)
def get_complaint(
    session: SessionDep, caller: ComplaintReader, clock: ClockDep, complaint_id: RowId, response: Response
) -> ComplaintRead:
    """The reporter's name and phone are masked except for the handling org and administrators."""
    complaint = service.get(session, caller.scope, complaint_id)
    return with_etag(service.to_read(session, caller, complaint, clock.now()), response)


@router.get("/{complaint_id}/timeline", response_model=list[ComplaintTimelineEvent], responses=_read_errors)
def get_complaint_timeline(
    session: SessionDep, caller: ComplaintReader, complaint_id: RowId
) -> list[ComplaintTimelineEvent]:
    return service.timeline(session, caller.scope, complaint_id)


# --- workflow steps: each 409s (naming the current status) when out of order --------------------


def _done(
    session: Session, caller: Principal, complaint: Complaint, clock: Clock, response: Response
) -> ComplaintRead:
    return with_etag(service.to_read(session, caller, complaint, clock.now()), response)


@router.post("/{complaint_id}/accept", response_model=ComplaintRead, responses=_write_errors)
def accept_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    complaint_id: RowId,
    body: ComplaintNote,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintRead:
    """received → accepted; the handling deadline starts (category's days, else 60)."""
    c = service.accept(session, caller, complaint_id, clock.now(), if_match, body.note)
    return _done(session, caller, c, clock, response)


@router.post("/{complaint_id}/reject", response_model=ComplaintRead, responses=_write_errors)
def reject_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    complaint_id: RowId,
    body: ComplaintReason,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintRead:
    """received → rejected (不予受理), with the reason the reporter will see."""
    c = service.reject(session, caller, complaint_id, body.reason, clock.now(), if_match)
    return _done(session, caller, c, clock, response)


@router.post("/{complaint_id}/assign", response_model=ComplaintRead, responses=_write_errors)
def assign_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    complaint_id: RowId,
    body: ComplaintAssign,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintRead:
    """accepted | assigned | in_progress | reopened → assigned: the handling org and responsible person."""
    c = service.assign(session, caller, complaint_id, body, clock.now(), if_match)
    return _done(session, caller, c, clock, response)


@router.post("/{complaint_id}/start", response_model=ComplaintRead, responses=_write_errors)
def start_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    complaint_id: RowId,
    body: ComplaintStart,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintRead:
    """assigned | reopened → in_progress, with the promise (承诺): what, and by when."""
    c = service.start(session, caller, complaint_id, body, clock.now(), if_match)
    return _done(session, caller, c, clock, response)


@router.post("/{complaint_id}/extend", response_model=ComplaintRead, responses=_write_errors)
def extend_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    complaint_id: RowId,
    body: ComplaintExtend,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintRead:
    """One extension of the handling deadline (up to 30 days, or the category's limit)."""
    c = service.extend(session, caller, complaint_id, body, clock.now(), if_match)
    return _done(session, caller, c, clock, response)


@router.post("/{complaint_id}/resolve", response_model=ComplaintRead, responses=_write_errors)
def resolve_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    complaint_id: RowId,
    body: ComplaintResolve,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintRead:
    """in_progress → resolved, with the result; the reporter may now rate it."""
    c = service.resolve(session, caller, complaint_id, body, clock.now(), if_match)
    return _done(session, caller, c, clock, response)


@router.post("/{complaint_id}/close", response_model=ComplaintRead, responses=_write_errors)
def close_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    complaint_id: RowId,
    body: ComplaintClose,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintRead:
    """resolved → closed (销号) with a closure reason, once rated or after the silence period."""
    c = service.close(session, caller, complaint_id, body, clock.now(), if_match)
    return _done(session, caller, c, clock, response)


@router.post("/{complaint_id}/reopen", response_model=ComplaintRead, responses=_write_errors)
def reopen_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    complaint_id: RowId,
    body: ComplaintReason,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintRead:
    """resolved | closed → reopened, with a new handling deadline."""
    c = service.reopen(session, caller, complaint_id, body.reason, clock.now(), if_match)
    return _done(session, caller, c, clock, response)


@router.post("/{complaint_id}/escalate", response_model=ComplaintRead, responses=_write_errors)
def escalate_complaint(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    complaint_id: RowId,
    body: ComplaintNote,
    response: Response,
    if_match: IfMatch = None,
) -> ComplaintRead:
    """督查: an overdue open item is flagged to the handling org's superior (once)."""
    c = service.escalate(session, caller, complaint_id, body.note, clock.now(), if_match)
    return _done(session, caller, c, clock, response)


# --- public intake and tracking ----------------------------------------------------------------


def _as_public(session: SessionDep) -> None:
    session.info[SYSTEM_ACTOR_KEY] = "public"  # the audit log attributes these writes to the public


@public_router.post(
    "/complaints",
    response_model=ComplaintReceipt,
    status_code=status.HTTP_201_CREATED,
    responses=_public_errors,
)
def submit_public_complaint(
    session: SessionDep, clock: ClockDep, body: PublicComplaintCreate
) -> ComplaintReceipt:
    """File a request without logging in; the answer's tracking code is the only way to follow it."""
    _as_public(session)
    c = service.create_public(session, body, clock.now(), org_code=get_settings().complaints_intake_org_code)
    return ComplaintReceipt(
        tracking_code=c.tracking_code, status=c.status, received_at=c.received_at, due_at=c.due_at
    )


@public_router.get("/complaints/{code}", response_model=PublicComplaintView, responses=_public_errors)
def track_public_complaint(
    session: SessionDep, code: Annotated[str, Path(max_length=32)]
) -> PublicComplaintView:
    """Progress by tracking code: status, deadline, public steps and the closure reason — nothing else."""
    return service.public_view(session, code)


@public_router.post("/complaints/{code}/rating", response_model=PublicComplaintView, responses=_public_errors)
def rate_public_complaint(
    session: SessionDep, clock: ClockDep, code: Annotated[str, Path(max_length=32)], body: ComplaintRating
) -> PublicComplaintView:
    """1–5 once the item is resolved (409 before); a low rating reopens it."""
    _as_public(session)
    c = service.rate(session, code, body, clock.now())
    return service.public_view(session, c.tracking_code)


# --- Open311 GeoReport v2 ----------------------------------------------------------------------


def _open311_error(exc: open311.Open311Error) -> JSONResponse:
    return JSONResponse([{"code": exc.status, "description": exc.description}], status_code=exc.status)


def _publish() -> bool:
    return get_settings().open311_publish_details


_open311_errors: dict[int | str, dict[str, Any]] = {
    400: {"model": list[open311.Open311ErrorItem], "description": "Open311 error list"},
    404: {"model": list[open311.Open311ErrorItem], "description": "Open311 error list"},
    413: {"description": "Request body too large"},
    429: {"description": "Too many requests; see Retry-After"},
}


@open311_router.get("/services.json", response_model=list[open311.Open311Service], responses=_open311_errors)
def open311_services(session: SessionDep) -> list[open311.Open311Service]:
    """Service list: one service per active category."""
    return open311.services(session)


@open311_router.get("/requests.json", response_model=list[open311.Open311Request], responses=_open311_errors)
def open311_list_requests(
    session: SessionDep,
    clock: ClockDep,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
) -> list[open311.Open311Request] | JSONResponse:
    try:
        return open311.list_requests(
            session,
            clock.now(),
            publish=_publish(),
            service_request_id=service_request_id,
            service_code=service_code,
            start_date=start_date,
            end_date=end_date,
            status=status,
        )
    except open311.Open311Error as exc:
        return _open311_error(exc)


@open311_router.get(
    "/requests/{service_request_id}.json",
    response_model=list[open311.Open311Request],
    responses=_open311_errors,
)
def open311_get_request(
    session: SessionDep, service_request_id: str
) -> list[open311.Open311Request] | JSONResponse:
    try:
        return open311.get_request(session, service_request_id, publish=_publish())
    except open311.Open311Error as exc:
        return _open311_error(exc)


@open311_router.post(
    "/requests.json",
    response_model=list[open311.Open311Created],
    status_code=status.HTTP_201_CREATED,
    responses=_open311_errors,
)
def open311_create_request(
    session: SessionDep,
    clock: ClockDep,
    service_code: Annotated[str | None, Form()] = None,
    lat: Annotated[str | None, Form()] = None,
    long: Annotated[str | None, Form()] = None,
    address_string: Annotated[str | None, Form()] = None,
    description: Annotated[str | None, Form()] = None,
    first_name: Annotated[str | None, Form()] = None,
    last_name: Annotated[str | None, Form()] = None,
    phone: Annotated[str | None, Form()] = None,
    email: Annotated[str | None, Form()] = None,
) -> list[open311.Open311Created] | JSONResponse:
    """Form-encoded per the spec; no api_key needed (public intake, rate limited like it)."""
    _as_public(session)
    try:
        created = open311.create_request(
            session,
            clock.now(),
            org_code=get_settings().complaints_intake_org_code,
            service_code=service_code,
            lat=lat,
            long=long,
            address_string=address_string,
            description=description,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
        )
    except open311.Open311Error as exc:
        return _open311_error(exc)
    return [created]


@open311_router.get(
    "/tokens/{token}.json", response_model=list[open311.Open311Token], responses=_open311_errors
)
def open311_token(session: SessionDep, token: str) -> list[open311.Open311Token] | JSONResponse:
    try:
        return open311.token(session, token)
    except open311.Open311Error as exc:
        return _open311_error(exc)
