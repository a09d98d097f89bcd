"""CORS: an allow-list of exact origins, checked when the settings load; "*" only in development."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import create_engine

from vanguard.core.config import Settings
from vanguard.main import create_app

OA = "https://oa.example.gov.cn"


def _settings(env: str, origins: list[str]) -> Settings:
    return Settings(
        VANGUARD_ENV=env,
        VANGUARD_CORS_ORIGINS=origins,
        VANGUARD_SECRET_KEY="s" * 40,
        VANGUARD_PII_KEY="p" * 40,
    )


@pytest.mark.parametrize("env", ["production", "test"])
def test_a_wildcard_origin_is_refused_outside_development(env: str) -> None:
    with pytest.raises(ValidationError, match="VANGUARD_CORS_ORIGINS"):
        _settings(env, [OA, "*"])


def test_a_wildcard_origin_is_allowed_in_development() -> None:
    assert _settings("development", ["*"]).cors_origins == ["*"]


@pytest.mark.parametrize(
    "origin",
    [
        "oa.example.gov.cn",
        "https://oa.example.gov.cn/",
        "https://oa.example.gov.cn/api",
        "https://*.gov.cn",
        "null",
    ],
)
def test_anything_but_an_exact_origin_is_refused(origin: str) -> None:
    with pytest.raises(ValidationError, match="VANGUARD_CORS_ORIGINS"):
        _settings("production", [origin])


@pytest.mark.parametrize(
    "origin", [OA, "http://localhost:5173", "http://127.0.0.1:8000", "http://[::1]:5173"]
)
def test_exact_origins_are_accepted(origin: str) -> None:
    assert _settings("production", [origin]).cors_origins == [origin]


def test_the_origins_come_from_a_json_list_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANGUARD_CORS_ORIGINS", f'["{OA}"]')
    assert Settings(VANGUARD_ENV="test").cors_origins == [OA]
    monkeypatch.setenv("VANGUARD_CORS_ORIGINS", '["*"]')
    with pytest.raises(ValidationError, match="VANGUARD_CORS_ORIGINS"):
        Settings(VANGUARD_ENV="test")


def _preflight(origin: str) -> dict[str, str]:
    app = create_app(_settings("test", [OA]), engine=create_engine("sqlite://"))
    r = TestClient(app).options(
        "/api/v1/health", headers={"Origin": origin, "Access-Control-Request-Method": "GET"}
    )
    return dict(r.headers)


def test_only_a_listed_origin_is_allowed() -> None:
    assert _preflight(OA)["access-control-allow-origin"] == OA
    assert "access-control-allow-origin" not in _preflight("https://evil.example")
