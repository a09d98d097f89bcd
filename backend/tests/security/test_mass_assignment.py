"""Mass assignment: a request body cannot set what the server owns. The read-only fields of each
operation are generated from the OpenAPI document — those its response has and its request body does
not (id, path, created_at, version, audit fields, computed totals, status behind transition endpoints) —
and each is either refused (422: the body forbids unknown fields) or ignored (the value stays)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import pytest

from tests.security.conftest import Arena
from tests.security.operations import operations
from vanguard.main import create_app

REFUSED, IGNORED = "refused", "ignored"
# Every JSON body forbids unknown fields, so every read-only field is refused; a field listed here is
# expected to be accepted and ignored instead (none today).
IGNORED_FIELDS: dict[str, set[str]] = {}


@cache
def _document() -> dict[str, Any]:
    spec: dict[str, Any] = create_app().openapi()
    return spec


def _schema(ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    """The component a schema names: through `$ref`, or the one `$ref` of an optional body's anyOf."""
    refs = [ref_or_schema, *ref_or_schema.get("anyOf", [])]
    for candidate in refs:
        if "$ref" in candidate:
            schema: dict[str, Any] = _document()["components"]["schemas"][candidate["$ref"].split("/")[-1]]
            return schema
    return ref_or_schema


def _json_body(method: str, path: str) -> dict[str, Any] | None:
    body = _document()["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
    return _schema(body["application/json"]["schema"]) if "application/json" in body else None


def _response(method: str, path: str) -> dict[str, Any]:
    responses = _document()["paths"][path][method.lower()]["responses"]
    ok = next((r for code, r in responses.items() if code.startswith("2")), {})
    return _schema(ok.get("content", {}).get("application/json", {}).get("schema", {}))


def read_only_fields(method: str, path: str) -> list[str]:
    body = _json_body(method, path) or {}
    return sorted(set(_response(method, path).get("properties", {})) - set(body.get("properties", {})))


def _bodies() -> list[Any]:
    return [
        pytest.param(op, id=op.key)
        for op in operations()
        if op.method in ("POST", "PUT", "PATCH") and _json_body(op.method, op.path) is not None
    ]


@pytest.mark.parametrize("op", _bodies())
def test_each_json_body_forbids_fields_it_does_not_declare(op: Any) -> None:
    body = _json_body(op.method, op.path)
    assert body is not None
    assert body.get("additionalProperties") is False, (
        f"{op.key}: its body schema accepts unknown fields; give it model_config = ConfigDict(extra='forbid')"
    )


def _other(value: Any) -> Any:
    """A different value of the same JSON type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1000
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return value + "x"
        return "2001-01-01T00:00:00+00:00"
    if isinstance(value, list):
        return [*value, 1]
    if isinstance(value, dict):
        return {**value, "x": 1}
    return 1  # null


def _updates(arena: Arena) -> list[Any]:
    """PATCH and PUT operations on a seeded record that a GET of the same path reads back."""
    reads = {op.path for op in operations() if op.reads}
    return [
        op
        for op in operations()
        if op.method in ("PATCH", "PUT")
        and op.path in reads
        and all(name in arena.ids for name in op.placeholders)
        and read_only_fields(op.method, op.path)
    ]


def test_read_only_fields_cannot_be_set_by_a_plain_update(arena: Arena) -> None:
    headers = arena.world.auth("admin")
    outcomes: dict[str, dict[str, str]] = {}
    updates = _updates(arena)
    assert len(updates) >= 8, [op.key for op in updates]  # the seed names most records
    for op in updates:
        url = op.path.format(**arena.ids)
        for name in read_only_fields(op.method, op.path):
            before = arena.client.get(url, headers=headers).json()
            if name not in before:
                continue  # not in this record's read (e.g. a field only the create response has)
            r = arena.client.request(op.method, url, json={name: _other(before[name])}, headers=headers)
            after = arena.client.get(url, headers=headers).json()
            if r.status_code == 422:
                outcome = REFUSED
            elif r.status_code < 300 and after[name] == before[name]:
                outcome = IGNORED
            else:
                outcome = f"{r.status_code}: {before[name]!r} → {after[name]!r}"
            outcomes.setdefault(op.key, {})[name] = outcome
    assert set(outcomes) == {op.key for op in updates}, "an update had no read-only field to try"
    wrong = {
        (key, name): outcome
        for key, fields in outcomes.items()
        for name, outcome in fields.items()
        if outcome != (IGNORED if name in IGNORED_FIELDS.get(key, set()) else REFUSED)
    }
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("by", "change"),
    [
        ("sec_a1", {"role": "org_admin"}),  # a secretary hands out only the member role
        ("sec_a1", {"org_id": "org:county"}),  # nor moves an account above their subtree
        ("town_a_admin", {"role": "admin"}),  # an organisation department never makes an admin
    ],
)
def test_a_plain_user_update_cannot_raise_rights(arena: Arena, by: str, change: dict[str, Any]) -> None:
    body = {
        k: arena.world.orgs[v.split(":")[1]].id if isinstance(v, str) and v.startswith("org:") else v
        for k, v in change.items()
    }
    url = f"/api/v1/users/{arena.world.users['member_a1'].id}"
    before = arena.client.get(url, headers=arena.world.auth("admin")).json()
    r = arena.client.patch(url, json=body, headers=arena.world.auth(by))
    assert r.status_code in (403, 404, 422), r.text
    after = arena.client.get(url, headers=arena.world.auth("admin")).json()
    assert {k: after[k] for k in body} == {k: before[k] for k in body}
