"""群众诉求台账: intake, the workflow state machine, deadlines (SLA), ratings, the overdue sweep and facts.

Every step goes through `apply_transition`, which checks the item's state against `TRANSITIONS`
(409 naming the current state otherwise) and writes the timeline event; the change to the item itself
is audited by the audit hook in the same transaction, and integration events leave through
`events.emit`. Time is always passed in (`now`), so tests drive deadlines with a fake clock.
Items are scoped through their handling org's path: outside the caller's subtree they do not exist.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from vanguard.audit.hook import record_event
from vanguard.complaints.events import emit
from vanguard.complaints.models import (
    OPEN_STATUSES,
    Action,
    ActorKind,
    Category,
    Channel,
    ClosureReason,
    Complaint,
    ComplaintEvent,
    EventKind,
    Status,
    Urgency,
)
from vanguard.complaints.schemas import (
    ActionOffer,
    ComplaintAssign,
    ComplaintCategory,
    ComplaintCategoryCreate,
    ComplaintCategoryUpdate,
    ComplaintClose,
    ComplaintCreate,
    ComplaintExtend,
    ComplaintPublicStep,
    ComplaintRates,
    ComplaintRating,
    ComplaintRead,
    ComplaintResolve,
    ComplaintStart,
    ComplaintStatsRow,
    ComplaintSummary,
    ComplaintTimelineEvent,
    ComplaintTrend,
    ComplaintTrendMonth,
    PublicComplaintCreate,
    PublicComplaintView,
)
from vanguard.core.clock import CST, local_today
from vanguard.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.masking import mask_email, mask_name, mask_phone
from vanguard.core.pagination import InvalidCursor, Page, encode_sort_cursor, paginate_by_id
from vanguard.core.permissions import Permission, Principal, Role, Scope, in_subtree
from vanguard.core.policy import (
    COMPLAINTS_ACCEPT_DAYS,
    COMPLAINTS_EXTENSION_MAX_DAYS,
    COMPLAINTS_HANDLE_DAYS,
    COMPLAINTS_REOPEN_HANDLE_DAYS,
    COMPLAINTS_REOPEN_MAX_RATING,
    COMPLAINTS_SATISFIED_MIN_RATING,
    COMPLAINTS_SILENCE_DAYS,
    COMPLAINTS_SWEEP_BATCH,
    COMPLAINTS_TRACKING_CODE_ALPHABET,
    COMPLAINTS_TRACKING_CODE_LENGTH,
)
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.users.models import User
from vanguard.webhooks.models import EventType

# --- errors ------------------------------------------------------------------------------------


class ComplaintNotFound(NotFound):
    code = "complaint_not_found"
    message_zh = "诉求不存在或不在您的管理范围内"
    message_en = "Complaint not found, or outside your scope"


class TrackingCodeNotFound(NotFound):
    code = "tracking_code_not_found"
    message_zh = "查询码无效"
    message_en = "Unknown tracking code"


class CategoryNotFound(NotFound):
    code = "category_not_found"
    message_zh = "诉求分类不存在"
    message_en = "Category not found"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class ExtensionUsed(Conflict):
    code = "extension_used"
    message_zh = "该诉求已延期过一次，不能再次延期"
    message_en = "This complaint has already had its one extension"


class NotClosable(Conflict):
    code = "complaint_not_closable"
    message_zh = f"须等群众评价，或办结满{COMPLAINTS_SILENCE_DAYS}天未评价后方可销号"
    message_en = f"Close only after the reporter's rating, or {COMPLAINTS_SILENCE_DAYS} days without one"


class NotOverdue(Conflict):
    code = "complaint_not_overdue"
    message_zh = "诉求尚未超期，不能督查"
    message_en = "Only overdue complaints are escalated"


class AlreadyEscalated(Conflict):
    code = "complaint_already_escalated"
    message_zh = "该诉求已提请督查"
    message_en = "This complaint has already been escalated"


class NoSuperiorOrg(Conflict):
    code = "no_superior_org"
    message_zh = "承办组织没有上级组织，无法督查"
    message_en = "The handling organisation has no superior to escalate to"


class AlreadyRated(Conflict):
    code = "complaint_already_rated"
    message_zh = "该诉求已评价"
    message_en = "This complaint has already been rated"


class CategoryCodeTaken(Conflict):
    code = "category_code_taken"
    message_zh = "分类代码已存在"
    message_en = "A category with this code already exists"


class IntakeUnavailable(Conflict):
    code = "intake_unavailable"
    message_zh = "尚未配置受理组织"
    message_en = "No organisation is configured to receive complaints"


class SystemAdminOnly(Forbidden):
    code = "system_admin_only"
    message_zh = "只有系统管理员可以维护诉求分类"
    message_en = "Only system administrators maintain the category tree"


def _invalid(code: str, field_name: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(
        zh, en, code=code, errors=[FieldError(field=f"body.{field_name}", code=code, message=en)]
    )


# --- the state machine -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Transition:
    event: EventKind
    sources: frozenset[Status]
    target: Status | None  # None: the status stays (extension, escalation, rating, overdue)


_S = Status
_HANDLING = frozenset({_S.ACCEPTED, _S.ASSIGNED, _S.IN_PROGRESS, _S.REOPENED})
TRANSITIONS: dict[Action, Transition] = {
    Action.ACCEPT: Transition(EventKind.ACCEPTED, frozenset({_S.RECEIVED}), _S.ACCEPTED),
    Action.REJECT: Transition(EventKind.REJECTED, frozenset({_S.RECEIVED}), _S.REJECTED),
    # Assigning again (改派) is allowed until the item is resolved.
    Action.ASSIGN: Transition(EventKind.ASSIGNED, _HANDLING, _S.ASSIGNED),
    Action.START: Transition(EventKind.STARTED, frozenset({_S.ASSIGNED, _S.REOPENED}), _S.IN_PROGRESS),
    Action.EXTEND: Transition(EventKind.EXTENDED, _HANDLING, None),
    Action.RESOLVE: Transition(EventKind.RESOLVED, frozenset({_S.IN_PROGRESS}), _S.RESOLVED),
    Action.CLOSE: Transition(EventKind.CLOSED, frozenset({_S.RESOLVED}), _S.CLOSED),
    Action.REOPEN: Transition(EventKind.REOPENED, frozenset({_S.RESOLVED, _S.CLOSED}), _S.REOPENED),
    Action.ESCALATE: Transition(EventKind.ESCALATED, frozenset(OPEN_STATUSES), None),
    Action.RATE: Transition(EventKind.RATED, frozenset({_S.RESOLVED}), None),
    Action.MARK_OVERDUE: Transition(EventKind.OVERDUE, frozenset(OPEN_STATUSES), None),
}

STATUS_ZH: dict[Status, str] = {
    _S.RECEIVED: "已登记",
    _S.ACCEPTED: "已受理",
    _S.REJECTED: "不予受理",
    _S.ASSIGNED: "已交办",
    _S.IN_PROGRESS: "办理中",
    _S.RESOLVED: "已办结",
    _S.CLOSED: "已销号",
    _S.REOPENED: "重新办理",
}
CLOSURE_ZH: dict[ClosureReason, str] = {
    ClosureReason.FIXED: "已解决",
    ClosureReason.NOT_OUR_RESPONSIBILITY: "不属于本单位职责",
    ClosureReason.DUPLICATE: "重复诉求",
    ClosureReason.REFERRED: "已转交其他部门",
    ClosureReason.NO_FURTHER_ACTION: "无需进一步处理",
}


def check_transition(complaint: Complaint, action: Action) -> None:
    """409 naming the current state when `action` is not allowed from it."""
    current = complaint.status
    if current not in TRANSITIONS[action].sources:
        raise InvalidTransition(
            f"诉求当前状态为「{STATUS_ZH[current]}」（{current.value}），不能执行 {action.value}",
            f"Cannot {action.value} a complaint whose current status is {current.value}",
        )


# The steps staff take, the usual next one first (rating is the public's, the overdue mark the sweep's).
STAFF_ACTIONS = (
    Action.ACCEPT,
    Action.ASSIGN,
    Action.START,
    Action.RESOLVE,
    Action.CLOSE,
    Action.REJECT,
    Action.EXTEND,
    Action.REOPEN,
    Action.ESCALATE,
)


def closable_from(complaint: Complaint) -> datetime | None:
    """When a resolved item may be closed: at once once rated, else after the silence period."""
    if complaint.rating is not None or complaint.resolved_at is None:
        return None
    return complaint.resolved_at + timedelta(days=COMPLAINTS_SILENCE_DAYS)


def offered_actions(complaint: Complaint, now: datetime) -> list[ActionOffer]:
    """The staff steps the item allows now, by the same guards the steps check: its state, one
    extension, escalation of an overdue item once; closing is offered with the moment it opens."""
    offers = []
    for action in STAFF_ACTIONS:
        if complaint.status not in TRANSITIONS[action].sources:
            continue
        if action is Action.EXTEND and complaint.extension_days > 0:
            continue
        if action is Action.ESCALATE and (
            complaint.escalated_at is not None or not is_overdue(complaint, now)
        ):
            continue
        opens = closable_from(complaint) if action is Action.CLOSE else None
        offers.append(ActionOffer(action=action, available_from=opens if opens and opens > now else None))
    return offers


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    id: int | None = None
    name: str | None = None

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        kind = ActorKind.USER if principal.kind == "user" else ActorKind.SERVICE
        return cls(kind, principal.id, principal.name)


PUBLIC = Actor(ActorKind.PUBLIC)
SYSTEM = Actor(ActorKind.SYSTEM, name="overdue-sweep")


def apply_transition(
    session: Session,
    complaint: Complaint,
    action: Action,
    actor: Actor,
    now: datetime,
    *,
    note: str | None = None,
    public_note: str | None = None,
    rating: int | None = None,
) -> ComplaintEvent:
    """Check `action` is allowed from the item's state, move it, and write the timeline event."""
    check_transition(complaint, action)
    transition = TRANSITIONS[action]
    current = complaint.status
    target = transition.target or current
    complaint.status = target
    event = ComplaintEvent(
        complaint_id=complaint.id,
        kind=transition.event,
        from_status=current,
        to_status=target,
        actor_kind=actor.kind,
        actor_id=actor.id,
        actor_name=actor.name,
        at=now,
        note=note,
        public_note=public_note,
        rating=rating,
    )
    session.add(event)
    return event


