"""The periodic pass that seals committed audit events into the hash chain (see vanguard.audit.chain).

On SQLite the writing transactions seal their own events as they commit (vanguard.audit.commit_seal);
there the pass finds only what was written around the application (hand-written SQL).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from vanguard.audit import chain, commit_seal
from vanguard.core.background import PeriodicJob
from vanguard.core.config import Settings


def seal_pending(session: Session, pause: Callable[[float], None] | None = None) -> int:
    """Seal every committed event not sealed yet, a batch per transaction: a backlog (the demo load, a
    CLI import) never holds SQLite's one write lock, or the chain's advisory lock, for long.

    With `pause`, the pass rests between batches as long as the last batch took: back-to-back
    transactions would otherwise take SQLite's lock again before a waiting writer's busy handler wakes,
    and a request could wait out its busy timeout behind a long backlog (503 database_busy)."""
    session.info[commit_seal.SEALS_ITSELF] = True  # a batch per commit, even on SQLite
    total = 0
    while True:
        started = time.monotonic()
        sealed = chain.seal(session.connection(), limit=chain.SEAL_BATCH)
        session.commit()
        total += sealed
        if sealed < chain.SEAL_BATCH:
            return total
        if pause is not None:
            pause(time.monotonic() - started)


def _seal(session: Session, _now: datetime) -> str | None:
    sealed = seal_pending(session, pause=time.sleep)
    return f"sealed {sealed} events" if sealed else None


def seal_job(settings: Settings) -> PeriodicJob:
    return PeriodicJob("audit-seal", settings.audit_seal_seconds, _seal)
