from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from vanguard.core.db import Base, utcnow


class ImportFile(Base):
    """An import's upload, encrypted (it holds ID numbers), kept so its bad rows can be handed back to
    fix; purged after policy.IMPORT_FILE_KEEP_DAYS."""

    __tablename__ = "import_files"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    data_cipher: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