# --- deadlines (SLA) ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sla:
    accept_days: int
    handle_days: int
    extension_days: int


def sla_for(session: Session, category_id: int) -> Sla:
    """The category's day counts; unset ones come from the nearest ancestor that sets them, then policy."""
    accept: int | None = None
    handle: int | None = None
    extension: int | None = None
    next_id: int | None = category_id
    while next_id is not None and (accept is None or handle is None or extension is None):
        category = session.get_one(Category, next_id)
        accept = accept if accept is not None else category.accept_days
        handle = handle if handle is not None else category.handle_days
        extension = extension if extension is not None else category.extension_days
        next_id = category.parent_id
    return Sla(
        accept_days=accept if accept is not None else COMPLAINTS_ACCEPT_DAYS,
        handle_days=handle if handle is not None else COMPLAINTS_HANDLE_DAYS,
        extension_days=extension if extension is not None else COMPLAINTS_EXTENSION_MAX_DAYS,
    )


def _set_due(complaint: Complaint, due_at: datetime, now: datetime) -> None:
    complaint.due_at = due_at
    if due_at > now:
        complaint.overdue_at = None  # a new deadline: the sweep may flag it again when this one passes


def is_overdue(complaint: Complaint, now: datetime) -> bool:
    return complaint.status in OPEN_STATUSES and complaint.due_at < now


