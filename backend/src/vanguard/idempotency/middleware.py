"""Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header): the same key and request get the
first response again, marked `Idempotent-Replayed: true`; the same key with another request is 422; a key
whose first request is still running is 409. Keys belong to the authenticated caller.

Known limit: if the process dies after the work committed but before the response was stored, the key is
released after IDEMPOTENCY_IN_FLIGHT_TIMEOUT_SECONDS and a retry runs again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vanguard.auth import service as auth
from vanguard.core import policy
from vanguard.core.clock import clock_of
from vanguard.core.errors import AppError, problem_response
from vanguard.idempotency import service
from vanguard.idempotency.service import StoredResponse

HEADER = "idempotency-key"
REPLAYED = "idempotent-replayed"
_KEPT_HEADERS = frozenset({"content-type", "location", "etag"})


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, *, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        if (
            headers is None
            or scope["method"] != "POST"
            or HEADER not in headers
            or not scope["path"].startswith(self.prefix)
            or not headers.get("authorization", "").lower().startswith("bearer ")
        ):
            await self.app(scope, receive, send)
            return
        app = scope["app"]
        try:
            key = service.check_key(headers[HEADER])
        except AppError as exc:
            await _problem(exc, scope, receive, send)
            return
        # Who is asking, before reading a byte of the body: only a real caller gets their body buffered.
        principal = await asyncio.to_thread(_principal, app, headers["authorization"][7:].strip())
        if principal is None:  # the route answers 401 as usual
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive, limit=policy.IDEMPOTENCY_MAX_REQUEST_BYTES)
            print_ = service.fingerprint("POST", scope["path"], scope.get("query_string", b""), body)
            now = clock_of(app).now()
            stored = await asyncio.to_thread(_in_session, app, service.begin, principal, key, print_, now)
        except AppError as exc:
            await _problem(exc, scope, receive, send)
            return
        if stored is not None:
            await _send_stored(stored, send)
            return
        await self._run_and_store(scope, body, send, principal, key)

    async def _run_and_store(self, scope: Scope, body: bytes, send: Send, principal: str, key: str) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        app = scope["app"]
        try:
            await self.app(scope, _replay(body), capture)
        except BaseException:
            await asyncio.to_thread(_in_session, app, service.finish, principal, key, None)
            raise
        content = b"".join(chunks)
        status = int(start.get("status", 500))
        keep = status < 500 and len(content) <= policy.IDEMPOTENCY_MAX_STORED_BODY_BYTES
        kept_headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in start.get("headers", [])
            if k.decode("latin-1").lower() in _KEPT_HEADERS
        ]
        response = StoredResponse(status, kept_headers, content) if keep else None
        await asyncio.to_thread(_in_session, app, service.finish, principal, key, response)


def _principal(app: Any, bearer: str) -> str | None:
    with app.state.sessionmaker() as session:
        try:
            caller = auth.authenticate(session, bearer)
        except AppError:
            return None
        return f"{caller.kind}:{caller.id}"


def _in_session(app: Any, action: Any, *args: Any) -> Any:
    """One short transaction of its own: the claim must be visible before the work starts."""
    with app.state.sessionmaker() as session, session.begin():
        return action(session, *args)


async def _read_body(receive: Receive, *, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _problem(exc: AppError, scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(
        Request(scope), status=exc.status, code=exc.problem_code, zh=exc.zh, en=exc.en
    )
    await response(scope, receive, send)


class RequestTooLarge(AppError):
    status = 413
    code = "request_too_large"
    message_zh = "请求体过大"
    message_en = "Request body too large"


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _send_stored(stored: StoredResponse, send: Send) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers]
    headers += [(REPLAYED.encode(), b"true"), (b"content-length", str(len(stored.body)).encode())]
    await send({"type": "http.response.start", "status": stored.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body})
