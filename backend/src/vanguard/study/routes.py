from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from vanguard.auth.deps import MemberReader, MemberWriter
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
from vanguard.study import service
from vanguard.study.models import ActivityKind
from vanguard.study.schemas import (
    ActivityCreate,
    ActivityRead,
    ActivityUpdate,
    AttendanceBulk,
    AttendanceRead,
    ExamCreate,
    ExamRead,
    ExamResult,
    MakeupCreate,
    MakeupRead,
    ScoreBulk,
)

router = APIRouter(prefix="/study", tags=["study"])

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
    return service.list_activities(
        session, caller.scope, org_id=org_id, kind=kind, start=start, end=end, cursor=cursor, limit=limit
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
    activity = service.update_activity(session, caller.scope, activity_id, body, if_match)
    return with_etag(service.to_read(activity), response)


@router.get(
    "/activities/{activity_id}/attendance", response_model=list[AttendanceRead], responses=_read_errors
)
def list_attendance(session: SessionDep, caller: MemberReader, activity_id: int) -> list[AttendanceRead]:
    """Every expected member (the org's roll) and anyone recorded; `status` is null while unrecorded."""
    return service.list_attendance(session, caller.scope, activity_id)


@router.put(
    "/activities/{activity_id}/attendance", response_model=list[AttendanceRead], responses=_write_errors
)
def set_attendance(
    session: SessionDep, caller: MemberWriter, activity_id: int, body: AttendanceBulk
) -> list[AttendanceRead]:
    """Record or correct the listed members' attendance at once: all or nothing, 422 naming each bad entry."""
    return service.set_attendance(session, caller.scope, activity_id, body)


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


@router.post(
    "/activities/{activity_id}/exams",
    response_model=ExamRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_exam(session: SessionDep, caller: MemberWriter, activity_id: int, body: ExamCreate) -> ExamRead:
    """凡训必考: an exam of a training class or online course."""
    return service.exam_to_read(service.create_exam(session, caller.scope, activity_id, body))


@router.put("/exams/{exam_id}/scores", response_model=list[ExamResult], responses=_write_errors)
def record_scores(
    session: SessionDep, caller: MemberWriter, exam_id: int, body: ScoreBulk
) -> list[ExamResult]:
    """Each listed score is the member's next attempt (a retake after failing); all or nothing."""
    return service.record_scores(session, caller.scope, exam_id, body)


@router.get("/exams/{exam_id}/results", response_model=list[ExamResult], responses=_read_errors)
def exam_results(session: SessionDep, caller: MemberReader, exam_id: int) -> list[ExamResult]:
    return service.exam_results(session, caller.scope, exam_id)
