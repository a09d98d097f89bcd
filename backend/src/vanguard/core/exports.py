"""Streamed CSV and XLSX exports of the API's lists, filtered by the list's own query.

One export route sits beside each list route (`add_export_route(router, list_members, …)` right after the
list's definition): its query parameters are *derived from the list function's signature* — every filter
and sort the list takes, minus `cursor` and `limit`, plus `format` — and it produces its rows by calling
that same list function page after page (keyset `cursor`, `EXPORT_CHUNK_ROWS` a page). So an export can
never drift from its list: same filters and validation, same scope (a secretary exports only their
branch; another branch's org is 404 as in the list), same ordering, and every row is the list's own JSON
item, masked exactly as the list masks it (a list never shows a full ID number, so neither does its
export). Columns have Chinese headers and Chinese labels for coded values.

Streaming: the pages are read in one read-only transaction of their own (a consistent snapshot on
PostgreSQL: REPEATABLE READ; SQLite's WAL snapshot holds for the transaction), opened when the request
arrives — the first page is read before the response starts, so a bad filter is still a problem+json
answer — and closed when the body is done. CSV (UTF-8 with a BOM so Excel opens Chinese; the `csv`
module quotes) goes out page by page. XLSX is written with xlsxwriter in constant_memory mode: each row is
flushed to a temporary file as it is written (strings inline, no shared-string table), so memory stays
flat whatever the row count; the finished file is then streamed from disk (a zip cannot be sent before it
is complete). xlsxwriter rather than openpyxl's write-only mode (flat too): 4x faster here on 20,000 rows
of 21 columns (2.1 s against 8.5 s; 4.8 s with lxml), and it writes strings as strings with no per-cell
override.

Cells that a spreadsheet would take for a formula (`=…`, `+…`, `-…`, `@…`) are kept as text: CSV
prefixes a `'` (OWASP's advice against CSV injection — complaint titles come from the public), XLSX
stores every string as a string cell, unchanged.

Each export writes one audit event (`entity="export"`, `entity_id=<kind>`, `action="export"`, the
format and the filters) in the request's own transaction, committed before the body is sent.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import tempfile
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from itertools import chain
from operator import attrgetter
from typing import Annotated, Any

import xlsxwriter
from fastapi import APIRouter, Query, Request, Response
from fastapi.params import Depends as DependsParam
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from sqlalchemy import text
from sqlalchemy.orm import Session

from vanguard.audit.hook import record_event
from vanguard.core.clock import CST, Clock, clock_of, local_today
from vanguard.core.downloads import content_disposition
from vanguard.core.errors import InvalidInput, problem_responses
from vanguard.core.pagination import Page
from vanguard.core.permissions import Principal
from vanguard.core.policy import EXPORT_CHUNK_ROWS
from vanguard.core.xlsx import DATE_FORMAT as XLSX_DATE_FORMAT
from vanguard.core.xlsx import DATETIME_FORMAT as XLSX_DATETIME_FORMAT
from vanguard.core.xlsx import XLSX_MEDIA_TYPE

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
FILE_CHUNK_BYTES = 64 * 1024
FORMULA_PREFIXES_CSV = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START_CSV = frozenset(FORMULA_PREFIXES_CSV)
TRUE_ZH, FALSE_ZH = "是", "否"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES: dict[ExportFormat, str] = {ExportFormat.CSV: CSV_MEDIA_TYPE, ExportFormat.XLSX: XLSX_MEDIA_TYPE}


# --- columns ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One exported column: its Chinese header, how to get the cell from a list item, its XLSX width."""

    header: str
    value: Callable[[Any], Any]
    width: int = 14


def col(
    header: str,
    source: str | Callable[[Any], Any],
    *,
    labels: Mapping[Any, str] | None = None,
    width: int = 14,
) -> Column:
    """A column from an item attribute (dotted: `location.address`) or a function of the item; `labels`
    turns coded values (enums) into Chinese words — a value without a label is written as it is."""
    getter = attrgetter(source) if isinstance(source, str) else source
    if labels is None:
        return Column(header, getter, width)
    words = dict(labels)

    def labelled(item: Any) -> Any:
        value = getter(item)
        if isinstance(value, list | tuple):
            return [words.get(v, v) for v in value]
        return words.get(value, value) if value is not None else None

    return Column(header, labelled, width)


