"""Probes for orchestrators and load balancers, outside /api/v1: they describe the process, not a
version of the API, and stay where a deployment's healthcheck points across API versions."""

from __future__ import annotations

from fastapi import APIRouter, Request

from vanguard.core.errors import Problem
from vanguard.ops import service
from vanguard.ops.schemas import ProbeStatus

router = APIRouter(tags=["meta"])


@router.get("/healthz", response_model=ProbeStatus)
def healthz() -> ProbeStatus:
    """The process answers (liveness). Touches no database: restarting the app would not fix that."""
    return ProbeStatus()


@router.get(
    "/readyz",
    response_model=ProbeStatus,
    responses={
        503: {
            "model": Problem,
            "description": "Not ready: the database does not answer (`database_unavailable`) or its "
            "schema is not at this release's migration (`schema_not_current`)",
        }
    },
)
def readyz(request: Request) -> ProbeStatus:
    """Ready for traffic: the database answers and its schema is at the head of the migration chain."""
    with request.app.state.sessionmaker() as session:
        service.check_ready(session)
    return ProbeStatus()
