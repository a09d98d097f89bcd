"""`Annotated` dependency aliases shared by every feature's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header
from sqlalchemy.orm import Session

from vanguard.core.db import session_scope

# scope="function": commit before the response is sent, so a failed commit is never reported as success.
SessionDep = Annotated[Session, Depends(session_scope, scope="function")]
IfMatch = Annotated[
    str | None, Header(description="ETag from a previous read; a stale one is refused with 412")
]
