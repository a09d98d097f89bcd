"""Importing the organisation tree (组织架构): upsert by org code, the parent named by its code (an org
created earlier in the same file will do), each row through the orgs service's own create and update."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.core.errors import Conflict
from vanguard.core.permissions import Permission, Principal
from vanguard.imports.columns import CellError, Column
from vanguard.imports.kinds import (
    Batch,
    Cells,
    ChunkResult,
    Options,
    RowRefused,
    in_savepoint,
    refused_by,
    row_error,
    validated,
)
from vanguard.imports.reading import Row
from vanguard.imports.schemas import Outcome
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation, OrgKind
from vanguard.orgs.schemas import OrgCreate, OrgUpdate

PARENT_FIELD = "parent"
KIND_LABELS = {
    "党委": OrgKind.COMMITTEE,
    "党工委": OrgKind.WORKING_COMMITTEE,
    "党总支": OrgKind.GENERAL_BRANCH,
    "党支部": OrgKind.BRANCH,
    "支部": OrgKind.BRANCH,
    "党小组": OrgKind.GROUP,
}
COLUMNS: list[Column] = [
    Column("name", "组织名称", ("党组织名称", "名称")),
    Column("code", "组织编码", ("编码", "组织代码", "org_code")),
    Column(PARENT_FIELD, "上级组织编码", ("上级组织", "上级编码", "parent_code")),
    Column("kind", "组织类别", ("类别", "组织类型"), labels=KIND_LABELS),
    Column("secretary_name", "书记", ("书记姓名",)),
    Column("contact_phone", "联系电话", ("电话",)),
    Column("established_on", "成立日期", ("成立时间",), is_date=True),
    Column("population", "服务人口", ("人口",)),
]
# The orgs service's refusals that name no field, and the column each is about.
_FIELDS = {
    "invalid_parent_kind": "kind",
    "parent_org_not_found": PARENT_FIELD,
    "top_level_org_forbidden": PARENT_FIELD,
    "duplicate_org_code": "code",
    "conflict": PARENT_FIELD,  # a dissolved parent
}
_UPDATABLE = ("name", "kind", "secretary_name", "contact_phone", "established_on", "population")


class OrgMoveRefused(Conflict):
    code = "import_org_moved"
    message_zh = "该组织已在其他上级组织下；调整隶属关系请使用“移动组织”"
    message_en = "This org sits under another parent; re-parent it with the move operation"


class OrgsKind:
    name: ClassVar[str] = "orgs"
    title: ClassVar[str] = "组织架构"
    permission: ClassVar[Permission] = Permission.ORGS_WRITE
    columns: ClassVar[list[Column]] = COLUMNS
    required: ClassVar[tuple[str, ...]] = ("name", "code", "kind")
    org_field: ClassVar[str | None] = None  # an empty parent cell means the form's org_id (or a root)
    natural_key: ClassVar[tuple[str, ...]] = ("code",)

    def begin(self, session: Session, caller: Principal, cells: Cells, options: Options) -> Batch:
        if options.default_org_id is not None:
            orgs.get(session, caller.scope, options.default_org_id)
        return _Batch(session, caller, cells, options)


KIND = OrgsKind()


class _Batch:
    def __init__(self, session: Session, caller: Principal, cells: Cells, options: Options) -> None:
        self.session, self.caller, self.cells, self.options = session, caller, cells, options
        self.rows_by_code: dict[str, int] = {}

    def column(self, field_name: str) -> str | None:
        return self.cells.column(PARENT_FIELD if field_name == "parent_id" else field_name)

    def _parent(self, code: str) -> int:
        found = self.session.scalars(
            orgs.readable(self.caller.scope).where(Organisation.code == code)
        ).first()
        if found is None:
            raise CellError(
                f"找不到编码为“{code}”的上级组织（或无权访问）", f"No parent org '{code}' that you may see"
            )
        return found.id

    def chunk(self, rows: list[Row], *, write: bool) -> ChunkResult:
        # Rows are written even when only checking (a later row may name an org created by an earlier
        # one as its parent); the import's savepoint rolls them back on a dry run.
        result = ChunkResult()
        for number, cells in rows:
            try:
                result.outcomes.append(self._row(number, cells))
            except RowRefused as refused:
                result.errors.extend(refused.errors)
        return result

    def _row(self, number: int, cells: list[Any]) -> Outcome:
        values = self.cells.values(number, cells, {PARENT_FIELD: self._parent})
        values["parent_id"] = values.pop(PARENT_FIELD, self.options.default_org_id)
        code = values.get("code")
        if code is not None:
            first = self.rows_by_code.setdefault(code, number)
            if first != number:
                zh, en = f"与第 {first} 行的组织编码重复", f"Same org code as row {first}"
                raise RowRefused([row_error(number, self.column("code"), "import_duplicate_in_file", zh, en)])
        data = validated(OrgCreate, values, number, self.column)
        existing = self.session.scalars(
            select(Organisation).where(Organisation.code == data.code)
        ).one_or_none()
        if existing is None or not self.caller.scope.contains(existing.path):
            # Unknown code (or one held outside the caller's subtree: the service refuses it as taken).
            in_savepoint(
                self.session,
                number,
                self.column,
                lambda: orgs.create(self.session, self.caller.scope, data),
                _FIELDS,
            )
            return Outcome.CREATED
        if data.parent_id != existing.parent_id:
            raise refused_by(number, OrgMoveRefused.at("parent_id"), self.column)
        given = data.model_dump(include=set(_UPDATABLE), exclude_unset=True)
        changes = {k: v for k, v in given.items() if getattr(existing, k) != v}
        if not changes:
            return Outcome.UNCHANGED
        in_savepoint(
            self.session,
            number,
            self.column,
            lambda: orgs.update_org(self.session, self.caller.scope, existing.id, OrgUpdate(**changes), None),
            _FIELDS,
        )
        return Outcome.UPDATED
