"""The `vanguard` command against a remote server: `--server URL --token T` (or the environment's
`VANGUARD_SERVER` / `VANGUARD_TOKEN`) instead of the configured database.

One small httpx client that every remote command shares. Errors the server answers with (RFC 9457
problem+json, see `core/errors.py`) and connection failures become `RemoteError`, whose `exit_code`
follows the command's documented exit codes (cli.py):

    0  done
    1  done, but something needs attention (decided by the command: an import's bad rows …)
    2  refused: the server rejected the request (bad filter, unknown org, no permission, bad token)
       or could not be reached

A command prints `str(error)` (the server's message in Chinese and English, with the problem `code`
and each field error) to stderr and exits with `error.exit_code`.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, Self

import httpx

EXIT_OK = 0
EXIT_ATTENTION = 1
EXIT_REFUSED = 2

SERVER_ENV = "VANGUARD_SERVER"
TOKEN_ENV = "VANGUARD_TOKEN"  # noqa: S105 - the variable's name, not a secret
API_PREFIX = "/api/v1"
DOWNLOAD_CHUNK_BYTES = 64 * 1024
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# A download may wait long for its first byte: an XLSX is sent once it is complete (~1 min per 100k rows).
DOWNLOAD_TIMEOUT = httpx.Timeout(30.0, connect=10.0, read=900.0)
PROBLEM_MEDIA_TYPE = "application/problem+json"
USER_AGENT = "vanguard-cli"


def exit_code_for_status(status: int | None) -> int:
    """The exit code of a failed request: every rejection or unreachable server is a refusal (2), as a
    local run refuses an unknown org or a bad argument. `1` is never a transport outcome: a command
    returns it from a successful answer that needs attention."""
    del status
    return EXIT_REFUSED


@dataclass(eq=False)
class RemoteError(Exception):
    """A request the server refused (`status` set) or that never got an answer (`status` None)."""

    message_en: str
    message_zh: str = ""
    status: int | None = None
    code: str = "remote_error"
    field_errors: list[dict[str, Any]] = field(default_factory=list)
    request_id: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message_en)

    @property
    def exit_code(self) -> int:
        return exit_code_for_status(self.status)

    def __str__(self) -> str:
        head = f"HTTP {self.status} {self.code}" if self.status is not None else self.code
        lines = [
            f"{head}: {self.message_zh} / {self.message_en}"
            if self.message_zh
            else f"{head}: {self.message_en}"
        ]
        lines += [
            f"  {e.get('field', '?')}: {e.get('message', e.get('code', ''))}" for e in self.field_errors
        ]
        if self.request_id:
            lines.append(f"  request id: {self.request_id}")
        return "\n".join(lines)

    @classmethod
    def from_response(cls, response: httpx.Response) -> RemoteError:
        """Read a problem+json body; anything else (a proxy's HTML page …) keeps its status and text."""
        body: Any = None
        if response.headers.get("content-type", "").split(";")[0].strip() in (
            PROBLEM_MEDIA_TYPE,
            "application/json",
        ):
            try:
                body = response.json()
            except ValueError:
                body = None
        if isinstance(body, dict) and "code" in body:
            messages = body.get("messages") or {}
            errors = body.get("errors") or []
            return cls(
                message_en=str(messages.get("en") or body.get("title") or body.get("detail") or ""),
                message_zh=str(messages.get("zh-CN") or ""),
                status=response.status_code,
                code=str(body["code"]),
                field_errors=[e for e in errors if isinstance(e, dict)],
                request_id=body.get("request_id"),
            )
        text = response.text.strip().replace("\n", " ")[:200] if not response.is_stream_consumed else ""
        return cls(
            message_en=text or response.reason_phrase or "request failed",
            status=response.status_code,
            code="http_error",
        )


@dataclass(frozen=True)
class RemoteTarget:
    server: str
    token: str


def add_remote_arguments(parser: argparse.ArgumentParser) -> None:
    """`--server` and `--token` on a subcommand; both default to the environment."""
    group = parser.add_argument_group("remote mode (instead of the configured database)")
    group.add_argument(
        "--server",
        default=os.environ.get(SERVER_ENV),
        help=f"base URL of a Vanguard server, e.g. https://vanguard.example.org (env {SERVER_ENV})",
    )
    group.add_argument(
        "--token",
        default=os.environ.get(TOKEN_ENV),
        help=f"bearer token: a service token vgs_… or an access token (env {TOKEN_ENV})",
    )


def target_from_args(args: argparse.Namespace) -> RemoteTarget | None:
    """The remote target the arguments name, or None for a local run. A server without a token (or the
    reverse) is a usage error: `RemoteError` with exit code 2."""
    server = getattr(args, "server", None)
    token = getattr(args, "token", None)
    if not server and not token:
        return None
    if not server or not token:
        missing = "--server" if not server else "--token"
        raise RemoteError(
            f"remote mode needs both --server and --token ({missing} is missing; "
            f"env {SERVER_ENV} / {TOKEN_ENV})",
            f"远程模式需要同时提供 --server 与 --token（缺少 {missing}）",
            code="usage",
        )
    return RemoteTarget(server=server, token=token)


def _base_url(server: str) -> str:
    """Accept `http://host:8000`, `http://host:8000/` and `http://host:8000/api/v1`."""
    base = server.strip().rstrip("/")
    if base.endswith(API_PREFIX):
        base = base[: -len(API_PREFIX)]
    if not base.startswith(("http://", "https://")):
        raise RemoteError(
            f"--server must be an http(s) URL, not {server!r}",
            f"--server 必须是 http(s) 地址：{server!r}",
            code="usage",
        )
    return base


class RemoteClient:
    """A session against one server with one token. Paths are relative to `/api/v1`
    (`client.get_json("/members", params=…)`). Use as a context manager."""

    def __init__(
        self,
        server: str,
        token: str,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = _base_url(server)
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": USER_AGENT,
                "Accept-Language": "zh-CN",
            },
            timeout=timeout,
            transport=transport,
        )

    @classmethod
    def from_target(cls, target: RemoteTarget, **kwargs: Any) -> Self:
        return cls(target.server, target.token, **kwargs)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _url(self, path: str) -> str:
        return path if path.startswith("/") else f"/{path}"

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send one request; a non-2xx answer or a transport failure raises `RemoteError`."""
        try:
            response = self._http.request(method, self._url(path), **kwargs)
        except httpx.HTTPError as exc:
            raise _transport_error(self.base_url, exc) from exc
        if response.is_error:
            raise RemoteError.from_response(response)
        return response

    def get_json(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=_params(params)).json()

    def post_json(
        self,
        path: str,
        body: Any = None,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        response = self.request("POST", path, json=body, params=_params(params), headers=headers)
        return response.json() if response.content else None

    def upload(
        self,
        path: str,
        *,
        filename: str,
        content: bytes | IO[bytes],
        data: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        field_name: str = "file",
        content_type: str = "application/octet-stream",
    ) -> Any:
        """POST a file as multipart/form-data (with `data` as further form fields); the JSON answer."""
        form = {k: _form_value(v) for k, v in (data or {}).items() if v is not None}
        response = self.request(
            "POST",
            path,
            files={field_name: (filename, content, content_type)},
            data=form,
            params=_params(params),
            headers=headers,
        )
        return response.json() if response.content else None

    @contextmanager
    def stream(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        timeout: httpx.Timeout = DOWNLOAD_TIMEOUT,
    ) -> Iterator[httpx.Response]:
        """A streamed answer (large downloads); errors raise before the body is read."""
        try:
            with self._http.stream(
                method, self._url(path), params=_params(params), timeout=timeout
            ) as response:
                if response.is_error:
                    response.read()
                    raise RemoteError.from_response(response)
                yield response
        except httpx.HTTPError as exc:
            raise _transport_error(self.base_url, exc) from exc

    def download(
        self,
        path: str,
        out: IO[bytes],
        *,
        params: Mapping[str, Any] | None = None,
        on_chunk: Callable[[int], None] | None = None,
    ) -> int:
        """Stream a GET's body into `out` chunk by chunk (memory does not grow with its size); the byte
        count. `on_chunk(bytes_so_far)` after each chunk, e.g. for a progress line."""
        written = 0
        with self.stream("GET", path, params=params) as response:
            for chunk in response.iter_bytes(DOWNLOAD_CHUNK_BYTES):
                out.write(chunk)
                written += len(chunk)
                if on_chunk is not None:
                    on_chunk(written)
        return written

    def poll(
        self,
        path: str,
        *,
        finished: Callable[[Any], bool],
        on_update: Callable[[Any], None] | None = None,
        interval: float = 0.5,
        timeout: float | None = None,
    ) -> Any:
        """GET `path` until `finished(body)` (e.g. a job in a final state); `on_update(body)` after each
        read (a progress bar). `timeout` seconds without finishing raise `RemoteError` (exit 2)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            body = self.get_json(path)
            if on_update is not None:
                on_update(body)
            if finished(body):
                return body
            if deadline is not None and time.monotonic() >= deadline:
                raise RemoteError(
                    f"{path} did not finish within {timeout:g} s",
                    f"{path} 在 {timeout:g} 秒内未完成",
                    code="timeout",
                )
            time.sleep(interval)


def _params(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Query parameters without the unset ones; booleans as `true`/`false` as FastAPI reads them."""
    if params is None:
        return None
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = _form_value(value)
    return out


def _form_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return [_form_value(v) for v in value]
    return value if isinstance(value, str | int | float) else str(value)


def _transport_error(base_url: str, exc: httpx.HTTPError) -> RemoteError:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    return RemoteError(
        f"connection to {base_url} {kind}: {exc}",
        f"无法连接 {base_url}：{exc}",
        code="connection_failed",
    )
