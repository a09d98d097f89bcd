"""Contract fuzzing (issue #12): schemathesis generates requests from the app's own OpenAPI document for
every operation, with valid data (positive) and with data the schema forbids (negative), as every kind
of caller in turn, and checks each response: never a 5xx, status codes, content types and headers the
operation documents, a body that conforms to the documented schema, negative data refused with a 4xx,
valid data not refused by request validation, and auth enforced (a 2xx must not come without a token).

Bounded and reproducible: `EXAMPLES` requests per operation and mode, derandomized (the same requests
on every run and machine), no shrinking. The callers take turns example by example (`ROLES`), so each
operation meets every role with valid data; the request's `X-Fuzz-Role` header names the role in a
failure's reproduction. SQLite only: the fuzzer looks for contract breaks in routes, schemas and
services, which do not depend on the backend; behaviour that does (locks, SKIP LOCKED, sequences) is
what the rest of the suite runs on both, and a PostgreSQL pass would double the run time.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine

from tests.fuzz.conftest import ROLES, FuzzTarget
from tests.fuzz.seed import KNOWN_IDS, SHEET_TOKENS, TRACKING_CODES
from vanguard.core.config import Settings
from vanguard.core.errors import InvalidInput
from vanguard.jobs.runner import get_runner
from vanguard.main import create_app

# Per operation: a valid request as each caller; invalid ones are mostly refused before any caller's
# rights matter, so fewer (the first callers in turn) keep the run within its budget.
EXAMPLES = {"positive": len(ROLES), "negative": 3}


def _config(mode: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 12,
            "generation": {
                "mode": mode,
                "max-examples": EXAMPLES[mode],
                "deterministic": True,
                "no-shrink": True,  # a bounded run: report the first failing request as generated
                # Integers are often ids: half of them name seeded rows instead of missing ones.
                "dictionaries": {"integer": {"dictionary": "ids", "probability": 0.5}},
            },
            "dictionaries": {
                "ids": {"values": KNOWN_IDS},
                "codes": {"values": TRACKING_CODES + SHEET_TOKENS},
            },
            "parameters": {
                "path.code": {"dictionary": "codes", "probability": 0.5},
                "path.token": {"dictionary": "codes", "probability": 0.5},
            },
            "phases": {"coverage": {"enabled": False}},
            "checks": {
                # Valid data may still break a rule no schema can state (a visit outside its pair's dates,
                # a stale If-Match, an upload that is not a spreadsheet, an Open311 date that is not one):
                # those answers (422 with the rule's own code, 412, 415, Open311's 400) are the contract.
                # Request validation refusing it is not: see `valid_requests_pass_validation`.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", *map(str, (400, 401, 403, 404, 409, 412, 415, 422, 429))]
                }
            },
        }
    )


# Request validation errors the document cannot state, so a schema-valid request may meet them:
# `value_error` comes from a model's own validators (rules across fields: votes cast against voters
# present, a training's hours or days). The rest are real gaps between the document and validation, left
# open for now and listed in the helper notes (issue #12): Decimal fields are documented as any string
# ("" fails `decimal_parsing`) and without their digit limits; `str_strip_whitespace` models count
# minLength after stripping ("\n\r" fails `string_too_short`); an empty form field is `missing`.
# Remove a code here once its gap is closed.
UNSTATED_RULES = frozenset({"value_error"})
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
KNOWN_GAPS = frozenset(
    {"decimal_parsing", "decimal_max_digits", "decimal_max_places", "decimal_whole_digits"}
    | {"string_too_short", "missing"}
)


@schemathesis.check
def valid_requests_pass_validation(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """A request the document allows must not fail the server's request validation (`validation_failed`)
    on anything the document could have said: if it does, the document promises less than is checked."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 422:
        return None
    body: dict[str, Any] = response.json()
    if body.get("code") != InvalidInput.code:
        return None  # a domain rule, refused with its own code
    # A form cannot carry null: schemathesis sends a nullable form field's null as the text "null".
    form_nulls = set()
    if case.media_type in FORMS and isinstance(case.body, dict):
        form_nulls = {f"body.{name}" for name, value in case.body.items() if value is None}
    stated = [
        e
        for e in body.get("errors", [])
        if e["code"] not in UNSTATED_RULES | KNOWN_GAPS and e["field"] not in form_nulls
    ]
    assert not stated, f"schema-valid request failed validation: {stated}"
    return None


def _document() -> dict[str, Any]:
    # The document the running app serves; building it needs no database.
    app = create_app(Settings(VANGUARD_ENV="test"), engine=create_engine("sqlite://"))  # type: ignore[call-arg]
    return app.openapi()


DOCUMENT = _document()
positive = schemathesis.openapi.from_dict(DOCUMENT, config=_config("positive"))
negative = schemathesis.openapi.from_dict(DOCUMENT, config=_config("negative"))

# The target is restored once per operation, not per example, on purpose: the examples of one operation
# build on each other's writes, as a client's calls would.
per_operation = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def _call(case: schemathesis.Case, target: FuzzTarget) -> None:
    case.call_and_validate(app=target.app, headers=target.next_caller())
    # SQLite has one writer: a job this example started (a recompute, an import) would hold the next
    # example's write past the busy timeout, a 503 `database_busy` that says nothing about the contract.
    get_runner().drain(timeout=30)


@positive.parametrize()
@per_operation
def test_valid_requests(case: schemathesis.Case, fuzz_target: FuzzTarget) -> None:
    _call(case, fuzz_target)


@negative.parametrize()
@per_operation
def test_invalid_requests(case: schemathesis.Case, fuzz_target: FuzzTarget) -> None:
    _call(case, fuzz_target)
