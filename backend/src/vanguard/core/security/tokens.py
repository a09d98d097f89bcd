"""Opaque service-account tokens: random secrets shown once, stored only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets

from vanguard.core.policy import SERVICE_TOKEN_PREFIX, SERVICE_TOKEN_SECRET_BYTES


def new_service_token() -> str:
    return SERVICE_TOKEN_PREFIX + secrets.token_urlsafe(SERVICE_TOKEN_SECRET_BYTES)


def is_service_token(raw: str) -> bool:
    return raw.startswith(SERVICE_TOKEN_PREFIX)


def digest(raw: str) -> str:
    # High-entropy random secrets need no slow hash; a plain digest makes lookup by value O(1).
    return hashlib.sha256(raw.encode()).hexdigest()


def display_prefix(raw: str) -> str:
    return raw[: len(SERVICE_TOKEN_PREFIX) + 6]
