"""All JWT handling lives here so the library (python-jose today) can be swapped in one place."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from jose import JWTError, jwt

from vanguard.core.config import get_settings

ALGORITHM = "HS256"
# An explicit allow-list: tokens signed with anything else (including "none") are refused.
ALLOWED_ALGORITHMS = [ALGORITHM]
ISSUER = "vanguard"

TokenKind = Literal["access", "refresh"]


class InvalidToken(Exception):
    """The token is malformed, expired, of the wrong kind or badly signed."""


@dataclass(frozen=True, slots=True)
class TokenClaims:
    subject: int
    kind: TokenKind
    session_epoch: int
    expires_at: datetime
    token_id: str


def issue(subject: int, kind: TokenKind, session_epoch: int, *, now: datetime | None = None) -> TokenClaims:
    settings = get_settings()
    issued = now or datetime.now(UTC)
    lifetime = (
        timedelta(minutes=settings.access_token_minutes)
        if kind == "access"
        else timedelta(days=settings.refresh_token_days)
    )
    return TokenClaims(subject, kind, session_epoch, issued + lifetime, uuid.uuid4().hex)


def encode(claims: TokenClaims) -> str:
    payload = {
        "iss": ISSUER,
        "sub": str(claims.subject),
        "typ": claims.kind,
        "sep": claims.session_epoch,
        "exp": int(claims.expires_at.timestamp()),
        "jti": claims.token_id,
    }
    return jwt.encode(payload, get_settings().secret_key, algorithm=ALGORITHM)


def decode(token: str, expected_kind: TokenKind) -> TokenClaims:
    try:
        payload = jwt.decode(
            token,
            get_settings().secret_key,
            algorithms=ALLOWED_ALGORITHMS,
            issuer=ISSUER,
            options={"require_exp": True, "require_sub": True, "require_iss": True},
        )
        claims = TokenClaims(
            subject=int(payload["sub"]),
            kind=payload["typ"],
            session_epoch=int(payload["sep"]),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            token_id=str(payload["jti"]),
        )
    except (JWTError, KeyError, ValueError, TypeError) as exc:
        raise InvalidToken(str(exc)) from exc
    if claims.kind != expected_kind:
        raise InvalidToken(f"expected a {expected_kind} token")
    return claims
