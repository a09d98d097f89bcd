"""The demo's complaints: each walked through the real workflow as far as it has come."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.complaints.models import Complaint
from vanguard.demo.complaints import COMPLAINTS, seed_complaints

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_demo_complaints_cover_the_workflow_and_the_secretary_holds_some(
    session: Session, world: World
) -> None:
    secretary = world.users["sec_a1"]
    count = seed_complaints(session, department=world.users["county_admin"], secretary=secretary, now=NOW)
    session.commit()

    items = session.scalars(select(Complaint).order_by(Complaint.id)).all()
    assert count == len(items) == len(COMPLAINTS)
    assert [c.status.value for c in items] == [d.reached for d in COMPLAINTS]
    handed_over = [c for c in items if c.status.value in {"assigned", "in_progress", "resolved", "closed"}]
    assert {c.responsible_user_id for c in handed_over} == {secretary.id}
    assert {c.org_id for c in handed_over} == {secretary.org_id}
    # Received three weeks ago and never decided on: past the 15-day acceptance deadline.
    overdue = [c for c in items if c.due_at.replace(tzinfo=UTC) < NOW]
    assert {c.title for c in overdue} >= {"宅基地审批无人答复", "养殖场污水直排"}
    closed = next(c for c in items if c.status.value == "closed")
    assert (closed.rating, closed.closure_reason.value if closed.closure_reason else None) == (5, "fixed")
    assert Counter(c.channel.value for c in items)["hotline"] >= 4
    assert all(c.received_at.replace(tzinfo=UTC) >= NOW - timedelta(days=31) for c in items)
