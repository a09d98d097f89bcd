"""Request limits on the real app: the body bound on every API route (uploads get theirs), and page sizes
capped on every paged list of the contract."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import World
from vanguard.core import openapi, policy
from vanguard.core.config import Settings
from vanguard.orgs.models import Organisation

DEFAULT_MAX = Settings(VANGUARD_ENV="test").max_body_bytes


def _oversized_org() -> bytes:
    body = json.dumps({"name": "x" * DEFAULT_MAX, "kind": "branch", "parent_id": None}).encode()
    assert len(body) > DEFAULT_MAX
    return body


@pytest.mark.parametrize("idempotency_key", [None, "oversized-1"])
def test_a_json_body_over_the_limit_is_413_and_changes_nothing(
    client: TestClient, world: World, session: Session, idempotency_key: str | None
) -> None:
    orgs_before = session.scalar(select(func.count()).select_from(Organisation))
    headers = {**world.auth("admin"), "content-type": "application/json"}
    if idempotency_key:  # that middleware reads the body first; the bound still holds on its replay
        headers["idempotency-key"] = idempotency_key
    r = client.post("/api/v1/orgs", content=_oversized_org(), headers=headers)
    assert_problem(r, 413, "payload_too_large")
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Organisation)) == orgs_before


def test_an_upload_over_the_general_limit_is_taken_by_a_file_route(client: TestClient, world: World) -> None:
    data = b"line of text\n" * (DEFAULT_MAX // 13 + 1000)
    assert DEFAULT_MAX < len(data) < policy.ATTACHMENT_MAX_BYTES
    r = client.post(
        "/api/v1/attachments",
        headers=world.auth("admin"),
        files={"file": ("notes.txt", data, "text/plain")},
        data={"org_id": str(world.orgs["branch_a1"].id)},
    )
    assert r.status_code == 201, r.text
    assert r.json()["size"] == len(data)


def _paged_operations() -> list[tuple[str, dict[str, Any]]]:
    spec = json.loads(openapi.CONTRACT_PATH.read_text(encoding="utf-8"))
    return [
        (path, op)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method == "get"
        and any(p["name"] == "limit" and p["in"] == "query" for p in op.get("parameters", []))
    ]


PAGED = _paged_operations()


def test_the_contract_has_paged_lists_and_each_caps_its_page_size() -> None:
    assert len(PAGED) >= 30
    for path, op in PAGED:
        (limit,) = (p for p in op["parameters"] if p["name"] == "limit")
        assert limit["schema"].get("maximum") == policy.MAX_PAGE_SIZE, path


def _example(param: dict[str, Any]) -> str:
    schema = param["schema"]
    if "enum" in schema:
        return str(schema["enum"][0])
    return "1" if schema.get("type") == "integer" else "x"


def test_a_page_size_over_the_maximum_is_422_on_every_paged_list(client: TestClient, world: World) -> None:
    for path, op in PAGED:
        params = {p["name"]: p for p in op.get("parameters", [])}
        url = path.format(**{name: _example(p) for name, p in params.items() if p["in"] == "path"})
        query = {name: _example(p) for name, p in params.items() if p["in"] == "query" and p.get("required")}
        query["limit"] = str(policy.MAX_PAGE_SIZE + 1)
        r = client.get(url, params=query, headers=world.auth("admin"))
        body = assert_problem(r, 422, "validation_failed")
        assert "query.limit" in {e["field"] for e in body["errors"]}, path
