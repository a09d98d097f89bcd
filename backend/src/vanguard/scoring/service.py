"""Scoring schemes (rules and weights per org subtree and period) and manual bonus/deduction items.

Scoping: a scheme belongs to an org; callers whose subtree holds that org manage it, and callers inside its
subtree (a branch under a county scheme) may read it. Anything else does not exist (404).
A published scheme is locked: every change to it, its items, rounds or ballots is 409 `scheme_locked`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, literal, or_, select
from sqlalchemy.orm import Session

from vanguard.attachments.models import Attachment
from vanguard.core.db import utcnow
from vanguard.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Principal, Scope, in_subtree
from vanguard.core.policy import (
    SCORING_COMPONENT_WEIGHTS,
    SCORING_EXCELLENT_CAP,
    SCORING_FULL_POINTS,
    SCORING_GRADE_THRESHOLDS,
    SCORING_RATER_WEIGHTS,
)
from vanguard.members import service as members
from vanguard.members.models import Member
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.posts.service import Period
from vanguard.scoring import engine
from vanguard.scoring.models import (
    Grade,
    ItemKind,
    ItemState,
    ManualItem,
    RaterGroup,
    RuleWindow,
    Scheme,
    SchemeStatus,
    Source,
)
from vanguard.scoring.schemas import (
    ManualItemCreate,
    ManualItemDecision,
    ManualItemRead,
    RuleIn,
    RuleRead,
    SchemeCreate,
    SchemeRead,
    SchemeUpdate,
)

# --- errors ------------------------------------------------------------------------------------


class SchemeNotFound(NotFound):
    code = "scheme_not_found"
    message_zh = "积分方案不存在或不在您的管理范围内"
    message_en = "Scoring scheme not found, or outside your scope"


class ManualItemNotFound(NotFound):
    code = "manual_item_not_found"
    message_zh = "加减分事项不存在或不在您的管理范围内"
    message_en = "Bonus/deduction item not found, or outside your scope"


class SchemeLocked(Conflict):
    code = "scheme_locked"
    message_zh = "积分方案已发布，不能再修改"
    message_en = "The scheme is published and locked"


class SchemeExists(Conflict):
    code = "scheme_exists"
    message_zh = "该组织在此期间已有积分方案"
    message_en = "This organisation already has a scheme for the period"


class SchemeAboveScope(Forbidden):
    code = "scheme_above_scope"
    message_zh = "该方案由上级组织制定，您只能查看"
    message_en = "This scheme belongs to a superior organisation; you may only read it"


class ItemNotRequested(Conflict):
    code = "item_already_decided"
    message_zh = "该事项已审批"
    message_en = "This item has already been decided"


class ApproverIsRequester(Conflict):
    code = "approver_is_requester"
    message_zh = "审批人不能是申请人本人"
    message_en = "The approver must be someone other than the requester"


class MemberOutsideScheme(InvalidInput):
    code = "member_outside_scheme"
    message_zh = "该党员不在本方案覆盖的组织内"
    message_en = "The member is not in the scheme's organisation subtree"


def invalid(code: str, field_name: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(
        zh, en, code=code, errors=[FieldError(field=f"body.{field_name}", code=code, message=en)]
    )


# --- scheme parameters -------------------------------------------------------------------------


def period_of(scheme: Scheme) -> Period:
    return Period.quarter(scheme.year, scheme.quarter) if scheme.quarter else Period.year(scheme.year)


def quarter_windows(scheme: Scheme) -> tuple[str, ...]:
    quarters = (scheme.quarter,) if scheme.quarter else (1, 2, 3, 4)
    return tuple(f"{scheme.year}-Q{q}" for q in quarters)


def window_period(scheme: Scheme, label: str) -> Period:
    if label == "scheme":
        return period_of(scheme)
    return Period.quarter(scheme.year, int(label.rsplit("Q", 1)[1]))


def _check_rules(rules: list[RuleIn]) -> list[dict[str, Any]]:
    known = {s.value for s in Source}
    out = []
    for i, rule in enumerate(rules):
        if rule.source not in known:
            raise InvalidInput(
                f"未知的积分来源：{rule.source}",
                f"Unknown source: {rule.source} (known: {', '.join(sorted(known))})",
                code="unknown_source",
                errors=[
                    FieldError(field=f"body.rules.{i}.source", code="unknown_source", message=rule.source)
                ],
            )
        out.append(
            {
                "source": rule.source,
                "points_per_unit": str(rule.points_per_unit),
                "cap": str(rule.cap) if rule.cap is not None else None,
                "period": rule.period.value,
                "categories": [c.value for c in rule.categories],
                "label": rule.label,
            }
        )
    return out


def _check_sum(weights: dict[str, Decimal], field_name: str) -> dict[str, str]:
    total = sum(weights.values(), Decimal(0))
    if total != 1:
        raise InvalidInput(
            f"权重之和须为1，现为{total}",
            f"Weights must sum to 1; they sum to {total}",
            code="weights_not_one",
            errors=[FieldError(field=f"body.{field_name}", code="weights_not_one", message=f"sum = {total}")],
            weight_sum=str(total),
        )
    return {k: str(v) for k, v in weights.items()}


def _check_thresholds(t: dict[str, Decimal]) -> dict[str, str]:
    if not t["excellent"] > t["qualified"] > t["basic"]:
        raise invalid(
            "thresholds_not_descending",
            "grade_thresholds",
            "等次分数线须为 优秀 > 合格 > 基本合格",
            "Grade thresholds must descend: excellent > qualified > basic",
        )
    return {k: str(v) for k, v in t.items()}


def _check_cap(cap: tuple[int, int]) -> list[int]:
    numerator, denominator = cap
    if denominator < 1 or not 0 <= numerator <= denominator:
        raise invalid(
            "excellent_cap_invalid", "excellent_cap", "优秀比例须在0到1之间", "The excellent cap must be 0–1"
        )
    return [numerator, denominator]


def params_of(scheme: Scheme) -> engine.Params:
    rules = tuple(
        engine.Rule(
            source=Source(r["source"]),
            points_per_unit=Decimal(r["points_per_unit"]),
            cap=Decimal(r["cap"]) if r.get("cap") is not None else None,
            window=RuleWindow(r.get("period", "scheme")),
            categories=frozenset(r.get("categories") or ()),
            label=r.get("label"),
        )
        for r in scheme.rules
    )
    t = scheme.grade_thresholds
    return engine.Params(
        rules=rules,
        points_weight=Decimal(scheme.component_weights["points"]),
        evaluation_weight=Decimal(scheme.component_weights["evaluation"]),
        rater_weights={RaterGroup(g): Decimal(w) for g, w in scheme.rater_weights.items()},
        full_points=Decimal(scheme.full_points),
        thresholds=(
            (Grade.EXCELLENT, Decimal(t["excellent"])),
            (Grade.QUALIFIED, Decimal(t["qualified"])),
            (Grade.BASIC, Decimal(t["basic"])),
        ),
        excellent_cap=(scheme.excellent_cap[0], scheme.excellent_cap[1]),
        windows={RuleWindow.SCHEME: ("scheme",), RuleWindow.QUARTER: quarter_windows(scheme)},
    )


# --- schemes -----------------------------------------------------------------------------------


def readable(scope: Scope) -> Select[Scheme, str]:
    """Schemes of orgs in the caller's subtree, and schemes of orgs above it that cover it."""
    stmt = select(Scheme, Organisation.path).join(Organisation, Organisation.id == Scheme.org_id)
    if scope.root_path is None:
        return stmt
    return stmt.where(
        or_(scope.clause(Organisation.path), literal(scope.root_path).like(Organisation.path + "%"))
    )


