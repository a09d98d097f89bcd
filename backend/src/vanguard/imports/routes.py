"""Imports run as jobs: upload (202 + the job), poll /jobs/{id}, download the bad rows to fix."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Response, UploadFile, status

from vanguard.auth.deps import CurrentPrincipal
from vanguard.core import policy
from vanguard.core.deps import SessionDep
from vanguard.core.downloads import content_disposition
from vanguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound, problem_responses
from vanguard.core.xlsx import XLSX_MEDIA_TYPE
from vanguard.imports import service
from vanguard.imports.reading import ImportFileTooLarge, UnsupportedImportFile
from vanguard.imports.schemas import ImportKind, ImportMode
from vanguard.jobs import service as jobs
from vanguard.jobs.schemas import JobRead

router = APIRouter(prefix="/imports", tags=["imports"])
_xlsx: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "An XLSX workbook"}
}


@router.post(
    "/{kind}",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        **problem_responses(NotFound, Forbidden, InvalidInput, ImportFileTooLarge, UnsupportedImportFile),
        202: {"description": "The import job; poll its Location (`/api/v1/jobs/{id}`)"},
    },
)
async def start_import(
    session: SessionDep,
    caller: CurrentPrincipal,
    kind: ImportKind,
    response: Response,
    file: Annotated[
        UploadFile, File(description=".xlsx (first sheet) or .csv (UTF-8 or GBK); header in row 1")
    ],
    org_id: Annotated[
        int | None,
        Form(description="Org for rows that leave the org column empty (then the column may be absent)"),
    ] = None,
    dry_run: Annotated[bool, Form(description="Check every row and write nothing (the default)")] = True,
    mode: Annotated[
        ImportMode,
        Form(description="all_or_nothing: any bad row, nothing is written; valid_rows: skip bad rows"),
    ] = ImportMode.ALL_OR_NOTHING,
) -> JobRead:
    """Import a spreadsheet as a job. members: the roll (党员名册), matched on the ID number — new members
    created, known ones updated, identical ones left alone (a second run of the same file changes
    nothing). Unreadable or empty files are refused at once; the rows are checked by the job with the
    same rules as the API. Poll `GET /jobs/{id}`: `done`/`failed`/`total`, ETA, and when it has finished
    `result`, the import report — every bad row with row number, column and message, and `committed`:
    whether rows were written (never on a dry run; under all_or_nothing only when no row is bad).
    `GET /imports/jobs/{id}/bad-rows.xlsx` returns the bad rows to fix and upload again."""
    data = await file.read(policy.IMPORT_MAX_BYTES + 1)
    job = service.start_import(
        session, caller, kind, file.filename or "", data, org_id=org_id, dry_run=dry_run, mode=mode
    )
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return jobs.to_read(job)


@router.get("/templates/{kind}.xlsx", response_class=Response, responses=_xlsx)
def import_template(caller: CurrentPrincipal, kind: ImportKind) -> Response:
    """The template to fill in: our Chinese headers (required ones starred; the aliases listed on the
    second sheet are accepted too) and the values each column takes."""
    name, data = service.template(kind)
    return Response(
        data, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": content_disposition(name)}
    )


@router.get(
    "/jobs/{job_id}/bad-rows.xlsx",
    response_class=Response,
    responses={**_xlsx, **problem_responses(NotFound, Forbidden, Conflict)},
)
def import_bad_rows(
    session: SessionDep, caller: CurrentPrincipal, job_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    """The import's bad rows as uploaded, with a last column `错误说明` giving every reason: fix them and
    upload this file again. 409 `import_running` until the job has finished."""
    name, data = service.bad_rows(session, caller, job_id)
    return Response(
        data, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": content_disposition(name)}
    )
