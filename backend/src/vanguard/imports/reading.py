"""Reading an uploaded CSV or XLSX into a header and numbered rows, as the spreadsheet shows them."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import openpyxl

from vanguard.core import policy
from vanguard.core.errors import AppError, InvalidInput


class UnsupportedImportFile(AppError):
    status = 415
    code = "import_file_unsupported"
    message_zh = "只能导入 .xlsx 或 .csv 文件（CSV 可为 UTF-8 或 GBK 编码）"
    message_en = "Import a .xlsx or .csv file (CSV in UTF-8 or GBK)"


class ImportFileTooLarge(AppError):
    status = 413
    code = "import_file_too_large"
    message_zh = f"导入文件不能超过 {policy.IMPORT_MAX_BYTES // (1024 * 1024)} MB"
    message_en = f"Import files may not exceed {policy.IMPORT_MAX_BYTES // (1024 * 1024)} MB"


class ImportTooManyRows(InvalidInput):
    code = "import_too_many_rows"
    message_zh = f"一次最多导入 {policy.IMPORT_MAX_ROWS} 行，请分批导入"
    message_en = f"At most {policy.IMPORT_MAX_ROWS} rows per import; split the file"


class ImportFileEmpty(InvalidInput):
    code = "import_file_empty"
    message_zh = "文件中没有表头或数据行"
    message_en = "The file has no header or no data rows"


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def read_table(filename: str, data: bytes) -> Table:
    if len(data) > policy.IMPORT_MAX_BYTES:
        raise ImportFileTooLarge()
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        lines = _xlsx_rows(data)
    elif suffix == ".csv":
        lines = _csv_rows(data)
    else:
        raise UnsupportedImportFile()
    return _table(lines)


def _table(lines: Iterable[tuple[int, list[Any]]]) -> Table:
    numbered = ((n, cells) for n, cells in lines if any(_present(c) for c in cells))
    header = next(numbered, None)
    if header is None:
        raise ImportFileEmpty()
    headers = [str(c).strip() if _present(c) else "" for c in header[1]]
    rows: list[tuple[int, list[Any]]] = []
    for n, cells in numbered:
        if len(rows) == policy.IMPORT_MAX_ROWS:
            raise ImportTooManyRows()
        rows.append((n, cells))
    if not rows:
        raise ImportFileEmpty()
    return Table(headers, rows)


def _present(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnsupportedImportFile() from None
    try:
        sheet = book.worksheets[0]
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield n, list(row)
    finally:
        book.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    # Excel on Chinese Windows saves CSV as GBK (GB18030 is its superset); everything else uses UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnsupportedImportFile()
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1)
    except csv.Error:
        raise UnsupportedImportFile() from None
