from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import HTMLResponse

from vanguard.audit.hook import record_event
from vanguard.auth.deps import CurrentPrincipal, MemberReader, MemberWriter
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
from vanguard.core.permissions import Permission
from vanguard.core.policy import STUDY_COMPLIANCE_YEARS
from vanguard.core.xlsx import XLSX_MEDIA_TYPE
from vanguard.study import archive, compliance, exports, reports, service
from vanguard.study.exports import GRADE_ZH, KIND_ZH, STATUS_ZH
from vanguard.study.models import ActivityKind
from vanguard.study.schemas import (
    ActivityCreate,
    ActivityRead,
    ActivityUpdate,
    AttendanceBulk,
    AttendanceRead,
    ComplianceOrder,
    ComplianceReport,
    ComplianceSort,
    ExamCreate,
    ExamRead,
    ExamResult,
    ExamUpdate,
    MakeupCreate,
    MakeupRead,
    MakeupUpdate,
    ScoreBulk,
    StudyArchive,
    StudyReportCreate,
    StudyReportRead,
    StudyReportReview,
    StudyReportUpdate,
)

router = APIRouter(prefix="/study", tags=["study"])
member_study_router = APIRouter(prefix="/members", tags=["study"])

_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)


@router.get("/activities", response_model=Page[ActivityRead], responses=_read_errors)
def list_activities(
    session: SessionDep,
    caller: MemberReader,
    org_id: Annotated[int | None, Query(description="This organisation and its subtree")] = None,
    kind: ActivityKind | None = None,
    start: Annotated[date | None, Query(description="Held on or after this day (China time)")] = None,
    end: Annotated[date | None, Query(description="Held on or before this day (China time)")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ActivityRead]:
    """Activities in the caller's subtree, the latest held first (then the latest recorded)."""
    return service.list_activities(
        session, caller.scope, org_id=org_id, kind=kind, start=start, end=end, cursor=cursor, limit=limit
    )


add_export_route(
    router,
    list_activities,
    kind="activities",
    title="学习活动",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("党组织编号", "org_id", width=10),
        col("类型", "kind", labels=KIND_ZH, width=12),
        col("开始时间", "starts_at", width=18),
        col("地点", "place", width=16),
        col("主题", "topic", width=30),
        col("内容", "content", width=40),
        col("主讲人", "presenter", width=10),
        col("学时", "hours", width=6),
        col("学习材料", "materials", width=30),
        col("附件", lambda a: [f.filename for f in a.attachments], width=20),
    ],
)


@router.post(
    "/activities", response_model=ActivityRead, status_code=status.HTTP_201_CREATED, responses=_write_errors
)
def create_activity(
    session: SessionDep, caller: MemberWriter, body: ActivityCreate, request: Request, response: Response
) -> ActivityRead:
    """Record a study activity; the same org, kind and start twice is 409."""
    activity = service.create_activity(session, caller.scope, body)
    response.headers["Location"] = request.url_for("get_activity", activity_id=activity.id).path
    return with_etag(service.to_read(activity), response)


@router.get("/activities/{activity_id}", response_model=ActivityRead, responses=_read_errors)
def get_activity(
    session: SessionDep, caller: MemberReader, activity_id: int, response: Response
) -> ActivityRead:
    return with_etag(service.to_read(service.get_activity(session, caller.scope, activity_id)), response)


