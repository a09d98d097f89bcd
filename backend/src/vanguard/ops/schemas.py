from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Backend = Literal["postgresql", "sqlite"]


class ProbeStatus(BaseModel):
    status: Literal["ok"] = "ok"


class Manifest(BaseModel):
    """Written next to a backup as `<file>.manifest.json`; `vanguard restore` checks the file against it."""

    backend: Backend
    created_at: datetime
    revision: str | None = Field(description="Alembic revision of the backed-up schema (None: unmigrated)")
    sha256: str = Field(description="Of the backup file")
    tables: dict[str, int] = Field(description="Row count of every table at the instant of the backup")


class Restored(BaseModel):
    revision: str | None
    tables: dict[str, int]
    expected_revision: str = Field(description="The head of this release's migration chain")
    mismatched: list[str] = Field(
        default_factory=list, description="Tables whose row count differs from the backup's manifest"
    )
