"""Alerts fixtures: a fake clock on the app, and complaints written straight into the table with the
received time a test needs (the analysis reads only the table)."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.alerts.service import day_start
from vanguard.complaints.models import Category, Channel, Complaint, Status
from vanguard.core.clock import FakeClock

DAY = date(2026, 3, 2)  # the China day the tests analyse
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 20:00 CST on DAY
API = "/api/v1/alerts"
_codes = itertools.count(1)
_random = random.Random(13)


def _noise() -> str:
    """Twelve random CJK characters: texts that are near-duplicates of nothing."""
    return "".join(chr(0x4E00 + _random.randrange(20_000)) for _ in range(12))


@pytest.fixture
def clock(app: FastAPI) -> FakeClock:
    fake = FakeClock(NOW)
    app.state.clock = fake
    return fake


def category_id(session: Session, code: str) -> int:
    return session.scalars(select(Category.id).where(Category.code == code)).one()


def add_complaint(
    session: Session,
    world: World,
    org: str,
    *,
    day: date = DAY,
    category: str = "roads",
    title: str = "诉求",
    description: str = "内容",
    status: Status = Status.RECEIVED,
    hour: int = 9,
) -> int:
    """One complaint received at `hour`:00 China time on `day`; its id (not committed)."""
    received = day_start(day) + timedelta(hours=hour)
    c = Complaint(
        tracking_code=f"T{next(_codes):011d}",
        channel=Channel.HOTLINE,
        category_id=category_id(session, category),
        org_id=world.orgs[org].id,
        title=title,
        description=description,
        status=status,
        received_at=received,
        due_at=received + timedelta(days=15),
    )
    session.add(c)
    session.flush()
    return c.id


def add_daily(
    session: Session, world: World, org: str, counts: list[int], *, category: str = "roads"
) -> list[list[int]]:
    """`counts[i]` complaints on the day `len(counts) - 1 - i` days before DAY (the last is DAY itself)."""
    ids = []
    for i, n in enumerate(counts):
        day = DAY - timedelta(days=len(counts) - 1 - i)
        ids.append(
            [
                add_complaint(
                    session, world, org, day=day, category=category, description=_noise(), hour=k % 12
                )
                for k in range(n)
            ]
        )
    session.commit()
    return ids
