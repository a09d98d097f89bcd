"""What the contract fuzzer found, pinned by plain tests on both backends: ids past the database's
integer range are a 422 (they were a 500), and the document says how errors are sent."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.problems import assert_problem
from tests.world import World

HUGE = "20401431050967425024"  # past 2^63: no integer column holds it


@pytest.mark.parametrize(
    "url",
    [f"/api/v1/members/{HUGE}", f"/api/v1/members?org_id=-{HUGE}", f"/api/v1/webhooks/{HUGE}/deliveries"],
)
def test_an_id_past_the_column_range_is_invalid_not_a_server_error(
    client: TestClient, world: World, url: str
) -> None:
    assert_problem(client.get(url, headers=world.auth("admin")), 422, "value_out_of_range")


def _responses(app: FastAPI, method: str, path: str) -> dict[str, Any]:
    responses: dict[str, Any] = app.openapi()["paths"][path][method]["responses"]
    return responses


def test_errors_are_documented_as_problem_json(app: FastAPI) -> None:
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    members = _responses(app, "get", "/api/v1/members/{member_id}")
    for status in ("401", "403", "404", "422"):  # 403: a caller without members:read
        assert members[status]["content"] == problem
    assert _responses(app, "post", "/api/v1/orgs")["400"]["content"] == problem  # an unparsable body
    assert "404" in _responses(app, "get", "/api/v1/orgs")  # `within` naming no org
    assert "HTTPValidationError" not in app.openapi()["components"]["schemas"]


def test_attachment_content_is_documented_as_the_types_accepted(app: FastAPI) -> None:
    content = _responses(app, "get", "/api/v1/attachments/{attachment_id}/content")["200"]["content"]
    assert {"text/plain", "application/pdf", "image/png"} <= set(content)