def open_clause() -> ColumnElement[bool]:
    """`status IN (open…)` with the statuses inlined, matching the partial index of open items."""
    return Complaint.status.in_([literal_column(f"'{s.value}'") for s in OPEN_STATUSES])


# --- categories --------------------------------------------------------------------------------


def category_by_code(session: Session, code: str, *, field_name: str = "category") -> Category:
    category = session.scalar(select(Category).where(Category.code == code, Category.is_active.is_(True)))
    if category is None:
        raise _invalid(
            "unknown_category",
            field_name,
            f"未知的诉求分类：{code}",
            f"Unknown category: {code}",
        )
    return category


def category_tree(session: Session) -> list[ComplaintCategory]:
    nodes = {
        c.id: ComplaintCategory(
            id=c.id,
            parent_id=c.parent_id,
            code=c.code,
            name_zh=c.name_zh,
            name_en=c.name_en,
            accept_days=c.accept_days,
            handle_days=c.handle_days,
            extension_days=c.extension_days,
            is_active=c.is_active,
            version=c.version,
        )
        for c in session.scalars(select(Category).order_by(Category.id))
    }
    roots: list[ComplaintCategory] = []
    for node in nodes.values():
        (nodes[node.parent_id].children if node.parent_id is not None else roots).append(node)
    return roots


def _require_system_admin(caller: Principal) -> None:
    if caller.role is not Role.ADMIN or caller.scope.root_path is not None:
        raise SystemAdminOnly()


def create_category(session: Session, caller: Principal, data: ComplaintCategoryCreate) -> Category:
    _require_system_admin(caller)
    if data.parent_id is not None and session.get(Category, data.parent_id) is None:
        raise _invalid("category_parent_not_found", "parent_id", "上级分类不存在", "No such parent category")
    if session.scalar(select(Category.id).where(Category.code == data.code)) is not None:
        raise CategoryCodeTaken()
    category = Category(**data.model_dump(), is_active=True)
    session.add(category)
    session.flush()
    return category


def update_category(
    session: Session, caller: Principal, category_id: int, data: ComplaintCategoryUpdate, if_match: str | None
) -> Category:
    _require_system_admin(caller)
    category = session.get(Category, category_id, with_for_update=True)
    if category is None:
        raise CategoryNotFound()
    check_if_match(if_match, category.version)
    for key, value in data.model_dump(exclude_unset=True).items():
        if key == "is_active" and value is None:
            continue
        setattr(category, key, value)
    session.flush()
    return category


def category_node(category: Category) -> ComplaintCategory:
    return ComplaintCategory.model_validate(category, from_attributes=True)


# --- intake ------------------------------------------------------------------------------------


def new_tracking_code(session: Session) -> str:
    while True:
        code = "".join(
            secrets.choice(COMPLAINTS_TRACKING_CODE_ALPHABET) for _ in range(COMPLAINTS_TRACKING_CODE_LENGTH)
        )
        if session.scalar(select(Complaint.id).where(Complaint.tracking_code == code)) is None:
            return code


def normalise_code(code: str) -> str:
    return code.strip().upper()


