"""The committed contract (`openapi/openapi.json`) is rendered here, deterministically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from vanguard.core.errors import HTTP_PROBLEMS, PROBLEM_MEDIA_TYPE

CONTRACT_PATH = Path(__file__).resolve().parents[4] / "openapi" / "openapi.json"
_SCHEMAS = "#/components/schemas/"
# FastAPI's own 422 body; the app never sends it (its validation handler answers with a Problem).
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")
_MALFORMED = HTTP_PROBLEMS[400]


def _documents_problem(response: dict[str, Any]) -> bool:
    refs = {media.get("schema", {}).get("$ref") for media in response.get("content", {}).values()}
    return bool(refs & {_SCHEMAS + name for name in ("Problem", _FASTAPI_VALIDATION[0])})


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Every error response as it is sent: a Problem, as application/problem+json.

    FastAPI files each response under the route's media type (application/json, or text/html for a
    page) and adds its own 422 schema to routes that do not list one; the error handlers send neither.
    """
    problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": _SCHEMAS + "Problem"}}}
    for operation in (op for item in document["paths"].values() for op in item.values()):
        responses = operation["responses"]
        for response in responses.values():
            if _documents_problem(response):
                response["content"] = problem
        if "requestBody" in operation and "400" not in responses:
            # FastAPI's answer to a body it cannot parse (malformed JSON or form data), before validation.
            responses["400"] = {"description": f"{_MALFORMED[2]} (`{_MALFORMED[0]}`)", "content": problem}
    schemas = document.get("components", {}).get("schemas", {})
    for name in _FASTAPI_VALIDATION:
        schemas.pop(name, None)
    return document


def install(app: FastAPI) -> None:
    """Serve (and commit, through `render`) the document with its error responses as they are sent."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def render(app: FastAPI) -> str:
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write(app: FastAPI, path: Path = CONTRACT_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(app), encoding="utf-8")
    return path
