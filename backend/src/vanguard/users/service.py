"""Users and service accounts, each visible only within the caller's subtree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from vanguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Permission, Principal, Role, in_subtree
from vanguard.core.search import contains
from vanguard.core.security import tokens
from vanguard.core.security.passwords import hash_password, verify_password
from vanguard.members import service as members
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.users.models import ApiToken, ServiceAccount, User
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


class UserNotFound(NotFound):
    code = "user_not_found"
    message_zh = "用户不存在或不在您的管理范围内"
    message_en = "User not found, or outside your scope"


class ServiceAccountNotFound(NotFound):
    code = "service_account_not_found"
    message_zh = "服务账号不存在或不在您的管理范围内"
    message_en = "Service account not found, or outside your scope"


class DuplicateUsername(Conflict):
    code = "duplicate_username"
    message_zh = "用户名已被使用"
    message_en = "Username already taken"


class CurrentPasswordIncorrect(InvalidInput):
    code = "current_password_incorrect"
    message_zh = "当前密码不正确"
    message_en = "The current password is incorrect"


class ExpiryInPast(InvalidInput):
    code = "expiry_in_past"
    message_zh = "过期时间必须晚于当前时间"
    message_en = "The expiry must be in the future"


class RoleNotGrantable(Forbidden):
    code = "role_not_grantable"
    message_zh = "不能授予高于自身的角色"
    message_en = "You cannot grant a role above your own"


class ScopeNotGrantable(Forbidden):
    code = "scope_not_grantable"
    message_zh = "不能授予自身没有的权限"
    message_en = "You cannot grant a permission you do not hold"


class GlobalUserForbidden(Forbidden):
    code = "global_user_forbidden"
    message_zh = "只有系统管理员可以不限定组织范围"
    message_en = "Only system administrators may have no organisation scope"


class MemberAlreadyLinked(Conflict):
    code = "member_already_linked"
    message_zh = "该党员已关联另一个用户账号"
    message_en = "This member is already linked to another user account"


class MemberOutsideUserOrg(InvalidInput):
    code = "member_outside_user_org"
    message_zh = "关联的党员必须属于该用户的组织范围"
    message_en = "The linked member must belong to the user's organisation subtree"


def readable_users(caller: Principal) -> Select[User]:
    stmt = select(User).outerjoin(Organisation, Organisation.id == User.org_id)
    if caller.scope.root_path is None:
        return stmt
    return stmt.where(caller.scope.clause(Organisation.path))


def _check_placement(session: Session, caller: Principal, role: Role, org_id: int | None) -> None:
    if role not in caller.grantable_roles:
        raise RoleNotGrantable()
    if org_id is None:
        if role is not Role.ADMIN or caller.scope.root_path is not None:
            raise GlobalUserForbidden()
    else:
        orgs.get(session, caller.scope, org_id)


def _check_member_link(
    session: Session, caller: Principal, member_id: int, org_id: int | None, *, user_id: int | None
) -> None:
    """The member must be one the caller can see, inside the account's own subtree, and not already
    another account's (the unique index backs this against races)."""
    member = members.get_member(session, caller.scope, member_id)
    if org_id is not None:
        root, home = (session.get_one(Organisation, i) for i in (org_id, member.org_id))
        if not in_subtree(home.path, root.path):
            raise MemberOutsideUserOrg.at("member_id")
    taken = session.scalar(select(User.id).where(User.member_id == member_id, User.id != user_id))
    if taken is not None:
        raise MemberAlreadyLinked()


def member_links(session: Session, member_ids: Sequence[int]) -> dict[int, int]:
    """User id → member id of the accounts linked to these members (what scoring credits a member with)."""
    rows = session.execute(select(User.id, User.member_id).where(User.member_id.in_(member_ids)))
    return {user_id: member_id for user_id, member_id in rows if member_id is not None}


def get_user(session: Session, caller: Principal, user_id: int) -> User:
    user = session.scalar(readable_users(caller).where(User.id == user_id))
    if user is None:
        raise UserNotFound()
    return user


def list_users(
    session: Session,
    caller: Principal,
    *,
    org_id: int | None,
    role: Role | None,
    q: str | None,
    is_active: bool | None,
    cursor: str | None,
    limit: int,
) -> Page[UserRead]:
    stmt = readable_users(caller)
    if q and q.strip():
        text = q.strip()
        stmt = stmt.where(contains(User.username, text) | contains(User.display_name, text))
    if is_active is not None:
        stmt = stmt.where(User.is_active == is_active)
    if org_id is not None:
        stmt = stmt.where(User.org_id == org_id)
    if role is not None:
        stmt = stmt.where(User.role == role)
    return paginate_by_id(
        session,
        stmt,
        User.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: UserRead.model_validate(row[0]),
    )