def _receive(
    session: Session,
    data: ComplaintCreate | PublicComplaintCreate,
    *,
    org_id: int,
    channel: Channel,
    actor: Actor,
    now: datetime,
) -> Complaint:
    category = category_by_code(session, data.category)
    fields = data.model_dump(exclude={"category", "channel", "org_id"})
    complaint = Complaint(
        **fields,
        tracking_code=new_tracking_code(session),
        channel=channel,
        category_id=category.id,
        org_id=org_id,
        status=Status.RECEIVED,
        received_at=now,
        due_at=now + timedelta(days=sla_for(session, category.id).accept_days),
        extension_days=0,
        reopen_count=0,
    )
    session.add(complaint)
    session.flush()
    session.add(
        ComplaintEvent(
            complaint_id=complaint.id,
            kind=EventKind.RECEIVED,
            from_status=None,
            to_status=Status.RECEIVED,
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_name=actor.name,
            at=now,
            public_note=f"已登记（{channel.value}）",
        )
    )
    emit(session, complaint, EventType.COMPLAINT_RECEIVED, now)
    return complaint


def create(session: Session, caller: Principal, data: ComplaintCreate, now: datetime) -> Complaint:
    """Staff and service-account intake; the receiving org defaults to the caller's own."""
    org_id = data.org_id if data.org_id is not None else caller.org_id
    if org_id is None:
        raise _invalid(
            "org_required", "org_id", "请指定受理组织", "org_id is required for callers without an org"
        )
    org = orgs.get(session, caller.scope, org_id)
    return _receive(session, data, org_id=org.id, channel=data.channel, actor=Actor.of(caller), now=now)


def intake_org_id(session: Session, org_code: str | None) -> int:
    """Where public intake lands: the configured org, else the (first) root of the tree."""
    stmt = select(Organisation.id)
    stmt = (
        stmt.where(Organisation.code == org_code)
        if org_code
        else stmt.where(Organisation.parent_id.is_(None)).order_by(Organisation.id).limit(1)
    )
    org_id = session.scalar(stmt)
    if org_id is None:
        raise IntakeUnavailable()
    return org_id


def create_public(
    session: Session, data: PublicComplaintCreate, now: datetime, *, org_code: str | None
) -> Complaint:
    return _receive(
        session, data, org_id=intake_org_id(session, org_code), channel=Channel.WEB, actor=PUBLIC, now=now
    )


# --- reads -------------------------------------------------------------------------------------


def _scoped(stmt: Select[Any], scope: Scope) -> Select[Any]:
    return stmt.join(Organisation, Organisation.id == Complaint.org_id).where(scope.clause(Organisation.path))


def get(session: Session, scope: Scope, complaint_id: int, *, for_update: bool = False) -> Complaint:
    stmt = _scoped(select(Complaint), scope).where(Complaint.id == complaint_id)
    if for_update:
        stmt = stmt.with_for_update(of=Complaint)
    complaint: Complaint | None = session.scalars(stmt).one_or_none()
    if complaint is None:
        raise ComplaintNotFound()
    return complaint


def may_see_reporter(caller: Principal, complaint: Complaint) -> bool:
    """The handling org (its own people with `pii`) and administrators; everyone else sees masks."""
    if caller.role is Role.ADMIN:
        return True
    return caller.org_id == complaint.org_id and caller.can(Permission.PII)


def to_read(session: Session, caller: Principal, complaint: Complaint, now: datetime) -> ComplaintRead:
    reveal = may_see_reporter(caller, complaint)
    has_reporter = any((complaint.reporter_name, complaint.reporter_phone, complaint.reporter_email))
    if reveal and has_reporter:
        # Reading a reporter's identity is itself an audited event.
        record_event(
            session,
            entity="complaints",
            entity_id=complaint.id,
            action="read_reporter",
            org_id=complaint.org_id,
        )
    category_code = session.get_one(Category, complaint.category_id).code
    data = {c: getattr(complaint, c) for c in ComplaintRead.model_fields if hasattr(complaint, c)}
    data.update(
        category_code=category_code,
        overdue=is_overdue(complaint, now),
        reporter_masked=not reveal,
        reporter_name=complaint.reporter_name if reveal else mask_name(complaint.reporter_name),
        reporter_phone=complaint.reporter_phone if reveal else mask_phone(complaint.reporter_phone),
        reporter_email=complaint.reporter_email if reveal else mask_email(complaint.reporter_email),
        actions=offered_actions(complaint, now) if caller.can(Permission.COMPLAINTS_WRITE) else [],
    )
    return ComplaintRead.model_validate(data)


