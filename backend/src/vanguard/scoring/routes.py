"""党员积分与民主评议 endpoints (`/api/v1/scoring`) and the masses' ballot sheet (`/api/v1/public/scoring`,
no login, rate limited). Thin wrappers over `scoring.service`, `evaluation`, `results` and `cases`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from vanguard.audit.hook import SYSTEM_ACTOR_KEY
from vanguard.auth.deps import CurrentPrincipal, ScoringApprover, ScoringReader, ScoringWriter
from vanguard.core.clock import ClockDep, local_today
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
from vanguard.core.ratelimit import Rule, client_ip, guarded_route, path_param
from vanguard.jobs import service as jobs
from vanguard.jobs.schemas import JobRead
from vanguard.scoring import cases, evaluation, results, service
from vanguard.scoring.models import CaseStatus, Disposal, Grade, ItemKind, ItemState, SchemeStatus
from vanguard.scoring.schemas import (
    BallotCreate,
    BallotRead,
    BranchStarRead,
    CaseDecision,
    CaseRead,
    CaseTalkCreate,
    DeadlineSet,
    ManualItemCreate,
    ManualItemDecision,
    ManualItemRead,
    PublicBallots,
    PublicReceipt,
    PublicSheet,
    RankingRow,
    ResultRead,
    RoundCreate,
    RoundRead,
    SchemeCreate,
    SchemeRead,
    SchemeUpdate,
    ScoreDistribution,
    TokensCreate,
    TokensIssued,
)

RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Token = Annotated[str, Path(min_length=8, max_length=64)]

router = APIRouter(prefix="/scoring", tags=["scoring"])
public_router = APIRouter(
    prefix="/public/scoring",
    tags=["public"],
    route_class=guarded_route(Rule("ip", client_ip), Rule("code", path_param("token"))),
)

_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed, InvalidInput)
_public_errors: dict[int | str, dict[str, Any]] = {
    **problem_responses(NotFound, Conflict, InvalidInput),
    413: {"description": "Request body too large (`payload_too_large`)"},
    429: {"description": "Too many requests (`rate_limited`); see Retry-After"},
}


# --- schemes -----------------------------------------------------------------------------------


@router.post(
    "/schemes", response_model=SchemeRead, status_code=status.HTTP_201_CREATED, responses=_write_errors
)
def create_scoring_scheme(
    session: SessionDep, caller: ScoringWriter, body: SchemeCreate, response: Response
) -> SchemeRead:
    """One scheme per org and period (a year, or a quarter); weights not summing to 1 are 422 with the
    sum; a rule naming an unknown source is 422 `unknown_source`. Omitted weights, thresholds and the
    优秀 cap take the defaults in `core/policy.py`."""
    return with_etag(service.to_read(service.create_scheme(session, caller, body)), response)


@router.get("/schemes", response_model=Page[SchemeRead], responses=_read_errors)
def list_scoring_schemes(
    session: SessionDep,
    caller: ScoringReader,
    org_id: Annotated[int | None, Query(ge=1)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    status: SchemeStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[SchemeRead]:
    """Schemes of your subtree, and those of the orgs above you that cover it."""
    return service.list_schemes(
        session, caller.scope, org_id=org_id, year=year, status=status, cursor=cursor, limit=limit
    )


@router.get("/schemes/{scheme_id}", response_model=SchemeRead, responses=_read_errors)
def get_scoring_scheme(
    session: SessionDep, caller: ScoringReader, scheme_id: RowId, response: Response
) -> SchemeRead:
    return with_etag(service.to_read(service.get_scheme(session, caller.scope, scheme_id)[0]), response)


@router.patch("/schemes/{scheme_id}", response_model=SchemeRead, responses=_write_errors)
def update_scoring_scheme(
    session: SessionDep,
    caller: ScoringWriter,
    scheme_id: RowId,
    body: SchemeUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> SchemeRead:
    """The scheme's next version (ETag/If-Match); 409 `scheme_locked` once published."""
    scheme = service.update_scheme(session, caller, scheme_id, body, if_match)
    return with_etag(service.to_read(scheme), response)


