"""The periodic pass that seals committed audit events into the hash chain (see vanguard.audit.chain)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from vanguard.audit import chain
from vanguard.core.background import PeriodicJob
from vanguard.core.config import Settings


def _seal(session: Session, _now: datetime) -> str | None:
    sealed = chain.seal(session.connection())
    return f"sealed {sealed} events" if sealed else None


def seal_job(settings: Settings) -> PeriodicJob:
    return PeriodicJob("audit-seal", settings.audit_seal_seconds, _seal)
