"""The XLSX template administrators fill in: our headers, and a sheet of the values each column takes."""

from __future__ import annotations

import openpyxl

from vanguard.core.xlsx import table_header, to_bytes
from vanguard.imports.columns import Column


def workbook(title: str, columns: list[Column], required: set[str]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = title
    table_header(
        sheet,
        [
            (
                f"{c.header}*" if c.field in required else c.header,
                14 if c.is_date else max(10, len(c.header) * 2 + 4),
            )
            for c in columns
        ],
    )

    notes = book.create_sheet("填写说明")
    table_header(notes, [("列", 18), ("可填写", 70), ("也可写作", 40)])
    for column in columns:
        if column.labels:
            allowed = "、".join(column.labels)
        elif column.is_date:
            allowed = "日期，如 2021-07-01、2021/7/1、2021年7月1日"
        else:
            allowed = "文本"
        notes.append([column.header, allowed, "、".join(column.aliases)])
    return to_bytes(book)
