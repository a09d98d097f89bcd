from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from vanguard.jobs.models import JobState


class JobCreator(BaseModel):
    kind: str = Field(description="user, service or system")
    id: int | None
    name: str


class JobSummary(BaseModel):
    id: int
    kind: str = Field(description="What the job does, e.g. `import.members`")
    org_id: int | None = Field(description="The org whose subtree it works on; null: the whole tree")
    state: JobState
    total: int | None = Field(description="Items to handle, when known (an import's data rows)")
    done: int = Field(description="Items handled so far, good or bad")
    failed: int = Field(description="Items among `done` that failed (an import's bad rows)")
    progress: float | None = Field(description="done / total, 0–1; null while the total is unknown")
    rate_per_second: float | None = Field(description="Items handled per second since the job started")
    eta_seconds: int | None = Field(description="Seconds left at the current rate, while running")
    cancel_requested: bool
    created_by: JobCreator
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime = Field(description="Last progress written (the heartbeat)")


class JobRead(JobSummary):
    params: dict[str, Any] = Field(description="What was asked (an import's file name, dry_run, mode)")
    result: dict[str, Any] | None = Field(description="What the work returned (an import's report)")
    error: dict[str, Any] | None = Field(
        description="Why it failed: `code` and `messages` (`zh-CN`, `en`); `job_interrupted` after a crash"
    )
