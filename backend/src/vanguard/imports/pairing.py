"""Importing pairing ledgers (结对帮扶台账): one row per beneficiary — a member in hardship (by ID number)
or a household (by org, 户主 and address) — and, when a helper is named (by ID number), their pair.
Each row through the pairing service's own create and update; upsert by the beneficiary's natural key,
and a pair only when the two are not already actively paired, so a second run changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.core import idcard
from vanguard.core.errors import AppError
from vanguard.core.permissions import Permission, Principal
from vanguard.core.security import pii
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
from vanguard.members.models import Member
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.pairing import service as pairing
from vanguard.pairing.models import Beneficiary, BeneficiaryKind, Pair, PairKind, PairStatus
from vanguard.pairing.schemas import BeneficiaryCreate, BeneficiaryUpdate, PairCreate

COLUMNS: list[Column] = [
    Column(
        "kind",
        "对象类型",
        ("帮扶对象类型",),
        labels={
            "困难党员": BeneficiaryKind.MEMBER,
            "党员": BeneficiaryKind.MEMBER,
            "联系户": BeneficiaryKind.HOUSEHOLD,
            "群众户": BeneficiaryKind.HOUSEHOLD,
            "困难户": BeneficiaryKind.HOUSEHOLD,
        },
    ),
    Column("id_number", "身份证号", ("党员身份证号", "身份证号码")),
    Column("org", "所在党组织", ("党组织", "所在支部", "党组织编码")),
    Column("head_name", "户主", ("户主姓名",)),
    Column("address", "地址", ("家庭住址", "住址")),
    Column("village", "村/社区", ("村", "社区", "村社区")),
    Column("household_size", "家庭人口", ("人口",)),
    Column("situation", "家庭情况", ("困难情况",)),
    Column("needs", "帮扶需求", ("需求",)),
    Column("contact_phone", "联系电话", ("电话",)),
    Column("helper", "帮扶人身份证号", ("帮扶责任人身份证号",)),
    Column(
        "pair_kind",
        "帮扶类型",
        ("结对类型",),
        labels={
            "干部联系党员": PairKind.CADRE_MEMBER,
            "党员联系户": PairKind.MEMBER_HOUSEHOLD,
            "结对帮扶困难户": PairKind.POVERTY,
            "结对帮扶": PairKind.POVERTY,
        },
    ),
    Column("started_on", "开始日期", ("结对日期",), is_date=True),
]
_DETAILS = ("head_name", "address", "village", "household_size", "situation", "needs", "contact_phone")
# The pairing service's fields and field-less refusals, by the column they are about.
_BENEFICIARY_FIELDS = {"member_id": "id_number", "org_id": "org", "duplicate_beneficiary": "id_number"}
_PAIR_FIELDS = {
    "helper_member_id": "helper",
    "beneficiary_id": "id_number",
    "kind": "pair_kind",
    "helper_pair_limit": "helper",
    "helper_inactive": "helper",
    "member_already_left": "helper",
    "beneficiary_pair_limit": "id_number",
    "duplicate_active_pair": "helper",
}


class PairingKind:
    name: ClassVar[str] = "pairing"
    title: ClassVar[str] = "结对帮扶台账"
    permission: ClassVar[Permission] = Permission.MEMBERS_WRITE
    columns: ClassVar[list[Column]] = COLUMNS
    required: ClassVar[tuple[str, ...]] = ("kind",)
    org_field: ClassVar[str | None] = None  # only households need one; checked per row
    natural_key: ClassVar[tuple[str, ...]] = ("id_number", "org", "head_name", "address")

    def begin(self, session: Session, caller: Principal, cells: Cells, options: Options) -> Batch:
        if options.default_org_id is not None:
            orgs.get(session, caller.scope, options.default_org_id)
        return _Batch(session, caller, cells, options)


KIND = PairingKind()


class _Batch:
    def __init__(self, session: Session, caller: Principal, cells: Cells, options: Options) -> None:
        self.session, self.caller, self.cells, self.options = session, caller, cells, options
        self.seen: dict[tuple[Any, ...], int] = {}

    def _column(self, fields: dict[str, str]) -> Callable[[str], str | None]:
        def column(name: str) -> str | None:
            return self.cells.column(fields.get(name) or name)

        return column

    def chunk(self, rows: list[Row], *, write: bool) -> ChunkResult:
        result = ChunkResult()
        for number, cells in rows:
            try:
                result.outcomes.append(self._row(number, cells))
            except RowRefused as refused:
                result.errors.extend(refused.errors)
        return result

    def _member(self, number: int, digest: str, field: str) -> Member:
        found = self.session.scalars(
            members.readable(self.caller.scope).where(Member.id_number_digest == digest)
        ).one_or_none()
        if found is None:
            zh, en = (
                "找不到该身份证号码的党员（或无权访问）",
                "No member with this ID number that you may see",
            )
            raise RowRefused([row_error(number, self.cells.column(field), "import_member_not_found", zh, en)])
        return found

    def _org(self, code: str) -> int:
        org = self.session.scalars(orgs.readable(self.caller.scope).where(Organisation.code == code)).first()
        if org is None:
            raise CellError(f"找不到党组织“{code}”（或无权访问）", f"No org '{code}' that you may see")
        return org.id

    def _row(self, number: int, cells: list[Any]) -> Outcome:
        values = self.cells.values(number, cells, {"id_number": _digest, "helper": _digest, "org": self._org})
        kind: BeneficiaryKind | None = values.get("kind")
        if kind is None:
            raise RowRefused(
                [row_error(number, self.cells.column("kind"), "missing", "不能为空", "Required")]
            )
        details = {k: values[k] for k in _DETAILS if k in values}
        if kind is BeneficiaryKind.MEMBER:
            if "id_number" not in values:
                zh, en = "困难党员须填写身份证号", "A member in hardship needs the ID number"
                raise RowRefused([row_error(number, self.cells.column("id_number"), "missing", zh, en)])
            key: tuple[Any, ...] = (kind, values["id_number"])
            member = self._member(number, values["id_number"], "id_number")
            existing = self.session.scalars(
                select(Beneficiary).where(Beneficiary.member_id == member.id)
            ).first()
            create = {"kind": kind, "member_id": member.id, **details}
        else:
            org_id = values.get("org", self.options.default_org_id)
            key = (kind, org_id, values.get("head_name"), values.get("address"))
            existing = self.session.scalars(
                select(Beneficiary).where(
                    Beneficiary.kind == kind,
                    Beneficiary.org_id == org_id,
                    Beneficiary.head_name == values.get("head_name"),
                    Beneficiary.address.is_(None)
                    if values.get("address") is None
                    else Beneficiary.address == values["address"],
                )
            ).first()
            create = {"kind": kind, "org_id": org_id, **details}
        first = self.seen.setdefault(key, number)
        if first != number:
            zh, en = f"与第 {first} 行是同一帮扶对象", f"Same beneficiary as row {first}"
            raise RowRefused(
                [
                    row_error(
                        number,
                        self.cells.column("id_number" if kind is BeneficiaryKind.MEMBER else "head_name"),
                        "import_duplicate_in_file",
                        zh,
                        en,
                    )
                ]
            )
        savepoint = self.session.begin_nested()
        try:
            outcome, beneficiary = self._beneficiary(number, existing, create, details)
            paired = "helper" in values and self._pair(number, beneficiary, values)
            if paired and outcome is Outcome.UNCHANGED:
                outcome = Outcome.CREATED
        except RowRefused:
            savepoint.rollback()
            raise
        savepoint.commit()
        return outcome

    def _beneficiary(
        self, number: int, existing: Beneficiary | None, create: dict[str, Any], details: dict[str, Any]
    ) -> tuple[Outcome, Beneficiary]:
        column = self._column(_BENEFICIARY_FIELDS)
        if existing is None:
            data = validated(BeneficiaryCreate, create, number, column)
            try:
                return Outcome.CREATED, pairing.create_beneficiary(self.session, self.caller.scope, data)
            except AppError as exc:
                raise refused_by(number, exc, column, _BENEFICIARY_FIELDS) from None
        changes = {
            k: v
            for k, v in validated(BeneficiaryUpdate, details, number, column)
            .model_dump(exclude_unset=True)
            .items()
            if getattr(existing, k) != v
        }
        if not changes:
            return Outcome.UNCHANGED, existing
        try:
            updated = pairing.update_beneficiary(
                self.session, self.caller.scope, existing.id, BeneficiaryUpdate(**changes), None
            )
        except AppError as exc:
            raise refused_by(number, exc, column, _BENEFICIARY_FIELDS) from None
        return Outcome.UPDATED, updated

    def _pair(self, number: int, beneficiary: Beneficiary, values: dict[str, Any]) -> bool:
        """Pair the helper with the beneficiary unless they already are (True when a pair was made)."""
        column = self._column(_PAIR_FIELDS)
        helper = self._member(number, values["helper"], "helper")
        active = self.session.scalar(
            select(Pair.id).where(
                Pair.helper_member_id == helper.id,
                Pair.beneficiary_id == beneficiary.id,
                Pair.status == PairStatus.ACTIVE,
            )
        )
        if active is not None:
            return False
        data = validated(
            PairCreate,
            {
                "helper_member_id": helper.id,
                "beneficiary_id": beneficiary.id,
                "kind": values.get("pair_kind"),
                "started_on": values.get("started_on"),
            },
            number,
            column,
        )
        try:
            pairing.create_pair(self.session, self.caller.scope, data, today=self.options.today)
        except AppError as exc:
            raise refused_by(number, exc, column, _PAIR_FIELDS) from None
        return True


def _digest(text: str) -> str:
    try:
        return pii.lookup_digest(idcard.parse(text).number)
    except idcard.InvalidIdNumber as exc:
        raise CellError(exc.zh, exc.en) from None
