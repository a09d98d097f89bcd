"""Login throttling: failures counted per account name and per client IP, lockouts that back off.

Counts live in a `limits` storage (VANGUARD_RATE_LIMIT_STORAGE: in-process memory, or redis shared by
every worker). Time comes from the caller's clock, never the storage's: storage expiries only collect
garbage. Names are counted whether or not an account has them, so a refusal says nothing about which
accounts exist.

Counters are read and written without a transaction: concurrent failures may make one lockout a
level shorter or longer than it should be, which costs an attacker nothing measurable.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI
from limits.storage import Storage, storage_from_string

from vanguard.core import policy
from vanguard.core.config import get_settings


@dataclass(frozen=True, slots=True)
class LockoutRule:
    """Failures within `window` seconds that lock a subject out; the first lockout's length, and the
    longest one (each lockout soon after another lasts twice the previous)."""

    kind: str
    max_failures: int
    window: int
    base_seconds: int
    max_seconds: int
    memory_seconds: int


ACCOUNT_RULE = LockoutRule(
    "account",
    policy.LOGIN_MAX_ACCOUNT_FAILURES,
    policy.LOGIN_FAILURE_WINDOW_SECONDS,
    policy.LOGIN_LOCKOUT_BASE_SECONDS,
    policy.LOGIN_LOCKOUT_MAX_SECONDS,
    policy.LOGIN_LOCKOUT_MEMORY_SECONDS,
)
# An IP gets more room (a shared office NAT) and a fixed lockout: base = cap, so it never doubles.
IP_RULE = LockoutRule(
    "ip",
    policy.LOGIN_MAX_IP_FAILURES,
    policy.LOGIN_FAILURE_WINDOW_SECONDS,
    policy.LOGIN_IP_LOCKOUT_SECONDS,
    policy.LOGIN_IP_LOCKOUT_SECONDS,
    policy.LOGIN_LOCKOUT_MEMORY_SECONDS,
)


class _Subject:
    """One account name or IP under one rule, and its keys in the storage."""

    def __init__(self, storage: Storage, rule: LockoutRule, value: str) -> None:
        self.storage = storage
        self.rule = rule
        # Hashed: bounded, printable keys whatever a client sends as a user name.
        digest = hashlib.sha256(value.encode()).hexdigest()[:32]
        self.prefix = f"vanguard:login:{rule.kind}:{digest}"

    def _bucket_key(self, bucket: int) -> str:
        return f"{self.prefix}:failures:{bucket}"

    def wait(self, now: int) -> int:
        """Seconds until the subject may try again (0: now)."""
        return max(0, self.storage.get(f"{self.prefix}:until") - now)

    def failed(self, now: int) -> None:
        window = self.rule.window
        bucket, into = divmod(now, window)
        current = self.storage.incr(self._bucket_key(bucket), 2 * window)
        previous = self.storage.get(self._bucket_key(bucket - 1))
        # Sliding window estimate: the previous window's failures weighted by how much of it still counts.
        if current + previous * (window - into) / window >= self.rule.max_failures:
            self._lock(now)

    def _lock(self, now: int) -> None:
        rule = self.rule
        last_until = self.storage.get(f"{self.prefix}:until")
        recent = last_until > 0 and now - last_until < rule.memory_seconds
        level = (self.storage.get(f"{self.prefix}:level") if recent else 0) + 1
        duration = min(rule.base_seconds * 2 ** (level - 1), rule.max_seconds)
        keep = duration + rule.memory_seconds
        self._set(f"{self.prefix}:until", now + duration, keep)
        self._set(f"{self.prefix}:level", level, keep)
        self._clear_failures(now)  # the next lockout takes as many failures again

    def _set(self, key: str, value: int, expiry: int) -> None:
        # `limits` storages only count: a fresh counter incremented by the value holds the value.
        self.storage.clear(key)
        self.storage.incr(key, expiry, amount=value)

    def _clear_failures(self, now: int) -> None:
        bucket = now // self.rule.window
        self.storage.clear(self._bucket_key(bucket))
        self.storage.clear(self._bucket_key(bucket - 1))

    def forget(self, now: int) -> None:
        self._clear_failures(now)
        self.storage.clear(f"{self.prefix}:until")
        self.storage.clear(f"{self.prefix}:level")


class LoginThrottle:
    def __init__(
        self, storage: Storage, *, account_rule: LockoutRule = ACCOUNT_RULE, ip_rule: LockoutRule = IP_RULE
    ) -> None:
        self.storage = storage
        self.account_rule = account_rule
        self.ip_rule = ip_rule

    def _subjects(self, username: str, ip: str | None) -> list[_Subject]:
        subjects = [_Subject(self.storage, self.account_rule, username)]
        if ip is not None:
            subjects.append(_Subject(self.storage, self.ip_rule, ip))
        return subjects

    def wait(self, username: str, ip: str | None, now: datetime) -> int:
        """Seconds before this name may try to log in from this IP (0: it may now)."""
        at = _seconds(now)
        return max(subject.wait(at) for subject in self._subjects(username, ip))

    def failed(self, username: str, ip: str | None, now: datetime) -> None:
        at = _seconds(now)
        for subject in self._subjects(username, ip):
            subject.failed(at)

    def succeeded(self, username: str, now: datetime) -> None:
        """The name's owner proved who they are: their failures and lockout history go. The IP's stay, or one
        valid account would let its holder clear an IP they are guessing other accounts from."""
        _Subject(self.storage, self.account_rule, username).forget(_seconds(now))


def _seconds(now: datetime) -> int:
    return math.floor(now.timestamp())


def throttle_of(app: FastAPI) -> LoginThrottle:
    """The app's login throttle (tests put their own on `app.state.login_throttle`), made on first use."""
    throttle: LoginThrottle | None = getattr(app.state, "login_throttle", None)
    if throttle is None:
        storage = storage_from_string(get_settings().rate_limit_storage)
        if not isinstance(storage, Storage):  # an `async+…` URI: logins are counted synchronously
            raise ValueError("VANGUARD_RATE_LIMIT_STORAGE must be a synchronous `limits` storage")
        throttle = app.state.login_throttle = LoginThrottle(storage)
    return throttle
