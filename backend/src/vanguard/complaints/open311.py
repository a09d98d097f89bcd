"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), JSON only.

Field names are the spec's. The public `service_request_id` is the item's id, never its tracking code:
the tracking code is the reporter's secret (it rates the item), handed back once as the POST's `token`.
Reads never carry reporter data or staff names; descriptions and locations only when the deployment
publishes them (`VANGUARD_OPEN311_PUBLISH_DETAILS`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.complaints import service
from vanguard.complaints.models import Category, Complaint, ComplaintEvent, Status
from vanguard.complaints.schemas import PublicComplaintCreate
from vanguard.core.policy import COMPLAINTS_OPEN311_DEFAULT_DAYS, COMPLAINTS_OPEN311_MAX_REQUESTS
from vanguard.orgs.models import Organisation

CLOSED = (Status.CLOSED, Status.REJECTED)


class Open311Error(Exception):
    """Answered as the spec's error list: `[{"code": 400, "description": "…"}]`."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


class Open311ErrorItem(BaseModel):
    code: int
    description: str


class Open311Service(BaseModel):
    service_code: str
    service_name: str
    description: str
    metadata: bool = Field(description="Always false: no extra attributes are asked")
    type: Literal["realtime", "batch", "blackbox"]
    keywords: str | None
    group: str


class Open311Request(BaseModel):
    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str | None
    service_name: str
    service_code: str
    description: str | None
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class Open311Created(BaseModel):
    service_request_id: str
    token: str | None = Field(description="The reporter's tracking code: keep it to follow and rate the item")
    service_notice: str | None
    account_id: str | None


class Open311Token(BaseModel):
    service_request_id: str
    token: str


def services(session: Session) -> list[Open311Service]:
    categories = session.scalars(
        select(Category).where(Category.is_active.is_(True)).order_by(Category.id)
    ).all()
    by_id = {c.id: c for c in categories}
    result = []
    for c in categories:
        parent = by_id.get(c.parent_id) if c.parent_id is not None else None
        result.append(
            Open311Service(
                service_code=c.code,
                service_name=c.name_zh,
                description=c.name_en,
                metadata=False,
                type="realtime",
                keywords=None,
                group=(parent or c).name_zh,
            )
        )
    return result


def _status_notes(c: Complaint, publish: bool, last_public_note: str | None) -> str | None:
    if c.closure_reason is not None and c.status is Status.CLOSED:
        return service.CLOSURE_ZH[c.closure_reason]
    return last_public_note if publish else service.STATUS_ZH[c.status]


def to_request(session: Session, c: Complaint, *, publish: bool) -> Open311Request:
    category = session.get_one(Category, c.category_id)
    agency = session.get_one(Organisation, c.org_id).name
    last_note = session.scalar(
        select(ComplaintEvent.public_note)
        .where(ComplaintEvent.complaint_id == c.id, ComplaintEvent.public_note.is_not(None))
        .order_by(ComplaintEvent.id.desc())
        .limit(1)
    )
    return Open311Request(
        service_request_id=str(c.id),
        status="closed" if c.status in CLOSED else "open",
        status_notes=_status_notes(c, publish, last_note),
        service_name=category.name_zh,
        service_code=category.code,
        description=c.description if publish else None,
        agency_responsible=agency,
        service_notice=None,
        requested_datetime=c.received_at,
        updated_datetime=c.updated_at,
        expected_datetime=None if c.status in CLOSED else c.due_at,
        address=c.location_text if publish else None,
        address_id=None,
        zipcode=None,
        lat=float(c.latitude) if publish and c.latitude is not None else None,
        long=float(c.longitude) if publish and c.longitude is not None else None,
        media_url=None,
    )


def _is_id(value: str) -> bool:
    return value.isdigit() and len(value) <= 10 and int(value) < 2**31


def _split(value: str | None) -> list[str]:
    return [] if not value else [v.strip() for v in value.split(",") if v.strip()]


def _parse_datetime(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Open311Error(400, f"{name} must be a W3C (ISO 8601) date-time") from exc
    if parsed.tzinfo is None:
        raise Open311Error(400, f"{name} needs a time zone offset")
    return parsed


def list_requests(
    session: Session,
    now: datetime,
    *,
    publish: bool,
    service_request_id: str | None,
    service_code: str | None,
    start_date: str | None,
    end_date: str | None,
    status: str | None,
) -> list[Open311Request]:
    """Filters per the spec: ids (then the others are ignored), codes, dates and status are
    comma-separated; without dates, the last 90 days; at most 1000 items, newest first."""
    stmt = select(Complaint)
    ids = _split(service_request_id)
    if ids:
        if not all(_is_id(i) for i in ids):
            raise Open311Error(400, "service_request_id must be numeric")
        stmt = stmt.where(Complaint.id.in_([int(i) for i in ids]))
    else:
        codes = _split(service_code)
        if codes:
            stmt = stmt.join(Category, Category.id == Complaint.category_id).where(Category.code.in_(codes))
        start = _parse_datetime(start_date, "start_date")
        end = _parse_datetime(end_date, "end_date")
        if start is None and end is None:
            start = now - timedelta(days=COMPLAINTS_OPEN311_DEFAULT_DAYS)
        if start is not None:
            stmt = stmt.where(Complaint.received_at >= start)
        if end is not None:
            stmt = stmt.where(Complaint.received_at <= end)
        wanted = set(_split(status))
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, "status must be open, closed or both")
        if wanted == {"open"}:
            stmt = stmt.where(Complaint.status.not_in(CLOSED))
        elif wanted == {"closed"}:
            stmt = stmt.where(Complaint.status.in_(CLOSED))
    rows = session.scalars(stmt.order_by(Complaint.id.desc()).limit(COMPLAINTS_OPEN311_MAX_REQUESTS)).all()
    return [to_request(session, c, publish=publish) for c in rows]


def get_request(session: Session, request_id: str, *, publish: bool) -> list[Open311Request]:
    complaint = session.get(Complaint, int(request_id)) if _is_id(request_id) else None
    if complaint is None:
        raise Open311Error(404, f"service_request_id {request_id} not found")
    return [to_request(session, complaint, publish=publish)]


def token(session: Session, value: str) -> list[Open311Token]:
    try:
        complaint = service.by_code(session, value)
    except service.TrackingCodeNotFound as exc:
        raise Open311Error(404, "token not found") from exc
    return [Open311Token(service_request_id=str(complaint.id), token=complaint.tracking_code)]


def _decimal(value: str | None, name: str) -> Decimal | None:
    if value is None or value.strip() == "":
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation as exc:
        raise Open311Error(400, f"{name} must be a number") from exc


def create_request(
    session: Session,
    now: datetime,
    *,
    org_code: str | None,
    service_code: str | None,
    lat: str | None,
    long: str | None,
    address_string: str | None,
    description: str | None,
    first_name: str | None,
    last_name: str | None,
    phone: str | None,
    email: str | None,
) -> Open311Created:
    """POST requests: `service_code` and a location (lat + long, or address_string) are required."""
    if not service_code:
        raise Open311Error(400, "service_code was not provided")
    category = session.scalar(
        select(Category).where(Category.code == service_code, Category.is_active.is_(True))
    )
    if category is None:
        raise Open311Error(404, f"service_code {service_code} not found")
    latitude, longitude = _decimal(lat, "lat"), _decimal(long, "long")
    if (latitude is None) != (longitude is None) or (latitude is None and not address_string):
        raise Open311Error(400, "a location is required: lat and long, or address_string")
    name = " ".join(part for part in (last_name, first_name) if part) or None
    text = (description or "").strip() or category.name_zh
    try:
        data = PublicComplaintCreate(
            category=category.code,
            title=text[:50] if len(text) >= 2 else category.name_zh,
            description=text if len(text) >= 2 else category.name_zh,
            location_text=address_string or None,
            latitude=latitude,
            longitude=longitude,
            reporter_name=name,
            reporter_phone=phone or None,
            reporter_email=email or None,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise Open311Error(400, f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc
    complaint = service.create_public(session, data, now, org_code=org_code)
    return Open311Created(
        service_request_id=str(complaint.id),
        token=complaint.tracking_code,
        service_notice=f"已登记，请妥善保存查询码 {complaint.tracking_code}，可凭此查询进度并评价",
        account_id=None,
    )
