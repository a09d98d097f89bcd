"""Security headers and the request body bound, on small apps of their own and on the real app's pages
that need no database (the lifespan, which touches the database, is not started)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI, File, UploadFile
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import create_engine
from starlette.responses import PlainTextResponse

from tests.problems import assert_problem
from vanguard.core.config import Settings
from vanguard.core.errors import install_error_handlers
from vanguard.core.http_guard import (
    APP_CSP,
    DOCS_CSP,
    HSTS,
    BodySizeLimitMiddleware,
    SecurityHeadersMiddleware,
)
from vanguard.main import create_app

COMMON = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY"}


def _real_app(**settings: str) -> FastAPI:
    return create_app(Settings(VANGUARD_ENV="test", **settings), engine=create_engine("sqlite://"))  # type: ignore[arg-type]


def _directives(csp: str) -> dict[str, list[str]]:
    parts = (d.split() for d in csp.split(";") if d.strip())
    return {name: values for name, *values in parts}


# --- security headers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/health", 200),
        ("/api/v1/auth/me", 401),
        ("/api/v1/no-such-thing", 404),
        ("/open311/v2/x", 404),
    ],
)
def test_every_response_carries_the_security_headers(path: str, status: int) -> None:
    r = TestClient(_real_app()).get(path)
    assert r.status_code == status
    for name, value in COMMON.items():
        assert r.headers[name] == value
    assert r.headers["content-security-policy"] == APP_CSP
    assert "strict-transport-security" not in r.headers  # plain http


def test_a_method_not_allowed_and_a_validation_error_carry_them_too() -> None:
    client = TestClient(_real_app())
    assert client.delete("/api/v1/health").headers["x-frame-options"] == "DENY"
    r = client.post("/api/v1/auth/token", data={})
    assert r.status_code == 422
    assert r.headers["content-security-policy"] == APP_CSP


def test_hsts_is_sent_over_https_only() -> None:
    app = _real_app()
    assert (
        TestClient(app, base_url="https://vanguard.example")
        .get("/api/v1/health")
        .headers["strict-transport-security"]
        == HSTS
    )
    assert "strict-transport-security" not in TestClient(app).get("/api/v1/health").headers


def test_the_app_policy_allows_no_inline_or_foreign_script_and_no_framing() -> None:
    policy = _directives(APP_CSP)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in APP_CSP


def test_the_dashboard_is_served_with_the_app_policy(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/app.js"></script>'
    )
    client = TestClient(_real_app(VANGUARD_SPA_DIR=str(tmp_path)))
    for path in ("/", "/members/12"):  # a client-side route falls back to index.html
        r = client.get(path)
        assert r.status_code == 200
        assert r.headers["content-security-policy"] == APP_CSP
        assert r.headers["x-frame-options"] == "DENY"


def _external_assets(html: str) -> set[str]:
    return {urlsplit(url).netloc for url in re.findall(r'(?:src|href)="(https://[^"]+)"', html)}


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_docs_pages_get_a_policy_that_lets_their_cdn_assets_load(path: str) -> None:
    r = TestClient(_real_app()).get(path)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert csp == DOCS_CSP
    hosts = _external_assets(r.text)
    assert "cdn.jsdelivr.net" in hosts
    for host in hosts:
        assert f"https://{host}" in csp, host
    assert "'unsafe-inline'" in _directives(csp)["script-src"]  # the page starts its UI inline
    assert _directives(csp)["frame-ancestors"] == ["'none'"]


def test_a_header_the_response_sets_itself_is_kept() -> None:
    async def framable(scope, receive, send):  # type: ignore[no-untyped-def]
        await PlainTextResponse("ok", headers={"X-Frame-Options": "SAMEORIGIN"})(scope, receive, send)

    r = TestClient(SecurityHeadersMiddleware(framable, docs_paths=())).get("/")
    assert r.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert r.headers["referrer-policy"] == "no-referrer"


# --- body size --------------------------------------------------------------------------------------

LIMIT = 100
UPLOAD_LIMIT = 1000


class Note(BaseModel):
    text: str


@pytest.fixture
def bounded() -> Iterator[TestClient]:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/notes")
    def add_note(note: Note) -> dict[str, int]:
        return {"length": len(note.text)}

    @app.post("/files")
    async def add_file(file: Annotated[UploadFile, File()]) -> dict[str, int]:
        return {"size": len(await file.read())}

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    app.add_middleware(BodySizeLimitMiddleware, max_bytes=LIMIT, upload_max_bytes=UPLOAD_LIMIT)
    with TestClient(app) as client:
        yield client


def _note(size: int) -> bytes:
    body = b'{"text": "' + b"x" * (size - 12) + b'"}'
    assert len(body) == size
    return body


def test_a_body_at_the_limit_is_accepted(bounded: TestClient) -> None:
    r = bounded.post("/notes", content=_note(LIMIT), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text


def test_a_body_over_the_limit_is_413_problem(bounded: TestClient) -> None:
    r = bounded.post("/notes", content=_note(LIMIT + 1), headers={"content-type": "application/json"})
    assert_problem(r, 413, "payload_too_large")


def test_a_body_without_content_length_is_cut_off_at_the_limit(bounded: TestClient) -> None:
    chunks = [b'{"text": "', b"x" * LIMIT, b'"}']
    r = bounded.post("/notes", content=iter(chunks), headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    assert_problem(r, 413, "payload_too_large")


def test_a_false_content_length_is_refused(bounded: TestClient) -> None:
    r = bounded.post(
        "/notes", content=_note(20), headers={"content-type": "application/json", "content-length": "x"}
    )
    assert_problem(r, 413, "payload_too_large")


def test_a_route_taking_a_file_gets_the_upload_limit(bounded: TestClient) -> None:
    ok = bounded.post("/files", files={"file": ("a.txt", b"y" * (UPLOAD_LIMIT // 2))})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"size": UPLOAD_LIMIT // 2}
    too_big = bounded.post("/files", files={"file": ("a.txt", b"y" * UPLOAD_LIMIT)})
    assert_problem(too_big, 413, "payload_too_large")


def test_a_route_that_reads_no_body_is_not_refused_for_one(bounded: TestClient) -> None:
    assert bounded.request("GET", "/ping", content=b"z" * (2 * LIMIT)).status_code == 200