def get_scheme(
    session: Session, scope: Scope, scheme_id: int, *, for_update: bool = False
) -> tuple[Scheme, str]:
    stmt = readable(scope).where(Scheme.id == scheme_id)
    if for_update:
        stmt = stmt.with_for_update(of=Scheme)
    row = session.execute(stmt).one_or_none()
    if row is None:
        raise SchemeNotFound()
    return row[0], row[1]


def managed_scheme(
    session: Session, caller: Principal, scheme_id: int, *, for_update: bool = False
) -> tuple[Scheme, str]:
    """A scheme the caller may change: its org is within the caller's subtree (read-only above it)."""
    scheme, path = get_scheme(session, caller.scope, scheme_id, for_update=for_update)
    if not caller.scope.contains(path):
        raise SchemeAboveScope()
    return scheme, path


def ensure_draft(scheme: Scheme) -> None:
    if scheme.status is SchemeStatus.PUBLISHED:
        raise SchemeLocked()


def to_read(scheme: Scheme) -> SchemeRead:
    period = period_of(scheme)
    return SchemeRead(
        id=scheme.id,
        org_id=scheme.org_id,
        name=scheme.name,
        year=scheme.year,
        quarter=scheme.quarter or None,
        period_start=period.start,
        period_end=period.end,
        status=scheme.status,
        rules=[RuleRead.model_validate(r) for r in scheme.rules],
        component_weights={k: Decimal(v) for k, v in scheme.component_weights.items()},
        rater_weights={k: Decimal(v) for k, v in scheme.rater_weights.items()},
        full_points=scheme.full_points,
        grade_thresholds={k: Decimal(v) for k, v in scheme.grade_thresholds.items()},
        excellent_cap=(scheme.excellent_cap[0], scheme.excellent_cap[1]),
        computed_at=scheme.computed_at,
        published_at=scheme.published_at,
        published_by=scheme.published_by,
        version=scheme.version,
    )


