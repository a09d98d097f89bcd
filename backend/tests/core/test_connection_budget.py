"""`vanguard serve` warns when its processes could open more connections than PostgreSQL allows."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from vanguard.core.config import Settings
from vanguard.core.db import connection_budget_warning


def _settings(db_url: str) -> Settings:
    return Settings(DATABASE_URL=db_url, VANGUARD_DB_POOL_SIZE=10, VANGUARD_DB_MAX_OVERFLOW=10)  # type: ignore[call-arg]


def test_one_worker_fits_and_a_crowd_does_not(db_url: str) -> None:
    settings = _settings(db_url)
    assert connection_budget_warning(settings, 1) is None
    crowd = connection_budget_warning(settings, 1000)
    if make_url(db_url).get_backend_name() == "sqlite":
        assert crowd is None  # one file, no connection limit to exceed
    else:
        assert crowd is not None
        assert "1000 workers × 22 connections" in crowd
        assert "VANGUARD_DB_POOL_SIZE" in crowd
