from __future__ import annotations

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
from vanguard.core.exports import add_export_route, col
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from vanguard.posts import service
from vanguard.posts.models import PledgeResult
from vanguard.posts.schemas import (
    PledgeCreate,
    PledgeEvaluate,
    PledgeRead,
    PledgeUpdate,
    PostCreate,
    PostEnd,
    PostRead,
    PostUpdate,
)

router = APIRouter(tags=["posts"])

_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)


# --- posts (设岗定责) ---------------------------------------------------------------------------


@router.get("/members/{member_id}/posts", response_model=Page[PostRead], responses=_read_errors)
def list_member_posts(
    session: SessionDep,
    caller: MemberReader,
    member_id: int,
    active: Annotated[bool | None, Query(description="true: held now; false: ended")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PostRead]:
    return service.list_posts(session, caller.scope, member_id, active=active, cursor=cursor, limit=limit)


add_export_route(
    router,
    list_member_posts,
    kind="posts",
    title="设岗定责",
    columns=[
        col("编号", "id", width=8),
        col("党员编号", "member_id", width=10),
        col("岗位", "title", width=20),
        col("职责", "duties", width=40),
        col("上岗日期", "started_on", width=12),
        col("离岗日期", "ended_on", width=12),
        col("在岗", "active", width=6),
    ],
)


@router.post(
    "/members/{member_id}/posts",
    response_model=PostRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_post(
    session: SessionDep,
    caller: MemberWriter,
    member_id: int,
    body: PostCreate,
    request: Request,
    response: Response,
) -> PostRead:
    """Assign a post with its duties to a member on the roll."""
    post = service.create_post(session, caller.scope, member_id, body)
    response.headers["Location"] = request.url_for("get_post", post_id=post.id).path
    return with_etag(service.post_to_read(post), response)


@router.get("/posts/{post_id}", response_model=PostRead, responses=_read_errors)
def get_post(session: SessionDep, caller: MemberReader, post_id: int, response: Response) -> PostRead:
    return with_etag(service.post_to_read(service.get_post(session, caller.scope, post_id)), response)


@router.patch("/posts/{post_id}", response_model=PostRead, responses=_write_errors)
def update_post(
    session: SessionDep,
    caller: MemberWriter,
    post_id: int,
    body: PostUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> PostRead:
    post = service.update_post(session, caller.scope, post_id, body, if_match)
    return with_etag(service.post_to_read(post), response)


@router.post("/posts/{post_id}/end", response_model=PostRead, responses=_write_errors)
def end_post(
    session: SessionDep,
    caller: MemberWriter,
    post_id: int,
    response: Response,
    body: PostEnd | None = None,
    if_match: IfMatch = None,
) -> PostRead:
    """The member stops holding the post (today unless `ended_on` says otherwise); the record stays."""
    post = service.end_post(session, caller.scope, post_id, body or PostEnd(), if_match)
    return with_etag(service.post_to_read(post), response)


# --- pledges (党员承诺) -------------------------------------------------------------------------


@router.get("/members/{member_id}/pledges", response_model=Page[PledgeRead], responses=_read_errors)
def list_member_pledges(
    session: SessionDep,
    caller: MemberReader,
    member_id: int,
    year: Annotated[int | None, Query(ge=1921, le=2100, description="Due in this year")] = None,
    result: PledgeResult | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PledgeRead]:
    return service.list_pledges(
        session, caller.scope, member_id, year=year, result=result, cursor=cursor, limit=limit
    )


PLEDGE_RESULT_ZH = {
    PledgeResult.PENDING: "待评",
    PledgeResult.KEPT: "已践诺",
    PledgeResult.NOT_KEPT: "未践诺",
}

add_export_route(
    router,
    list_member_pledges,
    kind="pledges",
    title="党员承诺",
    columns=[
        col("编号", "id", width=8),
        col("党员编号", "member_id", width=10),
        col("承诺内容", "content", width=40),
        col("承诺日期", "made_on", width=12),
        col("践诺期限", "due_on", width=12),
        col("评议结果", "result", labels=PLEDGE_RESULT_ZH, width=8),
        col("评议日期", "evaluated_on", width=12),
        col("评议意见", "evaluation_note", width=30),
        col("评议人", "evaluated_by", width=10),
    ],
)


@router.post(
    "/members/{member_id}/pledges",
    response_model=PledgeRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_pledge(
    session: SessionDep,
    caller: MemberWriter,
    member_id: int,
    body: PledgeCreate,
    request: Request,
    response: Response,
) -> PledgeRead:
    pledge = service.create_pledge(session, caller.scope, member_id, body)
    response.headers["Location"] = request.url_for("get_pledge", pledge_id=pledge.id).path
    return with_etag(service.pledge_to_read(pledge), response)


@router.get("/pledges/{pledge_id}", response_model=PledgeRead, responses=_read_errors)
def get_pledge(session: SessionDep, caller: MemberReader, pledge_id: int, response: Response) -> PledgeRead:
    return with_etag(service.pledge_to_read(service.get_pledge(session, caller.scope, pledge_id)), response)


@router.patch("/pledges/{pledge_id}", response_model=PledgeRead, responses=_write_errors)
def update_pledge(
    session: SessionDep,
    caller: MemberWriter,
    pledge_id: int,
    body: PledgeUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> PledgeRead:
    """Only while the pledge awaits evaluation."""
    pledge = service.update_pledge(session, caller.scope, pledge_id, body, if_match)
    return with_etag(service.pledge_to_read(pledge), response)


@router.post("/pledges/{pledge_id}/evaluate", response_model=PledgeRead, responses=_write_errors)
def evaluate_pledge(
    session: SessionDep,
    caller: MemberWriter,
    pledge_id: int,
    body: PledgeEvaluate,
    response: Response,
    if_match: IfMatch = None,
) -> PledgeRead:
    """评诺, once: kept (any time it is true) or not kept (only after the due date)."""
    pledge = service.evaluate_pledge(session, caller, pledge_id, body, if_match)
    return with_etag(service.pledge_to_read(pledge), response)
