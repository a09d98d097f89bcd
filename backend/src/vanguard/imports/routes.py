from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile

from vanguard.auth.deps import MemberWriter
from vanguard.core import policy
from vanguard.core.deps import SessionDep
from vanguard.core.downloads import content_disposition
from vanguard.core.errors import FieldError, Forbidden, InvalidInput, NotFound, problem_responses
from vanguard.core.xlsx import XLSX_MEDIA_TYPE
from vanguard.imports import members
from vanguard.imports.reading import ImportFileTooLarge, UnsupportedImportFile, read_table
from vanguard.imports.schemas import ImportMode, ImportReport
from vanguard.imports.template import workbook

router = APIRouter(prefix="/imports", tags=["imports"])


class ImportRejected(InvalidInput):
    code = "import_rejected"


@router.post(
    "/members",
    response_model=ImportReport,
    responses=problem_responses(NotFound, Forbidden, InvalidInput, ImportFileTooLarge, UnsupportedImportFile),
)
async def import_members(
    session: SessionDep,
    caller: MemberWriter,
    file: Annotated[
        UploadFile, File(description=".xlsx (first sheet) or .csv (UTF-8 or GBK); header in row 1")
    ],
    org_id: Annotated[
        int | None,
        Form(description="Org for rows that leave 所在党组织 empty (then the column may be absent)"),
    ] = None,
    dry_run: Annotated[bool, Form(description="Check every row and write nothing (the default)")] = True,
    mode: Annotated[
        ImportMode,
        Form(description="all_or_nothing: any bad row, nothing is written; valid_rows: skip bad rows"),
    ] = ImportMode.ALL_OR_NOTHING,
) -> ImportReport:
    """Import a member roll (党员名册), matched on the ID number: new members are created, known ones
    updated, identical ones left alone. Dry-run first: the report lists every bad cell by row and column.
    A real run (`dry_run=false`) in all_or_nothing mode writes every row or, if any row is bad, none (422
    naming the rows)."""
    table = read_table(file.filename or "", await file.read(policy.IMPORT_MAX_BYTES + 1))
    report = members.import_members(session, caller, table, default_org_id=org_id, dry_run=dry_run, mode=mode)
    if not dry_run and not report.committed:
        rows = len({e.row for e in report.errors})
        raise ImportRejected(
            f"{rows} 行有误，未导入任何数据",
            f"{rows} row(s) have errors; nothing was imported",
            errors=[
                FieldError(field=f"rows.{e.row}.{e.column or ''}", code=e.code, message=e.messages["zh-CN"])
                for e in report.errors
            ],
        )
    return report


@router.get(
    "/members/template.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "The template to fill in"}},
)
def member_import_template(caller: MemberWriter) -> Response:
    data = workbook(members.COLUMNS, set(members.REQUIRED))
    return Response(
        data,
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": content_disposition("党员名册导入模板.xlsx")},
    )
