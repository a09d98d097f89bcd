"""The built dashboard is served with a client-side-routing fallback, never in place of API 404s."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from vanguard.core.config import Settings
from vanguard.main import create_app


def _client(tmp_path: Path, engine: Engine) -> TestClient:
    (tmp_path / "index.html").write_text("<!doctype html><title>先锋</title>", encoding="utf-8")
    (tmp_path / "app.js").write_text("console.log(1)", encoding="utf-8")
    settings = Settings(VANGUARD_ENV="test", VANGUARD_SPA_DIR=tmp_path)  # type: ignore[call-arg]
    return TestClient(create_app(settings, engine=engine))


def test_client_routes_fall_back_to_index(tmp_path: Path, engine: Engine) -> None:
    client = _client(tmp_path, engine)
    assert "先锋" in client.get("/orgs/42").text
    assert client.get("/app.js").text == "console.log(1)"


def test_unknown_api_paths_stay_problem_404s(tmp_path: Path, engine: Engine) -> None:
    r = _client(tmp_path, engine).get("/api/v1/nope")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
