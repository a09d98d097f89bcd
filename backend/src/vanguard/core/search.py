"""Free-text filters for list endpoints."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute


def contains(column: InstrumentedAttribute[str], text: str) -> ColumnElement[bool]:
    """`column` contains `text`, ignoring case; a `%` or `_` the user typed matches itself, not any text."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")
