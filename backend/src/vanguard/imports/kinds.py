"""What every import kind shares: a Kind names its columns and natural key and checks and writes rows a
chunk at a time; `run_import` drives it over a streamed sheet inside one savepoint, reports progress to
the job, stops when cancelled, and decides at the end whether the rows stay (real run; all rows good or
mode=valid_rows) or go (dry run, or any bad row under all_or_nothing)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from vanguard.audit.hook import record_event
from vanguard.core import policy
from vanguard.core.errors import AppError, FieldError
from vanguard.core.permissions import Permission, Principal
from vanguard.core.validation_messages import zh_message
from vanguard.imports.columns import CellError, Column, match_headers
from vanguard.imports.reading import Row, Sheet
from vanguard.imports.schemas import ImportMode, ImportReport, Outcome, RowError
from vanguard.jobs.context import JobCancelled, JobContext


class RowRefused(Exception):
    """A row that cannot be imported, with every error found in it."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def row_error(number: int, column: str | None, code: str, zh: str, en: str) -> RowError:
    return RowError(row=number, column=column, code=code, messages={"zh-CN": zh, "en": en})


@dataclass
class Options:
    default_org_id: int | None
    dry_run: bool
    mode: ImportMode
    today: date


@dataclass
class ChunkResult:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class Batch(Protocol):
    """One import in progress: checks (and, when `write`, writes) a chunk of rows."""

    def chunk(self, rows: list[Row], *, write: bool) -> ChunkResult: ...


class Kind(Protocol):
    name: ClassVar[str]  # the URL's {kind}
    title: ClassVar[str]  # the template's sheet name
    permission: ClassVar[Permission]
    columns: ClassVar[list[Column]]
    required: ClassVar[tuple[str, ...]]  # fields whose column must be there
    org_field: ClassVar[str | None]  # a column the form's org_id may stand in for
    natural_key: ClassVar[tuple[str, ...]]  # what an existing record is matched on

    def begin(self, session: Session, caller: Principal, cells: Cells, options: Options) -> Batch: ...


class Cells:
    """A row's cells by field, parsed by their columns; every bad cell collected before refusing."""

    def __init__(self, matched: dict[int, Column], headers: dict[str, str]) -> None:
        self.matched = matched  # file column index → our column
        self.headers = headers  # field → the file's header for it

    def column(self, field_name: str) -> str | None:
        """The file's header for a field (error reports name columns as the file does)."""
        return self.headers.get(field_name)

    def values(self, number: int, cells: list[Any], resolve: dict[str, Any] | None = None) -> dict[str, Any]:
        """Present cells parsed; `resolve` maps a field to a function turning its parsed text into a value
        (an org code into an id) that may raise CellError."""
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for index, column in self.matched.items():
            cell = cells[index] if index < len(cells) else None
            if cell is None or str(cell).strip() == "":
                continue
            try:
                value = column.parse(cell)
                if resolve and column.field in resolve:
                    value = resolve[column.field](value)
                values[column.field] = value
            except CellError as exc:
                errors.append(
                    row_error(number, self.headers[column.field], "import_cell_invalid", exc.zh, exc.en)
                )
        if errors:
            raise RowRefused(errors)
        return values


def refused_by(
    number: int, exc: AppError, column_of: Any, fields_by_code: dict[str, str] | None = None
) -> RowRefused:
    """A service's refusal of one row, pointed at the column of the field it names (or, for errors that
    name none, the field `fields_by_code` gives for its code)."""
    fields: list[FieldError] = exc.extra.get("errors") or []
    named = (column_of(f.field.removeprefix("body.")) for f in fields)
    at = next((h for h in named if h is not None), None)
    if at is None and fields_by_code and exc.problem_code in fields_by_code:
        at = column_of(fields_by_code[exc.problem_code])
    return RowRefused([row_error(number, at, exc.problem_code, exc.zh, exc.en)])