@router.post(
    "/schemes/{scheme_id}/recompute",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses=_write_errors,
)
def recompute_scoring_scheme(
    session: SessionDep, caller: ScoringWriter, clock: ClockDep, scheme_id: RowId, response: Response
) -> JobRead:
    """Score every member of the scheme's subtree as a job (`GET /jobs/{id}` for progress; its `result`
    is the members scored and members/s). Results are replaced in one transaction when it ends."""
    now = clock.now()
    job = results.start_recompute(session, caller, scheme_id, now=now, today=local_today(now))
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return jobs.to_read(job)


@router.post("/schemes/{scheme_id}/publish", response_model=SchemeRead, responses=_write_errors)
def publish_scoring_scheme(
    session: SessionDep,
    caller: ScoringApprover,
    clock: ClockDep,
    scheme_id: RowId,
    response: Response,
    if_match: IfMatch = None,
) -> SchemeRead:
    """Freeze the results (409 until computed under the current version and every round is closed);
    opens a follow-up case per 不合格 member and sends `scoring.published` to webhooks."""
    scheme = results.publish(session, caller, scheme_id, if_match, now=clock.now())
    return with_etag(service.to_read(scheme), response)


@router.get("/schemes/{scheme_id}/rankings", response_model=Page[RankingRow], responses=_read_errors)
def list_scoring_rankings(
    session: SessionDep,
    caller: ScoringReader,
    scheme_id: RowId,
    org_id: Annotated[int | None, Query(ge=1, description="Default: the top of your subtree")] = None,
    subtree: Annotated[bool, Query(description="false: the org's own roll only")] = True,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[RankingRow]:
    return results.rankings(
        session, caller.scope, scheme_id, org_id=org_id, subtree=subtree, cursor=cursor, limit=limit
    )


@router.get("/schemes/{scheme_id}/distribution", response_model=ScoreDistribution, responses=_read_errors)
def get_scoring_distribution(
    session: SessionDep,
    caller: ScoringReader,
    scheme_id: RowId,
    org_id: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Default: the top of your subtree")
    ] = None,
    subtree: Annotated[bool, Query(description="false: the org's own roll only")] = True,
) -> ScoreDistribution:
    """Members per score band and per grade, from the latest computed results."""
    return results.distribution(session, caller.scope, scheme_id, org_id=org_id, subtree=subtree)


GRADE_ZH = {
    Grade.EXCELLENT: "优秀",
    Grade.QUALIFIED: "合格",
    Grade.BASIC: "基本合格",
    Grade.UNQUALIFIED: "不合格",
}

add_export_route(
    router,
    list_scoring_rankings,
    kind="scoring-rankings",
    title="党员积分排名",
    org_param="org_id",
    columns=[
        col("名次", "rank", width=6),
        col("党员编号", "member_id", width=10),
        col("姓名", "member_name", width=10),
        col("党组织编号", "org_id", width=10),
        col("积分", "score", width=8),
        col("等次", "grade", labels=GRADE_ZH, width=10),
        col("预备党员", "probationary", width=8),
    ],
)


