"""Imports as jobs: the upload is checked at once (readable, a header, a data row), kept encrypted, and
imported by a job whose result is the ImportReport; the bad rows come back as an XLSX to fix."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import openpyxl
from sqlalchemy import delete
from sqlalchemy.orm import Session

from vanguard.core import policy
from vanguard.core.background import PeriodicJob
from vanguard.core.clock import local_today
from vanguard.core.errors import Conflict, NotFound
from vanguard.core.permissions import Principal
from vanguard.core.security import pii
from vanguard.core.xlsx import table_header, to_bytes
from vanguard.imports import attendance, members
from vanguard.imports import complaints as complaints_kind
from vanguard.imports import orgs as orgs_kind
from vanguard.imports import pairing as pairing_kind
from vanguard.imports.kinds import Kind, Options, run_import
from vanguard.imports.models import ImportFile
from vanguard.imports.reading import ImportFileEmpty, open_sheet
from vanguard.imports.schemas import ImportKind, ImportMode, ImportReport
from vanguard.jobs import service as jobs
from vanguard.jobs.context import JobContext
from vanguard.jobs.models import Job
from vanguard.orgs import service as orgs

KINDS: dict[ImportKind, Kind] = {
    ImportKind.MEMBERS: members.KIND,
    ImportKind.ORGS: orgs_kind.KIND,
    ImportKind.ATTENDANCE: attendance.KIND,
    ImportKind.PAIRING: pairing_kind.KIND,
    ImportKind.COMPLAINTS: complaints_kind.KIND,
}
JOB_KIND_PREFIX = "import."
ERROR_HEADER = "错误说明"


class ImportJobNotFound(NotFound):
    code = "import_job_not_found"
    message_zh = "导入任务不存在、不在您的管理范围内，或其文件已过保存期"
    message_en = "Import job not found, outside your scope, or its file is no longer kept"


class ImportStillRunning(Conflict):
    code = "import_running"
    message_zh = "导入尚未结束，请稍后再下载错误行"
    message_en = "The import has not finished; download its bad rows when it has"


def start_import(
    session: Session,
    caller: Principal,
    kind_name: ImportKind,
    filename: str,
    data: bytes,
    *,
    org_id: int | None,
    dry_run: bool,
    mode: ImportMode,
) -> Job:
    kind = KINDS[kind_name]
    caller.require(kind.permission)
    if org_id is not None:
        orgs.get(session, caller.scope, org_id)
    sheet = open_sheet(filename, data)  # unreadable files and empty ones are refused now, not in the job
    if next(sheet.rows, None) is None:
        raise ImportFileEmpty()
    today = local_today()

    def work(job_session: Session, context: JobContext) -> dict[str, Any]:
        report = run_import(
            job_session,
            caller,
            kind,
            open_sheet(filename, data),
            Options(default_org_id=org_id, dry_run=dry_run, mode=mode, today=today),
            context,
        )
        return report.model_dump(mode="json")

    job = jobs.start(
        session,
        caller,
        kind=JOB_KIND_PREFIX + kind.name,
        org_id=org_id if org_id is not None else caller.org_id,
        work=work,
        params={"file": filename, "dry_run": dry_run, "mode": mode.value, "default_org_id": org_id},
        total=sheet.estimated_rows,
    )
    session.add(
        ImportFile(job_id=job.id, kind=kind.name, filename=filename, data_cipher=pii.encrypt_bytes(data))
    )
    session.flush()
    return job


def report_of(job: Job) -> ImportReport | None:
    return ImportReport.model_validate(job.result) if job.result is not None else None


def bad_rows(session: Session, caller: Principal, job_id: int) -> tuple[str, bytes]:
    """The file's bad rows as they were, each with the reasons in an extra last column: fix, re-upload.
    Named after the upload; header-level problems (a missing column) appear as a note row."""
    job = jobs.get(session, caller, job_id)
    upload = session.get(ImportFile, job.id) if job.kind.startswith(JOB_KIND_PREFIX) else None
    if upload is None:
        raise ImportJobNotFound()
    if not job.state.finished:
        raise ImportStillRunning()
    report = report_of(job)
    reasons: dict[int, list[str]] = {}
    for error in report.errors if report is not None else []:
        text = error.messages["zh-CN"]
        reasons.setdefault(error.row, []).append(f"{error.column}：{text}" if error.column else text)
    sheet = open_sheet(upload.filename, pii.decrypt_bytes(upload.data_cipher))
    book = openpyxl.Workbook()
    out = book.active
    assert out is not None  # a new workbook always has one sheet
    out.title = KINDS[ImportKind(upload.kind)].title[:31]
    table_header(out, [(h or "", max(10, len(h) * 2 + 4)) for h in [*sheet.headers, ERROR_HEADER]])
    if 1 in reasons:
        out.append(["" for _ in sheet.headers] + ["；".join(reasons.pop(1))])
    if reasons:
        for number, cells in sheet.rows:
            if number in reasons:
                padded = [*cells, *([None] * (len(sheet.headers) - len(cells)))]
                out.append([*padded[: len(sheet.headers)], "；".join(reasons[number])])
    stem = upload.filename.rsplit(".", 1)[0]
    return f"{stem}-错误行.xlsx", to_bytes(book)


def purge_files(session: Session, now: datetime) -> int | None:
    """Uploads past their keeping time are deleted (the jobs and their reports stay); the count, if any."""
    cutoff = now - timedelta(days=policy.IMPORT_FILE_KEEP_DAYS)
    result = session.execute(delete(ImportFile).where(ImportFile.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0) or None


PURGE_JOB = PeriodicJob("import-files-purge", 3600, purge_files)


def template(kind_name: ImportKind) -> tuple[str, bytes]:
    from vanguard.imports.template import workbook

    kind = KINDS[kind_name]
    return f"{kind.title}导入模板.xlsx", workbook(kind.title, kind.columns, set(kind.required))
