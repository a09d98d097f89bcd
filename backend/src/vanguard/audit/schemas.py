from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    actor_kind: str
    actor_id: int | None
    actor_name: str
    entity: str
    entity_id: str
    action: str
    org_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
