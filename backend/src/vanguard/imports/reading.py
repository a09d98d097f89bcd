"""Reading an uploaded CSV or XLSX into a header and numbered rows, as the spreadsheet shows them."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

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


Row = tuple[int, list[Any]]  # (row number as the spreadsheet shows it, cells)


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]


@dataclass
class Sheet:
    """A file read as it is iterated: the header, then data rows one at a time (blank rows skipped), so an
    import's memory does not grow with the file's length. `estimated_rows` is what the file says of its
    size (for progress bars), not a promise."""

    headers: list[str]
    rows: Iterator[Row]
    estimated_rows: int | None


def open_sheet(filename: str, data: bytes) -> Sheet:
    """The header is read at once (ImportFileEmpty without one); rows as they are asked for, raising
    ImportTooManyRows past the limit."""
    if len(data) > policy.IMPORT_MAX_BYTES:
        raise ImportFileTooLarge()
    suffix = PurePath(filename).suffix.lower()
    estimate: list[int | None] = [None]
    if suffix == ".xlsx":
        lines = _xlsx_rows(data, estimate)
    elif suffix == ".csv":
        lines = _csv_rows(data, estimate)
    else:
        raise UnsupportedImportFile()
    numbered = ((n, cells) for n, cells in lines if any(_present(c) for c in cells))
    header = next(numbered, None)
    if header is None:
        raise ImportFileEmpty()
    headers = [str(c).strip() if _present(c) else "" for c in header[1]]
    total = estimate[0] - header[0] if estimate[0] is not None else None
    return Sheet(headers, _limited(numbered), total if total is None or total >= 0 else None)


def _limited(rows: Iterator[Row]) -> Iterator[Row]:
    for count, row in enumerate(rows, start=1):
        if count > policy.IMPORT_MAX_ROWS:
            raise ImportTooManyRows()
        yield row


def read_table(filename: str, data: bytes) -> Table:
    """The whole file at once (small files, tests)."""
    sheet = open_sheet(filename, data)
    rows = list(sheet.rows)
    if not rows:
        raise ImportFileEmpty()
    return Table(sheet.headers, rows)


def _present(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _xlsx_rows(data: bytes, estimate: list[int | None]) -> Iterator[Row]:
    """The first sheet through calamine (Rust): about 25 times openpyxl's speed. It holds the sheet's
    cells in its own memory (a few times the file's size, bounded by IMPORT_MAX_BYTES) and hands rows to
    Python one at a time."""
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except _CALAMINE_ERRORS:
        raise UnsupportedImportFile() from None
    estimate[0] = sheet.end[0] + 1 if sheet.end is not None else 0
    try:
        # Rows come from the sheet's first row (blank ones above the data included), so numbers match.
        for n, row in enumerate(sheet.iter_rows(), start=1):
            yield n, list(row)
    except _CALAMINE_ERRORS:
        raise UnsupportedImportFile() from None


_CALAMINE_ERRORS = (CalamineError, ZipError, XmlError, PasswordError, ValueError, IndexError)


def _csv_rows(data: bytes, estimate: list[int | None]) -> Iterator[Row]:
    """Decoded as it is read (a whole decoded copy would cost 2–4 bytes per character on top of the
    upload), after a first pass that only checks which encoding the file is in."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding=_csv_encoding(data), newline="")
    sample = text.read(4096)
    text.seek(0)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    # A line feed byte is never part of a multi-byte character in UTF-8 or GB18030.
    estimate[0] = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        yield from enumerate(csv.reader(text, dialect), start=1)
    except csv.Error:
        raise UnsupportedImportFile() from None


_ENCODING_CHECK_BYTES = 1 << 20


def _csv_encoding(data: bytes) -> str:
    """UTF-8 (a BOM, if any, dropped) when the whole file is valid UTF-8; else GB18030, the superset of
    the GBK that Excel on Chinese Windows saves CSV in; else refused. Checked a megabyte at a time,
    keeping nothing."""
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(data, encoding):
            return encoding
    raise UnsupportedImportFile()


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _ENCODING_CHECK_BYTES):
            decoder.decode(view[start : start + _ENCODING_CHECK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
