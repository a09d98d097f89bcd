"""HTTP hardening for every response and request: security headers, and a bound on request bodies."""

from __future__ import annotations

from collections.abc import Collection

from fastapi import params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vanguard.core import policy

# The dashboard is a Vite build: module scripts from our own origin only, no inline script. Styles may be
# inline: antd injects its CSS-in-JS as <style> elements, and React, antd and echarts' SVG charts set
# style attributes. Images may be data:/blob: URLs (antd's icons, previews of files about to be uploaded);
# the printable study archive opens as a blob: page, which inherits this policy (it has only inline CSS).
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's /docs (Swagger UI) and /redoc pages load their scripts and styles from the jsDelivr CDN (redoc
# its fonts from Google) and start them with an inline script: those pages alone allow that.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)
_COMMON_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),  # for browsers without CSP frame-ancestors
)
HSTS = f"max-age={policy.HSTS_MAX_AGE_SECONDS}"


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (a response that sets one itself keeps its own).
    HSTS only over https: over http a browser ignores it, and a local http setup must keep working."""

    def __init__(self, app: ASGIApp, *, docs_paths: Collection[str]) -> None:
        self.app = app
        self.docs_paths = frozenset(docs_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = [
            *_COMMON_HEADERS,
            ("Content-Security-Policy", DOCS_CSP if scope["path"] in self.docs_paths else APP_CSP),
        ]
        if scope.get("scheme") == "https":
            added.append(("Strict-Transport-Security", HSTS))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in added:
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _takes_files(dependant: Dependant) -> bool:
    return any(isinstance(field.field_info, params.File) for field in dependant.body_params) or any(
        _takes_files(sub) for sub in dependant.dependencies
    )


class BodySizeLimitMiddleware:
    """Refuses request bodies over `max_bytes` with 413, or over `upload_max_bytes` for routes that take a
    file (each of those then checks its own file's size). The bound is chosen when the route first reads
    the body, once routing has picked the route; a declared Content-Length over it is refused before a byte
    is read, and a body without one stops being read at the bound.

    Register it inside the idempotency middleware, which reads a keyed POST's body before routing (with
    its own bound) and replays it: this one then sees the replay, routed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        received = 0
        limit: int | None = None

        async def bounded_receive() -> Message:
            nonlocal received, limit
            if limit is None:
                route = scope.get("route")
                takes_files = isinstance(route, APIRoute) and _takes_files(route.dependant)
                limit = self.upload_max_bytes if takes_files else self.max_bytes
                if declared is not None and (not declared.isdigit() or int(declared) > limit):
                    raise _too_large(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
            return message

        await self.app(scope, bounded_receive, send)


def _too_large(limit: int) -> HTTPException:
    # Raised while the route reads the body: FastAPI passes HTTPExceptions through, and the app's
    # handler turns it into a `payload_too_large` problem.
    return HTTPException(413, f"Request body too large (at most {limit} bytes)")
