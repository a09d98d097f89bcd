"""Open311 GeoReport v2, field by field against the spec: services, requests (list, one, POST) and
tokens; no reporter data in public reads; POST shares the public rate limit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.complaints.conftest import T0, Api
from tests.problems import assert_problem
from vanguard.complaints.models import Complaint
from vanguard.core.config import get_settings
from vanguard.core.ratelimit import RateLimiter

V2 = "/open311/v2"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
POST_FIELDS = {"service_request_id", "token", "service_notice", "account_id"}


def w3c(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None  # the spec requires a zone (Z or ±hh:mm)
    return parsed


def post(api: Api, **form: str) -> Response:
    data = {
        "service_code": "roads",
        "lat": "30.123456",
        "long": "120.654321",
        "description": "路灯不亮",
    } | form
    return api.client.post(f"{V2}/requests.json", data=data)


def test_services(api: Api) -> None:
    r = api.client.get(f"{V2}/services.json")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    services = r.json()
    assert all(set(s) == SERVICE_FIELDS for s in services)
    roads = next(s for s in services if s["service_code"] == "roads")
    assert roads == {
        "service_code": "roads",
        "service_name": "道路交通",
        "description": "Roads and transport",
        "metadata": False,
        "type": "realtime",
        "keywords": None,
        "group": "基础设施",
    }


def test_post_and_read_back(api: Api, session: Session) -> None:
    r = post(api, first_name="小明", last_name="王", phone="13812345678", email="wang@example.cn")
    assert r.status_code == 201, r.text
    [created] = r.json()
    assert set(created) == POST_FIELDS
    assert created["account_id"] is None
    assert created["service_request_id"].isdigit()
    assert len(created["token"]) == 12
    assert created["token"] in created["service_notice"]
    session.rollback()  # a fresh snapshot
    stored = session.get_one(Complaint, int(created["service_request_id"]))
    assert stored.reporter_name == "王 小明"
    assert stored.channel == "web"
    assert stored.tracking_code == created["token"]

    [one] = api.client.get(f"{V2}/requests/{created['service_request_id']}.json").json()
    assert set(one) == REQUEST_FIELDS
    assert one["service_request_id"] == created["service_request_id"]
    assert one["status"] == "open"
    assert one["service_code"] == "roads"
    assert one["service_name"] == "道路交通"
    assert one["agency_responsible"] == api.world.orgs["county"].name
    assert w3c(one["requested_datetime"]) == T0
    assert w3c(one["updated_datetime"]) >= T0
    assert w3c(one["expected_datetime"]) == T0 + timedelta(days=15)  # from the SLA
    assert one["address_id"] is None
    assert one["zipcode"] is None
    assert one["media_url"] is None
    # Details are unpublished by default; the reporter never appears.
    assert one["description"] is None
    assert one["lat"] is None
    assert one["long"] is None
    assert one["address"] is None
    text = str(one)
    assert "王" not in text
    assert "13812345678" not in text
    assert created["token"] not in text

    [lookup] = api.client.get(f"{V2}/tokens/{created['token']}.json").json()
    assert lookup == {"service_request_id": created["service_request_id"], "token": created["token"]}


def test_published_details(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "open311_publish_details", True)
    [created] = post(api, address_string="甲一村村口").json()
    [one] = api.client.get(f"{V2}/requests/{created['service_request_id']}.json").json()
    assert one["description"] == "路灯不亮"
    assert one["address"] == "甲一村村口"
    assert one["lat"] == pytest.approx(30.123456)
    assert one["long"] == pytest.approx(120.654321)


def test_list_filters(api: Api) -> None:
    roads = post(api).json()[0]
    api.clock.advance(days=2)
    water = post(api, service_code="water_power").json()[0]
    staff = api.client.get("/api/v1/complaints", headers=api.world.auth("county_admin")).json()["items"]
    api.ok(staff[0]["id"], "reject", {"reason": "重复反映"}, user="county_admin")  # the newest: water

    def ids(**params: str) -> list[str]:
        r = api.client.get(f"{V2}/requests.json", params=params)
        assert r.status_code == 200, r.text
        assert all(set(item) == REQUEST_FIELDS for item in r.json())
        return [item["service_request_id"] for item in r.json()]

    a, b = roads["service_request_id"], water["service_request_id"]
    assert ids() == [b, a]
    assert ids(service_code="roads") == [a]
    assert ids(service_code="roads,water_power") == [b, a]
    assert ids(status="open") == [a]
    assert ids(status="closed") == [b]
    assert ids(status="open,closed") == [b, a]
    assert ids(start_date=(T0 + timedelta(days=1)).isoformat()) == [b]
    assert ids(end_date=(T0 + timedelta(days=1)).isoformat().replace("+00:00", "Z")) == [a]
    assert ids(service_request_id=f"{a},{b}", service_code="nothing") == [b, a]  # ids win over other filters
    closed = api.client.get(f"{V2}/requests/{b}.json").json()[0]
    assert closed["status"] == "closed"
    assert closed["expected_datetime"] is None
    api.clock.advance(days=100)
    assert ids() == []  # without dates: the last 90 days


@pytest.mark.parametrize(
    ("form", "status", "needle"),
    [
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "ufo"}, 404, "ufo"),
        ({"lat": "", "long": ""}, 400, "location"),
        ({"lat": "30.1", "long": ""}, 400, "location"),
        ({"lat": "north", "long": "120"}, 400, "lat"),
        ({"phone": "call me maybe"}, 400, "reporter_phone"),
    ],
)
def test_post_errors_use_the_spec_format(
    api: Api, session: Session, form: dict[str, str], status: int, needle: str
) -> None:
    r = post(api, **form)
    assert r.status_code == status
    [error] = r.json()
    assert set(error) == {"code", "description"}
    assert error["code"] == status
    assert needle in error["description"]
    session.rollback()  # a fresh snapshot
    assert session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_unknown_request_and_token(api: Api) -> None:
    for path in (
        "requests/999.json",
        "requests/abc.json",
        "requests/99999999999999999999.json",
        "tokens/ZZZZZZZZZZZZ.json",
    ):
        r = api.client.get(f"{V2}/{path}")
        assert r.status_code == 404
        assert r.json()[0]["code"] == 404


def test_post_shares_the_public_rate_limit(api: Api, app: FastAPI, session: Session) -> None:
    app.state.rate_limiter = RateLimiter("memory://", {"ip": "2/minute", "code": "10/minute"}, 16_384)
    assert (
        api.client.post(
            "/api/v1/public/complaints",
            json={"category": "roads", "title": "路灯", "description": "路灯不亮"},
        ).status_code
        == 201
    )
    assert post(api).status_code == 201
    r = post(api)
    assert_problem(r, 429, "rate_limited")
    session.rollback()  # a fresh snapshot
    assert session.scalar(select(func.count()).select_from(Complaint)) == 2


def test_post_body_is_bounded(api: Api, app: FastAPI, session: Session) -> None:
    app.state.rate_limiter = RateLimiter("memory://", {"ip": "100/minute", "code": "100/minute"}, 1024)
    r = post(api, description="很" * 1000)
    assert_problem(r, 413, "payload_too_large")
    session.rollback()  # a fresh snapshot
    assert session.scalar(select(func.count()).select_from(Complaint)) == 0