def _decode_due_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw, last_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        at = datetime.fromisoformat(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if at.tzinfo is None or not isinstance(last_id, int) or isinstance(last_id, bool):
        raise InvalidCursor()
    return at, last_id


def list_complaints(
    session: Session,
    scope: Scope,
    now: datetime,
    *,
    status: Status | None,
    category: str | None,
    org_id: int | None,
    responsible_user_id: int | None,
    overdue: bool | None,
    escalated_to_org_id: int | None,
    cursor: str | None,
    limit: int,
    channel: Channel | None = None,
    urgency: Urgency | None = None,
    q: str | None = None,
) -> Page[ComplaintSummary]:
    """Newest first; with `overdue=true`, the overdue list: open items past their deadline, most
    overdue first (keyset on the deadline, served by the partial index of open items)."""
    stmt = _scoped(select(Complaint), scope)
    if status is not None:
        stmt = stmt.where(Complaint.status == status)
    if category is not None:
        stmt = stmt.where(Complaint.category_id == category_by_code(session, category).id)
    if org_id is not None:
        stmt = stmt.where(Complaint.org_id == org_id)
    if responsible_user_id is not None:
        stmt = stmt.where(Complaint.responsible_user_id == responsible_user_id)
    if escalated_to_org_id is not None:  # 督查: the items escalated to this (superior) org
        stmt = stmt.where(Complaint.escalated_to_org_id == escalated_to_org_id)
    if channel is not None:
        stmt = stmt.where(Complaint.channel == channel)
    if urgency is not None:
        stmt = stmt.where(Complaint.urgency == urgency)
    if q is not None and q.strip():
        # Words of the title, or a tracking code a reporter reads out over the phone.
        text = q.strip()
        stmt = stmt.where(
            or_(
                Complaint.title.icontains(text, autoescape=True),
                Complaint.tracking_code == normalise_code(text),
            )
        )
    to_item = ComplaintSummary.model_validate
    if overdue is False:
        stmt = stmt.where(~and_(open_clause(), Complaint.due_at < now))
    if not overdue:
        return paginate_by_id(
            session,
            stmt,
            Complaint.id,
            cursor=cursor,
            limit=limit,
            descending=True,
            to_item=lambda r: to_item(r[0]),
        )
    stmt = stmt.where(open_clause(), Complaint.due_at < now)
    if cursor is not None:
        after, last_id = _decode_due_cursor(cursor)
        stmt = stmt.where(
            tuple_(Complaint.due_at, Complaint.id)
            > tuple_(literal(after, Complaint.due_at.type), literal(last_id))
        )
    rows = session.scalars(stmt.order_by(Complaint.due_at, Complaint.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_sort_cursor(rows[-1].due_at, rows[-1].id) if more and rows else None
    return Page[ComplaintSummary](items=[to_item(c) for c in rows], next_cursor=next_cursor)


def timeline(session: Session, scope: Scope, complaint_id: int) -> list[ComplaintTimelineEvent]:
    complaint = get(session, scope, complaint_id)
    events = session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id).order_by(ComplaintEvent.id)
    )
    return [ComplaintTimelineEvent.model_validate(e) for e in events]


# --- workflow steps ----------------------------------------------------------------------------


def _load(session: Session, scope: Scope, complaint_id: int, if_match: str | None) -> Complaint:
    complaint = get(session, scope, complaint_id, for_update=True)
    check_if_match(if_match, complaint.version)
    return complaint


def accept(
    session: Session,
    caller: Principal,
    complaint_id: int,
    now: datetime,
    if_match: str | None,
    note: str | None,
) -> Complaint:
    c = _load(session, caller.scope, complaint_id, if_match)
    handle_days = sla_for(session, c.category_id).handle_days  # before any change: one UPDATE, one version
    apply_transition(session, c, Action.ACCEPT, Actor.of(caller), now, note=note, public_note="已受理")
    c.accepted_at = now
    _set_due(c, now + timedelta(days=handle_days), now)
    session.flush()
    return c


def reject(
    session: Session, caller: Principal, complaint_id: int, reason: str, now: datetime, if_match: str | None
) -> Complaint:
    c = _load(session, caller.scope, complaint_id, if_match)
    apply_transition(session, c, Action.REJECT, Actor.of(caller), now, public_note=f"不予受理：{reason}")
    c.rejection_reason = reason
    session.flush()
    return c


def assign(
    session: Session,
    caller: Principal,
    complaint_id: int,
    data: ComplaintAssign,
    now: datetime,
    if_match: str | None,
) -> Complaint:
    c = _load(session, caller.scope, complaint_id, if_match)
    org = orgs.get(session, caller.scope, data.org_id)
    user = session.get(User, data.responsible_user_id)
    user_org_path = (
        None if user is None or user.org_id is None else session.get_one(Organisation, user.org_id).path
    )
    if user is None or not user.is_active or user_org_path is None or not in_subtree(user_org_path, org.path):
        raise _invalid(
            "responsible_user_invalid",
            "responsible_user_id",
            "责任人须为承办组织（或其下级组织）的在职用户",
            "The responsible person must be an active user of the handling org or its subtree",
        )
    apply_transition(
        session, c, Action.ASSIGN, Actor.of(caller), now, note=data.note, public_note=f"已交办：{org.name}"
    )
    c.org_id, c.responsible_user_id, c.assigned_at = org.id, user.id, now
    session.flush()
    emit(session, c, EventType.COMPLAINT_ASSIGNED, now)
    return c


def start(
    session: Session,
    caller: Principal,
    complaint_id: int,
    data: ComplaintStart,
    now: datetime,
    if_match: str | None,
) -> Complaint:
    c = _load(session, caller.scope, complaint_id, if_match)
    check_transition(c, Action.START)
    if not now < data.promised_by <= c.due_at:
        raise _invalid(
            "promise_outside_deadline",
            "promised_by",
            f"承诺期限须晚于现在且不晚于办理期限（{c.due_at.astimezone(CST):%Y-%m-%d %H:%M}）",
            f"The promise must fall after now and no later than the deadline ({c.due_at.isoformat()})",
        )
    by = data.promised_by.astimezone(CST)
    apply_transition(
        session,
        c,
        Action.START,
        Actor.of(caller),
        now,
        note=data.note,
        public_note=f"承诺：{data.promise}（{by:%Y-%m-%d}前）",
    )
    c.promise, c.promised_by, c.started_at = data.promise, data.promised_by, now
    c.promised_by_user_id = caller.id if caller.kind == "user" else None
    session.flush()
    return c


def extend(
    session: Session,
    caller: Principal,
    complaint_id: int,
    data: ComplaintExtend,
    now: datetime,
    if_match: str | None,
) -> Complaint:
    c = _load(session, caller.scope, complaint_id, if_match)
    check_transition(c, Action.EXTEND)
    if c.extension_days > 0:
        raise ExtensionUsed()
    allowed = sla_for(session, c.category_id).extension_days
    if data.days > allowed:
        raise _invalid(
            "extension_too_long",
            "days",
            f"该分类最多延期{allowed}天",
            f"This category allows at most {allowed} days",
        )
    new_due = c.due_at + timedelta(days=data.days)
    apply_transition(
        session,
        c,
        Action.EXTEND,
        Actor.of(caller),
        now,
        note=data.reason,
        public_note=f"办理期限延长{data.days}天，至{new_due.astimezone(CST):%Y-%m-%d}",
    )
    c.extension_days, c.extension_reason = data.days, data.reason
    _set_due(c, new_due, now)
    session.flush()
    return c


def resolve(
    session: Session,
    caller: Principal,
    complaint_id: int,
    data: ComplaintResolve,
    now: datetime,
    if_match: str | None,
) -> Complaint:
    c = _load(session, caller.scope, complaint_id, if_match)
    apply_transition(
        session, c, Action.RESOLVE, Actor.of(caller), now, note=data.note, public_note=data.result
    )
    c.result, c.resolved_at = data.result, now
    session.flush()
    emit(session, c, EventType.COMPLAINT_RESOLVED, now)
    return c


def close(
    session: Session,
    caller: Principal,
    complaint_id: int,
    data: ComplaintClose,
    now: datetime,
    if_match: str | None,
) -> Complaint:
    c = _load(session, caller.scope, complaint_id, if_match)
    check_transition(c, Action.CLOSE)
    opens = closable_from(c)
    if opens is not None and now < opens:
        raise NotClosable()
    _check_duplicate(session, caller.scope, c, data)
    apply_transition(
        session,
        c,
        Action.CLOSE,
        Actor.of(caller),
        now,
        note=data.note,
        public_note=f"已销号：{CLOSURE_ZH[data.reason]}",
    )
    c.closure_reason, c.closed_at = data.reason, now
    c.duplicate_of_id = data.duplicate_of_id if data.reason is ClosureReason.DUPLICATE else None
    session.flush()
    emit(session, c, EventType.COMPLAINT_CLOSED, now)
    return c


def _check_duplicate(session: Session, scope: Scope, c: Complaint, data: ComplaintClose) -> None:
    if data.reason is not ClosureReason.DUPLICATE:
        if data.duplicate_of_id is not None:
            raise _invalid(
                "duplicate_of_unexpected",
                "duplicate_of_id",
                "仅重复诉求可关联原诉求",
                "Only duplicates link an original",
            )
        return
    original = (
        None
        if data.duplicate_of_id is None or data.duplicate_of_id == c.id
        else session.scalar(_scoped(select(Complaint.id), scope).where(Complaint.id == data.duplicate_of_id))
    )
    if original is None:
        raise _invalid(
            "duplicate_of_invalid",
            "duplicate_of_id",
            "重复诉求须关联另一件在您管理范围内的原诉求",
            "A duplicate must link another complaint within your scope",
        )


def _reopen(
    session: Session, c: Complaint, actor: Actor, now: datetime, note: str | None, public_note: str
) -> None:
    apply_transition(session, c, Action.REOPEN, actor, now, note=note, public_note=public_note)
    c.reopen_count += 1
    c.resolved_at = c.closed_at = c.closure_reason = c.duplicate_of_id = None
    c.rating = c.rating_comment = c.rated_at = (
        None  # the next resolution is rated afresh; events keep this one
    )
    _set_due(c, now + timedelta(days=COMPLAINTS_REOPEN_HANDLE_DAYS), now)


def reopen(
    session: Session, caller: Principal, complaint_id: int, reason: str, now: datetime, if_match: str | None
) -> Complaint:
    c = _load(session, caller.scope, complaint_id, if_match)
    _reopen(session, c, Actor.of(caller), now, reason, "重新办理")
    session.flush()
    return c


def escalate(
    session: Session,
    caller: Principal,
    complaint_id: int,
    note: str | None,
    now: datetime,
    if_match: str | None,
) -> Complaint:
    """督查: an overdue item is flagged to the handling org's superior (timeline + integration event)."""
    c = _load(session, caller.scope, complaint_id, if_match)
    check_transition(c, Action.ESCALATE)
    if c.escalated_at is not None:
        raise AlreadyEscalated()
    if not is_overdue(c, now):
        raise NotOverdue()
    superior = session.get_one(Organisation, c.org_id).parent_id
    if superior is None:
        raise NoSuperiorOrg()
    apply_transition(
        session, c, Action.ESCALATE, Actor.of(caller), now, note=note, public_note="已提请上级督查"
    )
    c.escalated_at, c.escalated_to_org_id = now, superior
    session.flush()
    emit(session, c, EventType.COMPLAINT_ESCALATED, now, org_id=superior)
    return c


# --- the public face ---------------------------------------------------------------------------


def by_code(session: Session, code: str, *, for_update: bool = False) -> Complaint:
    stmt = select(Complaint).where(Complaint.tracking_code == normalise_code(code))
    if for_update:
        stmt = stmt.with_for_update()
    complaint = session.scalars(stmt).one_or_none()
    if complaint is None:
        raise TrackingCodeNotFound()
    return complaint


def public_view(session: Session, code: str) -> PublicComplaintView:
    """Progress only: status, deadline, closure reason and the steps' public notes (which name the
    handling org once assigned) — no reporter data, no staff names, no internal notes."""
    c = by_code(session, code)
    events = session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id).order_by(ComplaintEvent.id)
    )
    return PublicComplaintView(
        tracking_code=c.tracking_code,
        status=c.status,
        category=session.get_one(Category, c.category_id).name_zh,
        received_at=c.received_at,
        due_at=c.due_at,
        closure_reason=c.closure_reason,
        rated=c.rating is not None,
        steps=[
            ComplaintPublicStep(kind=e.kind, status=e.to_status, at=e.at, note=e.public_note) for e in events
        ],
    )


