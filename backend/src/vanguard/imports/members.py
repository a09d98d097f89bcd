"""Importing members (党员名册): every row through the members service's own schema and rules, a chunk
at a time — one query for the chunk's ID numbers, new members checked by `members.build` and inserted
together (their audit rows too, by the flush hook), known members updated through `members.update`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.core import idcard
from vanguard.core.errors import AppError, Conflict
from vanguard.core.permissions import Permission, Principal
from vanguard.core.security import pii
from vanguard.imports.bulk import insert_all
from vanguard.imports.columns import CellError, Column
from vanguard.imports.kinds import (
    Batch,
    Cells,
    ChunkResult,
    Options,
    RowRefused,
    refused_by,
    row_error,
    validated,
)
from vanguard.imports.reading import Row
from vanguard.imports.schemas import Outcome
from vanguard.members import service as members
from vanguard.members.models import Category, Education, Gender, Member, Stage
from vanguard.members.schemas import MemberCreate, MemberUpdate
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation

ORG_FIELD = "org"

COLUMNS: list[Column] = [
    Column("name", "姓名", ("党员姓名",)),
    Column(ORG_FIELD, "所在党组织", ("党组织", "所在支部", "支部", "党组织编码", "org_code")),
    Column("gender", "性别", labels={"男": Gender.MALE, "女": Gender.FEMALE}),
    Column("ethnicity", "民族"),
    Column("birth_date", "出生日期", is_date=True),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证")),
    Column("phone", "联系电话", ("手机号", "手机号码", "电话")),
    Column(
        "education",
        "学历",
        labels={
            "研究生": Education.POSTGRADUATE,
            "大学本科": Education.BACHELOR,
            "本科": Education.BACHELOR,
            "大学专科": Education.ASSOCIATE,
            "大专": Education.ASSOCIATE,
            "中专/高中": Education.SECONDARY,
            "高中": Education.SECONDARY,
            "中专": Education.SECONDARY,
            "初中及以下": Education.MIDDLE_OR_BELOW,
            "初中": Education.MIDDLE_OR_BELOW,
        },
    ),
    Column("occupation", "职业", ("工作岗位", "单位职务")),
    Column(
        "category",
        "党员类别",
        ("类别",),
        labels={
            "在职": Category.EMPLOYED,
            "农村": Category.RURAL,
            "离退休": Category.RETIRED,
            "流动": Category.FLOATING,
            "非公企业": Category.NON_PUBLIC,
            "学生": Category.STUDENT,
            "下岗失业": Category.UNEMPLOYED,
            "困难": Category.LOW_INCOME,
        },
    ),
    Column(
        "stage",
        "发展阶段",
        ("阶段", "人员类别"),
        labels={
            "入党申请人": Stage.APPLICANT,
            "入党积极分子": Stage.ACTIVIST,
            "积极分子": Stage.ACTIVIST,
            "发展对象": Stage.CANDIDATE,
            "预备党员": Stage.PROBATIONARY,
            "正式党员": Stage.FULL,
        },
    ),
    Column("applied_on", "申请入党日期", is_date=True),
    Column("activist_on", "确定积极分子日期", is_date=True),
    Column("candidate_on", "确定发展对象日期", is_date=True),
    Column("probationary_on", "入党日期", ("入党时间", "接收预备党员日期"), is_date=True),
    Column("full_member_on", "转正日期", ("转正时间",), is_date=True),
]
REQUIRED = ("name",)


class _Orgs:
    """Resolves the org cell (code, or a unique name in the caller's subtree) once per distinct value,
    and checks once per org that it may hold members."""

    def __init__(self, session: Session, caller: Principal) -> None:
        self.session, self.scope = session, caller.scope
        self.cache: dict[str, int] = {}
        self.rolls: dict[int, Organisation | AppError] = {}

    def resolve(self, text: str) -> int:
        if text not in self.cache:
            self.cache[text] = self._lookup(text)
        return self.cache[text]

    def _lookup(self, text: str) -> int:
        visible = orgs.readable(self.scope)
        by_code = self.session.scalars(visible.where(Organisation.code == text)).one_or_none()
        if by_code is not None:
            return by_code.id
        named = self.session.scalars(visible.where(Organisation.name == text).limit(2)).all()
        if len(named) == 1:
            return named[0].id
        if named:
            raise CellError(
                f"有多个名为“{text}”的党组织，请填写组织编码",
                f"Several orgs are named '{text}'; use the code",
            )
        raise CellError(f"找不到党组织“{text}”（或无权访问）", f"No org '{text}' that you may see")

    def roll(self, org_id: int) -> Organisation:
        if org_id not in self.rolls:
            try:
                self.rolls[org_id] = members.roll_org(self.session, self.scope, org_id)
            except AppError as exc:
                self.rolls[org_id] = exc
        found = self.rolls[org_id]
        if isinstance(found, AppError):
            raise found
        return found


class MembersKind:
    name: ClassVar[str] = "members"
    title: ClassVar[str] = "党员名册"
    permission: ClassVar[Permission] = Permission.MEMBERS_WRITE
    columns: ClassVar[list[Column]] = COLUMNS
    required: ClassVar[tuple[str, ...]] = REQUIRED
    org_field: ClassVar[str | None] = ORG_FIELD
    natural_key: ClassVar[tuple[str, ...]] = ("id_number",)

    def begin(self, session: Session, caller: Principal, cells: Cells, options: Options) -> Batch:
        if options.default_org_id is not None:
            orgs.get(session, caller.scope, options.default_org_id)
        return _Batch(session, caller, cells, options)


KIND = MembersKind()


class _Batch:
    def __init__(self, session: Session, caller: Principal, cells: Cells, options: Options) -> None:
        self.session, self.caller, self.options = session, caller, options
        self.cells = cells
        self.orgs = _Orgs(session, caller)
        self.rows_by_id_number: dict[str, int] = {}  # the first row of each ID number in the file

    def column(self, field_name: str) -> str | None:
        return self.cells.column(ORG_FIELD if field_name == "org_id" else field_name)

    def chunk(self, rows: list[Row], *, write: bool) -> ChunkResult:
        result = ChunkResult()
        checked: list[tuple[int, MemberCreate, str | None]] = []
        for number, cells in rows:
            try:
                data = self._validated(number, self._values(number, cells))
                checked.append((number, data, self._first_in_file(number, data.id_number)))
            except RowRefused as refused:
                result.errors.extend(refused.errors)
        holders = self._holders([d for _, _, d in checked if d is not None])
        new: list[Member] = []
        for number, data, digest in checked:
            try:
                holder = holders.get(digest) if digest is not None else None
                if holder is not None and self.caller.scope.contains(holder[1]):
                    result.outcomes.append(self._update(number, holder[0], data, write=write))
                else:
                    new.append(self._build(number, data, holders))
                    result.outcomes.append(Outcome.CREATED)
            except RowRefused as refused:
                result.errors.extend(refused.errors)
        if write and new:
            insert_all(self.session, new)
        return result

    # --- one row -----------------------------------------------------------------------------------

    def _values(self, number: int, cells: list[Any]) -> dict[str, Any]:
        values = self.cells.values(number, cells, {ORG_FIELD: self.orgs.resolve})
        values["org_id"] = values.pop(ORG_FIELD, self.options.default_org_id)
        return values

    def _validated(self, number: int, values: dict[str, Any]) -> MemberCreate:
        return validated(MemberCreate, values, number, self.column)

    def _first_in_file(self, number: int, raw: str | None) -> str | None:
        """The row's ID-number digest; one person twice in a file is a mistake to fix, not an update of
        the row before."""
        if raw is None:
            return None
        normalised = idcard.normalise(raw)
        first = self.rows_by_id_number.setdefault(normalised, number)
        if first != number:
            zh, en = f"与第 {first} 行的身份证号码重复", f"Same ID number as row {first}"
            raise RowRefused(
                [row_error(number, self.column("id_number"), "import_duplicate_in_file", zh, en)]
            )
        return pii.lookup_digest(normalised)

    def _holders(self, digests: list[str]) -> dict[str, tuple[Member, str]]:
        """Who already holds each of the chunk's ID numbers: digest → (member, their org's path)."""
        if not digests:
            return {}
        rows = self.session.execute(
            select(Member, Organisation.path)
            .join(Organisation, Organisation.id == Member.org_id)
            .where(Member.id_number_digest.in_(digests))
        )
        return {m.id_number_digest: (m, path) for m, path in rows if m.id_number_digest}

    def _build(self, number: int, data: MemberCreate, holders: dict[str, tuple[Member, str]]) -> Member:
        def holder_of(digest: str) -> tuple[int, int] | None:
            held = holders.get(digest)
            return (held[0].id, held[0].org_id) if held is not None else None

        try:
            org = self.orgs.roll(data.org_id)
            return members.build(self.session, self.caller.scope, org, data, self.options.today, holder_of)
        except AppError as exc:
            raise refused_by(number, exc, self.column) from None

    def _update(self, number: int, existing: Member, data: MemberCreate, *, write: bool) -> Outcome:
        """A member already on a roll the caller sees: updated through the members service (in a
        savepoint, rolled back when only checking), so importing the same file twice changes nothing."""
        if existing.org_id != data.org_id:
            raise refused_by(number, MemberInAnotherOrg.at("org_id"), self.column)
        if data.stage is not existing.stage and "stage" in data.model_fields_set:
            raise refused_by(number, StageChangeRefused.at("stage"), self.column)
        given = data.model_dump(include=set(MemberUpdate.model_fields) - {"id_number"}, exclude_unset=True)
        changes = {k: v for k, v in given.items() if getattr(existing, k) != v}
        if not changes:
            return Outcome.UNCHANGED
        savepoint = self.session.begin_nested()
        try:
            members.update(
                self.session,
                self.caller,
                existing.id,
                MemberUpdate(**changes),
                None,
                today=self.options.today,
            )
        except AppError as exc:
            savepoint.rollback()
            raise refused_by(number, exc, self.column) from None
        if write:
            savepoint.commit()
        else:
            savepoint.rollback()
        return Outcome.UPDATED


class MemberInAnotherOrg(Conflict):
    code = "import_member_in_another_org"
    message_zh = "该党员已在其他党组织的名册上；调整组织关系请办理组织关系转接"
    message_en = "This member is on another org's roll; move them with a transfer"


class StageChangeRefused(Conflict):
    code = "import_stage_change"
    message_zh = "发展阶段的变更须通过发展党员流程办理，不能通过导入修改"
    message_en = "The development stage changes through the pipeline, not by import"
