"""Cells and writers of core/exports.py, without a database."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from types import SimpleNamespace

from openpyxl import load_workbook

from vanguard.core.exports import BOM, col, csv_cell, csv_stream, xlsx_stream


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


def test_csv_cells() -> None:
    assert csv_cell(None) == ""
    assert csv_cell(True) == "是"
    assert csv_cell(False) == "否"
    assert csv_cell(3) == "3"
    assert csv_cell(Decimal("200.50")) == "200.50"
    assert csv_cell(date(2026, 7, 1)) == "2026-07-01"
    # 2026-11-30 17:30 UTC is 1 December 01:30 in China
    assert csv_cell(datetime(2026, 11, 30, 17, 30, tzinfo=UTC)) == "2026-12-01 01:30:00"
    assert csv_cell(Colour.RED) == "red"
    assert csv_cell(["甲", "乙"]) == "甲、乙"
    assert csv_cell({"b": 1, "a": "中"}) == '{"a": "中", "b": 1}'
    for risky in ("=SUM(A1)", "+8613800000000", "-1+1", "@cmd", "\t=1"):
        assert csv_cell(risky) == "'" + risky
    assert csv_cell("普通文本=1") == "普通文本=1"
    assert csv_cell(-5) == "-5"  # numbers are not text


def test_labels_turn_codes_into_words_and_keep_unknown_ones() -> None:
    column = col("颜色", "colour", labels={Colour.RED: "红"})
    assert column.value(SimpleNamespace(colour=Colour.RED)) == "红"
    assert column.value(SimpleNamespace(colour=Colour.BLUE)) == Colour.BLUE
    assert column.value(SimpleNamespace(colour=None)) is None
    assert column.value(SimpleNamespace(colour=[Colour.RED, Colour.BLUE])) == ["红", Colour.BLUE]
    nested = col("地址", "location.address")
    assert nested.value(SimpleNamespace(location=SimpleNamespace(address="甲一村"))) == "甲一村"


COLUMNS = [col("编号", "id"), col("名称", "name"), col("日期", "day"), col("时间", "at"), col("启用", "on")]


def _items(n: int, start: int = 0) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            id=i,
            name=f'名称,"{i}"\n第二行',
            day=date(2026, 1, 2),
            at=datetime(2026, 1, 1, 16, tzinfo=UTC),
            on=True,
        )
        for i in range(start, start + n)
    ]


def test_csv_stream_yields_a_bom_header_then_one_piece_per_chunk() -> None:
    chunks = [_items(3), [], _items(2, 3)]
    pieces = list(csv_stream(COLUMNS, chunks))
    assert len(pieces) == 3  # header, then the two non-empty chunks
    assert pieces[0] == (BOM + "编号,名称,日期,时间,启用\r\n").encode()
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["0", '名称,"0"\n第二行', "2026-01-02", "2026-01-02 00:00:00", "是"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "2", "3", "4"]


def test_xlsx_stream_writes_typed_cells_and_text_that_looks_like_a_formula() -> None:
    items = [*_items(2), SimpleNamespace(id=9, name='=HYPERLINK("x")', day=None, at=None, on=False)]
    data = b"".join(xlsx_stream(COLUMNS, [items], title="测试表"))
    book = load_workbook(io.BytesIO(data))
    sheet = book["测试表"]
    assert [c.value for c in sheet[1]] == ["编号", "名称", "日期", "时间", "启用"]
    assert sheet["A1"].font.b
    assert sheet["C2"].value == datetime(2026, 1, 2)
    assert sheet["C2"].is_date
    assert sheet["D2"].value == datetime(2026, 1, 2, 0, 0)  # China time
    assert sheet["E2"].value == "是"
    assert (sheet["B4"].value, sheet["B4"].data_type) == ('=HYPERLINK("x")', "s")
    assert sheet.max_row == 4
