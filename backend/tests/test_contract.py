"""The committed OpenAPI document is what the app serves: third parties build on it."""

from __future__ import annotations

from vanguard.core import openapi
from vanguard.main import create_app


def test_committed_openapi_is_current() -> None:
    committed = openapi.CONTRACT_PATH.read_text(encoding="utf-8")
    assert committed == openapi.render(create_app()), "openapi/openapi.json is stale: run `make openapi`"


def test_every_operation_documents_problem_responses() -> None:
    spec = create_app().openapi()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if path.endswith(("/health", "/healthz", "/readyz")):  # probes: nothing to refuse (readyz: 503)
                continue
            assert any(code.startswith("4") for code in op["responses"]), f"{method.upper()} {path}"


def test_operation_ids_are_route_names() -> None:
    ids = {op["operationId"] for ops in create_app().openapi()["paths"].values() for op in ops.values()}
    assert {"list_orgs", "login_for_token", "list_audit_events"} <= ids
