from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select

from vanguard.auth import service
from vanguard.auth.deps import CurrentPrincipal
from vanguard.auth.schemas import Me, RefreshRequest, TokenPair
from vanguard.core.deps import SessionDep
from vanguard.core.errors import InvalidInput, Unauthenticated, problem_responses
from vanguard.users.models import User

public_router = APIRouter(prefix="/auth", tags=["auth"])
router = APIRouter(prefix="/auth", tags=["auth"])
_errors = problem_responses(Unauthenticated, InvalidInput)


@public_router.post("/token", response_model=TokenPair, responses=_errors)
def login_for_token(session: SessionDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenPair:
    """OAuth2 password flow: exchange a username and password for an access and a refresh token."""
    return service.login(session, form.username, form.password)


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
