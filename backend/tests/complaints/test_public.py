"""The public face: intake without login, tracking by code (which reveals nothing else), ratings,
rate limits (429 + Retry-After, per IP and per code, nothing recorded), and bounded bodies (413)."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.complaints.conftest import BASE, Api, report
from tests.problems import assert_problem
from vanguard.audit.models import AuditEvent
from vanguard.complaints.models import Complaint
from vanguard.core.policy import COMPLAINTS_TRACKING_CODE_ALPHABET
from vanguard.core.ratelimit import RateLimiter

PUBLIC = "/api/v1/public/complaints"


def submit(client: TestClient, **overrides: object) -> dict[str, object]:
    body = dict(report(**overrides).items())
    r = client.post(PUBLIC, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_public_intake_gives_an_unguessable_code(api: Api, session: Session) -> None:
    receipt = submit(api.client)
    code = str(receipt["tracking_code"])
    assert len(code) == 12
    assert set(code) <= set(COMPLAINTS_TRACKING_CODE_ALPHABET)
    assert receipt["status"] == "received"
    assert set(receipt) == {"tracking_code", "status", "received_at", "due_at"}
    other = submit(api.client)
    assert other["tracking_code"] != code
    session.rollback()  # a fresh snapshot
    c = session.scalars(select(Complaint).where(Complaint.tracking_code == code)).one()
    assert c.channel == "web"
    assert c.org_id == api.world.orgs["county"].id
    created = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "complaints", AuditEvent.action == "create")
    ).first()
    assert created is not None
    assert created.actor_name == "public"


def test_anonymous_reports_are_allowed(api: Api) -> None:
    receipt = submit(api.client, reporter_name=None, reporter_phone=None)
    assert receipt["status"] == "received"


def test_unknown_category_is_named(api: Api) -> None:
    r = api.client.post(PUBLIC, json=report(category="ufo_sightings"))
    problem = assert_problem(r, 422, "unknown_category")
    assert problem["errors"][0]["field"] == "body.category"
    assert "ufo_sightings" in problem["messages"]["en"]


def test_tracking_reveals_progress_and_nothing_else(api: Api) -> None:
    code = str(submit(api.client)["tracking_code"])
    r = api.client.get("/api/v1/complaints", headers=api.world.auth("county_admin"))
    complaint_id = r.json()["items"][0]["id"]
    api.ok(complaint_id, "accept", {"note": "内部：先联系村委"}, user="county_admin")
    api.ok(complaint_id, "assign", api.assign_body(), user="county_admin")
    view = api.client.get(f"{PUBLIC}/{code.lower()}").json()  # codes are read case-insensitively
    assert set(view) == {
        "tracking_code",
        "status",
        "category",
        "received_at",
        "due_at",
        "closure_reason",
        "rated",
        "steps",
    }
    assert view["status"] == "assigned"
    assert view["category"] == "道路交通"
    assert [s["kind"] for s in view["steps"]] == ["received", "accepted", "assigned"]
    assert all(set(s) == {"kind", "status", "at", "note"} for s in view["steps"])
    text = json.dumps(view, ensure_ascii=False)
    for secret in ("王小明", "13812345678", "county_admin", "sec_a1", "内部", "村口主路塌陷", "甲一村村口"):
        assert secret not in text, secret


def test_unknown_code_is_a_plain_404(api: Api) -> None:
    submit(api.client)
    for code in ("ZZZZZZZZZZZZ", "x", "A" * 32):
        assert_problem(api.client.get(f"{PUBLIC}/{code}"), 404, "tracking_code_not_found")
    assert_problem(
        api.client.post(f"{PUBLIC}/ZZZZZZZZZZZZ/rating", json={"rating": 5}), 404, "tracking_code_not_found"
    )


def test_rating_rules(api: Api) -> None:
    c = api.walk_to("in_progress")
    r = api.rate(c["tracking_code"], 5)
    assert "in_progress" in assert_problem(r, 409, "invalid_transition")["messages"]["en"]
    api.ok(c["id"], "resolve", {"result": "已修复"})
    assert_problem(api.rate(c["tracking_code"], 6), 422, "validation_failed")
    r = api.rate(c["tracking_code"], 4, "满意")
    assert r.status_code == 200
    assert r.json()["rated"] is True
    assert r.json()["status"] == "resolved"
    assert_problem(api.rate(c["tracking_code"], 5), 409, "complaint_already_rated")


def test_low_rating_reopens(api: Api) -> None:
    c = api.walk_to("resolved")
    r = api.rate(c["tracking_code"], 2, "路面又塌了")
    assert r.status_code == 200
    assert r.json()["status"] == "reopened"
    assert r.json()["rated"] is False
    staff = api.client.get(f"{BASE}/{c['id']}", headers=api.world.auth("sec_a1")).json()
    assert staff["status"] == "reopened"
    assert staff["reopen_count"] == 1
    timeline = api.client.get(f"{BASE}/{c['id']}/timeline", headers=api.world.auth("sec_a1")).json()
    assert [(e["kind"], e["actor_kind"]) for e in timeline[-2:]] == [
        ("rated", "public"),
        ("reopened", "public"),
    ]


def _tight(app: FastAPI, ip: str = "3/minute", code: str = "2/minute", body: int = 16_384) -> None:
    app.state.rate_limiter = RateLimiter("memory://", {"ip": ip, "code": code}, body)


def test_flooding_an_ip_is_refused_and_leaves_no_record(api: Api, app: FastAPI, session: Session) -> None:
    _tight(app)
    for _ in range(3):
        submit(api.client)
    r = api.client.post(PUBLIC, json=report())
    assert_problem(r, 429, "rate_limited")
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    session.rollback()  # a fresh snapshot
    assert session.scalar(select(func.count()).select_from(Complaint)) == 3
    # Someone else, from another address, is unaffected.
    with TestClient(app, client=("203.0.113.9", 50000)) as other:
        assert other.post(PUBLIC, json=report()).status_code == 201


def test_per_code_limit(api: Api, app: FastAPI) -> None:
    code = str(submit(api.client)["tracking_code"])
    _tight(app, ip="100/minute", code="2/minute")
    assert api.client.get(f"{PUBLIC}/{code}").status_code == 200
    assert api.client.get(f"{PUBLIC}/{code}").status_code == 200
    r = api.client.get(f"{PUBLIC}/{code}")
    assert_problem(r, 429, "rate_limited") and r.headers["Retry-After"]
    assert_problem(api.client.post(f"{PUBLIC}/{code}/rating", json={"rating": 5}), 429, "rate_limited")
    other = str(submit(api.client)["tracking_code"])
    assert api.client.get(f"{PUBLIC}/{other}").status_code == 200


def test_oversized_bodies_are_refused(api: Api, app: FastAPI, session: Session) -> None:
    _tight(app, ip="100/minute", body=2048)
    big = report(description="很" * 1500)  # ~4.5 KB of UTF-8, valid otherwise
    assert_problem(api.client.post(PUBLIC, json=big), 413, "payload_too_large")
    # A body larger than its declared length is cut off at the bound, too.
    raw = json.dumps(big, ensure_ascii=False).encode()
    r = api.client.post(
        PUBLIC, content=iter([raw[:1000], raw[1000:]]), headers={"Content-Type": "application/json"}
    )
    assert_problem(r, 413, "payload_too_large")
    session.rollback()  # a fresh snapshot
    assert session.scalar(select(func.count()).select_from(Complaint)) == 0
    assert submit(api.client)["status"] == "received"
