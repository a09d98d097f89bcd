from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select

from vanguard.auth import service
from vanguard.auth.deps import CurrentPrincipal
from vanguard.auth.schemas import Me, RefreshRequest, TokenPair
from vanguard.auth.throttle import throttle_of
from vanguard.core.clock import ClockDep
from vanguard.core.deps import SessionDep
from vanguard.core.errors import InvalidInput, Unauthenticated, problem_responses
from vanguard.core.ratelimit import client_ip
from vanguard.users.models import User

public_router = APIRouter(prefix="/auth", tags=["auth"])
router = APIRouter(prefix="/auth", tags=["auth"])
_errors = problem_responses(Unauthenticated, InvalidInput)


@public_router.post(
    "/token",
    response_model=TokenPair,
    responses={
        **_errors,
        429: {
            **service.LoginThrottled.openapi_response(),
            "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
        },
    },
)
def login_for_token(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> TokenPair:
    """OAuth2 password flow: exchange a username and password for an access and a refresh token.
    Repeated failures for a user name, or from one IP, are refused for a while with 429 and Retry-After;
    the wait doubles with each further lockout of the name."""
    return service.login(
        session,
        throttle_of(request.app),
        form.username,
        form.password,
        ip=client_ip(request),
        now=clock.now(),
    )


@public_router.post("/refresh", response_model=TokenPair, responses=_errors)
def refresh_token(session: SessionDep, body: RefreshRequest) -> TokenPair:
    return service.refresh(session, body.refresh_token)


@router.get("/me", response_model=Me, responses=_errors)
def read_me(session: SessionDep, caller: CurrentPrincipal) -> Me:
    display_name = caller.name
    if caller.kind == "user":
        display_name = session.scalar(select(User.display_name).where(User.id == caller.id)) or caller.name
    return Me(
        kind=caller.kind,
        id=caller.id,
        username=caller.name,
        display_name=display_name,
        role=caller.role,
        org_id=caller.org_id,
        member_id=caller.member_id,
        permissions=sorted(caller.permissions),
    )