# --- cells --------------------------------------------------------------------------------------------


def _local(value: datetime) -> datetime:
    """China time without a zone (spreadsheets have none); naive values are UTC, as the API reads them."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(CST).replace(tzinfo=None)


def _plain(value: Any) -> Any:
    """A cell value both writers understand: None, bool, int, float/Decimal, date, datetime or str."""
    if value is None or isinstance(value, bool | int | float | Decimal | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(str(_csv_text(_plain(v))) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE_ZH if value else FALSE_ZH
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_cell(value: Any) -> str:
    """The CSV text of a value: dates ISO, datetimes in China time, booleans 是/否, lists joined with 、,
    and text a spreadsheet would run as a formula prefixed with `'`."""
    if type(value) is str:  # the common cases first: this runs once per cell
        return "'" + value if value[:1] in _FORMULA_START_CSV else value
    if value is None:
        return ""
    if type(value) is int:
        return str(value)
    plain = _plain(value)
    out = _csv_text(plain)
    if isinstance(plain, str) and out.startswith(FORMULA_PREFIXES_CSV):
        return "'" + out
    return out


# --- writers ------------------------------------------------------------------------------------------


def csv_stream(columns: Sequence[Column], chunks: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """BOM and header first, then one `bytes` per chunk of items."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # the excel dialect: CRLF, quotes only where needed
    writer.writerow([c.header for c in columns])
    yield (BOM + buffer.getvalue()).encode("utf-8")
    for items in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([csv_cell(c.value(item)) for c in columns] for item in items)
        if buffer.tell():
            yield buffer.getvalue().encode("utf-8")


def xlsx_stream(columns: Sequence[Column], chunks: Iterable[Sequence[Any]], *, title: str) -> Iterator[bytes]:
    """An XLSX of one sheet, written row by row in xlsxwriter's constant_memory mode (each row is flushed
    to a temporary file as it is written, strings inline); the finished file is then yielded from disk in
    `FILE_CHUNK_BYTES` pieces. Every string is written as a string — never a formula, number or link."""
    with tempfile.TemporaryFile() as out:
        book = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        ws = book.add_worksheet(title[:31])
        bold = book.add_format({"bold": True, "align": "center"})
        day = book.add_format({"num_format": XLSX_DATE_FORMAT})
        moment = book.add_format({"num_format": XLSX_DATETIME_FORMAT})
        for index, column in enumerate(columns):
            ws.set_column(index, index, column.width)
        ws.freeze_panes(1, 0)
        for index, column in enumerate(columns):
            ws.write_string(0, index, column.header, bold)
        row = 0
        for items in chunks:
            for item in items:
                row += 1
                for index, column in enumerate(columns):
                    _write_cell(ws, row, index, column.value(item), day, moment)
        book.close()
        out.seek(0)
        while piece := out.read(FILE_CHUNK_BYTES):
            yield piece


def _write_cell(ws: Any, row: int, col: int, value: Any, day: Any, moment: Any) -> None:
    if value is None:
        return
    if type(value) is str:
        ws.write_string(row, col, value)
        return
    if type(value) is int:
        ws.write_number(row, col, value)
        return
    plain = _plain(value)
    if plain is None:
        return
    if isinstance(plain, bool):
        ws.write_string(row, col, TRUE_ZH if plain else FALSE_ZH)
    elif isinstance(plain, int | float | Decimal):
        ws.write_number(row, col, float(plain))
    elif isinstance(plain, datetime):
        ws.write_datetime(row, col, plain, moment)
    elif isinstance(plain, date):
        ws.write_datetime(row, col, datetime(plain.year, plain.month, plain.day), day)
    else:
        ws.write_string(row, col, str(plain))


def render(
    fmt: ExportFormat, columns: Sequence[Column], chunks: Iterable[Sequence[Any]], *, title: str
) -> Iterator[bytes]:
    if fmt is ExportFormat.CSV:
        return csv_stream(columns, chunks)
    return xlsx_stream(columns, chunks, title=title)


