"""The overdue sweep as a periodic job, every `VANGUARD_COMPLAINTS_SWEEP_SECONDS` (0: off)."""

from __future__ import annotations

from vanguard.complaints.service import sweep_overdue
from vanguard.core.background import PeriodicJob
from vanguard.core.config import Settings


def overdue_sweep_job(settings: Settings) -> PeriodicJob:
    return PeriodicJob("overdue-sweep", settings.complaints_sweep_seconds, sweep_overdue)