def create_user(session: Session, caller: Principal, data: UserCreate) -> User:
    _check_placement(session, caller, data.role, data.org_id)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise DuplicateUsername()
    if data.member_id is not None:
        _check_member_link(session, caller, data.member_id, data.org_id, user_id=None)
    user = User(
        username=data.username,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        role=data.role,
        org_id=data.org_id,
        member_id=data.member_id,
    )
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session, caller: Principal, user_id: int, data: UserUpdate, if_match: str | None
) -> User:
    user = get_user(session, caller, user_id)
    check_if_match(if_match, user.version)
    changes = data.model_dump(exclude_unset=True)
    if user.role not in caller.grantable_roles:
        raise RoleNotGrantable()  # nobody edits an account ranked above themselves
    if "role" in changes or "org_id" in changes:
        _check_placement(
            session, caller, changes.get("role") or user.role, changes.get("org_id", user.org_id)
        )
    member_id = changes.get("member_id", user.member_id)
    if member_id is not None and ("member_id" in changes or "org_id" in changes):
        _check_member_link(session, caller, member_id, changes.get("org_id", user.org_id), user_id=user.id)
    if changes.get("is_active") is False:
        user.session_epoch += 1  # deactivation logs the user out everywhere
    for key, value in changes.items():
        if value is None and key in {"display_name", "role", "is_active"}:
            continue
        setattr(user, key, value)
    session.flush()
    return user


def change_password(session: Session, caller: Principal, user_id: int, data: PasswordChange) -> User:
    own = caller.kind == "user" and caller.id == user_id
    if not own:
        caller.require(Permission.USERS_WRITE)
    user = get_user(session, caller, user_id)
    if own:
        valid, _ = verify_password(data.current_password or "", user.password_hash)
        if not valid:
            # Not a 401: the caller is authenticated, and clients treat 401 as "log in again".
            raise CurrentPasswordIncorrect()
    elif user.role not in caller.grantable_roles:
        raise RoleNotGrantable()
    user.password_hash = hash_password(data.new_password)
    user.session_epoch += 1  # every token issued before the change stops working
    session.flush()
    return user


# --- service accounts -------------------------------------------------------------------------


def readable_service_accounts(caller: Principal) -> Select[ServiceAccount]:
    return (
        select(ServiceAccount)
        .join(Organisation, Organisation.id == ServiceAccount.org_id)
        .where(caller.scope.clause(Organisation.path))
    )


def get_service_account(session: Session, caller: Principal, account_id: int) -> ServiceAccount:
    account = session.scalar(readable_service_accounts(caller).where(ServiceAccount.id == account_id))
    if account is None:
        raise ServiceAccountNotFound()
    return account


def _check_scopes(caller: Principal, scopes: list[str]) -> list[str]:
    if any(scope not in caller.permissions for scope in scopes):
        raise ScopeNotGrantable()
    return sorted(set(scopes))


def _check_manageable(caller: Principal, account: ServiceAccount) -> None:
    """Issuing a token for an account, or editing it, hands out its scopes: only within the caller's own."""
    _check_scopes(caller, account.scopes)


def list_service_accounts(
    session: Session, caller: Principal, *, cursor: str | None, limit: int
) -> Page[ServiceAccountRead]:
    return paginate_by_id(
        session,
        readable_service_accounts(caller),
        ServiceAccount.id,
        cursor=cursor,
        limit=limit,
        to_item=lambda row: ServiceAccountRead.model_validate(row[0]),
    )


def create_service_account(session: Session, caller: Principal, data: ServiceAccountCreate) -> ServiceAccount:
    orgs.get(session, caller.scope, data.org_id)
    if session.scalar(select(ServiceAccount.id).where(ServiceAccount.name == data.name)) is not None:
        raise Conflict("服务账号名称已被使用", "Service account name already taken")
    account = ServiceAccount(
        name=data.name,
        description=data.description,
        org_id=data.org_id,
        scopes=_check_scopes(caller, [s.value for s in data.scopes]),
    )
    session.add(account)
    session.flush()
    return account


def update_service_account(
    session: Session, caller: Principal, account_id: int, data: ServiceAccountUpdate, if_match: str | None
) -> ServiceAccount:
    account = get_service_account(session, caller, account_id)
    check_if_match(if_match, account.version)
    _check_manageable(caller, account)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("scopes") is not None:
        account.scopes = _check_scopes(caller, [s.value for s in changes["scopes"]])
    if "description" in changes:
        account.description = changes["description"]
    if changes.get("is_active") is not None:
        account.is_active = changes["is_active"]
    session.flush()
    return account


def list_tokens(session: Session, caller: Principal, account_id: int) -> list[ApiTokenRead]:
    account = get_service_account(session, caller, account_id)
    rows = session.scalars(
        select(ApiToken).where(ApiToken.service_account_id == account.id).order_by(ApiToken.id)
    )
    return [ApiTokenRead.model_validate(token) for token in rows]


def issue_token(session: Session, caller: Principal, account_id: int, data: ApiTokenCreate) -> ApiTokenIssued:
    account = get_service_account(session, caller, account_id)
    _check_manageable(caller, account)
    if data.expires_at is not None and data.expires_at <= datetime.now(UTC):
        raise ExpiryInPast()
    raw = tokens.new_service_token()
    token = ApiToken(
        service_account_id=account.id,
        name=data.name,
        token_digest=tokens.digest(raw),
        display_prefix=tokens.display_prefix(raw),
        expires_at=data.expires_at,
        org_id=account.org_id,
    )
    session.add(token)
    session.flush()
    return ApiTokenIssued.model_validate({**ApiTokenRead.model_validate(token).model_dump(), "token": raw})


def revoke_token(session: Session, caller: Principal, account_id: int, token_id: int) -> ApiToken:
    account = get_service_account(session, caller, account_id)
    _check_manageable(caller, account)
    token = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.service_account_id == account.id)
    )
    if token is None:
        raise NotFound("令牌不存在", "Token not found")
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        session.flush()
    return token