# --- exports of lists ---------------------------------------------------------------------------------

_PAGING = ("cursor", "limit")
_FORMAT_PARAM = "export_format"
_REQUEST_PARAM = "export_request"
FormatQuery = Annotated[ExportFormat, Query(alias="format", description="`csv` (UTF-8 with BOM) or `xlsx`")]


@dataclass
class ExportSpec:
    """What one export is: the list it walks and how its items become rows. Registered in `EXPORTS` by
    kind (`members`, `complaints` …) for the CLI."""

    kind: str
    title: str  # sheet name and file name stem, in Chinese
    path: str  # the export route's path under /api/v1, with {path_params}
    list_endpoint: Callable[..., Any]
    columns: Sequence[Column]
    org_param: str | None  # the filter that takes an org id (the CLI's --org), if the list has one
    session_param: str
    paged: bool
    hints: dict[str, Any] = field(default_factory=dict)
    filters: dict[str, inspect.Parameter] = field(default_factory=dict)  # by parameter name
    aliases: dict[str, str] = field(default_factory=dict)  # query name → parameter name
    path_params: tuple[str, ...] = ()

    def filename(self, fmt: ExportFormat, today: date) -> str:
        return f"{self.title}-{today.isoformat()}.{fmt.value}"


EXPORTS: dict[str, ExportSpec] = {}


def walk(
    spec: ExportSpec,
    session: Session,
    arguments: Mapping[str, Any],
    *,
    chunk_rows: int = EXPORT_CHUNK_ROWS,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[Any]]:
    """The list's items, one page (`chunk_rows` items, keyset-paged by the list itself) at a time;
    `progress(rows so far)` after each page."""
    kwargs = {**arguments, spec.session_param: session}
    cursor: str | None = None
    done = 0
    while True:
        result = (
            spec.list_endpoint(**kwargs, cursor=cursor, limit=chunk_rows)
            if spec.paged
            else (spec.list_endpoint(**kwargs))
        )
        items = result.items if isinstance(result, Page) else list(result)
        done += len(items)
        if progress is not None:
            progress(done)
        yield items
        if not isinstance(result, Page):
            return
        session.expunge_all()  # the page's rows are out: keep the identity map from growing
        cursor = result.next_cursor
        if cursor is None:
            return


