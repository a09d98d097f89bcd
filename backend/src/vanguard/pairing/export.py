"""The 结对帮扶台账 as an XLSX workbook in the layout of the paper ledger: one row per pair (sheet 1),
one row per visit (sheet 2). Contact fields are masked unless the caller holds `pii`; every export is
audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from vanguard.audit.hook import record_event
from vanguard.core.clock import local_today
from vanguard.core.errors import InvalidInput
from vanguard.core.masking import mask_address, mask_phone
from vanguard.core.permissions import Permission, Principal, Role, Scope
from vanguard.core.policy import PAIRING_LEDGER_MAX_PAIRS
from vanguard.core.xlsx import DATE_FORMAT, table_header, to_bytes
from vanguard.members.models import Member
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.pairing.ledger import choose_period
from vanguard.pairing.models import (
    Beneficiary,
    BeneficiaryKind,
    GoalTag,
    Pair,
    PairKind,
    PairStatus,
    Visit,
    VisitType,
)
from vanguard.pairing.service import in_scope, overlapping
from vanguard.users.models import User

PAIR_COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("帮扶人", 10),
    ("职务/单位", 24),
    ("帮扶对象", 10),
    ("类别", 10),
    ("结对类型", 14),
    ("家庭住址", 24),
    ("联系电话", 14),
    ("家庭情况", 30),
    ("帮扶措施/三包", 36),
    ("结对日期", 12),
    ("一季度走访", 8),
    ("二季度走访", 8),
    ("三季度走访", 8),
    ("四季度走访", 8),
    ("全年走访", 8),
    ("帮扶成效", 36),
    ("备注", 24),
)
VISIT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("帮扶人", 10),
    ("帮扶对象", 10),
    ("日期", 12),
    ("类型", 12),
    ("走访内容", 40),
    ("帮扶物资/金额", 30),
    ("后续事项", 36),
)

BENEFICIARY_KIND_ZH = {BeneficiaryKind.MEMBER: "困难党员", BeneficiaryKind.HOUSEHOLD: "联系户"}
PAIR_KIND_ZH = {
    PairKind.CADRE_MEMBER: "干部联系党员",
    PairKind.MEMBER_HOUSEHOLD: "党员联系户",
    PairKind.POVERTY: "结对帮扶困难户",
}
GOAL_ZH = {GoalTag.TECHNOLOGY: "包技术", GoalTag.PROJECT: "包项目", GoalTag.POVERTY_EXIT: "包脱贫"}
STATUS_ZH = {PairStatus.ACTIVE: "帮扶中", PairStatus.COMPLETED: "已完成", PairStatus.ENDED_EARLY: "提前终止"}
VISIT_TYPE_ZH = {
    VisitType.ROUTINE: "日常走访",
    VisitType.HARDSHIP: "生活困难必访",
    VisitType.ILLNESS: "生病住院必访",
    VisitType.FAMILY_DISPUTE: "家庭矛盾必访",
    VisitType.WEDDING_FUNERAL: "婚丧嫁娶必访",
}
ROLE_ZH = {Role.ADMIN: "管理员", Role.ORG_ADMIN: "组织管理员", Role.SECRETARY: "书记", Role.MEMBER: "党员"}


class LedgerTooLarge(InvalidInput):
    code = "ledger_too_large"
    message_zh = f"台账超过{PAIRING_LEDGER_MAX_PAIRS}个结对，请按下级组织分别导出"
    message_en = f"The ledger holds more than {PAIRING_LEDGER_MAX_PAIRS} pairs; export per sub-organisation"


@dataclass(frozen=True, slots=True)
class LedgerFile:
    filename: str
    content: bytes
    pairs: int
    visits: int


@dataclass(slots=True)
class _Row:
    pair: Pair
    beneficiary: Beneficiary
    beneficiary_name: str
    helper_name: str
    helper_post: str
    quarters: list[int]
    money: Decimal
    goods: Decimal
    jobs: int


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _help_given(visit: Visit) -> str:
    parts = []
    if visit.money_given:
        parts.append(f"资金{_money(visit.money_given)}元")
    if visit.goods_value:
        parts.append(f"物资折价{_money(visit.goods_value)}元")
    if visit.jobs_found:
        parts.append(f"就业{visit.jobs_found}人")
    if visit.skills:
        parts.append(f"技能：{visit.skills}")
    return "；".join(parts)


def _follow_up(visit: Visit) -> str:
    if visit.follow_up is None:
        return ""
    due = f"（{visit.follow_up_due_on.isoformat()}前）" if visit.follow_up_due_on else ""
    state = f"已完成于{visit.follow_up_done_on.isoformat()}" if visit.follow_up_done_on else "未完成"
    return f"{visit.follow_up}{due}；{state}"


def _situation(b: Beneficiary) -> str:
    parts = []
    if b.household_size:
        parts.append(f"{b.household_size}口人")
    if b.situation:
        parts.append(b.situation)
    if b.needs:
        parts.append(f"需求：{b.needs}")
    return "；".join(parts)


def _goals(pair: Pair) -> str:
    return "；".join(f"{GOAL_ZH[GoalTag(g['tag'])]}：{g['target']}" for g in pair.goals)


def _outcome(row: _Row) -> str:
    parts = [STATUS_ZH[row.pair.status]]
    if row.money:
        parts.append(f"资金{_money(row.money)}元")
    if row.goods:
        parts.append(f"物资折价{_money(row.goods)}元")
    if row.jobs:
        parts.append(f"就业{row.jobs}人")
    return "；".join(parts)


def _remark(pair: Pair) -> str:
    if pair.status is PairStatus.ACTIVE:
        return f"计划至{pair.ends_on.isoformat()}" if pair.ends_on else ""
    reason = f"：{pair.end_reason}" if pair.end_reason else ""
    return f"{STATUS_ZH[pair.status]}于{pair.ends_on.isoformat() if pair.ends_on else ''}{reason}"


def _date_cell(ws: Worksheet, column: int) -> None:
    ws.cell(row=ws.max_row, column=column).number_format = DATE_FORMAT


def export_ledger(
    session: Session, caller: Principal, org_id: int, *, year: int | None, today: date | None = None
) -> LedgerFile:
    """Pairs of the org's subtree running at some time in the year (up to today), their visits in it."""
    today = today or local_today()
    org = orgs.get(session, caller.scope, org_id)
    chosen = choose_period(year=year or today.year, quarter=None, as_of=None, today=today)
    counted = chosen.counted
    subtree = Scope(org.path)
    reveal = caller.can(Permission.PII)

    helper_member = aliased(Member)
    beneficiary_member = aliased(Member)
    helper_org = aliased(Organisation)
    stmt = (
        in_scope(select(Pair, Beneficiary), subtree, Pair.org_id)
        .join(Beneficiary, Beneficiary.id == Pair.beneficiary_id)
        .outerjoin(beneficiary_member, beneficiary_member.id == Beneficiary.member_id)
        .outerjoin(helper_member, helper_member.id == Pair.helper_member_id)
        .outerjoin(User, User.id == Pair.helper_user_id)
        .outerjoin(helper_org, helper_org.id == func.coalesce(helper_member.org_id, User.org_id))
        .add_columns(
            beneficiary_member.name, helper_member.name, User.display_name, User.role, helper_org.name
        )
        .where(overlapping(counted))
        .order_by(Organisation.path, Pair.id)
        .limit(PAIRING_LEDGER_MAX_PAIRS + 1)
    )
    results = session.execute(stmt).all()
    if len(results) > PAIRING_LEDGER_MAX_PAIRS:
        raise LedgerTooLarge.at("org_id", part="query")
    rows: dict[int, _Row] = {}
    for pair, beneficiary, b_member_name, h_member_name, h_user_name, h_role, h_org_name in results:
        post = "党员" if h_role is None else ROLE_ZH.get(h_role, str(h_role))
        rows[pair.id] = _Row(
            pair=pair,
            beneficiary=beneficiary,
            beneficiary_name=b_member_name or beneficiary.head_name or "",
            helper_name=h_member_name or h_user_name or "",
            helper_post=f"{post} / {h_org_name}" if h_org_name else post,
            quarters=[0, 0, 0, 0],
            money=Decimal("0.00"),
            goods=Decimal("0.00"),
            jobs=0,
        )

    visits = list(
        session.scalars(
            select(Visit)
            .where(
                Visit.pair_id.in_(rows.keys()),
                Visit.visited_on >= counted.start,
                Visit.visited_on <= counted.end,
            )
            .order_by(Visit.visited_on, Visit.id)
        ).all()
    )
    for visit in visits:
        row = rows[visit.pair_id]
        row.quarters[(visit.visited_on.month - 1) // 3] += 1
        row.money += visit.money_given or 0
        row.goods += visit.goods_value or 0
        row.jobs += visit.jobs_found

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "结对帮扶台账"
    the_year = counted.start.year
    table_header(ws, PAIR_COLUMNS, title=f"{org.name}结对帮扶台账（{the_year}年）")
    for number, row in enumerate(rows.values(), start=1):
        b = row.beneficiary
        ws.append(
            [
                number,
                row.helper_name,
                row.helper_post,
                row.beneficiary_name,
                BENEFICIARY_KIND_ZH[b.kind],
                PAIR_KIND_ZH[row.pair.kind],
                (b.address if reveal else mask_address(b.address)) or "",
                (b.contact_phone if reveal else mask_phone(b.contact_phone)) or "",
                _situation(b),
                _goals(row.pair),
                row.pair.started_on,
                *row.quarters,
                sum(row.quarters),
                _outcome(row),
                _remark(row.pair),
            ]
        )
        _date_cell(ws, 11)

    sheet = book.create_sheet("走访记录")
    table_header(sheet, VISIT_COLUMNS, title=f"{org.name}走访记录（{the_year}年）")
    for number, visit in enumerate(visits, start=1):
        row = rows[visit.pair_id]
        sheet.append(
            [
                number,
                row.helper_name,
                row.beneficiary_name,
                visit.visited_on,
                VISIT_TYPE_ZH[visit.type],
                visit.work_done,
                _help_given(visit),
                _follow_up(visit),
            ]
        )
        _date_cell(sheet, 4)

    record_event(
        session,
        entity="pairing_ledger",
        entity_id=org.id,
        action="export",
        org_id=org.id,
        after={"year": the_year, "pairs": len(rows), "visits": len(visits), "contact_masked": not reveal},
    )
    session.flush()
    return LedgerFile(
        filename=f"结对帮扶台账-{org.name}-{the_year}.xlsx",
        content=to_bytes(book),
        pairs=len(rows),
        visits=len(visits),
    )
