"""Importing complaints (群众诉求) from a paper or spreadsheet intake ledger: each row through the
complaints service's own intake (`complaints.service.create`: category, deadlines, timeline, audit),
the channel and urgency by their Chinese labels, the category by code or Chinese name. A complaint's
content is fixed once received, so the natural key is what was reported — handling org, category, title
and description: a row matching a complaint already there is left alone, and a second run of the same
file changes nothing."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.complaints import service as complaints
from vanguard.complaints.models import Category, Channel, Complaint, Urgency
from vanguard.complaints.schemas import ComplaintCreate
from vanguard.core.db import utcnow
from vanguard.core.permissions import Permission, Principal
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
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation

COLUMNS: list[Column] = [
    Column("org", "受理组织", ("受理单位", "党组织", "组织编码")),
    Column(
        "channel",
        "渠道",
        ("来源", "反映渠道"),
        labels={
            "网上信访": Channel.WEB,
            "网上": Channel.WEB,
            "专线电话": Channel.HOTLINE,
            "电话": Channel.HOTLINE,
            "视频接访": Channel.VIDEO,
            "信访代理": Channel.AGENT,
            "来信": Channel.LETTER,
            "来访": Channel.VISIT,
            "政务OA": Channel.OA,
        },
    ),
    Column("category", "分类", ("诉求分类", "类别")),
    Column("title", "标题", ("诉求标题", "事项")),
    Column("description", "内容", ("诉求内容", "具体内容")),
    Column("location_text", "地点", ("地址",)),
    Column("village", "村/社区", ("村", "社区")),
    Column("reporter_name", "反映人", ("姓名", "来访人")),
    Column("reporter_phone", "联系电话", ("电话号码", "手机号")),
    Column(
        "urgency",
        "紧急程度",
        ("缓急",),
        labels={"一般": Urgency.NORMAL, "紧急": Urgency.URGENT, "特急": Urgency.CRITICAL},
    ),
]
_FIELDS = {"org_id": "org", "unknown_category": "category", "org_required": "org", "org_not_found": "org"}


class ComplaintsKind:
    name: ClassVar[str] = "complaints"
    title: ClassVar[str] = "群众诉求"
    permission: ClassVar[Permission] = Permission.COMPLAINTS_WRITE
    columns: ClassVar[list[Column]] = COLUMNS
    required: ClassVar[tuple[str, ...]] = ("channel", "category", "title", "description")
    org_field: ClassVar[str | None] = None  # empty: the form's org_id, else the caller's own org
    natural_key: ClassVar[tuple[str, ...]] = ("org", "category", "title", "description")

    def begin(self, session: Session, caller: Principal, cells: Cells, options: Options) -> Batch:
        if options.default_org_id is not None:
            orgs.get(session, caller.scope, options.default_org_id)
        return _Batch(session, caller, cells, options)


KIND = ComplaintsKind()


class _Batch:
    def __init__(self, session: Session, caller: Principal, cells: Cells, options: Options) -> None:
        self.session, self.caller, self.cells, self.options = session, caller, cells, options
        self.seen: dict[tuple[Any, ...], int] = {}
        self.categories: dict[str, str] = {}

    def column(self, field_name: str) -> str | None:
        return self.cells.column(_FIELDS.get(field_name, field_name))

    def chunk(self, rows: list[Row], *, write: bool) -> ChunkResult:
        result = ChunkResult()
        for number, cells in rows:
            try:
                result.outcomes.append(self._row(number, cells))
            except RowRefused as refused:
                result.errors.extend(refused.errors)
        return result

    def _org(self, code: str) -> int:
        org = self.session.scalars(orgs.readable(self.caller.scope).where(Organisation.code == code)).first()
        if org is None:
            raise CellError(f"找不到党组织“{code}”（或无权访问）", f"No org '{code}' that you may see")
        return org.id

    def _category(self, text: str) -> str:
        """A category's code, given its code or its Chinese name (the service checks it is active)."""
        if text not in self.categories:
            by_name = self.session.scalars(
                select(Category.code).where(Category.name_zh == text, Category.is_active.is_(True))
            ).all()
            self.categories[text] = by_name[0] if len(by_name) == 1 else text
        return self.categories[text]

    def _row(self, number: int, cells: list[Any]) -> Outcome:
        values = self.cells.values(number, cells, {"org": self._org, "category": self._category})
        values["org_id"] = values.pop("org", self.options.default_org_id)
        data = validated(ComplaintCreate, values, number, self.column)
        org_id = data.org_id if data.org_id is not None else self.caller.org_id
        key = (org_id, data.category, data.title, data.description)
        first = self.seen.setdefault(key, number)
        if first != number:
            zh, en = f"与第 {first} 行是同一诉求", f"The same complaint as row {first}"
            raise RowRefused([row_error(number, self.column("title"), "import_duplicate_in_file", zh, en)])
        known = self.session.scalar(
            select(Complaint.id)
            .join(Category, Category.id == Complaint.category_id)
            .where(
                Complaint.org_id == org_id,
                Category.code == data.category,
                Complaint.title == data.title,
                Complaint.description == data.description,
            )
            .limit(1)
        )
        if known is not None:
            return Outcome.UNCHANGED
        in_savepoint(
            self.session,
            number,
            self.column,
            lambda: complaints.create(self.session, self.caller, data, utcnow()),
            _FIELDS,
        )
        return Outcome.CREATED