M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def validated(
    model: type[M], values: dict[str, Any], number: int, column_of: Callable[[str], str | None]
) -> M:
    """The feature's own request schema checks the row, as it checks an API body."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise RowRefused(
            [
                row_error(number, column_of(str(e["loc"][0])), e["type"], zh_message(dict(e)), e["msg"])
                for e in exc.errors()
            ]
        ) from None


def in_savepoint(
    session: Session,
    number: int,
    column_of: Callable[[str], str | None],
    write: Callable[[], T],
    fields_by_code: dict[str, str] | None = None,
) -> T:
    """One row's write through a feature's service; a refusal leaves nothing of the row behind."""
    savepoint = session.begin_nested()
    try:
        result = write()
    except AppError as exc:
        savepoint.rollback()
        raise refused_by(number, exc, column_of, fields_by_code) from None
    savepoint.commit()
    return result


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def run_import(
    session: Session,
    caller: Principal,
    kind: Kind,
    sheet: Sheet,
    options: Options,
    context: JobContext | None = None,
) -> ImportReport:
    """Check every row; write them in one savepoint that is kept or rolled back at the end. Once a row
    is bad under all_or_nothing, later rows are still checked (the report lists every bad row) but no
    longer written: they would be rolled back anyway."""
    caller.require(kind.permission)
    matched, ignored = match_headers(sheet.headers, kind.columns)
    headers = {column.field: sheet.headers[i] for i, column in matched.items()}
    errors = _missing_columns(kind, headers, options)
    outcomes: Counter[Outcome] = Counter()
    total = done = 0
    if not errors:
        batch = kind.begin(session, caller, Cells(matched, headers), options)
        whole = session.begin_nested()
        write = not options.dry_run
        bad_rows: set[int] = set()
        for chunk in _chunks(sheet.rows, policy.IMPORT_CHUNK_ROWS):
            if context is not None and context.cancelled():
                whole.rollback()
                raise JobCancelled()
            result = batch.chunk(chunk, write=write)
            outcomes.update(result.outcomes)
            errors.extend(result.errors)
            bad_rows.update(e.row for e in result.errors)
            done += len(chunk)
            if errors and options.mode is ImportMode.ALL_OR_NOTHING:
                write = False
            if context is not None:
                context.progress(done, len(bad_rows), max(done, sheet.estimated_rows or 0) or None)
        total = done
        if options.dry_run or (errors and options.mode is ImportMode.ALL_OR_NOTHING):
            whole.rollback()
        else:
            whole.commit()
        if context is not None:
            context.progress(done, len(bad_rows), total)
    header_bad = any(e.row == 1 for e in errors)
    committed = (
        not options.dry_run and not header_bad and (options.mode is ImportMode.VALID_ROWS or not errors)
    )
    report = ImportReport(
        kind=kind.name,
        dry_run=options.dry_run,
        mode=options.mode,
        committed=committed,
        total_rows=total,
        valid_rows=sum(outcomes.values()),
        created=outcomes[Outcome.CREATED],
        updated=outcomes[Outcome.UPDATED],
        unchanged=outcomes[Outcome.UNCHANGED],
        columns={sheet.headers[i]: column.field for i, column in matched.items()},
        ignored_columns=ignored,
        errors=sorted(errors, key=lambda e: e.row),
    )
    record_event(
        session,
        entity="imports",
        entity_id=kind.name,
        action="commit" if committed else "dry_run" if options.dry_run else "rejected",
        org_id=options.default_org_id or caller.org_id,
        after=report.model_dump(include={"mode", "total_rows", "created", "updated", "unchanged"})
        | {"errors": len(errors)},
    )
    return report


def _missing_columns(kind: Kind, headers: dict[str, str], options: Options) -> list[RowError]:
    needed = [*kind.required]
    if kind.org_field is not None and options.default_org_id is None:
        needed.append(kind.org_field)
    names = {c.field: c.header for c in kind.columns}
    return [
        row_error(1, names[f], "import_column_missing", f"缺少“{names[f]}”列", f"Missing column '{names[f]}'")
        for f in needed
        if f not in headers
    ]
