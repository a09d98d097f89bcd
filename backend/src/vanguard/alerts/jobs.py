"""The early-warning analysis as a periodic job, every `VANGUARD_ALERTS_RUN_SECONDS` (0: off)."""

from __future__ import annotations

from vanguard.alerts.service import daily_run
from vanguard.core.background import PeriodicJob
from vanguard.core.config import Settings


def alerts_job(settings: Settings) -> PeriodicJob:
    return PeriodicJob("alerts-run", settings.alerts_run_seconds, daily_run)
