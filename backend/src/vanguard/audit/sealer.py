"""The periodic pass that seals committed audit events into the hash chain (see vanguard.audit.chain)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from vanguard.audit import chain
from vanguard.core.background import PeriodicJob
from vanguard.core.config import Settings


def seal_pending(session: Session) -> int:
    """Seal every committed event not sealed yet, a batch per transaction: a backlog (the demo load, a
    CLI import) never holds SQLite's one write lock, or the chain's advisory lock, for long."""
    total = 0
    while True:
        sealed = chain.seal(session.connection(), limit=chain.SEAL_BATCH)
        session.commit()
        total += sealed
        if sealed < chain.SEAL_BATCH:
            return total


def _seal(session: Session, _now: datetime) -> str | None:
    sealed = seal_pending(session)
    return f"sealed {sealed} events" if sealed else None


def seal_job(settings: Settings) -> PeriodicJob:
    return PeriodicJob("audit-seal", settings.audit_seal_seconds, _seal)
