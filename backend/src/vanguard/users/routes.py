from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from vanguard.auth.deps import AccountManager, CurrentPrincipal, UserReader, UserWriter
from vanguard.auth.throttle import throttle_of
from vanguard.core.clock import ClockDep
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
from vanguard.core.permissions import Role
from vanguard.users import service
from vanguard.users.schemas import (
    ApiTokenCreate,
    ApiTokenIssued,
    ApiTokenRead,
    PasswordChange,
    ServiceAccountCreate,
    ServiceAccountRead,
    ServiceAccountUpdate,
    UserCreate,
    UserRead,
    UserUpdate,
)

router = APIRouter(tags=["users"])

_errors = problem_responses(Forbidden, NotFound, Conflict, PreconditionFailed, InvalidInput)


def _user(user: object, response: Response) -> UserRead:
    return with_etag(UserRead.model_validate(user), response)


def _account(account: object, response: Response) -> ServiceAccountRead:
    return with_etag(ServiceAccountRead.model_validate(account), response)


@router.get("/users", response_model=Page[UserRead])
def list_users(
    session: SessionDep,
    caller: UserReader,
    org_id: int | None = None,
    role: Role | None = None,
    q: Annotated[str | None, Query(max_length=64, description="Username or display name contains")] = None,
    is_active: bool | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[UserRead]:
    return service.list_users(
        session, caller, org_id=org_id, role=role, q=q, is_active=is_active, cursor=cursor, limit=limit
    )


ROLE_ZH = {
    Role.ADMIN: "系统管理员",
    Role.ORG_ADMIN: "组织部门管理员",
    Role.SECRETARY: "书记",
    Role.MEMBER: "党员",
    Role.AUDITOR: "审计员",
}

add_export_route(
    router,
    list_users,
    kind="users",
    title="用户",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("用户名", "username", width=14),
        col("显示名", "display_name", width=20),
        col("角色", "role", labels=ROLE_ZH, width=14),
        col("党组织编号", "org_id", width=10),
        col("启用", "is_active", width=6),
        col("创建时间", "created_at", width=18),
    ],
)


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED, responses=_errors)
def create_user(session: SessionDep, caller: UserWriter, body: UserCreate, response: Response) -> UserRead:
    return _user(service.create_user(session, caller, body), response)


@router.get("/users/{user_id}", response_model=UserRead, responses=_errors)
def get_user(session: SessionDep, caller: UserReader, user_id: int, response: Response) -> UserRead:
    return _user(service.get_user(session, caller, user_id), response)


@router.patch("/users/{user_id}", response_model=UserRead, responses=_errors)
def update_user(
    session: SessionDep,
    caller: UserWriter,
    user_id: int,
    body: UserUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> UserRead:
    return _user(service.update_user(session, caller, user_id, body, if_match), response)


@router.post("/users/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT, responses=_errors)
def change_password(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    caller: CurrentPrincipal,
    user_id: int,
    body: PasswordChange,
) -> None:
    """Your own password (with the current one), or, for user managers, someone else's. Logs them out
    and lifts a login lockout of their name."""
    # Any signed-in user, members included, may change their own; users:write is checked for others'.
    user = service.change_password(session, caller, user_id, body)
    # Failures guessing the old password say nothing about the new one: the owner may log in at once.
    throttle_of(request.app).succeeded(user.username, clock.now())


@router.get("/service-accounts", response_model=Page[ServiceAccountRead])
def list_service_accounts(
    session: SessionDep, caller: AccountManager, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[ServiceAccountRead]:
    return service.list_service_accounts(session, caller, cursor=cursor, limit=limit)


add_export_route(
    router,
    list_service_accounts,
    kind="service-accounts",
    title="服务账号",
    columns=[
        col("编号", "id", width=8),
        col("名称", "name", width=20),
        col("说明", "description", width=30),
        col("党组织编号", "org_id", width=10),
        col("权限范围", "scopes", width=40),
        col("启用", "is_active", width=6),
        col("创建时间", "created_at", width=18),
    ],
)


@router.post(
    "/service-accounts",
    response_model=ServiceAccountRead,
    status_code=status.HTTP_201_CREATED,
    responses=_errors,
)
def create_service_account(
    session: SessionDep, caller: AccountManager, body: ServiceAccountCreate, response: Response
) -> ServiceAccountRead:
    return _account(service.create_service_account(session, caller, body), response)


@router.get("/service-accounts/{account_id}", response_model=ServiceAccountRead, responses=_errors)
def get_service_account(
    session: SessionDep, caller: AccountManager, account_id: int, response: Response
) -> ServiceAccountRead:
    return _account(service.get_service_account(session, caller, account_id), response)


@router.patch("/service-accounts/{account_id}", response_model=ServiceAccountRead, responses=_errors)
def update_service_account(
    session: SessionDep,
    caller: AccountManager,
    account_id: int,
    body: ServiceAccountUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ServiceAccountRead:
    return _account(service.update_service_account(session, caller, account_id, body, if_match), response)


@router.get("/service-accounts/{account_id}/tokens", response_model=list[ApiTokenRead], responses=_errors)
def list_service_tokens(session: SessionDep, caller: AccountManager, account_id: int) -> list[ApiTokenRead]:
    return service.list_tokens(session, caller, account_id)


@router.post(
    "/service-accounts/{account_id}/tokens",
    response_model=ApiTokenIssued,
    status_code=status.HTTP_201_CREATED,
    responses=_errors,
)
def issue_service_token(
    session: SessionDep, caller: AccountManager, account_id: int, body: ApiTokenCreate
) -> ApiTokenIssued:
    """Issue a long-lived token. The secret is in this response only; store it now."""
    return service.issue_token(session, caller, account_id, body)


@router.delete(
    "/service-accounts/{account_id}/tokens/{token_id}", response_model=ApiTokenRead, responses=_errors
)
def revoke_service_token(
    session: SessionDep, caller: AccountManager, account_id: int, token_id: int
) -> ApiTokenRead:
    return ApiTokenRead.model_validate(service.revoke_token(session, caller, account_id, token_id))
