from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from vanguard.auth.deps import MemberReader
from vanguard.core.deps import SessionDep
from vanguard.core.errors import Forbidden, InvalidInput, NotFound, problem_responses
from vanguard.stats import service
from vanguard.stats.schemas import MemberStats

router = APIRouter(prefix="/stats", tags=["stats"])


@router.get(
    "/members", response_model=MemberStats, responses=problem_responses(NotFound, Forbidden, InvalidInput)
)
def get_member_stats(
    session: SessionDep,
    caller: MemberReader,
    org_id: Annotated[
        int | None, Query(description="Count this org's subtree (default: the caller's scope root)")
    ] = None,
    as_of: Annotated[date | None, Query(description="Compute ages on this date (default: today)")] = None,
) -> MemberStats:
    """Members with status normal in the org's whole subtree, broken down for charts."""
    return service.member_stats(session, caller.scope, org_id, as_of=as_of)