def rate(session: Session, code: str, data: ComplaintRating, now: datetime) -> Complaint:
    """The reporter's 1–5: only once the item is resolved; at or below the threshold it is reopened."""
    c = by_code(session, code, for_update=True)
    check_transition(c, Action.RATE)
    if c.rating is not None:
        raise AlreadyRated()
    apply_transition(
        session, c, Action.RATE, PUBLIC, now, public_note=f"群众评价：{data.rating}星", rating=data.rating
    )
    c.rating, c.rating_comment, c.rated_at = data.rating, data.comment, now
    if data.rating <= COMPLAINTS_REOPEN_MAX_RATING:
        _reopen(session, c, PUBLIC, now, data.comment, "群众不满意，重新办理")
    session.flush()
    return c


# --- the overdue sweep -------------------------------------------------------------------------


def sweep_overdue(session: Session, now: datetime) -> int:
    """Flag open items past their deadline (once each: idempotent) with a timeline event and an
    integration event; returns how many were flagged. The caller commits."""
    flagged = 0
    while True:
        batch = session.scalars(
            select(Complaint)
            .where(open_clause(), Complaint.due_at < now, Complaint.overdue_at.is_(None))
            .order_by(Complaint.due_at, Complaint.id)
            .limit(COMPLAINTS_SWEEP_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        for c in batch:
            apply_transition(session, c, Action.MARK_OVERDUE, SYSTEM, now, public_note="已超期")
            c.overdue_at = now
            emit(session, c, EventType.COMPLAINT_OVERDUE, now)
        session.flush()
        flagged += len(batch)
        if len(batch) < COMPLAINTS_SWEEP_BATCH:
            return flagged


# --- satisfaction and on-time facts ------------------------------------------------------------


@dataclass
class ComplaintFacts:
    key: int
    received: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    rating_sum: int = 0
    overdue_open: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(self.resolved_on_time / self.resolved, 4) if self.resolved else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(self.satisfied / self.rated, 4) if self.rated else None

    @property
    def average_rating(self) -> float | None:
        return round(self.rating_sum / self.rated, 2) if self.rated else None

    def rates(self) -> dict[str, Any]:
        """The `ComplaintRates` fields."""
        names = ComplaintRates.model_fields
        return {name: getattr(self, name) for name in names}


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time(), CST), datetime.combine(end + timedelta(days=1), time(), CST)


KeyOf = Callable[[Any], Any]  # the grouping key, given the moment a fact is dated by


def _dated_facts(
    session: Session,
    narrowed: Callable[[Select[Any]], Select[Any]],
    key_of: KeyOf,
    lo: datetime,
    hi: datetime,
) -> dict[Any, ComplaintFacts]:
    """Received, resolved (and on time) and ratings in [lo, hi), grouped by `key_of(the fact's moment)`.
    Each count groups a keyed subquery, so a key that is an expression with bound values (a month
    bucket) groups the same on PostgreSQL and SQLite."""
    facts: dict[Any, ComplaintFacts] = {}

    def slot(key: Any) -> ComplaintFacts:
        return facts.setdefault(key, ComplaintFacts(key))

    def grouped(inner: Any, *aggregates: Callable[[Any], Any]) -> Any:
        sub = narrowed(inner).subquery()
        return session.execute(
            select(sub.c.key, func.count(), *(agg(sub.c) for agg in aggregates)).group_by(sub.c.key)
        )

    received_at = Complaint.received_at
    received = select(key_of(received_at).label("key")).where(received_at >= lo, received_at < hi)
    for key, n in grouped(received):
        slot(key).received = n
    resolved_at = Complaint.resolved_at
    resolved = select(
        key_of(resolved_at).label("key"), case((resolved_at <= Complaint.due_at, 1), else_=0).label("ok")
    ).where(resolved_at >= lo, resolved_at < hi)
    for key, n, ok in grouped(resolved, lambda c: func.sum(c.ok)):
        slot(key).resolved, slot(key).resolved_on_time = n, int(ok or 0)
    rated_at = ComplaintEvent.at
    ratings = (
        select(key_of(rated_at).label("key"), ComplaintEvent.rating.label("rating"))
        .select_from(ComplaintEvent)
        .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
        .where(ComplaintEvent.kind == EventKind.RATED, rated_at >= lo, rated_at < hi)
    )

    def satisfied(c: Any) -> Any:
        return func.sum(case((c.rating >= COMPLAINTS_SATISFIED_MIN_RATING, 1), else_=0))

    for key, n, good, total in grouped(ratings, satisfied, lambda c: func.sum(c.rating)):
        f = slot(key)
        f.rated, f.satisfied, f.rating_sum = n, int(good or 0), int(total or 0)
    return facts


def complaint_facts(
    session: Session,
    scope: Scope,
    *,
    by: Literal["org", "person"],
    ids: Iterable[int] | None,
    start: date,
    end: date,
    now: datetime,
) -> dict[int, ComplaintFacts]:
    """Per handling org or per responsible person, for days `start`–`end` (CST, inclusive): received,
    resolved and resolved on time (by `resolved_at`), every rating given in the period (a rating that
    reopened the item counts too), and items open past their deadline now. Items outside the scope are
    left out. This is what scoring reads."""
    key_col = Complaint.org_id if by == "org" else Complaint.responsible_user_id
    lo, hi = _bounds(start, end)
    wanted = None if ids is None else sorted(set(ids))

    def narrowed(stmt: Any) -> Select[Any]:
        scoped = _scoped(stmt, scope).where(key_col.is_not(None))
        return scoped if wanted is None else scoped.where(key_col.in_(wanted))

    facts = _dated_facts(session, narrowed, lambda _moment: key_col, lo, hi)
    overdue = narrowed(select(key_col, func.count()).where(open_clause(), Complaint.due_at < now))
    for key, n in session.execute(overdue.group_by(key_col)):
        facts.setdefault(key, ComplaintFacts(key)).overdue_open = n
    return facts


def month_starts(last: date, months: int) -> list[date]:
    """The first days of the `months` calendar months ending with `last`'s, then of the month after."""
    index = last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 2)]


