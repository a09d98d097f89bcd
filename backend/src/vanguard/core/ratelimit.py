"""Rate limits and a body-size bound for endpoints anyone can call without logging in.

`RateLimiter` wraps the `limits` library (moving window; in-memory by default, any `limits` storage URI
such as `redis://…` to share counts between workers). `guarded_route(...)` builds an APIRoute class
that, before the request reaches validation or the database, charges each rule's key (refusing with
429 + Retry-After) and then bounds the body (413 on a declared or actual size over the limit). So a
refused request leaves no record, and one flooding client exhausts only its own keys.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from vanguard.core.config import get_settings
from vanguard.core.errors import problem_response


@dataclass(frozen=True, slots=True)
class Rule:
    """One limit: its name (the setting it comes from), and the request's key for it (None: not charged)."""

    name: str
    key: Callable[[Request], str | None]


def client_ip(request: Request) -> str | None:
    # The socket's peer: behind a reverse proxy, configure the server's trusted forwarded headers
    # (uvicorn --forwarded-allow-ips) so this is the real client.
    return request.client.host if request.client else "unknown"


def path_param(name: str) -> Callable[[Request], str | None]:
    def key(request: Request) -> str | None:
        value = request.path_params.get(name)
        return None if value is None else str(value).upper()

    return key


class RateLimiter:
    def __init__(self, storage_uri: str, limits: dict[str, str], max_body_bytes: int) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._limits: dict[str, RateLimitItem] = {name: parse(value) for name, value in limits.items()}
        self.max_body_bytes = max_body_bytes

    def hit(self, name: str, key: str) -> int | None:
        """Charge one request to `key` under limit `name`: None if allowed, else seconds to wait."""
        item = self._limits[name]
        if self._limiter.hit(item, name, key):
            return None
        reset_at = self._limiter.get_window_stats(item, name, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))


def default_limiter() -> RateLimiter:
    settings = get_settings()
    return RateLimiter(
        settings.rate_limit_storage,
        {"ip": settings.public_rate_limit_per_ip, "code": settings.public_rate_limit_per_code},
        settings.public_max_body_bytes,
    )


def limiter_of(app: FastAPI) -> RateLimiter:
    """The app's limiter (tests put their own on `app.state.rate_limiter`), made on first use."""
    limiter: RateLimiter | None = getattr(app.state, "rate_limiter", None)
    if limiter is None:
        limiter = app.state.rate_limiter = default_limiter()
    return limiter


class _TooLarge(Exception):
    pass


async def _read_bounded(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:  # a missing or false Content-Length: stop reading at the bound
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def guarded_route(*rules: Rule) -> type[APIRoute]:
    """An APIRoute class that rate-limits by `rules` and bounds the request body."""

    class GuardedRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                limiter = limiter_of(request.app)
                for rule in rules:
                    key = rule.key(request)
                    if key is None:
                        continue
                    wait = limiter.hit(rule.name, key)
                    if wait is not None:
                        return problem_response(
                            request,
                            status=429,
                            code="rate_limited",
                            zh="请求过于频繁，请稍后再试",
                            en="Too many requests; try again later",
                            headers={"Retry-After": str(wait)},
                        )
                try:
                    body = await _read_bounded(request, limiter.max_body_bytes)
                except _TooLarge:
                    return problem_response(
                        request,
                        status=413,
                        code="payload_too_large",
                        zh=f"请求体过大（上限 {limiter.max_body_bytes} 字节）",
                        en=f"Request body too large (at most {limiter.max_body_bytes} bytes)",
                    )
                request._body = body  # read once here; validation reads the cached body
                return await handler(request)

            return guarded

    return GuardedRoute
