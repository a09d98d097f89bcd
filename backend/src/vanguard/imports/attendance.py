"""Importing study attendance (学习出勤): the activity by its number, the member by ID number, the
status by its label; each row through `study.set_attendance`, the same rules as the attendance page
(the member on the activity's roll that day, a reason for leave). Upsert by (activity, member)."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.core import idcard
from vanguard.core.permissions import Permission, Principal
from vanguard.core.security import pii
from vanguard.imports.columns import CellError, Column
from vanguard.imports.kinds import (
    Batch,
    Cells,
    ChunkResult,
    Options,
    RowRefused,
    in_savepoint,
    row_error,
    validated,
)
from vanguard.imports.reading import Row
from vanguard.imports.schemas import Outcome
from vanguard.members import service as members
from vanguard.members.models import Member
from vanguard.study import service as study
from vanguard.study.models import Attendance, AttendanceStatus
from vanguard.study.schemas import AttendanceBulk, AttendanceEntry

COLUMNS: list[Column] = [
    Column("activity", "活动编号", ("活动ID", "activity_id")),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证")),
    Column("name", "姓名", ("党员姓名",)),
    Column(
        "status",
        "出勤情况",
        ("出勤", "考勤"),
        labels={
            "出席": AttendanceStatus.PRESENT,
            "参加": AttendanceStatus.PRESENT,
            "请假": AttendanceStatus.EXCUSED,
            "缺席": AttendanceStatus.ABSENT,
        },
    ),
    Column("leave_reason", "请假事由", ("事由",)),
]
# What the attendance service's errors are about, by the entry field they name.
_FIELDS = {"activity_not_found": "activity", "activity_in_future": "activity"}


class AttendanceKind:
    name: ClassVar[str] = "attendance"
    title: ClassVar[str] = "学习出勤"
    permission: ClassVar[Permission] = Permission.MEMBERS_WRITE
    columns: ClassVar[list[Column]] = COLUMNS
    required: ClassVar[tuple[str, ...]] = ("activity", "id_number", "status")
    org_field: ClassVar[str | None] = None
    natural_key: ClassVar[tuple[str, ...]] = ("activity", "id_number")

    def begin(self, session: Session, caller: Principal, cells: Cells, options: Options) -> Batch:
        return _Batch(session, caller, cells)


KIND = AttendanceKind()


class _Batch:
    def __init__(self, session: Session, caller: Principal, cells: Cells) -> None:
        self.session, self.caller, self.cells = session, caller, cells
        self.seen: dict[tuple[int, str], int] = {}

    def column(self, field_name: str) -> str | None:
        renamed = {"activity_id": "activity", "member_id": "id_number", "entries": "id_number"}
        name = field_name.split(".")[-1] if field_name.startswith("entries.") else field_name
        return self.cells.column(renamed.get(name, name))

    def chunk(self, rows: list[Row], *, write: bool) -> ChunkResult:
        result = ChunkResult()
        parsed: list[tuple[int, dict[str, Any]]] = []
        for number, cells in rows:
            try:
                parsed.append((number, self._values(number, cells)))
            except RowRefused as refused:
                result.errors.extend(refused.errors)
        on_roll = self._members([v["digest"] for _, v in parsed])
        for number, values in parsed:
            try:
                result.outcomes.append(self._row(number, values, on_roll))
            except RowRefused as refused:
                result.errors.extend(refused.errors)
        return result

    def _values(self, number: int, cells: list[Any]) -> dict[str, Any]:
        values = self.cells.values(number, cells, {"activity": _activity_id, "id_number": _digest})
        values["digest"] = values.pop("id_number", None)
        missing = [f for f in ("activity", "digest", "status") if values.get(f) is None]
        if missing:
            header = {"digest": "id_number"}
            raise RowRefused(
                [
                    row_error(number, self.column(header.get(f, f)), "missing", "不能为空", "Required")
                    for f in missing
                ]
            )
        key = (values["activity"], values["digest"])
        first = self.seen.setdefault(key, number)
        if first != number:
            zh, en = f"与第 {first} 行是同一活动的同一党员", f"Same activity and member as row {first}"
            raise RowRefused(
                [row_error(number, self.column("id_number"), "import_duplicate_in_file", zh, en)]
            )
        return values

    def _members(self, digests: list[str]) -> dict[str, Member]:
        """The chunk's members among those the caller sees, by ID-number digest (one query)."""
        if not digests:
            return {}
        found = self.session.scalars(
            members.readable(self.caller.scope).where(Member.id_number_digest.in_(digests))
        )
        return {m.id_number_digest: m for m in found if m.id_number_digest}

    def _row(self, number: int, values: dict[str, Any], on_roll: dict[str, Member]) -> Outcome:
        member = on_roll.get(values["digest"])
        if member is None:
            zh, en = (
                "找不到该身份证号码的党员（或无权访问）",
                "No member with this ID number that you may see",
            )
            raise RowRefused([row_error(number, self.column("id_number"), "import_member_not_found", zh, en)])
        if values.get("name") and values["name"] != member.name:
            zh, en = (
                f"姓名与身份证号码登记的“{member.name}”不符",
                "The name does not match the ID number's member",
            )
            raise RowRefused([row_error(number, self.column("name"), "import_name_mismatch", zh, en)])
        entry = validated(
            AttendanceEntry,
            {"member_id": member.id, "status": values["status"], "leave_reason": values.get("leave_reason")},
            number,
            self.column,
        )
        before = self.session.execute(
            select(Attendance.status, Attendance.leave_reason).where(
                Attendance.activity_id == values["activity"], Attendance.member_id == member.id
            )
        ).first()
        reason = entry.leave_reason if entry.status is not AttendanceStatus.PRESENT else None
        if before is not None and (before.status, before.leave_reason) == (entry.status, reason):
            return Outcome.UNCHANGED
        in_savepoint(
            self.session,
            number,
            self.column,
            lambda: study.set_attendance(
                self.session, self.caller.scope, values["activity"], AttendanceBulk(entries=[entry])
            ),
            _FIELDS,
        )
        return Outcome.CREATED if before is None else Outcome.UPDATED


def _activity_id(text: str) -> int:
    if not text.isdigit():
        raise CellError(f"“{text}”不是活动编号", f"'{text}' is not an activity number")
    return int(text)


def _digest(text: str) -> str:
    try:
        return pii.lookup_digest(idcard.parse(text).number)
    except idcard.InvalidIdNumber as exc:
        raise CellError(exc.zh, exc.en) from None
