"""Reading uploads: XLSX and CSV (UTF-8 or GBK, comma or tab), blank rows skipped, row numbers kept."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest

from vanguard.core import policy
from vanguard.core.errors import AppError
from vanguard.imports.columns import CellError, Column, match_headers, parse_date
from vanguard.imports.reading import read_table


def xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_keeps_spreadsheet_row_numbers_and_skips_blank_rows() -> None:
    data = xlsx(
        [[], ["姓名", "入党日期"], ["张三", datetime(2001, 7, 1)], [None, None], ["李四", "2003/7/1"]]
    )
    table = read_table("名册.XLSX", data)
    assert table.headers == ["姓名", "入党日期"]
    assert table.rows == [(3, ["张三", date(2001, 7, 1)]), (5, ["李四", "2003/7/1"])]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_in_the_encodings_excel_writes(encoding: str, delimiter: str) -> None:
    text = delimiter.join(["姓名", "民族"]) + "\r\n" + delimiter.join(["王五", "汉族"]) + "\r\n"
    table = read_table("名册.csv", text.encode(encoding))
    assert table.headers == ["姓名", "民族"]
    assert table.rows == [(2, ["王五", "汉族"])]


@pytest.mark.parametrize(
    ("filename", "data", "code"),
    [
        ("roll.txt", b"a,b\n1,2\n", "import_file_unsupported"),
        ("roll.xlsx", b"not a zip at all", "import_file_unsupported"),
        ("roll.csv", b"", "import_file_empty"),
        ("roll.csv", "姓名\n".encode(), "import_file_empty"),
        ("roll.csv", b"\xd5\xc5\xff\xff,\x80\n", "import_file_unsupported"),  # neither UTF-8 nor GB18030
    ],
)
def test_unreadable_files_are_refused_with_a_code(filename: str, data: bytes, code: str) -> None:
    with pytest.raises(AppError) as refused:
        read_table(filename, data)
    assert refused.value.problem_code == code


def test_a_long_csv_is_decoded_across_the_encoding_checks_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vanguard.imports.reading._ENCODING_CHECK_BYTES", 7)  # splits "张" (3 bytes)
    lines = ["姓名,民族", *(f"张{i},汉族" for i in range(50))]
    for encoding in ("utf-8", "gb18030"):
        table = read_table("名册.csv", "\n".join(lines).encode(encoding))
        assert table.rows[-1] == (51, ["张49", "汉族"])
        assert len(table.rows) == 50


def test_row_and_size_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy, "IMPORT_MAX_ROWS", 2)
    with pytest.raises(AppError) as too_many:
        read_table("r.csv", "姓名\n甲\n乙\n丙\n".encode())
    assert too_many.value.problem_code == "import_too_many_rows"
    assert len(read_table("r.csv", "姓名\n甲\n乙\n".encode()).rows) == 2
    monkeypatch.setattr(policy, "IMPORT_MAX_BYTES", 10)
    with pytest.raises(AppError) as too_big:
        read_table("r.csv", "姓名\n甲乙丙丁\n".encode())
    assert too_big.value.status == 413


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2021-07-01", date(2021, 7, 1)),
        ("2021/7/1", date(2021, 7, 1)),
        ("2021.07.01", date(2021, 7, 1)),
        ("2021年7月1日", date(2021, 7, 1)),
        ("20210701", date(2021, 7, 1)),
        (datetime(2021, 7, 1, 0, 0), date(2021, 7, 1)),
    ],
)
def test_dates_as_people_type_them(cell: Any, expected: date) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["2021-02-30", "七月一日", "07/01/2021"])
def test_impossible_or_ambiguous_dates_are_refused(cell: str) -> None:
    with pytest.raises(CellError):
        parse_date(cell)


def test_headers_match_by_chinese_name_alias_or_field_and_unknown_ones_are_listed() -> None:
    columns = [Column("name", "姓名"), Column("id_number", "身份证号", ("公民身份号码",))]
    matched, ignored = match_headers(["备注", " 姓 名* ", "公民身份号码", "id_number"], columns)
    assert {i: c.field for i, c in matched.items()} == {1: "name", 2: "id_number"}
    assert ignored == ["备注", "id_number"]  # a second column for a field already filled is not read
