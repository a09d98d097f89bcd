"""Every error is RFC 9457 problem+json with a stable code and messages in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from tests.world import World
from vanguard.core.db import build_engine
from vanguard.core.errors import install_error_handlers


def test_unknown_route_is_404_problem(client: TestClient) -> None:
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "not_found"
    assert set(body["messages"]) == {"zh-CN", "en"}


def test_wrong_method_is_405_problem(client: TestClient) -> None:
    r = client.delete("/api/v1/orgs")
    assert r.status_code == 405
    assert r.json()["code"] == "method_not_allowed"


def test_detail_follows_accept_language(client: TestClient) -> None:
    zh = client.get("/api/v1/no-such-thing").json()
    en = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en-US"}).json()
    assert zh["detail"] == zh["messages"]["zh-CN"]
    assert en["detail"] == en["messages"]["en"]


def test_malformed_json_is_422_not_500(client: TestClient, world: World) -> None:
    headers = {**world.auth("admin"), "Content-Type": "application/json"}
    r = client.post("/api/v1/orgs", content=b'{"name": ', headers=headers)
    assert r.status_code == 422
    assert r.json()["code"] == "validation_failed"


def test_validation_error_names_each_field(client: TestClient, world: World) -> None:
    r = client.post("/api/v1/orgs", json={"name": "", "kind": "village"}, headers=world.auth("admin"))
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"body.name", "body.kind", "body.parent_id"} <= fields


def test_validation_errors_explain_each_field_in_chinese_and_english(
    client: TestClient, world: World
) -> None:
    body = {"name": "", "kind": "village", "parent_id": "x"}
    r = client.post("/api/v1/orgs", json=body, headers=world.auth("admin"))
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert errors["body.name"]["messages"] == {
        "zh-CN": "至少 1 个字符",
        "en": "String should have at least 1 character",
    }
    assert errors["body.name"]["message"] == "至少 1 个字符"  # Chinese unless the caller asks for English
    assert errors["body.parent_id"]["messages"]["zh-CN"] == "须为整数"
    assert errors["body.kind"]["messages"]["zh-CN"].startswith("须为以下之一：")
    assert "body.name 至少 1 个字符" in r.json()["messages"]["zh-CN"]

    en = client.post("/api/v1/orgs", json=body, headers={**world.auth("admin"), "Accept-Language": "en"})
    assert {e["field"]: e["message"] for e in en.json()["errors"]}["body.name"] == (
        "String should have at least 1 character"
    )


def test_non_integer_path_id_is_422(client: TestClient, world: World) -> None:
    r = client.get("/api/v1/orgs/abc", headers=world.auth("admin"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "path.org_id"


def test_request_id_is_echoed_and_in_problems(client: TestClient) -> None:
    r = client.get("/api/v1/no-such-thing", headers={"X-Request-ID": "oa-gateway-42"})
    assert r.headers["x-request-id"] == "oa-gateway-42"
    assert r.json()["request_id"] == "oa-gateway-42"


def test_unsafe_request_id_is_replaced(client: TestClient) -> None:
    r = client.get("/api/v1/health", headers={"X-Request-ID": "<script>"})
    assert r.headers["x-request-id"] != "<script>"
    assert len(r.headers["x-request-id"]) == 32


def _sqlite_lock(path: Path) -> OperationalError:
    """The real error: a read transaction that must write after another connection wrote (WAL)."""
    engine = build_engine(f"sqlite:///{path}")
    with engine.begin() as setup:
        setup.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with engine.connect() as reader, engine.connect() as writer:
        reader.begin()
        reader.exec_driver_sql("SELECT * FROM t").all()
        with writer.begin():
            writer.exec_driver_sql("INSERT INTO t VALUES (1)")
        with pytest.raises(OperationalError) as caught:
            reader.exec_driver_sql("INSERT INTO t VALUES (2)")
    engine.dispose()
    return caught.value


def test_contention_is_a_503_to_retry_not_a_500(tmp_path: Path) -> None:
    app = FastAPI()
    install_error_handlers(app)
    locked = _sqlite_lock(tmp_path / "x.db")
    deadlock = OperationalError("UPDATE …", {}, psycopg.errors.DeadlockDetected("deadlock detected"))
    broken = OperationalError("SELECT 1", {}, Exception("no such table: t"))

    @app.get("/locked")
    def _locked() -> None:
        raise locked

    @app.get("/deadlock")
    def _deadlock() -> None:
        raise deadlock

    @app.get("/broken")
    def _broken() -> None:
        raise broken

    client = TestClient(app, raise_server_exceptions=False)
    for path in ("/locked", "/deadlock"):
        r = client.get(path)
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == "1"
        assert r.json()["code"] == "database_busy"
        assert set(r.json()["messages"]) == {"zh-CN", "en"}
    assert client.get("/broken").status_code == 500
