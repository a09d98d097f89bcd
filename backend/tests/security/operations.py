"""Every operation of the API, classified: who may call it. The generated sweeps (test_matrix.py,
test_masking_sweep.py) read this table; test_matrix.py fails for an operation that is missing here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from vanguard.core.permissions import Permission
from vanguard.main import create_app

P = Permission
API = "/api/v1"
NOT_RECORDS = {"kind"}  # path parameters that name no record
Need = Permission | Literal["public", "signed_in", "admin"]


@dataclass(frozen=True)
class Rule:
    need: Need  # the permission a caller needs; "signed_in": any login (the service decides the rest)
    own: bool = False  # a member's account may call it on its own member record (self-service)
    query: str = ""  # the query string a call needs
    late: bool = False  # the permission is checked in the service, after the body is validated (403 or 422)
    service_scope: Permission | None = None  # the scope a service account needs, when not `need`
    service_own_only: bool = False  # a service account reaches only its own records of this kind
    absent: bool = False  # the seeded data has no such record: callers who pass the checks get 404
    gap: str | None = None  # a known hole in the permission model: the entry is xfail(strict=True)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as in the OpenAPI document
    has_body: bool

    @property
    def key(self) -> str:
        return f"{self.method} {self.path.removeprefix(API)}"

    @property
    def placeholders(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    def names_record(self, rule: Rule) -> bool:
        """Whether the call names a record (in the path or the query): callers outside its subtree get 404."""
        return any(name not in NOT_RECORDS for name in self.placeholders) or "{" in rule.query

    @property
    def reads(self) -> bool:
        return self.method == "GET"

    def url(self, ids: dict[str, Any], missing: int, rule: Rule) -> str:
        """The path with each placeholder set to the seeded record's id, or to `missing` where none was
        seeded or for the record-less variant of the call."""
        filled = {name: ids.get(name, missing) for name in self.placeholders}
        return self.path.format(**filled) + (f"?{rule.query}" if rule.query else "")


@cache
def operations() -> tuple[Operation, ...]:
    """Every operation the app serves, reads first: the sweeps share one database, and no read may come
    after a call that could have changed what it reads."""
    found = [
        Operation(method.upper(), path, "requestBody" in spec)
        for path, methods in create_app().openapi()["paths"].items()
        for method, spec in methods.items()
    ]
    return tuple(sorted(found, key=lambda op: not op.reads))


R, W = P.MEMBERS_READ, P.MEMBERS_WRITE
CR, CW = P.COMPLAINTS_READ, P.COMPLAINTS_WRITE
SR, SW, SA = P.SCORING_READ, P.SCORING_WRITE, P.SCORING_APPROVE
OR, OW = P.ORGS_READ, P.ORGS_WRITE
PH = P.PETITIONS_HANDLE
UR, UW = P.USERS_READ, P.USERS_WRITE
ACCOUNTS = Rule(P.SERVICE_ACCOUNTS_MANAGE)
HOOKS = Rule(P.SERVICE_ACCOUNTS_MANAGE, service_scope=P.WEBHOOKS_MANAGE)
HOOK = Rule(P.SERVICE_ACCOUNTS_MANAGE, service_scope=P.WEBHOOKS_MANAGE, service_own_only=True)
PUBLIC, SIGNED_IN, ADMIN = Rule("public"), Rule("signed_in"), Rule("admin", late=True)
OWN = Rule(R, own=True)
JOB = Rule(P.JOBS_READ)  # except one's own jobs (tests/jobs): a job one may not see is 403, not 404


def _rules(rule: Need | Rule, *keys: str) -> dict[str, Rule]:
    return dict.fromkeys(keys, rule if isinstance(rule, Rule) else Rule(rule))


RULES: dict[str, Rule] = {
    # meta, login and the public's own endpoints
    "GET /healthz": PUBLIC,
    "GET /readyz": PUBLIC,
    "GET /health": PUBLIC,
    "POST /auth/token": PUBLIC,
    "POST /auth/refresh": PUBLIC,
    "POST /public/complaints": PUBLIC,
    "GET /public/complaints/{code}": PUBLIC,
    "POST /public/complaints/{code}/rating": PUBLIC,
    "GET /public/scoring/sheets/{token}": PUBLIC,
    "POST /public/scoring/sheets/{token}": PUBLIC,
    "GET /open311/v2/services.json": PUBLIC,
    "GET /open311/v2/requests.json": PUBLIC,
    "POST /open311/v2/requests.json": PUBLIC,
    "GET /open311/v2/requests/{service_request_id}.json": PUBLIC,
    "GET /open311/v2/tokens/{token}.json": PUBLIC,
    "GET /public/orgs/{org_id}/publications": PUBLIC,
    "POST /public/publications/{publication_id}/feedback": PUBLIC,
    "GET /auth/me": SIGNED_IN,
    # organisations
    **_rules(
        OR,
        "GET /orgs/roots",
        "GET /orgs",
        "GET /orgs/export",
        "GET /orgs/{org_id}",
        "GET /orgs/{org_id}/stats",
    ),
    **_rules(OW, "POST /orgs", "PATCH /orgs/{org_id}", "POST /orgs/{org_id}/move"),
    # members, development, transfers, dues, posts and pledges
    "GET /members/{member_id}": OWN,
    **_rules(
        R,
        "GET /members",
        "GET /members/export",
        "GET /members/{member_id}/timeline",
        "GET /development/due",
        "GET /transfers",
        "GET /transfers/export",
        "GET /transfers/{transfer_id}",
        "GET /members/{member_id}/transfers",
        "GET /members/{member_id}/transfers/export",
        "GET /members/{member_id}/dues/bases",
        "GET /members/{member_id}/dues/statement",
        "GET /dues/arrears",
        "GET /dues/arrears/export",
        "GET /dues/reductions",
        "GET /dues/reductions/export",
        "GET /dues/reductions/{reduction_id}",
        "GET /members/{member_id}/posts",
        "GET /members/{member_id}/posts/export",
        "GET /posts/{post_id}",
        "GET /members/{member_id}/pledges",
        "GET /members/{member_id}/pledges/export",
        "GET /pledges/{pledge_id}",
        "GET /stats/members",
    ),
    **_rules(
        W,
        "POST /members",
        "PATCH /members/{member_id}",
        "POST /members/{member_id}/leave",
        *(
            f"POST /members/{{member_id}}/development/{step}"
            for step in ("talk", "activist", "candidate", "admit", "confirm", "extend", "cancel", "approval")
        ),
        "POST /transfers",
        "GET /transfers/destinations",  # the picker is for those who send
        "POST /transfers/{transfer_id}/accept",
        "POST /transfers/{transfer_id}/reject",
        "POST /transfers/{transfer_id}/cancel",
        "PUT /members/{member_id}/dues/base",
        "POST /members/{member_id}/dues/payments",
        "POST /members/{member_id}/dues/reductions",
        "POST /dues/reductions/{reduction_id}/review",
        "POST /dues/reductions/{reduction_id}/approve",
        "POST /dues/reductions/{reduction_id}/reject",
        "POST /members/{member_id}/posts",
        "PATCH /posts/{post_id}",
        "POST /posts/{post_id}/end",
        "POST /members/{member_id}/pledges",
        "PATCH /pledges/{pledge_id}",
        "POST /pledges/{pledge_id}/evaluate",
    ),
    # study
    "GET /members/{member_id}/study": OWN,
    # the archive's export and print stay with members:read (DESIGN: personal data leaving the system)
    "GET /members/{member_id}/study/export.xlsx": Rule(R),
    "GET /members/{member_id}/study/print": Rule(R),
    **_rules(
        R,
        "GET /study/activities",
        "GET /study/activities/export",
        "GET /study/activities/{activity_id}",
        "GET /study/activities/{activity_id}/attendance",
        "GET /study/activities/{activity_id}/attendance/export",
        "GET /study/makeups/{makeup_id}",
        "GET /study/exams/{exam_id}",
        "GET /study/exams/{exam_id}/results",
        "GET /study/compliance",
        "GET /study/reports",
        "GET /study/reports/export",
        "GET /study/reports/{report_id}",
    ),
    **_rules(
        W,
        "POST /study/activities",
        "PATCH /study/activities/{activity_id}",
        "PUT /study/activities/{activity_id}/attendance",
        "POST /study/activities/{activity_id}/makeups",
        "PATCH /study/makeups/{makeup_id}",
        "POST /study/activities/{activity_id}/exams",
        "PATCH /study/exams/{exam_id}",
        "PUT /study/exams/{exam_id}/scores",
        "POST /study/reports",
        "PATCH /study/reports/{report_id}",
        "POST /study/reports/{report_id}/review",
    ),
    # pairing
    **_rules(
        R,
        "GET /pairing/beneficiaries",
        "GET /pairing/beneficiaries/export",
        "GET /pairing/beneficiaries/{beneficiary_id}",
        "GET /pairing/pairs",
        "GET /pairing/pairs/export",
        "GET /pairing/pairs/{pair_id}",
        "GET /pairing/pairs/{pair_id}/visits",
        "GET /pairing/pairs/{pair_id}/visits/export",
        "GET /pairing/pairs/{pair_id}/visits/{visit_id}",
        "GET /pairing/follow-ups/overdue",
        "GET /pairing/follow-ups/overdue/export",
        "GET /pairing/tasks",
        "GET /pairing/tasks/export",
        "GET /pairing/tasks/{task_id}",
    ),
    "GET /pairing/coverage": Rule(R, query="org_id={org_id}"),
    "GET /pairing/ledger.xlsx": Rule(R, query="org_id={org_id}"),
    **_rules(
        W,
        "POST /pairing/beneficiaries",
        "PATCH /pairing/beneficiaries/{beneficiary_id}",
        "POST /pairing/pairs",
        "PATCH /pairing/pairs/{pair_id}",
        "POST /pairing/pairs/{pair_id}/end",
        "POST /pairing/pairs/{pair_id}/visits",
        "PATCH /pairing/pairs/{pair_id}/visits/{visit_id}",
        "PATCH /pairing/pairs/{pair_id}/visits/{visit_id}/follow-up",
        "POST /pairing/events",
        "POST /pairing/tasks/{task_id}/close",
    ),
    # openness (党务公开): staff with members:read, or a member's own account (the service shows it only
    # what is published to it: the seeded item is published to branch_a1's members)
    **_rules(
        Rule(R, own=True),
        "GET /publications",
        "GET /publications/{publication_id}",
        "POST /publications/{publication_id}/feedback",
    ),
    "GET /publications/{publication_id}/feedback": Rule(R),
    **_rules(
        W,
        "POST /publications",
        "PATCH /publications/{publication_id}",
        "POST /publications/{publication_id}/publish",
        "POST /publications/{publication_id}/withdraw",
        "POST /publications/{publication_id}/feedback/{feedback_id}/answer",
    ),
    # complaints
    "GET /complaints/categories": SIGNED_IN,
    "POST /complaints/categories": ADMIN,
    "PATCH /complaints/categories/{category_id}": ADMIN,
    "GET /complaints/stats": Rule(CR, query="start=2026-01-01&end=2026-12-31"),
    **_rules(
        CR,
        "GET /complaints/stats/trend",
        "GET /complaints",
        "GET /complaints/export",
        "GET /complaints/{complaint_id}",
        "GET /complaints/{complaint_id}/timeline",
    ),
    **_rules(
        CW,
        "POST /complaints",
        *(
            f"POST /complaints/{{complaint_id}}/{step}"
            for step in (
                "accept",
                "reject",
                "assign",
                "start",
                "extend",
                "resolve",
                "close",
                "reopen",
                "escalate",
            )
        ),
    ),
    # early warning (alerts): nothing seeded fires one, so the alert-naming calls meet no record
    **_rules(CR, "GET /alerts", "POST /alerts/suggest"),
    "GET /alerts/{alert_id}": Rule(CR, absent=True),
    "POST /alerts/run": Rule(CW),
    "POST /alerts/{alert_id}/acknowledge": Rule(CW, absent=True),
    "GET /alerts/attention": Rule(R),
    # scoring
    "GET /scoring/results/{member_id}": Rule(SR, own=True, absent=True),  # nothing computed yet
    **_rules(
        SR,
        "GET /scoring/schemes",
        "GET /scoring/schemes/{scheme_id}",
        "GET /scoring/schemes/{scheme_id}/rankings",
        "GET /scoring/schemes/{scheme_id}/distribution",
        "GET /scoring/schemes/{scheme_id}/rankings/export",
        "GET /scoring/schemes/{scheme_id}/branches",
        "GET /scoring/schemes/{scheme_id}/branches/export",
        "GET /scoring/schemes/{scheme_id}/items",
        "GET /scoring/schemes/{scheme_id}/items/export",
        "GET /scoring/items/{item_id}",
        "GET /scoring/schemes/{scheme_id}/rounds",
        "GET /scoring/rounds/{round_id}",
        "GET /scoring/rounds/{round_id}/ballots",
        "GET /scoring/cases",
        "GET /scoring/cases/export",
        "GET /scoring/cases/{case_id}",
    ),
    **_rules(
        SW,
        "POST /scoring/schemes",
        "PATCH /scoring/schemes/{scheme_id}",
        "POST /scoring/schemes/{scheme_id}/recompute",
        "POST /scoring/schemes/{scheme_id}/items",
        "POST /scoring/schemes/{scheme_id}/rounds",
        "POST /scoring/rounds/{round_id}/close",
        "POST /scoring/rounds/{round_id}/ballots",
        "POST /scoring/rounds/{round_id}/tokens",
        "POST /scoring/cases/{case_id}/talks",
        "POST /scoring/cases/{case_id}/deadline",
        "POST /scoring/cases/{case_id}/decide",
        "POST /scoring/cases/{case_id}/close",
    ),
    **_rules(
        SA,
        "POST /scoring/schemes/{scheme_id}/publish",
        "POST /scoring/items/{item_id}/approve",
        "POST /scoring/items/{item_id}/reject",
    ),
    # petitions (申诉、检举、控告、批评建议): a member's own account files and follows its own; handlers of
    # the handling org's subtree read and act; the filer closes. Filing checks the member link after the body.
    "POST /petitions": SIGNED_IN,
    "GET /petitions/mine": SIGNED_IN,
    "GET /petitions": Rule(PH),
    "GET /petitions/{petition_id}": Rule(PH, own=True),
    "POST /petitions/{petition_id}/close": Rule(PH, own=True),
    **_rules(
        PH,
        "POST /petitions/{petition_id}/accept",
        "POST /petitions/{petition_id}/reject",
        "POST /petitions/{petition_id}/answer",
    ),
    # attachments, statistics
    "GET /attachments": Rule(R, query="org_id={org_id}"),
    "GET /attachments/export": Rule(R, query="org_id={org_id}"),
    **_rules(R, "GET /attachments/{attachment_id}", "GET /attachments/{attachment_id}/content"),
    **_rules(W, "POST /attachments", "DELETE /attachments/{attachment_id}"),
    # users and service accounts
    **_rules(UR, "GET /users", "GET /users/export", "GET /users/{user_id}"),
    **_rules(UW, "POST /users", "PATCH /users/{user_id}"),
    "POST /users/{user_id}/password": Rule("signed_in", late=True),
    **_rules(
        ACCOUNTS,
        "GET /service-accounts",
        "POST /service-accounts",
        "GET /service-accounts/export",
        "GET /service-accounts/{account_id}",
        "PATCH /service-accounts/{account_id}",
        "GET /service-accounts/{account_id}/tokens",
        "POST /service-accounts/{account_id}/tokens",
        "DELETE /service-accounts/{account_id}/tokens/{token_id}",
    ),
    # webhooks: organisation departments manage their subtree's, a service account its own
    **_rules(HOOKS, "GET /webhooks/event-types", "GET /webhooks", "POST /webhooks", "GET /webhooks/export"),
    **_rules(
        HOOK,
        "GET /webhooks/{webhook_id}",
        "PATCH /webhooks/{webhook_id}",
        "DELETE /webhooks/{webhook_id}",
        "POST /webhooks/{webhook_id}/rotate-secret",
        "POST /webhooks/{webhook_id}/ping",
        "GET /webhooks/{webhook_id}/deliveries",
        "GET /webhooks/{webhook_id}/deliveries/export",
        "POST /webhooks/deliveries/{delivery_id}/retry",
    ),
    # imports, jobs, audit
    "POST /imports/{kind}": Rule("signed_in", late=True),
    "GET /imports/templates/{kind}.xlsx": SIGNED_IN,
    "GET /imports/jobs/{job_id}/bad-rows.xlsx": JOB,
    "GET /jobs": SIGNED_IN,
    "GET /jobs/export": SIGNED_IN,
    "GET /jobs/{job_id}": JOB,
    "POST /jobs/{job_id}/cancel": JOB,
    **_rules(P.AUDIT_READ, "GET /audit", "GET /audit/export"),
}
