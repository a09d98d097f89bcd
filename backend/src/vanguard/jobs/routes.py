"""Jobs: long work (imports, recomputations) with progress, ETA and cancellation. Thin over jobs.service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from vanguard.auth.deps import CurrentPrincipal
from vanguard.core.deps import SessionDep
from vanguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound, problem_responses
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from vanguard.jobs import service
from vanguard.jobs.models import JobState
from vanguard.jobs.schemas import JobRead, JobSummary

JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]
router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("", response_model=Page[JobSummary], responses=problem_responses(InvalidInput))
def list_jobs(
    session: SessionDep,
    caller: CurrentPrincipal,
    kind: Annotated[str | None, Query(max_length=32, description="e.g. `import.members`")] = None,
    state: JobState | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[JobSummary]:
    """Newest first: the jobs you started, and with `jobs:read` every job on an org in your subtree."""
    return service.list_jobs(session, caller, kind=kind, state=state, cursor=cursor, limit=limit)


@router.get("/{job_id}", response_model=JobRead, responses=problem_responses(NotFound, Forbidden))
def get_job(session: SessionDep, caller: CurrentPrincipal, job_id: JobId) -> JobRead:
    """State, counts (`done`, `failed`, `total`), rate and ETA, and when finished the result or error.
    Poll it for a progress bar; the creator and those holding `jobs:read` over the job's org see it."""
    return service.read(session, caller, job_id)


@router.post(
    "/{job_id}/cancel", response_model=JobRead, responses=problem_responses(NotFound, Forbidden, Conflict)
)
def cancel_job(session: SessionDep, caller: CurrentPrincipal, job_id: JobId) -> JobRead:
    """The job stops at its next chunk and rolls back everything it did (poll until `state` is
    `cancelled`; a job still queued may be cancelled at once). 409 `job_finished` when it has ended."""
    return service.cancel(session, caller, job_id)
