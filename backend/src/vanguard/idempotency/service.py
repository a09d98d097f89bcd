"""The rules of Idempotency-Key, apart from HTTP plumbing (see middleware.py)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vanguard.core import policy
from vanguard.core.background import PeriodicJob
from vanguard.core.errors import Conflict, InvalidInput
from vanguard.idempotency.models import IdempotencyKey, KeyState


class KeyInFlight(Conflict):
    code = "idempotency_key_in_flight"
    message_zh = "使用该幂等键的请求仍在处理中，请稍后重试"
    message_en = "A request with this Idempotency-Key is still being processed; retry later"


class KeyReused(InvalidInput):
    code = "idempotency_key_reused"
    message_zh = "该幂等键已用于另一个请求"
    message_en = "This Idempotency-Key was used for a different request"


class InvalidKey(InvalidInput):
    code = "idempotency_key_invalid"
    message_zh = f"Idempotency-Key 须为 1–{policy.IDEMPOTENCY_KEY_MAX_LENGTH} 个可见 ASCII 字符"
    message_en = f"Idempotency-Key must be 1–{policy.IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters"


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    headers: list[tuple[str, str]]
    body: bytes


def check_key(key: str) -> str:
    key = key.strip().strip('"')  # the draft sends it as a structured-field string
    if not key or len(key) > policy.IDEMPOTENCY_KEY_MAX_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidKey()
    return key


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def begin(session: Session, principal: str, key: str, print_: str, now: datetime) -> StoredResponse | None:
    """Claim the key for this request (None: go ahead), or the stored response to replay.

    Raises KeyInFlight while the first request runs and KeyReused for another request under the same key.
    The caller commits: the claim must be visible to concurrent requests before the work starts."""
    row = session.scalars(
        select(IdempotencyKey).where(IdempotencyKey.principal == principal, IdempotencyKey.key == key)
    ).one_or_none()
    if row is not None and _lapsed(row, now):
        session.delete(row)
        session.flush()
        row = None
    if row is None:
        session.add(
            IdempotencyKey(
                principal=principal,
                key=key,
                fingerprint=print_,
                state=KeyState.IN_FLIGHT,
                created_at=now,
                expires_at=now + timedelta(hours=policy.IDEMPOTENCY_KEY_TTL_HOURS),
            )
        )
        try:
            session.flush()
        except IntegrityError:  # a concurrent first request claimed it a moment ago
            raise KeyInFlight() from None
        return None
    if row.fingerprint != print_:
        raise KeyReused()
    if row.state is KeyState.IN_FLIGHT:
        raise KeyInFlight()
    # DONE rows always carry their response.
    return StoredResponse(row.status_code or 0, [(k, v) for k, v in row.headers or []], row.body or b"")


def _lapsed(row: IdempotencyKey, now: datetime) -> bool:
    abandoned = (
        row.state is KeyState.IN_FLIGHT
        and row.created_at + timedelta(seconds=policy.IDEMPOTENCY_IN_FLIGHT_TIMEOUT_SECONDS) <= now
    )
    return row.expires_at <= now or abandoned


def finish(session: Session, principal: str, key: str, response: StoredResponse | None) -> None:
    """Store the response for replays, or (None: a server error, or too big to keep) release the key."""
    row = session.scalars(
        select(IdempotencyKey).where(IdempotencyKey.principal == principal, IdempotencyKey.key == key)
    ).one_or_none()
    if row is None:
        return
    if response is None:
        session.delete(row)
        return
    row.state = KeyState.DONE
    row.status_code = response.status_code
    row.headers = [[k, v] for k, v in response.headers]
    row.body = response.body


def purge_expired(session: Session, now: datetime) -> int | None:
    """The periodic clean-up: expired keys can no longer be replayed, so they go (the count, if any)."""
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0) or None


PURGE_JOB = PeriodicJob("idempotency-purge", 3600, purge_expired)
