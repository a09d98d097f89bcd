"""The development pipeline over HTTP: one endpoint per step, thin over `service`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, status

from vanguard.auth.deps import MemberReader, MemberWriter
from vanguard.core import policy
from vanguard.core.deps import IfMatch, SessionDep
from vanguard.core.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    Problem,
    problem_responses,
)
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from vanguard.development import due, service
from vanguard.development.errors import (
    RULE_ERRORS,
    DateBeforeBirth,
    DateBeforePreviousStep,
    DateInFuture,
)
from vanguard.development.schemas import (
    ActivistCreate,
    AdmitCreate,
    ApprovalCreate,
    CancelCreate,
    CandidateCreate,
    ConfirmCreate,
    DueList,
    ExtendCreate,
    StepRead,
    TalkCreate,
    TimelineRead,
)

router = APIRouter(tags=["development"])

_rules: dict[int | str, dict[str, Any]] = {
    409: {
        "model": Problem,
        "description": "Refused by a development rule; `code` names it: "
        + ", ".join(f"`{error.code}`" for error in RULE_ERRORS),
    }
}
_dates: dict[int | str, dict[str, Any]] = {
    422: {
        "model": Problem,
        "description": "Invalid input: `validation_failed`, or a date that cannot be true: "
        + ", ".join(f"`{error.code}`" for error in (DateInFuture, DateBeforeBirth, DateBeforePreviousStep)),
    }
}
_write_errors = {**problem_responses(NotFound, Forbidden, PreconditionFailed), **_rules, **_dates}
_read_errors = problem_responses(NotFound, Forbidden)
F = TypeVar("F", bound=Callable[..., Any])


def _step(name: str) -> Callable[[F], F]:
    """A pipeline command: POST /members/{member_id}/development/<name>, 201 with the recorded step."""
    return router.post(
        f"/members/{{member_id}}/development/{name}",
        response_model=StepRead,
        status_code=status.HTTP_201_CREATED,
        responses=_write_errors,
    )


def _done(session: SessionDep, step: Any) -> StepRead:
    return service.step_read(session, step)


@_step("talk")
def record_application_talk(
    session: SessionDep, caller: MemberWriter, member_id: int, body: TalkCreate, if_match: IfMatch = None
) -> StepRead:
    """The organisation's talk with the applicant, due within one month of the application."""
    return _done(session, service.record_talk(session, caller.scope, member_id, body, if_match))


@_step("activist")
def make_activist(
    session: SessionDep, caller: MemberWriter, member_id: int, body: ActivistCreate, if_match: IfMatch = None
) -> StepRead:
    """确定为入党积极分子, with one or two full members of the same organisation as mentors."""
    return _done(session, service.make_activist(session, caller.scope, member_id, body, if_match))


@_step("candidate")
def make_candidate(
    session: SessionDep, caller: MemberWriter, member_id: int, body: CandidateCreate, if_match: IfMatch = None
) -> StepRead:
    """列为发展对象, after a year or more as an activist."""
    return _done(session, service.make_candidate(session, caller.scope, member_id, body, if_match))


@_step("admit")
def admit_probationary_member(
    session: SessionDep, caller: MemberWriter, member_id: int, body: AdmitCreate, if_match: IfMatch = None
) -> StepRead:
    """The branch general meeting admits the candidate; effective once the superior committee approves
    (in the same request when `approval` is given, otherwise through the approval endpoint)."""
    return _done(session, service.admit(session, caller.scope, member_id, body, if_match))


@_step("confirm")
def confirm_full_membership(
    session: SessionDep, caller: MemberWriter, member_id: int, body: ConfirmCreate, if_match: IfMatch = None
) -> StepRead:
    """At the end of probation: full membership, dated from the day the probation ended."""
    return _done(session, service.confirm(session, caller.scope, member_id, body, if_match))


@_step("extend")
def extend_probation(
    session: SessionDep, caller: MemberWriter, member_id: int, body: ExtendCreate, if_match: IfMatch = None
) -> StepRead:
    """At the end of probation: extend it once, by six to twelve months."""
    return _done(session, service.extend(session, caller.scope, member_id, body, if_match))


@_step("cancel")
def cancel_probation(
    session: SessionDep, caller: MemberWriter, member_id: int, body: CancelCreate, if_match: IfMatch = None
) -> StepRead:
    """Cancel the probation: once approved, the person leaves the roll (status `withdrawn`)."""
    return _done(session, service.cancel(session, caller.scope, member_id, body, if_match))


@router.post("/members/{member_id}/development/approval", response_model=StepRead, responses=_write_errors)
def decide_development_approval(
    session: SessionDep, caller: MemberWriter, member_id: int, body: ApprovalCreate, if_match: IfMatch = None
) -> StepRead:
    """The superior committee's approval (or refusal) of the branch meeting's decision awaiting it."""
    return _done(session, service.decide_approval(session, caller.scope, member_id, body, if_match))


@router.get("/members/{member_id}/timeline", response_model=TimelineRead, responses=_read_errors)
def get_development_timeline(session: SessionDep, caller: MemberReader, member_id: int) -> TimelineRead:
    """Every recorded step of the member's development, oldest first, with the people named in it."""
    return service.timeline(session, caller.scope, member_id)


@router.get(
    "/development/due", response_model=DueList, responses=problem_responses(NotFound, Forbidden, InvalidInput)
)
def list_development_due(
    session: SessionDep,
    caller: MemberReader,
    org_id: Annotated[int | None, Query(description="Only this organisation's subtree")] = None,
    within_days: Annotated[
        int, Query(ge=0, le=policy.DEV_DUE_SOON_MAX_DAYS, description="Look ahead this many days")
    ] = policy.DEV_DUE_SOON_DAYS,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> DueList:
    """Who in the caller's subtree is due for a step within `within_days`, and who is overdue:
    talks not held, activists ready to become candidates, approvals awaited, probations ending."""
    return due.due_list(
        session, caller.scope, org_id=org_id, within_days=within_days, cursor=cursor, limit=limit
    )
