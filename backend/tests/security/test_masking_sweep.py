"""Masked personal data never leaks: a member's full ID-card number and a phone number (the member's, a
household's, a complaint reporter's: all one number) appear in no response body or header that a caller
without `pii` gets — from any read, export or public endpoint — nor in a webhook payload or an error
message. Callers with `pii` do see them, so the sweep can fail."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import httpx
import pytest
from httpx import Response

from tests.security.conftest import API, ID_NUMBER, PHONE, Arena
from tests.security.operations import RULES, operations
from tests.webhooks.conftest import Receiver, receiver  # noqa: F401 - the fixture, used by name
from vanguard.core.permissions import Permission
from vanguard.webhooks.delivery import deliver_due

SECRETS = {"ID number": ID_NUMBER, "phone": PHONE}
# A phone is masked to 139****5678: its visible parts may show, the whole never.


def everything_in(r: Response) -> str:
    """The response as text: headers, and the body — inside each part of a zip (XLSX) file too."""
    parts = [f"{k}: {v}" for k, v in r.headers.items()]
    if r.content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(r.content)) as book:
            parts += [book.read(name).decode("utf-8", "replace") for name in book.namelist()]
    else:
        parts.append(r.content.decode("utf-8", "replace"))
    return "\n".join(parts)


def leaks(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text]


def _reads(arena: Arena) -> list[str]:
    """Every GET that names only seeded records, as a URL."""
    return [
        op.url(arena.ids, 0, RULES[op.key]).format(**arena.ids)
        for op in operations()
        if op.reads and op.key in RULES and all(name in arena.ids for name in op.placeholders)
    ]


def _headers(arena: Arena, caller: str) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    if caller == "service_without_pii":
        return arena.service_auth(Permission.PII, granted=False)
    return arena.world.auth(caller)


@pytest.mark.parametrize("caller", ["anonymous", "member_a1", "auditor", "service_without_pii"])
def test_no_read_shows_a_caller_without_pii_the_full_numbers(arena: Arena, caller: str) -> None:
    found = []
    answered = 0
    for url in _reads(arena):
        r = arena.client.get(url, headers=_headers(arena, caller))
        answered += r.status_code == 200
        found += [f"{url}: {what}" for what in leaks(everything_in(r))]
    assert answered > 0
    assert not found, "\n".join(found)


def test_callers_with_pii_see_the_full_numbers(arena: Arena) -> None:
    seen = "\n".join(
        everything_in(arena.client.get(API + path, headers=arena.world.auth("sec_a1")))
        for path in (f"/members/{arena.ids['member_id']}", "/members/export", "/complaints/export")
    )
    assert not set(SECRETS) - set(leaks(seen))


@pytest.mark.parametrize("by", ["sec_a1", "sec_b1"])
def test_a_duplicate_id_number_is_refused_without_echoing_it(arena: Arena, by: str) -> None:
    branch = "branch_a1" if by == "sec_a1" else "branch_b1"
    body = {"org_id": arena.world.orgs[branch].id, "name": "重复者", "id_number": ID_NUMBER}
    r = arena.client.post(f"{API}/members", json=body, headers=arena.world.auth(by))
    assert r.status_code == 409, r.text
    assert not leaks(everything_in(r))


def test_a_bad_id_number_is_refused_without_echoing_it(arena: Arena) -> None:
    wrong = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")  # a bad check character
    body = {"org_id": arena.world.orgs["branch_a1"].id, "name": "错号者", "id_number": wrong}
    r = arena.client.post(f"{API}/members", json=body, headers=arena.world.auth("sec_a1"))
    assert r.status_code == 422, r.text
    assert wrong not in everything_in(r)


def test_webhook_payloads_carry_no_personal_data(arena: Arena, receiver: Receiver) -> None:  # noqa: F811
    hook = {
        "org_id": arena.world.orgs["county"].id,
        "url": receiver.url,
        "event_types": ["complaint.received"],
    }
    arena.post("/webhooks", hook, by="admin")
    complaint = {"category": "roads", "title": "路灯", "description": "路灯坏了", "channel": "hotline"}
    arena.post("/complaints", complaint | {"reporter_name": "孙报告", "reporter_phone": PHONE})
    with httpx.Client() as http:
        deliver_due(arena.session, http, now=datetime.now(UTC))
    assert receiver.requests, "no delivery reached the receiver"
    for headers, body in receiver.requests:
        assert not leaks(body.decode() + str(headers))