def create_scheme(session: Session, caller: Principal, data: SchemeCreate) -> Scheme:
    org = orgs.get(session, caller.scope, data.org_id)
    quarter = data.quarter or 0
    taken = session.scalar(
        select(Scheme.id).where(Scheme.org_id == org.id, Scheme.year == data.year, Scheme.quarter == quarter)
    )
    if taken is not None:
        raise SchemeExists()
    scheme = Scheme(
        org_id=org.id,
        name=data.name,
        year=data.year,
        quarter=quarter,
        status=SchemeStatus.DRAFT,
        rules=_check_rules(data.rules),
        component_weights=_check_sum(
            data.component_weights.model_dump()
            if data.component_weights
            else _decimals(SCORING_COMPONENT_WEIGHTS),
            "component_weights",
        ),
        rater_weights=_check_sum(
            data.rater_weights.model_dump() if data.rater_weights else _decimals(SCORING_RATER_WEIGHTS),
            "rater_weights",
        ),
        full_points=data.full_points or SCORING_FULL_POINTS,
        grade_thresholds=_check_thresholds(
            data.grade_thresholds.model_dump()
            if data.grade_thresholds
            else _decimals(SCORING_GRADE_THRESHOLDS)
        ),
        excellent_cap=_check_cap(data.excellent_cap or SCORING_EXCELLENT_CAP),
    )
    session.add(scheme)
    session.flush()
    return scheme


def _decimals(values: dict[str, str]) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in values.items()}


def update_scheme(
    session: Session, caller: Principal, scheme_id: int, data: SchemeUpdate, if_match: str | None
) -> Scheme:
    """Each accepted change is the scheme's next version (the ETag); results computed under an earlier
    version are marked stale (`computed_at` cleared) until the next recompute."""
    scheme, _ = managed_scheme(session, caller, scheme_id, for_update=True)
    check_if_match(if_match, scheme.version)
    ensure_draft(scheme)
    given = data.model_fields_set
    if "name" in given and data.name is not None:
        scheme.name = data.name
    if "rules" in given and data.rules is not None:
        scheme.rules = _check_rules(data.rules)
    if data.component_weights is not None:
        scheme.component_weights = _check_sum(data.component_weights.model_dump(), "component_weights")
    if data.rater_weights is not None:
        scheme.rater_weights = _check_sum(data.rater_weights.model_dump(), "rater_weights")
    if data.full_points is not None:
        scheme.full_points = data.full_points
    if data.grade_thresholds is not None:
        scheme.grade_thresholds = _check_thresholds(data.grade_thresholds.model_dump())
    if data.excellent_cap is not None:
        scheme.excellent_cap = _check_cap(data.excellent_cap)
    if session.is_modified(scheme):
        scheme.computed_at = None
    session.flush()
    return scheme


