"""The overdue sweep in the periodic-job loop: each tick sweeps with the app's clock."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from tests.complaints.conftest import Api
from tests.core.test_background import ticks
from vanguard.complaints.models import Complaint
from vanguard.complaints.sweeper import overdue_sweep_job
from vanguard.core import background
from vanguard.core.config import Settings


def test_each_tick_sweeps(api: Api, app: FastAPI, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    late = api.create()
    api.clock.advance(days=16)
    seen = ticks(monkeypatch, 2)
    job = overdue_sweep_job(Settings(VANGUARD_COMPLAINTS_SWEEP_SECONDS=300))  # type: ignore[call-arg]
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(background._loop(app, job))
    assert seen == [300, 300, 300]
    session.rollback()  # a fresh snapshot
    assert session.get_one(Complaint, late["id"]).overdue_at == api.clock.now()
