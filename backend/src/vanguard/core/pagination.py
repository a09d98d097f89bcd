"""Keyset pagination: opaque cursors that stay fast however deep the caller pages."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from vanguard.core.errors import InvalidInput
from vanguard.core.policy import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

T = TypeVar("T")
R = TypeVar("R")

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")]
Cursor = Annotated[str | None, Query(max_length=200, description="`next_cursor` of the previous page")]
DEFAULT_LIMIT = DEFAULT_PAGE_SIZE


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"
    message_zh = "分页游标无效"
    message_en = "Invalid page cursor"


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([last_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
        last_id = value[0]
    except (binascii.Error, ValueError, TypeError, IndexError, KeyError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(last_id, int) or isinstance(last_id, bool):
        raise InvalidCursor()
    return last_id


def paginate_by_id(
    session: Session,
    stmt: Select[Any],
    id_column: InstrumentedAttribute[int],
    *,
    cursor: str | None,
    limit: int,
    to_item: Callable[[Any], R],
    descending: bool = False,
) -> Page[R]:
    """Page `stmt` ordered by `id_column`; `to_item` maps each result row to the response item."""
    if cursor is not None:
        last_id = decode_cursor(cursor)
        stmt = stmt.where(id_column < last_id if descending else id_column > last_id)
    stmt = stmt.order_by(id_column.desc() if descending else id_column).limit(limit + 1)
    rows: Sequence[Any] = session.execute(stmt).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(_row_id(rows[-1], id_column)) if has_more and rows else None
    return Page[R](items=[to_item(row) for row in rows], next_cursor=next_cursor)


def scan_by_id(
    session: Session,
    stmt: Select[Any],
    id_column: InstrumentedAttribute[int],
    *,
    cursor: str | None,
    limit: int,
    batch_size: int,
    budget: int,
    keep: Callable[[Sequence[Any]], Mapping[int, R]],
) -> Page[R]:
    """A page of the rows of `stmt` that `keep` turns into items, for filters SQL cannot express: rows are
    read in `id_column` order, `batch_size` at a time, and `keep` maps a batch's ids to the items of those
    rows that qualify (one batch, a fixed number of statements). At most `budget` rows are read per
    request, so a page may hold fewer than `limit` items and still have a `next_cursor`."""
    last_id = decode_cursor(cursor) if cursor is not None else 0
    items: list[R] = []
    scanned = 0
    while len(items) < limit and scanned < budget:
        batch = session.scalars(stmt.where(id_column > last_id).order_by(id_column).limit(batch_size)).all()
        if not batch:
            return Page[R](items=items, next_cursor=None)
        kept = keep(batch)
        for row in batch:
            last_id = row.id
            scanned += 1
            if row.id in kept:
                items.append(kept[row.id])
                if len(items) == limit:
                    break
    more = session.scalar(select(stmt.where(id_column > last_id).exists()))
    return Page[R](items=items, next_cursor=encode_cursor(last_id) if more else None)


def encode_sort_cursor(value: Any, last_id: int) -> str:
    """The cursor `paginate_sorted` hands out after the row with this (sort value, id)."""
    plain = value.isoformat() if isinstance(value, date) else value
    return base64.urlsafe_b64encode(json.dumps([plain, last_id]).encode()).decode().rstrip("=")


def decode_sort_cursor(cursor: str, python_type: type[Any]) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw_value, last_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        value: Any
        if python_type is datetime:
            value = datetime.fromisoformat(raw_value)
        elif python_type is date:
            value = date.fromisoformat(raw_value)
        else:
            value = python_type(raw_value)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(last_id, int) or isinstance(last_id, bool):
        raise InvalidCursor()
    return value, last_id


def paginate_sorted(
    session: Session,
    stmt: Select[Any],
    sort: ColumnElement[Any],
    id_column: InstrumentedAttribute[int],
    *,
    descending: bool,
    cursor: str | None,
    limit: int,
    key: Callable[[Any], tuple[Any, int]],
    to_item: Callable[[Any], R],
) -> Page[R]:
    """Keyset paging on (sort, id): `sort` must be non-null (coalesce nullable columns first) and `key`
    returns a row's (sort value, id) so the next page starts exactly after it."""
    if cursor is not None:
        value, last_id = decode_sort_cursor(cursor, sort.type.python_type)
        position = tuple_(sort, id_column)
        boundary = tuple_(literal(value, sort.type), literal(last_id))
        stmt = stmt.where(position < boundary if descending else position > boundary)
    order = (sort.desc(), id_column.desc()) if descending else (sort.asc(), id_column.asc())
    rows: Sequence[Any] = session.execute(stmt.order_by(*order).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_sort_cursor(*key(rows[-1])) if has_more and rows else None
    return Page[R](items=[to_item(row) for row in rows], next_cursor=next_cursor)


def _row_id(row: Any, id_column: InstrumentedAttribute[int]) -> int:
    first = row[0]
    value = getattr(first, id_column.key, None)
    return int(value if value is not None else first)