def list_schemes(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    year: int | None,
    status: SchemeStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[SchemeRead]:
    stmt: Any = readable(scope)
    if org_id is not None:
        stmt = stmt.where(Scheme.org_id == org_id)
    if year is not None:
        stmt = stmt.where(Scheme.year == year)
    if status is not None:
        stmt = stmt.where(Scheme.status == status)
    return paginate_by_id(
        session, stmt, Scheme.id, cursor=cursor, limit=limit, to_item=lambda row: to_read(row[0])
    )


def member_in_scheme(session: Session, scope: Scope, scheme_path: str, member_id: int) -> tuple[Member, str]:
    """A member the caller can see, on the roll of an org within the scheme's subtree."""
    member = members.get_member(session, scope, member_id)
    path = session.scalars(select(Organisation.path).where(Organisation.id == member.org_id)).one()
    if not in_subtree(path, scheme_path):
        raise MemberOutsideScheme.at("member_id")
    return member, path


# --- manual items ------------------------------------------------------------------------------


def item_to_read(item: ManualItem) -> ManualItemRead:
    return ManualItemRead.model_validate(item, from_attributes=True)


def create_item(session: Session, caller: Principal, scheme_id: int, data: ManualItemCreate) -> ManualItem:
    scheme, path = get_scheme(session, caller.scope, scheme_id)
    ensure_draft(scheme)
    member, _ = member_in_scheme(session, caller.scope, path, data.member_id)
    if data.evidence_attachment_id is not None:
        attachment = session.get(Attachment, data.evidence_attachment_id)
        if attachment is None or attachment.org_id != member.org_id:
            raise invalid(
                "attachment_not_found",
                "evidence_attachment_id",
                "证明材料须为该党员所在组织上传的附件",
                "Evidence must be an attachment of the member's organisation",
            )
    item = ManualItem(
        scheme_id=scheme.id,
        member_id=member.id,
        org_id=member.org_id,
        kind=data.kind,
        points=data.points,
        reason=data.reason,
        evidence_text=data.evidence_text,
        evidence_attachment_id=data.evidence_attachment_id,
        state=ItemState.REQUESTED,
        requested_by_kind=caller.kind,
        requested_by_id=caller.id,
        requested_by=caller.name,
    )
    session.add(item)
    session.flush()
    return item


def _items(scope: Scope) -> Select[Any]:
    return (
        select(ManualItem)
        .join(Organisation, Organisation.id == ManualItem.org_id)
        .where(scope.clause(Organisation.path))
    )


def get_item(session: Session, scope: Scope, item_id: int, *, for_update: bool = False) -> ManualItem:
    stmt = _items(scope).where(ManualItem.id == item_id)
    if for_update:
        stmt = stmt.with_for_update(of=ManualItem)
    item: ManualItem | None = session.scalars(stmt).one_or_none()
    if item is None:
        raise ManualItemNotFound()
    return item


def list_items(
    session: Session,
    scope: Scope,
    scheme_id: int,
    *,
    member_id: int | None,
    state: ItemState | None,
    cursor: str | None,
    limit: int,
) -> Page[ManualItemRead]:
    get_scheme(session, scope, scheme_id)
    stmt = _items(scope).where(ManualItem.scheme_id == scheme_id)
    if member_id is not None:
        stmt = stmt.where(ManualItem.member_id == member_id)
    if state is not None:
        stmt = stmt.where(ManualItem.state == state)
    return paginate_by_id(
        session, stmt, ManualItem.id, cursor=cursor, limit=limit, to_item=lambda row: item_to_read(row[0])
    )


def decide_item(
    session: Session,
    caller: Principal,
    item_id: int,
    approve: bool,
    data: ManualItemDecision,
    if_match: str | None,
    *,
    now: datetime | None = None,
) -> ManualItem:
    """requested → approved | rejected, by someone other than the requester (409 otherwise)."""
    item = get_item(session, caller.scope, item_id, for_update=True)
    check_if_match(if_match, item.version)
    scheme = session.get(Scheme, item.scheme_id)
    assert scheme is not None
    ensure_draft(scheme)
    if item.state is not ItemState.REQUESTED:
        raise ItemNotRequested()
    if (item.requested_by_kind, item.requested_by_id) == (caller.kind, caller.id):
        raise ApproverIsRequester()
    item.state = ItemState.APPROVED if approve else ItemState.REJECTED
    item.decided_by = caller.name
    item.decided_at = now or utcnow()
    item.decision_note = data.note
    session.flush()
    return item


def manual_entries(
    session: Session, scheme_id: int, member_ids: list[int]
) -> dict[int, list[engine.ManualEntry]]:
    """Approved items of the members under the scheme, oldest first."""
    out: dict[int, list[engine.ManualEntry]] = {}
    rows = session.execute(
        select(ManualItem.member_id, ManualItem.id, ManualItem.kind, ManualItem.points, ManualItem.reason)
        .where(
            ManualItem.scheme_id == scheme_id,
            ManualItem.state == ItemState.APPROVED,
            ManualItem.member_id.in_(member_ids),
        )
        .order_by(ManualItem.id)
    )
    for member_id, item_id, kind, points, reason in rows:
        out.setdefault(member_id, []).append(
            engine.ManualEntry(item_id, ItemKind(kind), Decimal(points), reason)
        )
    return out