def begin_read_snapshot(session: Session) -> None:
    """Start the export's read-only transaction: one snapshot for every page on PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        session.execute(text("SET TRANSACTION READ ONLY"))


def _closing(body: Iterator[bytes], session: Session) -> Iterator[bytes]:
    try:
        yield from body
    finally:
        session.rollback()
        session.close()


def stream_export(
    spec: ExportSpec,
    session: Session,
    arguments: Mapping[str, Any],
    fmt: ExportFormat,
    *,
    chunk_rows: int = EXPORT_CHUNK_ROWS,
    progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """The export's bytes. The first page is read now (so errors raise here, before anything is sent);
    the session is rolled back and closed once the body is done or abandoned."""
    try:
        begin_read_snapshot(session)
        pages = walk(spec, session, arguments, chunk_rows=chunk_rows, progress=progress)
        first = next(pages)
    except BaseException:
        session.rollback()
        session.close()
        raise
    return _closing(render(fmt, spec.columns, chain([first], pages), title=spec.title), session)


def audit_export(
    session: Session, spec: ExportSpec, caller: Principal, arguments: Mapping[str, Any], fmt: ExportFormat
) -> None:
    filters = {name: value for name, value in arguments.items() if name in spec.filters and value is not None}
    org_id = filters.get(spec.org_param) if spec.org_param else None
    record_event(
        session,
        entity="export",
        entity_id=spec.kind,
        action="export",
        org_id=org_id if isinstance(org_id, int) else caller.org_id,
        after={"format": fmt.value, "filters": filters},
    )


def _is_dependency(hint: Any) -> bool:
    if typing.get_origin(hint) is Annotated:
        return any(isinstance(m, DependsParam) for m in hint.__metadata__)
    return False


def base_type(hint: Any) -> Any:
    return typing.get_args(hint)[0] if typing.get_origin(hint) is Annotated else hint


def _alias(hint: Any, name: str) -> str:
    if typing.get_origin(hint) is Annotated:
        for meta in hint.__metadata__:
            alias = getattr(meta, "alias", None)
            if alias:
                return str(alias)
    return name


def _list_route(router: APIRouter, list_endpoint: Callable[..., Any]) -> APIRoute:
    for route in router.routes:
        if isinstance(route, APIRoute) and route.endpoint is list_endpoint:
            return route
    raise LookupError(f"{list_endpoint.__name__} is not a route of this router")


def add_export_route(
    router: APIRouter,
    list_endpoint: Callable[..., Any],
    *,
    kind: str,
    title: str,
    columns: Sequence[Column],
    org_param: str | None = None,
) -> ExportSpec:
    """Add `GET <list path>/export?format=csv|xlsx&<the list's filters>` to `router`, right after the list
    route (call it before any `/{id}` route of the same prefix, or `export` would be taken for an id)."""
    route = _list_route(router, list_endpoint)
    hints = typing.get_type_hints(list_endpoint, include_extras=True)
    signature = inspect.signature(list_endpoint)
    session_param = next(
        name for name, hint in hints.items() if _is_dependency(hint) and base_type(hint) is Session
    )
    route_path = route.path.removeprefix(router.prefix).rstrip("/") + "/export"
    full_path = route.path.rstrip("/") + "/export"
    path_params = tuple(p for p in signature.parameters if "{" + p + "}" in route.path)

    params: list[inspect.Parameter] = []
    filters: dict[str, inspect.Parameter] = {}
    for name, parameter in signature.parameters.items():
        if name in _PAGING:
            continue
        hint = hints[name]
        params.append(parameter.replace(annotation=hint))
        if not _is_dependency(hint) and base_type(hint) not in (Request, Response, Clock):
            filters[name] = parameter.replace(annotation=hint)
    params.append(
        inspect.Parameter(
            _FORMAT_PARAM, inspect.Parameter.KEYWORD_ONLY, annotation=FormatQuery, default=ExportFormat.CSV
        )
    )
    params.append(inspect.Parameter(_REQUEST_PARAM, inspect.Parameter.KEYWORD_ONLY, annotation=Request))
    # Keyword-only for all: FastAPI reads names and annotations, and the defaults stay where they were.
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]

    spec = ExportSpec(
        kind=kind,
        title=title,
        path=full_path,
        list_endpoint=list_endpoint,
        columns=columns,
        org_param=org_param,
        session_param=session_param,
        paged="cursor" in signature.parameters,
        hints=hints,
        filters=filters,
        aliases={_alias(hints[n], n): n for n in filters},
        path_params=path_params,
    )

    def export(**kwargs: Any) -> StreamingResponse:
        request: Request = kwargs.pop(_REQUEST_PARAM)
        fmt: ExportFormat = kwargs.pop(_FORMAT_PARAM)
        request_session: Session = kwargs[session_param]
        caller = next(v for v in kwargs.values() if isinstance(v, Principal))
        body = stream_export(spec, request.app.state.sessionmaker(), kwargs, fmt)
        audit_export(request_session, spec, caller, kwargs, fmt)
        filename = spec.filename(fmt, local_today(clock_of(request.app).now()))
        return StreamingResponse(
            body, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": content_disposition(filename)}
        )

    export.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    export.__name__ = f"export_{kind.replace('-', '_')}"
    export.__doc__ = (
        f"{title}: the list `{route.path}` as CSV (UTF-8 with BOM) or XLSX, streamed — every row the list "
        "would page through for the same filters, in the same order, masked as the list masks it."
    )
    responses: dict[int | str, dict[str, Any]] = {
        200: {
            "description": "The file (Content-Disposition names it)",
            "content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}},
        },
        **(route.responses or {}),
    }
    if 422 not in responses:
        responses.update(problem_responses(InvalidInput))
    router.add_api_route(
        route_path,
        export,
        methods=["GET"],
        name=export.__name__,
        response_class=StreamingResponse,
        responses=responses,
        summary=f"Export {kind.replace('-', ' ')}",
    )
    EXPORTS[kind] = spec
    return spec
