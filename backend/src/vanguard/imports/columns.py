"""Turning spreadsheet cells into field values: headers in Chinese or English, labels or codes for enums,
dates as Excel dates or in the ways people type them."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class CellError(ValueError):
    """A cell that cannot become a value; the message is (zh, en)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclasses.dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Chinese header of our template
    aliases: tuple[str, ...] = ()
    labels: Mapping[str, StrEnum] = dataclasses.field(default_factory=dict)  # Chinese label → enum value
    is_date: bool = False

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.field, self.header, *self.aliases)}

    def parse(self, cell: Any) -> Any:
        if self.is_date:
            return parse_date(cell)
        text = str(cell).strip()
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))  # a phone or ID typed into a number cell
        if self.labels:
            return _enum(text, self.labels)
        return text


def _norm(name: str) -> str:
    return re.sub(r"[\s_（）()*]", "", name).lower()


def match_headers(headers: list[str], columns: list[Column]) -> tuple[dict[int, Column], list[str]]:
    """Which file column fills which field, and the headers nothing matches."""
    by_name = {name: column for column in columns for name in column.names()}
    matched: dict[int, Column] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        column = by_name.get(_norm(header)) if header else None
        if column is None or column in matched.values():
            if header:
                ignored.append(header)
            continue
        matched[index] = column
    return matched, ignored


def _enum(text: str, labels: Mapping[str, StrEnum]) -> StrEnum:
    if text in labels:
        return labels[text]
    for value in labels.values():
        if text.lower() == value.value:
            return value
    allowed = "、".join(labels)
    raise CellError(f"“{text}”不是可选值（{allowed}）", f"'{text}' is not one of: {allowed}")


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(cell: Any) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = str(cell).strip()
    match = _DATE.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(
        f"“{text}”不是有效日期（如 2021-07-01）", f"'{text}' is not a valid date (e.g. 2021-07-01)"
    )
