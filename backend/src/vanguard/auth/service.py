"""Login, refresh, and turning a bearer credential into a `Principal`."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from vanguard.auth.schemas import TokenPair
from vanguard.auth.throttle import LoginThrottle
from vanguard.core.errors import AppError, InvalidCredentials, Unauthenticated
from vanguard.core.permissions import ROLE_PERMISSIONS, Permission, Principal, Scope
from vanguard.core.security import jwt, tokens
from vanguard.core.security.passwords import verify_password
from vanguard.orgs.models import Organisation
from vanguard.users.models import ApiToken, ServiceAccount, User


class LoginThrottled(AppError):
    status = 429
    code = "login_throttled"
    message_zh = "登录失败次数过多，请稍后再试"
    message_en = "Too many failed logins; try again later"

    def __init__(self, retry_after: int) -> None:
        minutes = math.ceil(retry_after / 60)  # the login page shows the message as it is
        super().__init__(
            f"登录失败次数过多，请 {minutes} 分钟后再试",
            f"Too many failed logins; try again in {minutes} minute{'s' if minutes > 1 else ''}",
        )
        self.retry_after = retry_after

    def response_headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after)}


class InvalidRefreshToken(Unauthenticated):
    code = "invalid_refresh_token"
    message_zh = "登录已失效，请重新登录"
    message_en = "The refresh token is invalid or expired; log in again"


def _scope_of(session: Session, org_id: int | None) -> Scope:
    if org_id is None:
        return Scope.everything()
    path = session.scalar(select(Organisation.path).where(Organisation.id == org_id))
    if path is None:  # the org row is gone: fail closed
        raise Unauthenticated()
    return Scope(path)


def _issue_pair(user: User) -> TokenPair:
    access = jwt.issue(user.id, "access", user.session_epoch)
    refresh = jwt.issue(user.id, "refresh", user.session_epoch)
    lifetime = int((access.expires_at - datetime.now(UTC)).total_seconds())
    return TokenPair(access_token=jwt.encode(access), refresh_token=jwt.encode(refresh), expires_in=lifetime)


def login(
    session: Session, throttle: LoginThrottle, username: str, password: str, *, ip: str | None, now: datetime
) -> TokenPair:
    """Tokens for a correct password; failures count towards locking out the name and the IP, and while
    either is locked out no password is even checked (the same for names no account has)."""
    wait = throttle.wait(username, ip, now)
    if wait:
        raise LoginThrottled(wait)
    user = session.scalar(select(User).where(User.username == username))
    valid, new_hash = verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        throttle.failed(username, ip, now)
        raise InvalidCredentials()
    throttle.succeeded(username, now)
    if new_hash is not None:
        # A parameter upgrade, not a user-visible change: bypass the ORM so it is not audited as an edit.
        session.execute(update(User).where(User.id == user.id).values(password_hash=new_hash))
    return _issue_pair(user)


def _active_user(session: Session, claims: jwt.TokenClaims) -> User | None:
    user = session.get(User, claims.subject)
    if user is None or not user.is_active or user.session_epoch != claims.session_epoch:
        return None
    return user


def refresh(session: Session, refresh_token: str) -> TokenPair:
    try:
        claims = jwt.decode(refresh_token, "refresh")
    except jwt.InvalidToken as exc:
        raise InvalidRefreshToken() from exc
    user = _active_user(session, claims)
    if user is None:
        raise InvalidRefreshToken()
    return _issue_pair(user)


def user_principal(session: Session, user: User) -> Principal:
    return Principal(
        kind="user",
        id=user.id,
        name=user.username,
        role=user.role,
        org_id=user.org_id,
        scope=_scope_of(session, user.org_id),
        permissions=ROLE_PERMISSIONS[user.role],
        member_id=user.member_id,
    )


def _service_principal(session: Session, raw: str) -> Principal:
    now = datetime.now(UTC)
    row = session.execute(
        select(ApiToken, ServiceAccount)
        .join(ServiceAccount, ServiceAccount.id == ApiToken.service_account_id)
        .where(ApiToken.token_digest == tokens.digest(raw))
    ).one_or_none()
    if row is None:
        raise Unauthenticated()
    token, account = row
    expires_at = token.expires_at
    if (
        token.revoked_at is not None
        or not account.is_active
        or (expires_at is not None and expires_at <= now)
    ):
        raise Unauthenticated()
    # Usage bookkeeping, not a change anyone made: kept out of the audit log on purpose.
    session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return Principal(
        kind="service",
        id=account.id,
        name=f"service:{account.name}",
        role=None,
        org_id=account.org_id,
        scope=_scope_of(session, account.org_id),
        permissions=frozenset(Permission(s) for s in account.scopes if s in Permission._value2member_map_),
    )


def authenticate(session: Session, bearer: str) -> Principal:
    if tokens.is_service_token(bearer):
        return _service_principal(session, bearer)
    try:
        claims = jwt.decode(bearer, "access")
    except jwt.InvalidToken as exc:
        raise Unauthenticated() from exc
    user = _active_user(session, claims)
    if user is None:
        raise Unauthenticated()
    return user_principal(session, user)
