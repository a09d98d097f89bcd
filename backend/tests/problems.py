"""Assertions shared by the API tests."""

from __future__ import annotations

from typing import Any

from httpx import Response


def assert_problem(r: Response, status: int, code: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status and stable code."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["code"] == code
    assert set(body["messages"]) == {"zh-CN", "en"}
    return body