@router.patch("/activities/{activity_id}", response_model=ActivityRead, responses=_write_errors)
def update_activity(
    session: SessionDep,
    caller: MemberWriter,
    activity_id: int,
    body: ActivityUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ActivityRead:
    """Edit; an explicit `expected_member_ids: null` restores the org's roll. Once attendance or scores
    are recorded the start cannot move into the future (409)."""
    activity = service.update_activity(session, caller.scope, activity_id, body, if_match)
    return with_etag(service.to_read(activity), response)


@router.get(
    "/activities/{activity_id}/attendance", response_model=list[AttendanceRead], responses=_read_errors
)
def list_attendance(session: SessionDep, caller: MemberReader, activity_id: int) -> list[AttendanceRead]:
    """Every expected member (the org's roll) and anyone recorded; `status` is null while unrecorded."""
    return service.list_attendance(session, caller.scope, activity_id)


add_export_route(
    router,
    list_attendance,
    kind="attendance",
    title="出勤记录",
    columns=[
        col("党员编号", "member_id", width=10),
        col("姓名", "member_name", width=10),
        col("出勤情况", lambda a: STATUS_ZH[a.status] if a.status else "未记录", width=10),
        col("请假事由", "leave_reason", width=24),
        col("已补学", "made_up", width=8),
    ],
)


@router.put(
    "/activities/{activity_id}/attendance", response_model=list[AttendanceRead], responses=_write_errors
)
def set_attendance(
    session: SessionDep, caller: MemberWriter, activity_id: int, body: AttendanceBulk
) -> list[AttendanceRead]:
    """Record or correct the listed members' attendance at once: all or nothing, 422 naming each bad entry."""
    service.set_attendance(session, caller.scope, activity_id, body)
    return service.list_attendance(session, caller.scope, activity_id)


@router.post(
    "/activities/{activity_id}/makeups",
    response_model=MakeupRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_makeup(
    session: SessionDep, caller: MemberWriter, activity_id: int, body: MakeupCreate
) -> MakeupRead:
    """补学 by a member recorded absent or on leave."""
    return service.makeup_to_read(service.create_makeup(session, caller.scope, activity_id, body))


@router.get("/makeups/{makeup_id}", response_model=MakeupRead, responses=_read_errors)
def get_makeup(session: SessionDep, caller: MemberReader, makeup_id: int, response: Response) -> MakeupRead:
    return with_etag(service.makeup_to_read(service.get_makeup(session, caller.scope, makeup_id)), response)


@router.patch("/makeups/{makeup_id}", response_model=MakeupRead, responses=_write_errors)
def update_makeup(
    session: SessionDep,
    caller: MemberWriter,
    makeup_id: int,
    body: MakeupUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> MakeupRead:
    makeup = service.update_makeup(session, caller.scope, makeup_id, body, if_match)
    return with_etag(service.makeup_to_read(makeup), response)


@router.post(
    "/activities/{activity_id}/exams",
    response_model=ExamRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_exam(session: SessionDep, caller: MemberWriter, activity_id: int, body: ExamCreate) -> ExamRead:
    """凡训必考: an exam of a training class or online course."""
    return service.exam_to_read(service.create_exam(session, caller.scope, activity_id, body))


@router.get("/exams/{exam_id}", response_model=ExamRead, responses=_read_errors)
def get_exam(session: SessionDep, caller: MemberReader, exam_id: int, response: Response) -> ExamRead:
    return with_etag(service.exam_to_read(service.get_exam(session, caller.scope, exam_id)), response)


@router.patch("/exams/{exam_id}", response_model=ExamRead, responses=_write_errors)
def update_exam(
    session: SessionDep,
    caller: MemberWriter,
    exam_id: int,
    body: ExamUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ExamRead:
    """Edit; the maximum score and pass mark are fixed once anyone has sat the exam (409)."""
    exam = service.update_exam(session, caller.scope, exam_id, body, if_match)
    return with_etag(service.exam_to_read(exam), response)


@router.put("/exams/{exam_id}/scores", response_model=list[ExamResult], responses=_write_errors)
def record_scores(
    session: SessionDep, caller: MemberWriter, exam_id: int, body: ScoreBulk
) -> list[ExamResult]:
    """Each listed score is the member's next attempt (a retake after failing); all or nothing."""
    return service.record_scores(session, caller.scope, exam_id, body)


@router.get("/exams/{exam_id}/results", response_model=list[ExamResult], responses=_read_errors)
def exam_results(session: SessionDep, caller: MemberReader, exam_id: int) -> list[ExamResult]:
    return service.exam_results(session, caller.scope, exam_id)


@router.get(
    "/compliance",
    response_model=ComplianceReport,
    responses=problem_responses(NotFound, Forbidden, InvalidInput),
)
def get_compliance(
    session: SessionDep,
    caller: MemberReader,
    org: Annotated[
        int | None, Query(description="This org's subtree (default: the caller's scope root)")
    ] = None,
    year: Annotated[
        int | None,
        Query(
            ge=STUDY_COMPLIANCE_YEARS[0], le=STUDY_COMPLIANCE_YEARS[1], description="Default: as_of's year"
        ),
    ] = None,
    as_of: Annotated[
        date | None, Query(description="Reporting date: only periods over by then count (default: today)")
    ] = None,
    sort: ComplianceSort = "missed_count",
    order: ComplianceOrder = "desc",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> ComplianceReport:
    """组织生活 compliance of every branch and Party group in the subtree: missed months and quarters of
    each required meeting, attendance, members under the annual minimum of study hours; sorted, paged,
    with a summary of the whole subtree."""
    return compliance.compliance_report(
        session,
        caller.scope,
        org_id=org,
        year=year,
        as_of=as_of,
        sort=sort,
        order=order,
        cursor=cursor,
        limit=limit,
    )


# --- 述学/评学 ---------------------------------------------------------------------------------


@router.get("/reports", response_model=Page[StudyReportRead], responses=_read_errors)
def list_study_reports(
    session: SessionDep,
    caller: MemberReader,
    org_id: Annotated[int | None, Query(description="Members of this organisation and its subtree")] = None,
    member_id: int | None = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[StudyReportRead]:
    return reports.list_reports(
        session, caller.scope, org_id=org_id, member_id=member_id, year=year, cursor=cursor, limit=limit
    )


add_export_route(
    router,
    list_study_reports,
    kind="study-reports",
    title="述学评学",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("党员编号", "member_id", width=10),
        col("姓名", "member_name", width=10),
        col("党组织编号", "org_id", width=10),
        col("年度", "year", width=6),
        col("半年", lambda r: {1: "上半年", 2: "下半年"}.get(r.half, "全年"), width=8),
        col("述学内容", "content", width=50),
        col("评学意见", "comment", width=30),
        col("评定等次", "grade", labels=GRADE_ZH, width=8),
        col("评学人", "reviewed_by", width=10),
        col("评学时间", "reviewed_at", width=18),
        col("附件", lambda r: [f.filename for f in r.attachments], width=20),
    ],
)


@router.post(
    "/reports", response_model=StudyReportRead, status_code=status.HTTP_201_CREATED, responses=_write_errors
)
def create_study_report(
    session: SessionDep, caller: MemberWriter, body: StudyReportCreate, request: Request, response: Response
) -> StudyReportRead:
    """述学: file a member's study report; one per member per period (409 for a second)."""
    report, name = reports.create_report(session, caller.scope, body)
    response.headers["Location"] = request.url_for("get_study_report", report_id=report.id).path
    return with_etag(reports.to_read(report, name), response)


@router.get("/reports/{report_id}", response_model=StudyReportRead, responses=_read_errors)
def get_study_report(
    session: SessionDep, caller: MemberReader, report_id: int, response: Response
) -> StudyReportRead:
    return with_etag(reports.to_read(*reports.get_report(session, caller.scope, report_id)), response)


@router.patch("/reports/{report_id}", response_model=StudyReportRead, responses=_write_errors)
def update_study_report(
    session: SessionDep,
    caller: MemberWriter,
    report_id: int,
    body: StudyReportUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> StudyReportRead:
    """Edit the report's text; once the branch has reviewed it, 409."""
    report, name = reports.update_report(session, caller.scope, report_id, body, if_match)
    return with_etag(reports.to_read(report, name), response)


@router.post("/reports/{report_id}/review", response_model=StudyReportRead, responses=_write_errors)
def review_study_report(
    session: SessionDep,
    caller: MemberWriter,
    report_id: int,
    body: StudyReportReview,
    response: Response,
    if_match: IfMatch = None,
) -> StudyReportRead:
    """评学: the branch's comment and grade (a later review revises it)."""
    report, name = reports.review_report(
        session, caller.scope, report_id, body, if_match, reviewer=caller.name
    )
    return with_etag(reports.to_read(report, name), response)


# --- the member's study archive (学习档案) -----------------------------------------------------

ArchiveYear = Annotated[int | None, Query(ge=1900, le=2100, description="One calendar year")]
ArchiveFrom = Annotated[date | None, Query(alias="from", description="First day (China time)")]
ArchiveTo = Annotated[date | None, Query(alias="to", description="Last day (China time); default today")]


def _archive(
    session: SessionDep,
    caller: MemberReader,
    member_id: int,
    year: ArchiveYear = None,
    start: ArchiveFrom = None,
    end: ArchiveTo = None,
) -> StudyArchive:
    return archive.member_archive(session, caller.scope, member_id, year=year, start=start, end=end)


ArchiveDep = Annotated[StudyArchive, Depends(_archive)]


def _audit_export(session: SessionDep, found: StudyArchive, form: str) -> None:
    # The export carries personal data out of the system: record who took which member's archive.
    record_event(
        session,
        entity="members",
        entity_id=found.member.id,
        action=f"export_study_archive_{form}",
        org_id=found.member.org_id,
        after={"start": found.start, "end": found.end},
    )


@member_study_router.get("/{member_id}/study", response_model=StudyArchive, responses=_read_errors)
def get_member_study(
    session: SessionDep,
    caller: CurrentPrincipal,
    member_id: int,
    year: ArchiveYear = None,
    start: ArchiveFrom = None,
    end: ArchiveTo = None,
) -> StudyArchive:
    """学习档案: everything the member attended, hours by kind and year, exams with every attempt,
    absences and leaves with reasons, make-up study and study reports; for a year, from/to, or (left
    open) from the first record to today. Needs members:read, except for a member reading their own
    (an account linked to the record); its export and print stay with members:read."""
    caller.require_unless_own(Permission.MEMBERS_READ, member_id)
    return archive.member_archive(session, caller.scope, member_id, year=year, start=start, end=end)


@member_study_router.get(
    "/{member_id}/study/export.xlsx",
    response_class=Response,
    responses={
        200: {
            "description": "The workbook",
            "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        },
        **_read_errors,
    },
)
def export_member_study(session: SessionDep, found: ArchiveDep) -> Response:
    """The archive as a workbook (sheets 概况/活动/考试/缺勤) for the paper file. Audited."""
    _audit_export(session, found, "xlsx")
    return Response(
        exports.archive_xlsx(found),
        media_type=XLSX_MEDIA_TYPE,
        headers={
            "Content-Disposition": content_disposition(
                exports.filename(found, "xlsx"), fallback=f"study-archive-{found.member.id}.xlsx"
            )
        },
    )


@member_study_router.get(
    "/{member_id}/study/print",
    response_class=HTMLResponse,
    responses={
        200: {"description": "An A4 page", "content": {"text/html": {"schema": {"type": "string"}}}},
        **_read_errors,
    },
)
def print_member_study(session: SessionDep, found: ArchiveDep) -> HTMLResponse:
    """The archive as an A4 page to print, or print to PDF from the browser; signature lines. Audited."""
    _audit_export(session, found, "print")
    return HTMLResponse(exports.archive_html(found))
