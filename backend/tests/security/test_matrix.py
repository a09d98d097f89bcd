"""The role × operation authorisation matrix, generated from the app's own OpenAPI document: every
operation, called as every kind of caller, answers what its rule in operations.RULES says.

One database per backend serves all calls, so no call may change what a later one sees: reads come first;
an insider's write carries a body no schema accepts (422) or, without a body, names a missing record (404)
— either proves the caller got past the permission check without writing. Outsiders (another subtree)
name the real record with an empty body: 404, or 422 where an empty body is invalid, never success."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.security.conftest import MISSING, Arena
from tests.security.operations import RULES, Operation, Rule, operations
from vanguard.core.permissions import Permission

P = Permission
PROBE = {"matrix_probe": "no schema has this field"}  # request bodies forbid unknown fields: always 422

_SECRETARY = frozenset(P) - {P.SERVICE_ACCOUNTS_MANAGE, P.AUDIT_READ, P.WEBHOOKS_MANAGE}
_AUDITOR = frozenset(
    {P.ORGS_READ, P.USERS_READ, P.MEMBERS_READ, P.COMPLAINTS_READ, P.SCORING_READ, P.AUDIT_READ, P.JOBS_READ}
)


@dataclass(frozen=True)
class Caller:
    name: str
    may: frozenset[Permission] = frozenset()  # what the role may do, as the product promises it
    inside: bool = True  # its subtree holds branch_a1, where every seeded record is
    service: bool | None = None  # a service account: True with the rule's scope, False with all others

    def __str__(self) -> str:
        return self.name


CALLERS = [
    Caller("anonymous"),
    Caller("admin", frozenset(P)),
    Caller("town_a_admin", frozenset(P)),
    Caller("town_b_admin", frozenset(P), inside=False),
    Caller("sec_a1", _SECRETARY),
    Caller("sec_b1", _SECRETARY, inside=False),
    Caller("member_a1", frozenset({P.ORGS_READ})),
    Caller("auditor", _AUDITOR),
    Caller("service_with_scope", service=True),
    Caller("service_without_scope", service=False),
]


def _allowed(caller: Caller, rule: Rule) -> bool:
    if rule.need == "signed_in":
        return caller.service is not False or rule.service_scope is None
    if rule.need == "admin":
        return caller.name == "admin"
    if caller.service is not None:
        return caller.service
    assert rule.need != "public"
    return rule.need in caller.may or (rule.own and caller.name == "member_a1")


def _sees_record(caller: Caller, rule: Rule) -> bool:
    return caller.inside and not (caller.service and rule.service_own_only)


def expected(op: Operation, rule: Rule, caller: Caller, ids: dict[str, Any]) -> set[int]:
    if rule.need == "public":
        return {200, 201, 202, 204, 400, 404, 422}  # never 401/403 (Open311 answers 400 for bad input)
    if caller.name == "anonymous":
        return {401}
    if not _allowed(caller, rule):
        return {403, 422} if rule.late and op.has_body else {403}
    names_missing = rule.absent or any(name not in ids for name in op.placeholders)
    if op.reads:
        return {404} if names_missing or (op.names_record(rule) and not _sees_record(caller, rule)) else {200}
    if _sees_record(caller, rule):
        return {422} if op.has_body else {404}
    return {404, 422} if op.has_body else {404}


def _headers(arena: Arena, caller: Caller, rule: Rule) -> dict[str, str]:
    if caller.name == "anonymous":
        return {}
    if caller.service is None:
        return arena.world.auth(caller.name)
    scope = rule.service_scope or (rule.need if isinstance(rule.need, Permission) else P.ORGS_READ)
    also = {rule.need} if isinstance(rule.need, Permission) else set()
    return arena.service_auth(scope, granted=caller.service, withheld=frozenset(also))


def call(arena: Arena, op: Operation, rule: Rule, caller: Caller) -> tuple[int, str]:
    inside = caller.service is not None or caller.inside
    fill_missing = not op.reads and inside and not op.has_body  # an insider's body-less write: no record
    ids = {} if fill_missing else arena.ids
    url = op.url(ids, MISSING, rule).format(**arena.ids)
    body = (PROBE if inside else {}) if op.has_body else None
    r = arena.client.request(op.method, url, json=body, headers=_headers(arena, caller, rule))
    return r.status_code, r.text[:200]


def _params() -> list[Any]:
    params = []
    for op in operations():
        rule = RULES.get(op.key)
        marks = [pytest.mark.xfail(strict=True, reason=rule.gap)] if rule and rule.gap else []
        params.append(pytest.param(op, id=op.key, marks=marks))
    return params


def test_every_operation_is_classified() -> None:
    keys = {op.key for op in operations()}
    unclassified = sorted(keys - RULES.keys())
    assert not unclassified, (
        f"operations nobody classified: {unclassified} — add a Rule for each to RULES in "
        "backend/tests/security/operations.py (who may call it)"
    )
    assert not sorted(RULES.keys() - keys), "RULES names operations the app no longer has"


@pytest.mark.parametrize("op", _params())
def test_each_caller_gets_what_the_rule_allows(arena: Arena, op: Operation) -> None:
    rule = RULES.get(op.key)
    if rule is None:
        pytest.skip("unclassified: test_every_operation_is_classified fails for it")
    wrong = []
    for caller in CALLERS:
        allowed = expected(op, rule, caller, arena.ids)
        status, text = call(arena, op, rule, caller)
        if status not in allowed:
            wrong.append(f"{caller}: {status} (expected {sorted(allowed)}) {text}")
    assert not wrong, f"{op.key}\n" + "\n".join(wrong)
