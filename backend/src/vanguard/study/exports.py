"""The study archive for the paper file: an XLSX workbook and a printable HTML page (A4; the browser
prints it to PDF, so no PDF engine ships with the service). Neither carries the ID number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from vanguard.core.clock import CST, local_today
from vanguard.core.xlsx import DATE_FORMAT, DATETIME_FORMAT, table_header, to_bytes
from vanguard.study.models import ActivityKind, AttendanceStatus, ReportGrade
from vanguard.study.schemas import StudyArchive, StudyReportRead

KIND_ZH: dict[ActivityKind, str] = {
    ActivityKind.BRANCH_MEETING: "支部党员大会",
    ActivityKind.COMMITTEE_MEETING: "支委会",
    ActivityKind.GROUP_MEETING: "党小组会",
    ActivityKind.PARTY_LECTURE: "党课",
    ActivityKind.THEME_DAY: "主题党日",
    ActivityKind.TRAINING_CLASS: "培训班",
    ActivityKind.SELF_STUDY: "自学",
    ActivityKind.ONLINE_COURSE: "网络课程",
}
STATUS_ZH: dict[AttendanceStatus, str] = {
    AttendanceStatus.PRESENT: "出席",
    AttendanceStatus.EXCUSED: "请假",
    AttendanceStatus.ABSENT: "缺席",
}
GRADE_ZH: dict[ReportGrade, str] = {
    ReportGrade.EXCELLENT: "优秀",
    ReportGrade.GOOD: "良好",
    ReportGrade.FAIR: "一般",
    ReportGrade.POOR: "较差",
}

_env = Environment(
    loader=PackageLoader("vanguard.study", "templates"),
    autoescape=select_autoescape(["html"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def period_label(archive: StudyArchive) -> str:
    return f"{archive.start.isoformat()}至{archive.end.isoformat()}"


def report_period(report: StudyReportRead) -> str:
    return f"{report.year}年" + {1: "上半年", 2: "下半年"}.get(report.half or 0, "全年")


def filename(archive: StudyArchive, extension: str) -> str:
    return f"学习档案-{archive.member.name}-{archive.start.isoformat()}-{archive.end.isoformat()}.{extension}"


def _local(at: datetime) -> datetime:
    return at.astimezone(CST).replace(tzinfo=None)  # Excel has no time zones: China time, as printed


def _sheet(ws: Worksheet, headers: list[str], widths: list[int], rows: list[list[Any]]) -> None:
    table_header(ws, list(zip(headers, widths, strict=True)))
    for row in rows:
        ws.append(row)


def _number_formats(ws: Worksheet, formats: dict[int, str]) -> None:
    for row in ws.iter_rows(min_row=2):
        for column, fmt in formats.items():
            row[column - 1].number_format = fmt


def archive_xlsx(archive: StudyArchive) -> bytes:
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    summary = wb.create_sheet("概况")
    t = archive.totals
    rows: list[list[Any]] = [
        ["姓名", archive.member.name],
        ["所在组织", archive.member.org_name],
        ["起始日期", archive.start],
        ["截止日期", archive.end],
        ["学时合计", float(t.hours)],
        *[[f"{KIND_ZH[k.kind]}学时", float(k.hours)] for k in t.hours_by_kind],
        ["出席次数", t.attended],
        ["请假次数", t.excused],
        ["缺席次数", t.absent],
        ["补学次数", len(archive.makeups)],
        ["考试通过", t.exams_passed],
        ["考试未通过", t.exams_failed],
        *[[f"{y.year}年学时", float(y.hours)] for y in archive.by_year],
        *[
            [
                f"述学（{report_period(r)}）",
                f"评学：{GRADE_ZH[r.grade]}；{r.comment}" if r.grade is not None else "已提交，待评学",
            ]
            for r in archive.reports
        ],
    ]
    _sheet(summary, ["项目", "内容"], [18, 60], rows)
    for row in summary.iter_rows(min_row=4, max_row=5, min_col=2, max_col=2):  # 起始日期, 截止日期
        row[0].number_format = DATE_FORMAT

    activities = wb.create_sheet("活动")
    _sheet(
        activities,
        ["日期", "开始时间", "活动类型", "主题", "组织", "学时", "出勤", "请假事由", "已补学"],
        [12, 17, 14, 40, 24, 8, 8, 24, 8],
        [
            [
                a.day,
                _local(a.starts_at),
                KIND_ZH[a.kind],
                a.topic,
                a.org_name,
                float(a.hours),
                STATUS_ZH[a.status],
                a.leave_reason or "",
                "是" if a.made_up else "",
            ]
            for a in archive.activities
        ],
    )
    _number_formats(activities, {1: DATE_FORMAT, 2: DATETIME_FORMAT})

    exams = wb.create_sheet("考试")
    _sheet(
        exams,
        ["考试", "所属培训", "满分", "及格线", "第几次", "成绩", "考试日期", "本次结果", "是否通过"],
        [24, 36, 8, 8, 8, 8, 12, 10, 10],
        [
            [
                e.title,
                e.activity_topic,
                e.max_score,
                e.pass_mark,
                a.attempt,
                a.score,
                a.taken_on,
                "及格" if a.passed else "不及格",
                "已通过" if e.passed else "未通过",
            ]
            for e in archive.exams
            for a in e.attempts
        ],
    )
    _number_formats(exams, {7: DATE_FORMAT})

    absences = wb.create_sheet("缺勤")
    makeups = {m.activity_id: m for m in archive.makeups}
    _sheet(
        absences,
        ["日期", "活动类型", "主题", "情况", "事由", "补学日期", "补学方式", "补学学时"],
        [12, 14, 40, 8, 24, 12, 24, 10],
        [
            [
                a.day,
                KIND_ZH[a.kind],
                a.topic,
                STATUS_ZH[a.status],
                a.leave_reason or "",
                makeups[a.activity_id].studied_on if a.activity_id in makeups else None,
                makeups[a.activity_id].method if a.activity_id in makeups else "",
                float(makeups[a.activity_id].hours) if a.activity_id in makeups else None,
            ]
            for a in archive.absences
        ],
    )
    _number_formats(absences, {1: DATE_FORMAT, 6: DATE_FORMAT})

    return to_bytes(wb)


def archive_html(archive: StudyArchive, *, printed_on: datetime | None = None) -> str:
    template = _env.get_template("study_archive.html")
    return template.render(
        archive=archive,
        kind_zh=KIND_ZH,
        status_zh=STATUS_ZH,
        grade_zh=GRADE_ZH,
        report_period=report_period,
        makeups={m.activity_id: m for m in archive.makeups},
        printed_on=local_today(printed_on),
    )
