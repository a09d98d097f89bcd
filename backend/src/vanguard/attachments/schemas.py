from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AttachmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int = Field(description="The organisation whose records the file documents")
    filename: str
    content_type: str = Field(description="Media type, checked against the file's content")
    size: int = Field(description="Bytes")
    sha256: str = Field(description="Hex digest of the content, for integrity checks")
    created_at: datetime