def trend(
    session: Session, scope: Scope, org_id: int | None, *, months: int, now: datetime
) -> ComplaintTrend:
    """Per China month, the last `months` through the current one, in the org's subtree (default: the
    caller's scope root): the same received / resolved / rating facts as `stats`, dated the same way."""
    org = orgs.requested_or_root(session, scope, org_id)
    subtree = Scope(org.path) if org else Scope.everything()
    starts = month_starts(local_today(now), months)
    cutoffs = [datetime.combine(day, time(), CST) for day in starts]

    def month_of(moment: Any) -> ColumnElement[Any]:
        return case(*((moment < cutoff, i) for i, cutoff in enumerate(cutoffs[1:])))

    facts = _dated_facts(session, lambda stmt: _scoped(stmt, subtree), month_of, cutoffs[0], cutoffs[-1])
    rows = [
        ComplaintTrendMonth(month=f"{day:%Y-%m}", **facts.get(i, ComplaintFacts(i)).rates())
        for i, day in enumerate(starts[:-1])
    ]
    overdue = _scoped(select(func.count()).select_from(Complaint), subtree).where(
        open_clause(), Complaint.due_at < now
    )
    return ComplaintTrend(
        org_id=org.id if org else None, months=rows, overdue_open=session.scalar(overdue) or 0
    )


def stats(
    session: Session,
    scope: Scope,
    *,
    by: Literal["org", "person"],
    start: date,
    end: date,
    now: datetime,
) -> list[ComplaintStatsRow]:
    facts = complaint_facts(session, scope, by=by, ids=None, start=start, end=end, now=now)
    named = (
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(facts))
        if by == "org"
        else select(User.id, User.display_name).where(User.id.in_(facts))
    )
    names: dict[int, str] = {row[0]: row[1] for row in session.execute(named)}
    return [
        ComplaintStatsRow(key=f.key, name=names.get(f.key, ""), overdue_open=f.overdue_open, **f.rates())
        for f in sorted(facts.values(), key=lambda f: f.key)
    ]
