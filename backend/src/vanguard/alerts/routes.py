"""Early warning (预警) endpoints: run the analysis, list and acknowledge alerts, suggest a category and
org for a new complaint, and the members who need attention. Thin wrappers over `alerts.service`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from vanguard.alerts import service
from vanguard.alerts.models import AlertKind, AlertState
from vanguard.alerts.schemas import (
    AlertAcknowledge,
    AlertRead,
    AlertRun,
    AttentionMember,
    Suggestion,
    SuggestRequest,
)
from vanguard.auth.deps import ComplaintReader, ComplaintWriter, MemberReader
from vanguard.core import policy
from vanguard.core.clock import ClockDep, local_today
from vanguard.core.deps import IfMatch, SessionDep
from vanguard.core.errors import Conflict, InvalidInput, NotFound, PreconditionFailed, problem_responses
from vanguard.core.etag import with_etag
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page

RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
OrgFilter = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Only this org's subtree")]

router = APIRouter(prefix="/alerts", tags=["alerts"])

_read_errors = problem_responses(NotFound, InvalidInput)
_write_errors = problem_responses(NotFound, Conflict, PreconditionFailed, InvalidInput)


@router.post("/run", response_model=list[AlertRead], responses=_read_errors)
def run_alerts(
    session: SessionDep, caller: ComplaintWriter, clock: ClockDep, body: AlertRun
) -> list[AlertRead]:
    """Run the analysis now for your subtree: complaint surges per (handling org, category) and groups
    of near-duplicate complaints, for the China day given (usually today). Returns the alerts this run
    fired; repeating it for the same day fires nothing twice. Thresholds default to the policy's."""
    fired = service.run(session, caller.scope, body, clock.now())
    return [service.to_read(a) for a in fired]


@router.post("/suggest", response_model=Suggestion, responses=_read_errors)
def suggest_complaint_routing(
    session: SessionDep, caller: ComplaintReader, clock: ClockDep, body: SuggestRequest
) -> Suggestion:
    """The likely category and responsible org for a new complaint's text, from the most similar past
    complaints in your subtree that were accepted or went further, with a confidence and those it
    leaned on."""
    return service.suggest(session, caller.scope, body.text, clock.now())


@router.get("/attention", response_model=Page[AttentionMember], responses=_read_errors)
def list_attention_members(
    session: SessionDep,
    caller: MemberReader,
    clock: ClockDep,
    org_id: OrgFilter = None,
    no_study_months: Annotated[int, Query(ge=1, le=24)] = policy.ALERTS_NO_STUDY_MONTHS,
    arrears_min_months: Annotated[int, Query(ge=1, le=120)] = policy.ALERTS_ARREARS_MIN_MONTHS,
    pledge_months: Annotated[int, Query(ge=1, le=60)] = policy.ALERTS_PLEDGE_MONTHS,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[AttentionMember]:
    """Members needing attention in the org's subtree (default: yours), each with the reasons: no study
    attendance for N months, dues in arrears, pledges not kept, a 基本合格/不合格 grade in the latest
    published evaluation. A page may hold fewer than `limit` items and still have a `next_cursor`."""
    params = service.AttentionParams(no_study_months, arrears_min_months, pledge_months)
    return service.attention(
        session,
        caller.scope,
        org_id=org_id,
        cursor=cursor,
        limit=limit,
        today=local_today(clock.now()),
        params=params,
    )


@router.get("", response_model=Page[AlertRead], responses=_read_errors)
def list_alerts(
    session: SessionDep,
    caller: ComplaintReader,
    kind: AlertKind | None = None,
    state: AlertState | None = None,
    org_id: OrgFilter = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[AlertRead]:
    """Alerts on orgs in your subtree, newest first."""
    return service.list_alerts(
        session, caller.scope, kind=kind, state=state, org_id=org_id, cursor=cursor, limit=limit
    )


@router.get("/{alert_id}", response_model=AlertRead, responses=_read_errors)
def get_alert(session: SessionDep, caller: ComplaintReader, alert_id: RowId, response: Response) -> AlertRead:
    return with_etag(service.to_read(service.get(session, caller.scope, alert_id)), response)


@router.post("/{alert_id}/acknowledge", response_model=AlertRead, responses=_write_errors)
def acknowledge_alert(
    session: SessionDep,
    caller: ComplaintWriter,
    clock: ClockDep,
    alert_id: RowId,
    response: Response,
    body: AlertAcknowledge | None = None,
    if_match: IfMatch = None,
) -> AlertRead:
    """Mark the alert seen and handled (409 if it already is)."""
    alert = service.acknowledge(session, caller, alert_id, body or AlertAcknowledge(), if_match, clock.now())
    return with_etag(service.to_read(alert), response)
