"""Importing members (党员名册) from a spreadsheet: every row through the same rules as the API.

The whole import runs in a savepoint and each row in its own, so a dry run reports exactly what a real
run would, and a real run writes all rows or none.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from vanguard.audit.hook import record_event
from vanguard.core import idcard
from vanguard.core.errors import AppError, Conflict, FieldError
from vanguard.core.permissions import Principal
from vanguard.core.security import pii
from vanguard.imports.columns import CellError, Column, match_headers
from vanguard.imports.reading import Table
from vanguard.imports.schemas import ImportMode, ImportReport, Outcome, RowError
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
    """Resolves the org cell (code, or a unique name in the caller's subtree) once per distinct value."""

    def __init__(self, session: Session, caller: Principal) -> None:
        self.session, self.scope = session, caller.scope
        self.cache: dict[str, int] = {}

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


def import_members(
    session: Session,
    caller: Principal,
    table: Table,
    *,
    default_org_id: int | None,
    dry_run: bool,
    mode: ImportMode = ImportMode.ALL_OR_NOTHING,
    today: date | None = None,
) -> ImportReport:
    if default_org_id is not None:
        orgs.get(session, caller.scope, default_org_id)
    matched, ignored = match_headers(table.headers, COLUMNS)
    run = _Run(session, caller, table, matched, default_org_id, today)
    errors = run.missing_columns()
    if not errors:
        run.import_rows(dry_run=dry_run, mode=mode)
        errors = run.errors
    committed = (
        not dry_run and (mode is ImportMode.VALID_ROWS or not errors) and not run.header_errors(errors)
    )
    outcomes = Counter(run.outcomes)
    report = ImportReport(
        dry_run=dry_run,
        mode=mode,
        committed=committed,
        total_rows=len(table.rows),
        valid_rows=sum(outcomes.values()),
        created=outcomes[Outcome.CREATED],
        updated=outcomes[Outcome.UPDATED],
        unchanged=outcomes[Outcome.UNCHANGED],
        columns={table.headers[i]: column.field for i, column in matched.items()},
        ignored_columns=ignored,
        errors=errors,
    )
    record_event(
        session,
        entity="imports",
        entity_id="members",
        action="commit" if committed else "dry_run" if dry_run else "rejected",
        org_id=default_org_id or caller.org_id,
        after=report.model_dump(include={"mode", "total_rows", "created", "updated", "unchanged"})
        | {"errors": len(errors)},
    )
    return report


class _Run:
    def __init__(
        self,
        session: Session,
        caller: Principal,
        table: Table,
        matched: dict[int, Column],
        default_org_id: int | None,
        today: date | None,
    ) -> None:
        self.session, self.caller, self.table, self.matched = session, caller, table, matched
        self.default_org_id, self.today = default_org_id, today
        self.header_of = {column.field: table.headers[i] for i, column in matched.items()}
        self.orgs = _Orgs(session, caller)
        self.errors: list[RowError] = []
        self.outcomes: list[Outcome] = []
        self.rows_by_id_number: dict[str, int] = {}  # the first row of each ID number in the file
        self.known: dict[str, Member] = {}  # members already on a roll the caller sees, by ID digest

    def missing_columns(self) -> list[RowError]:
        needed = [*REQUIRED, *([] if self.default_org_id is not None else [ORG_FIELD])]
        headers = {c.field: c.header for c in COLUMNS}
        return [
            _error(
                1,
                headers[f],
                "import_column_missing",
                f"缺少“{headers[f]}”列",
                f"Missing column '{headers[f]}'",
            )
            for f in needed
            if f not in self.header_of
        ]

    @staticmethod
    def header_errors(errors: list[RowError]) -> bool:
        return any(e.row == 1 for e in errors)

    def import_rows(self, *, dry_run: bool, mode: ImportMode) -> None:
        """Every row in its own savepoint (a bad row leaves nothing), all of them in one more: rolled back
        on a dry run, and on any bad row unless the caller chose to keep the valid rows."""
        self._load_known_members()
        whole = self.session.begin_nested()
        for number, cells in self.table.rows:
            try:
                self.outcomes.append(self._row(number, cells))
            except _RowRefused as refused:
                self.errors.extend(refused.errors)
        if dry_run or (self.errors and mode is ImportMode.ALL_OR_NOTHING):
            whole.rollback()
        else:
            whole.commit()

    def _row(self, number: int, cells: list[Any]) -> Outcome:
        data = self._validated(number, self._values(number, cells))
        self._first_in_file(number, data.id_number)
        savepoint = self.session.begin_nested()
        try:
            outcome = self._upsert(number, data)
        except AppError as exc:
            savepoint.rollback()
            fields: list[FieldError] = exc.extra.get("errors") or []
            named = (self._column(f.field.removeprefix("body.")) for f in fields)
            at = next((h for h in named if h is not None), None)
            raise _RowRefused([_error(number, at, exc.problem_code, exc.zh, exc.en)]) from None
        savepoint.commit()
        return outcome

    def _values(self, number: int, cells: list[Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for index, column in self.matched.items():
            cell = cells[index] if index < len(cells) else None
            if cell is None or str(cell).strip() == "":
                continue
            try:
                value = column.parse(cell)
                values[column.field] = self.orgs.resolve(value) if column.field == ORG_FIELD else value
            except CellError as exc:
                header = self.header_of[column.field]
                errors.append(_error(number, header, "import_cell_invalid", exc.zh, exc.en))
        if errors:
            raise _RowRefused(errors)
        values["org_id"] = values.pop(ORG_FIELD, self.default_org_id)
        return values

    def _validated(self, number: int, values: dict[str, Any]) -> MemberCreate:
        try:
            return MemberCreate.model_validate(values)
        except ValidationError as exc:
            raise _RowRefused(
                [
                    _error(number, self._column(str(e["loc"][0])), e["type"], e["msg"], e["msg"])
                    for e in exc.errors()
                ]
            ) from None

    def _upsert(self, number: int, data: MemberCreate) -> Outcome:
        """The ID number is the natural key: a member already on a roll the caller sees is updated, so
        importing the same file twice changes nothing the second time."""
        existing = self._by_id_number(data.id_number)
        if existing is None:
            members.create(self.session, self.caller, data, today=self.today)
            return Outcome.CREATED
        if existing.org_id != data.org_id:
            raise MemberInAnotherOrg.at("org_id")
        if data.stage is not existing.stage and "stage" in data.model_fields_set:
            raise StageChangeRefused.at("stage")
        given = data.model_dump(include=set(MemberUpdate.model_fields) - {"id_number"}, exclude_unset=True)
        changes = {k: v for k, v in given.items() if getattr(existing, k) != v}
        if not changes:
            return Outcome.UNCHANGED
        members.update(
            self.session, self.caller, existing.id, MemberUpdate(**changes), None, today=self.today
        )
        return Outcome.UPDATED

    def _first_in_file(self, number: int, raw: str | None) -> None:
        # One person twice in a file is a mistake to fix, not an update of the row before.
        if raw is None:
            return
        first = self.rows_by_id_number.setdefault(idcard.normalise(raw), number)
        if first != number:
            zh, en = f"与第 {first} 行的身份证号码重复", f"Same ID number as row {first}"
            raise _RowRefused([_error(number, self._column("id_number"), "import_duplicate_in_file", zh, en)])

    def _load_known_members(self) -> None:
        """The members the file's ID numbers name, in a query per thousand rows instead of one per row."""
        index = next((i for i, c in self.matched.items() if c.field == "id_number"), None)
        if index is None:
            return
        digests = {
            pii.lookup_digest(idcard.normalise(str(self.matched[index].parse(cells[index]))))
            for _, cells in self.table.rows
            if index < len(cells) and cells[index] is not None and str(cells[index]).strip()
        }
        ordered = sorted(digests)
        for start in range(0, len(ordered), 1000):
            chunk = ordered[start : start + 1000]
            found = members.readable(self.caller.scope).where(Member.id_number_digest.in_(chunk))
            self.known.update(
                (m.id_number_digest, m) for m in self.session.scalars(found) if m.id_number_digest
            )

    def _by_id_number(self, raw: str | None) -> Member | None:
        if raw is None:
            return None
        return self.known.get(pii.lookup_digest(idcard.normalise(raw)))

    def _column(self, field_name: str) -> str | None:
        return self.header_of.get(ORG_FIELD if field_name == "org_id" else field_name)


class _RowRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


class MemberInAnotherOrg(Conflict):
    code = "import_member_in_another_org"
    message_zh = "该党员已在其他党组织的名册上；调整组织关系请办理组织关系转接"
    message_en = "This member is on another org's roll; move them with a transfer"


class StageChangeRefused(Conflict):
    code = "import_stage_change"
    message_zh = "发展阶段的变更须通过发展党员流程办理，不能通过导入修改"
    message_en = "The development stage changes through the pipeline, not by import"


def _error(number: int, column: str | None, code: str, zh: str, en: str) -> RowError:
    return RowError(row=number, column=column, code=code, messages={"zh-CN": zh, "en": en})