@router.get("/schemes/{scheme_id}/branches", response_model=Page[BranchStarRead], responses=_read_errors)
def list_scoring_branch_stars(
    session: SessionDep,
    caller: ScoringReader,
    scheme_id: RowId,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[BranchStarRead]:
    """星级 of each branch in your subtree, from its members' scores."""
    return results.branch_stars(session, caller.scope, scheme_id, cursor=cursor, limit=limit)


add_export_route(
    router,
    list_scoring_branch_stars,
    kind="scoring-branches",
    title="党支部星级",
    columns=[
        col("党组织编号", "org_id", width=10),
        col("党组织名称", "org_name", width=24),
        col("党员数", "members", width=8),
        col("已评定等次", "graded", width=10),
        col("平均积分", "average_score", width=10),
        col("优秀人数", "excellent", width=8),
        col("不合格人数", "unqualified", width=10),
        col("超期诉求数", "complaints_overdue", width=10),
        col("星级", "stars", width=6),
        col("说明", "explanation", width=40),
    ],
)


# --- manual items ------------------------------------------------------------------------------


@router.post(
    "/schemes/{scheme_id}/items",
    response_model=ManualItemRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_scoring_item(
    session: SessionDep, caller: ScoringWriter, scheme_id: RowId, body: ManualItemCreate, response: Response
) -> ManualItemRead:
    """A bonus or deduction with reason and evidence; it counts once someone else approves it."""
    item = service.create_item(session, caller, scheme_id, body)
    return with_etag(service.item_to_read(item), response)


@router.get("/schemes/{scheme_id}/items", response_model=Page[ManualItemRead], responses=_read_errors)
def list_scoring_items(
    session: SessionDep,
    caller: ScoringReader,
    scheme_id: RowId,
    member_id: Annotated[int | None, Query(ge=1)] = None,
    state: ItemState | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ManualItemRead]:
    return service.list_items(
        session, caller.scope, scheme_id, member_id=member_id, state=state, cursor=cursor, limit=limit
    )


ITEM_KIND_ZH = {ItemKind.BONUS: "加分", ItemKind.DEDUCTION: "减分"}
ITEM_STATE_ZH = {ItemState.REQUESTED: "待审批", ItemState.APPROVED: "已批准", ItemState.REJECTED: "已驳回"}

add_export_route(
    router,
    list_scoring_items,
    kind="scoring-items",
    title="积分加减分事项",
    columns=[
        col("编号", "id", width=8),
        col("方案编号", "scheme_id", width=8),
        col("党员编号", "member_id", width=10),
        col("党组织编号", "org_id", width=10),
        col("类型", "kind", labels=ITEM_KIND_ZH, width=6),
        col("分值", "points", width=8),
        col("事由", "reason", width=30),
        col("佐证说明", "evidence_text", width=24),
        col("佐证附件编号", "evidence_attachment_id", width=10),
        col("状态", "state", labels=ITEM_STATE_ZH, width=8),
        col("申请人", "requested_by", width=12),
        col("审批人", "decided_by", width=12),
        col("审批时间", "decided_at", width=18),
        col("审批意见", "decision_note", width=24),
    ],
)


@router.get("/items/{item_id}", response_model=ManualItemRead, responses=_read_errors)
def get_scoring_item(
    session: SessionDep, caller: ScoringReader, item_id: RowId, response: Response
) -> ManualItemRead:
    return with_etag(service.item_to_read(service.get_item(session, caller.scope, item_id)), response)


@router.post("/items/{item_id}/approve", response_model=ManualItemRead, responses=_write_errors)
def approve_scoring_item(
    session: SessionDep,
    caller: ScoringApprover,
    clock: ClockDep,
    item_id: RowId,
    body: ManualItemDecision,
    response: Response,
    if_match: IfMatch = None,
) -> ManualItemRead:
    """By someone other than the requester (409 `approver_is_requester`)."""
    item = service.decide_item(session, caller, item_id, True, body, if_match, now=clock.now())
    return with_etag(service.item_to_read(item), response)


@router.post("/items/{item_id}/reject", response_model=ManualItemRead, responses=_write_errors)
def reject_scoring_item(
    session: SessionDep,
    caller: ScoringApprover,
    clock: ClockDep,
    item_id: RowId,
    body: ManualItemDecision,
    response: Response,
    if_match: IfMatch = None,
) -> ManualItemRead:
    item = service.decide_item(session, caller, item_id, False, body, if_match, now=clock.now())
    return with_etag(service.item_to_read(item), response)


# --- democratic evaluation ---------------------------------------------------------------------


@router.post(
    "/schemes/{scheme_id}/rounds",
    response_model=RoundRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def create_scoring_round(
    session: SessionDep, caller: ScoringWriter, scheme_id: RowId, body: RoundCreate, response: Response
) -> RoundRead:
    """民主评议 of one org (its roll) under the scheme; one round per org and scheme."""
    r = evaluation.create_round(session, caller, scheme_id, body)
    return with_etag(evaluation.round_to_read(session, r), response)


@router.get("/schemes/{scheme_id}/rounds", response_model=Page[RoundRead], responses=_read_errors)
def list_scoring_rounds(
    session: SessionDep,
    caller: ScoringReader,
    scheme_id: RowId,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[RoundRead]:
    return evaluation.list_rounds(session, caller.scope, scheme_id, cursor=cursor, limit=limit)


@router.get("/rounds/{round_id}", response_model=RoundRead, responses=_read_errors)
def get_scoring_round(
    session: SessionDep, caller: ScoringReader, round_id: RowId, response: Response
) -> RoundRead:
    r = evaluation.get_round(session, caller.scope, round_id)
    return with_etag(evaluation.round_to_read(session, r), response)


@router.post("/rounds/{round_id}/close", response_model=RoundRead, responses=_write_errors)
def close_scoring_round(
    session: SessionDep,
    caller: ScoringWriter,
    clock: ClockDep,
    round_id: RowId,
    response: Response,
    if_match: IfMatch = None,
) -> RoundRead:
    """No ballots after this (409 `round_closed`); unused tokens die with it."""
    r = evaluation.close_round(session, caller, round_id, if_match, now=clock.now())
    return with_etag(evaluation.round_to_read(session, r), response)


@router.post(
    "/rounds/{round_id}/ballots",
    response_model=BallotRead,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def cast_scoring_ballot(
    session: SessionDep, caller: ScoringWriter, round_id: RowId, body: BallotCreate
) -> BallotRead:
    """A grade or a 0–100 score; one per rater per member (409 `ballot_exists`). The response never
    names the rater."""
    return evaluation.ballot_to_read(evaluation.cast_ballot(session, caller, round_id, body))


@router.get("/rounds/{round_id}/ballots", response_model=Page[BallotRead], responses=_read_errors)
def list_scoring_ballots(
    session: SessionDep,
    caller: ScoringReader,
    round_id: RowId,
    member_id: Annotated[int | None, Query(ge=1)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[BallotRead]:
    return evaluation.list_ballots(
        session, caller.scope, round_id, member_id=member_id, cursor=cursor, limit=limit
    )


@router.post(
    "/rounds/{round_id}/tokens",
    response_model=TokensIssued,
    status_code=status.HTTP_201_CREATED,
    responses=_write_errors,
)
def issue_scoring_tokens(
    session: SessionDep, caller: ScoringWriter, round_id: RowId, body: TokensCreate
) -> TokensIssued:
    """One-time tokens for the masses (shown only now; the database keeps their SHA-256)."""
    return TokensIssued(
        round_id=round_id, tokens=evaluation.issue_tokens(session, caller, round_id, body.count)
    )


@public_router.get("/sheets/{token}", response_model=PublicSheet, responses=_public_errors)
def get_public_scoring_sheet(session: SessionDep, token: Token) -> PublicSheet:
    """The ballot sheet a token opens: the branch and its members' names."""
    return evaluation.public_sheet(session, token)


@public_router.post(
    "/sheets/{token}",
    response_model=PublicReceipt,
    status_code=status.HTTP_201_CREATED,
    responses=_public_errors,
)
def submit_public_scoring_sheet(
    session: SessionDep, clock: ClockDep, token: Token, body: PublicBallots
) -> PublicReceipt:
    """All the sheet's ballots at once; the token is then spent (409 `token_used`)."""
    session.info[SYSTEM_ACTOR_KEY] = "public"
    return evaluation.submit_public(session, token, body, now=clock.now())


# --- results -----------------------------------------------------------------------------------


@router.get("/results/{member_id}", response_model=ResultRead, responses=_read_errors)
def get_scoring_result(
    session: SessionDep,
    caller: CurrentPrincipal,
    member_id: RowId,
    scheme_id: Annotated[
        int | None, Query(ge=1, description="Default: the latest scheme with a result")
    ] = None,
) -> ResultRead:
    """The score with its explanation: each rule with its facts and points, each manual item and each
    rater group — the `contribution`s add up to `score` exactly. Needs scoring:read, except for a member's
    own published result (an account linked to the member's record)."""
    return results.member_result(session, caller, member_id, scheme_id)


# --- follow-up of 不合格 ------------------------------------------------------------------------


@router.get("/cases", response_model=Page[CaseRead], responses=_read_errors)
def list_scoring_cases(
    session: SessionDep,
    caller: ScoringReader,
    scheme_id: Annotated[int | None, Query(ge=1)] = None,
    status: CaseStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CaseRead]:
    return cases.list_cases(
        session, caller.scope, scheme_id=scheme_id, status=status, cursor=cursor, limit=limit
    )


CASE_STATUS_ZH = {
    CaseStatus.OPEN: "教育谈话中",
    CaseStatus.IMPROVING: "限期改正中",
    CaseStatus.DECIDED: "已作出处置",
    CaseStatus.CLOSED: "已结案",
}
DISPOSAL_ZH = {
    Disposal.IMPROVED: "限期改正后合格",
    Disposal.PERSUADE_WITHDRAWAL: "劝其退党",
    Disposal.REMOVAL: "除名",
    Disposal.OTHER: "其他",
}


def _talks(case: CaseRead) -> list[str]:
    return [f"{talk.get('held_on', '')} {talk.get('by', '')}：{talk.get('notes', '')}" for talk in case.talks]


add_export_route(
    router,
    list_scoring_cases,
    kind="scoring-cases",
    title="不合格党员处置",
    columns=[
        col("编号", "id", width=8),
        col("方案编号", "scheme_id", width=8),
        col("党员编号", "member_id", width=10),
        col("党组织编号", "org_id", width=10),
        col("状态", "status", labels=CASE_STATUS_ZH, width=10),
        col("谈话记录", _talks, width=40),
        col("改正期限", "improvement_deadline", width=12),
        col("处置", "disposal", labels=DISPOSAL_ZH, width=14),
        col("处置说明", "decision_note", width=24),
        col("决定日期", "decided_on", width=12),
        col("结案日期", "closed_on", width=12),
    ],
)


@router.get("/cases/{case_id}", response_model=CaseRead, responses=_read_errors)
def get_scoring_case(
    session: SessionDep, caller: ScoringReader, case_id: RowId, response: Response
) -> CaseRead:
    return with_etag(cases.to_read(cases.get_case(session, caller.scope, case_id)), response)


@router.post("/cases/{case_id}/talks", response_model=CaseRead, responses=_write_errors)
def add_scoring_case_talk(
    session: SessionDep,
    caller: ScoringWriter,
    clock: ClockDep,
    case_id: RowId,
    body: CaseTalkCreate,
    response: Response,
    if_match: IfMatch = None,
) -> CaseRead:
    case = cases.add_talk(session, caller, case_id, body, if_match, today=local_today(clock.now()))
    return with_etag(cases.to_read(case), response)


@router.post("/cases/{case_id}/deadline", response_model=CaseRead, responses=_write_errors)
def set_scoring_case_deadline(
    session: SessionDep,
    caller: ScoringWriter,
    case_id: RowId,
    body: DeadlineSet,
    response: Response,
    if_match: IfMatch = None,
) -> CaseRead:
    return with_etag(cases.to_read(cases.set_deadline(session, caller, case_id, body, if_match)), response)


@router.post("/cases/{case_id}/decide", response_model=CaseRead, responses=_write_errors)
def decide_scoring_case(
    session: SessionDep,
    caller: ScoringWriter,
    clock: ClockDep,
    case_id: RowId,
    body: CaseDecision,
    response: Response,
    if_match: IfMatch = None,
) -> CaseRead:
    case = cases.decide(session, caller, case_id, body, if_match, today=local_today(clock.now()))
    return with_etag(cases.to_read(case), response)


@router.post("/cases/{case_id}/close", response_model=CaseRead, responses=_write_errors)
def close_scoring_case(
    session: SessionDep,
    caller: ScoringWriter,
    clock: ClockDep,
    case_id: RowId,
    response: Response,
    if_match: IfMatch = None,
) -> CaseRead:
    case = cases.close(session, caller, case_id, if_match, today=local_today(clock.now()))
    return with_etag(cases.to_read(case), response)
