"""述学/评学: a member's study report per period, and the branch's comment and grade.

A report follows its member: the caller sees it exactly when they see the member (members' own
scoped loader decides), so a superior sees its subtree's reports and a transferred member's reports
move with them. The member's text is fixed once the branch has commented.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from vanguard.attachments.schemas import AttachmentRead
from vanguard.attachments.service import attachments_for_link
from vanguard.core.clock import local_today
from vanguard.core.errors import Conflict, FieldError, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Scope
from vanguard.members import service as members
from vanguard.members.models import Member
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.study.models import WHOLE_YEAR, StudyReport, StudyReportFile, report_span
from vanguard.study.schemas import (
    StudyReportCreate,
    StudyReportRead,
    StudyReportReview,
    StudyReportUpdate,
)


class ReportNotFound(NotFound):
    code = "study_report_not_found"
    message_zh = "述学报告不存在或不在您的管理范围内"
    message_en = "Study report not found, or outside your scope"


class DuplicateReport(Conflict):
    code = "duplicate_study_report"
    message_zh = "该党员在这一期间已提交述学报告"
    message_en = "The member has already filed a study report for this period"


class ReportReviewed(Conflict):
    code = "study_report_reviewed"
    message_zh = "支部已评学，述学报告不能再修改"
    message_en = "The branch has reviewed this report; it can no longer be edited"


def period_label(year: int, half: int) -> str:
    return f"{year}年" + {1: "上半年", 2: "下半年"}.get(half, "")


def _readable(scope: Scope) -> Select[Any]:
    return (
        select(StudyReport)
        .add_columns(Member.name)
        .join(Member, Member.id == StudyReport.member_id)
        .join(Organisation, Organisation.id == Member.org_id)
        .where(scope.clause(Organisation.path))
    )


def to_read(report: StudyReport, member_name: str) -> StudyReportRead:
    return StudyReportRead(
        id=report.id,
        member_id=report.member_id,
        member_name=member_name,
        org_id=report.org_id,
        year=report.year,
        half=report.half or None,
        content=report.content,
        attachments=[AttachmentRead.model_validate(a) for a in report.attachments],
        comment=report.comment,
        grade=report.grade,
        reviewed_by=report.reviewed_by,
        reviewed_at=report.reviewed_at,
        version=report.version,
        created_at=report.created_at,
        updated_at=report.updated_at,
    )


def get_report(
    session: Session, scope: Scope, report_id: int, *, for_update: bool = False
) -> tuple[StudyReport, str]:
    stmt = _readable(scope).where(StudyReport.id == report_id)
    if for_update:
        stmt = stmt.with_for_update(of=StudyReport)
    row = session.execute(stmt).one_or_none()
    if row is None:
        raise ReportNotFound()
    return row[0], row[1]


def create_report(
    session: Session, scope: Scope, data: StudyReportCreate, *, today: date | None = None
) -> tuple[StudyReport, str]:
    member = members.get_member(session, scope, data.member_id)
    half = data.half or WHOLE_YEAR
    today = today or local_today()
    if report_span(data.year, half)[0] > today:
        raise InvalidInput(
            "述学期间尚未开始",
            "The report's period has not started yet",
            code="report_period_in_future",
            errors=[
                FieldError.of(
                    "body.year", "report_period_in_future", "述学期间尚未开始", "the period has not started"
                )
            ],
        )
    duplicate = select(StudyReport.id).where(
        StudyReport.member_id == member.id, StudyReport.year == data.year, StudyReport.half == half
    )
    if session.scalar(duplicate) is not None:
        raise DuplicateReport()
    files = attachments_for_link(session, scope, data.attachment_ids, member.org_id)
    report = StudyReport(
        member_id=member.id,
        org_id=member.org_id,
        year=data.year,
        half=half,
        content=data.content,
        files=[StudyReportFile(attachment=f) for f in files],
    )
    session.add(report)
    session.flush()
    return report, member.name


def update_report(
    session: Session, scope: Scope, report_id: int, data: StudyReportUpdate, if_match: str | None
) -> tuple[StudyReport, str]:
    report, name = get_report(session, scope, report_id, for_update=True)
    check_if_match(if_match, report.version)
    if report.reviewed_at is not None:
        raise ReportReviewed()
    if data.content is not None:
        report.content = data.content
    if data.attachment_ids is not None:
        files = attachments_for_link(session, scope, data.attachment_ids, report.org_id)
        kept = {row.attachment_id: row for row in report.files}
        report.files = [kept.get(f.id) or StudyReportFile(attachment=f) for f in files]
    session.flush()
    return report, name


def review_report(
    session: Session,
    scope: Scope,
    report_id: int,
    data: StudyReportReview,
    if_match: str | None,
    *,
    reviewer: str,
    now: datetime | None = None,
) -> tuple[StudyReport, str]:
    """评学: record (or revise) the branch's comment and grade."""
    report, name = get_report(session, scope, report_id, for_update=True)
    check_if_match(if_match, report.version)
    report.comment, report.grade = data.comment, data.grade
    report.reviewed_by, report.reviewed_at = reviewer, now or datetime.now(UTC)
    session.flush()
    return report, name


def list_reports(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    member_id: int | None,
    year: int | None,
    cursor: str | None,
    limit: int,
) -> Page[StudyReportRead]:
    """Reports in the caller's scope, narrowed to the members of an org's subtree, a member and a year."""
    stmt = _readable(orgs.narrowed(session, scope, org_id))
    if member_id is not None:
        stmt = stmt.where(StudyReport.member_id == member_id)
    if year is not None:
        stmt = stmt.where(StudyReport.year == year)
    return paginate_by_id(
        session, stmt, StudyReport.id, cursor=cursor, limit=limit, to_item=lambda row: to_read(row[0], row[1])
    )
