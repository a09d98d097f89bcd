from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.core.db import Base, TimestampMixin, str_enum


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


class Job(TimestampMixin, Base):
    """Long work (an import, a recomputation) run outside the request that asked for it.

    Progress (`done`, `failed`, `total`) is written in short transactions of its own while the work runs
    in one transaction; `updated_at` doubles as the heartbeat. Not `Audited` row by row (progress would
    flood the log): the job's start, cancellation and end are recorded as audit events.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # The org whose subtree the work touches; None: the whole tree (administrators).
    org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    creator_kind: Mapped[str] = mapped_column(String(16))  # user | service | system
    creator_id: Mapped[int | None]
    creator_name: Mapped[str] = mapped_column(String(128))
    state: Mapped[JobState] = mapped_column(str_enum(JobState), default=JobState.QUEUED)
    total: Mapped[int | None]
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    # host:pid:boot-token of the process whose runner holds the job (recovery after a crash).
    worker: Mapped[str | None] = mapped_column(String(160))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {"code": …, "messages": {zh-CN, en}}

    __table_args__ = (
        Index("ix_jobs_org_id_id", "org_id", "id"),
        Index("ix_jobs_creator", "creator_kind", "creator_id", "id"),
        Index("ix_jobs_state", "state"),
    )
