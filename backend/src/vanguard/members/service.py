"""The member roll. Every query starts from `readable(scope)`: members of orgs in the caller's subtree."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, extract, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from vanguard.audit.hook import record_event
from vanguard.core import idcard
from vanguard.core.clock import local_today
from vanguard.core.errors import Conflict, FieldError, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.masking import mask_phone
from vanguard.core.pagination import Page, paginate_sorted
from vanguard.core.permissions import Permission, Principal, Scope
from vanguard.core.security import pii
from vanguard.members.models import Gender, Member, MemberStatus, Stage
from vanguard.members.pinyin import initials
from vanguard.members.schemas import MemberCreate, MemberLeave, MemberRead, MemberSort, MemberUpdate
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.orgs.rules import holds_roll
from vanguard.transfers.models import Transfer, TransferState

# The key dates in pipeline order, each with the stage it marks the start of.
PIPELINE_DATES: tuple[tuple[str, Stage], ...] = (
    ("applied_on", Stage.APPLICANT),
    ("activist_on", Stage.ACTIVIST),
    ("candidate_on", Stage.CANDIDATE),
    ("probationary_on", Stage.PROBATIONARY),
    ("full_member_on", Stage.FULL),
)
STAGE_ORDER = [stage for _, stage in PIPELINE_DATES]
# Who holds an ID-number digest already: (member id, org id), or None. Bulk imports look a chunk's
# numbers up in one query and answer from that; single writes ask the database.
HolderLookup = Callable[[str], "tuple[int, int] | None"]
_ID_LIKE = re.compile(r"^\d{17}[\dXx]$")


class MemberNotFound(NotFound):
    code = "member_not_found"
    message_zh = "党员不存在或不在您的管理范围内"
    message_en = "Member not found, or outside your scope"


class DuplicateIdNumber(Conflict):
    code = "duplicate_id_number"
    message_zh = "该身份证号码已登记在其他党员名下"
    message_en = "This ID-card number is already registered to another member"


class MemberAlreadyLeft(Conflict):
    code = "member_already_left"
    message_zh = "该党员已不在册"
    message_en = "This member has already left the roll"


class TransferPending(Conflict):
    code = "transfer_pending"
    message_zh = "该党员有待处理的组织关系转接，请先撤回或办结"
    message_en = "The member has a pending transfer; cancel or complete it first"


class OrgHoldsNoRoll(InvalidInput):
    code = "org_holds_no_roll"
    message_zh = "党员应编入党支部等基层组织，党小组或已撤销的组织不能直接管理党员名册"
    message_en = "Members belong to an active branch-level organisation, not a Party group or dissolved org"


def readable(scope: Scope) -> Select[Member]:
    """The one place that decides which members a caller may see."""
    return (
        select(Member)
        .join(Organisation, Organisation.id == Member.org_id)
        .where(scope.clause(Organisation.path))
    )


def get_member(session: Session, scope: Scope, member_id: int, *, for_update: bool = False) -> Member:
    stmt = readable(scope).where(Member.id == member_id)
    if for_update:
        stmt = stmt.with_for_update(of=Member)
    member = session.scalars(stmt).one_or_none()
    if member is None:
        raise MemberNotFound()
    return member


# --- validation --------------------------------------------------------------------------------


def _invalid(field: str, code: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, code=code, errors=[FieldError.of(f"body.{field}", code, zh, en)])


def _apply_id_number(
    session: Session,
    scope: Scope,
    member: Member,
    raw: str,
    gender: Gender | None,
    birth: date | None,
    holder_of: HolderLookup | None = None,
) -> tuple[Gender, date]:
    """Validate the number, check it against the given gender and birth date, store it protected."""
    try:
        card = idcard.parse(raw)
    except idcard.InvalidIdNumber as exc:
        raise _invalid("id_number", exc.code, exc.zh, exc.en) from exc
    card_gender = Gender.MALE if card.is_male else Gender.FEMALE
    if gender is not None and gender is not card_gender:
        raise _invalid(
            "gender", "gender_mismatch", "性别与身份证号码不符", "Gender does not match the ID number"
        )
    if birth is not None and birth != card.birth_date:
        raise _invalid(
            "birth_date",
            "birth_date_mismatch",
            f"出生日期与身份证号码不符（应为 {card.birth_date}）",
            f"Birth date does not match the ID number (expected {card.birth_date})",
        )
    digest = pii.lookup_digest(card.number)
    if holder_of is not None:
        held = holder_of(digest)
        holder = held if held is not None and held[0] != member.id else None
    else:
        row = session.execute(
            select(Member.id, Member.org_id).where(Member.id_number_digest == digest, Member.id != member.id)
        ).first()
        holder = (row.id, row.org_id) if row is not None else None
    if holder is not None:
        _raise_duplicate(session, scope, holder[1])
    member.id_number_digest = digest
    member.id_number_cipher = pii.encrypt(card.number)
    member.id_number_masked = card.masked
    return card_gender, card.birth_date


def _raise_duplicate(session: Session, scope: Scope, org_id: int) -> None:
    duplicate = DuplicateIdNumber
    at_id_number = [
        FieldError.of("body.id_number", duplicate.code, duplicate.message_zh, duplicate.message_en)
    ]
    try:
        org_name = orgs.get(session, scope, org_id).name
    except orgs.OrgNotFound:
        raise DuplicateIdNumber(
            errors=at_id_number
        ) from None  # held outside the caller's subtree: say no more
    raise DuplicateIdNumber(
        f"该身份证号码已登记在{org_name}的党员名下",
        f"This ID-card number is already registered in {org_name}",
        errors=at_id_number,
    )


def _check_dates(member: Member, today: date) -> None:
    """Key dates: none in the future, none before birth, in pipeline order, none beyond the stage."""
    previous: tuple[str, date] | None = None
    reached = STAGE_ORDER.index(member.stage)
    for field, stage in PIPELINE_DATES:
        value: date | None = getattr(member, field)
        if value is None:
            continue
        if value > today:
            raise _invalid(
                field, "date_in_future", f"{field} 不能晚于今天", f"{field} cannot be in the future"
            )
        if member.birth_date is not None and value < member.birth_date:
            raise _invalid(
                field,
                "date_before_birth",
                f"{field} 不能早于出生日期",
                f"{field} cannot precede the birth date",
            )
        if previous is not None and value < previous[1]:
            raise _invalid(
                field,
                "dates_out_of_order",
                f"{field} 不能早于 {previous[0]}",
                f"{field} cannot precede {previous[0]}",
            )
        if STAGE_ORDER.index(stage) > reached:
            raise _invalid(
                field,
                "date_beyond_stage",
                f"当前阶段为 {member.stage.value}，不应有 {field}",
                f"A member at stage {member.stage.value} cannot have {field}",
            )
        previous = (field, value)
    if member.birth_date is not None and member.birth_date > today:
        raise _invalid(
            "birth_date", "date_in_future", "出生日期不能晚于今天", "The birth date cannot be in the future"
        )


def _roll_org(session: Session, scope: Scope, org_id: int) -> Organisation:
    org = orgs.get(session, scope, org_id)
    if not holds_roll(org):
        raise OrgHoldsNoRoll()
    return org


def _apply(
    session: Session,
    scope: Scope,
    member: Member,
    changes: dict[str, Any],
    today: date,
    holder_of: HolderLookup | None = None,
) -> None:
    id_number = changes.pop("id_number", None)
    for key, value in changes.items():
        setattr(member, key, value)
    if id_number is not None:
        member.gender, member.birth_date = _apply_id_number(
            session, scope, member, id_number, changes.get("gender"), changes.get("birth_date"), holder_of
        )
    if member.gender is None:
        raise _invalid("gender", "missing", "请填写性别或身份证号码", "Give the gender or the ID number")
    member.name_initials = initials(member.name)
    _check_dates(member, today)


# --- commands ----------------------------------------------------------------------------------


def create(session: Session, caller: Principal, data: MemberCreate, *, today: date | None = None) -> Member:
    org = _roll_org(session, caller.scope, data.org_id)
    member = build(session, caller.scope, org, data, today or local_today())
    session.add(member)
    session.flush()
    return member


def roll_org(session: Session, scope: Scope, org_id: int) -> Organisation:
    """The org a new member joins: in the caller's subtree and one that holds a roll."""
    return _roll_org(session, scope, org_id)


def build(
    session: Session,
    scope: Scope,
    org: Organisation,
    data: MemberCreate,
    today: date,
    holder_of: HolderLookup | None = None,
) -> Member:
    """A new member checked by every rule of `create`, not yet added to the session: bulk imports check
    each org once (`roll_org`), look a chunk's ID numbers up at once and insert the chunk together."""
    member = Member(org_id=org.id, status=MemberStatus.NORMAL, stage=data.stage)
    fields = data.model_dump(exclude={"org_id", "stage"}, exclude_none=True)
    _apply(session, scope, member, fields, today, holder_of)
    return member


def update(
    session: Session,
    caller: Principal,
    member_id: int,
    data: MemberUpdate,
    if_match: str | None,
    *,
    today: date | None = None,
) -> Member:
    member = get_member(session, caller.scope, member_id, for_update=True)
    check_if_match(if_match, member.version)
    changes = data.model_dump(exclude_unset=True)
    for required in ("name", "gender", "category", "ethnicity"):
        if required in changes and changes[required] is None:
            raise _invalid(required, "missing", f"{required} 不能为空", f"{required} cannot be null")
    if "id_number" in changes and changes["id_number"] is None:
        changes.pop("id_number")
        member.id_number_digest = member.id_number_cipher = member.id_number_masked = None
    _apply(session, caller.scope, member, changes, today or local_today())
    session.flush()
    return member


def leave(
    session: Session, caller: Principal, member_id: int, data: MemberLeave, if_match: str | None
) -> Member:
    """Soft delete: the record stays, with the decision that ended membership."""
    member = get_member(session, caller.scope, member_id, for_update=True)
    check_if_match(if_match, member.version)
    if member.status is not MemberStatus.NORMAL:
        raise MemberAlreadyLeft()
    if session.scalar(
        select(Transfer.id).where(Transfer.member_id == member.id, Transfer.state == TransferState.PENDING)
    ):
        raise TransferPending()
    if data.left_on > local_today():
        raise _invalid("left_on", "date_in_future", "离开日期不能晚于今天", "left_on cannot be in the future")
    if member.birth_date is not None and data.left_on < member.birth_date:
        raise _invalid(
            "left_on", "date_before_birth", "离开日期不能早于出生日期", "left_on cannot precede birth"
        )
    member.status = MemberStatus(data.status.value)
    member.left_on, member.left_reason = data.left_on, data.reason
    session.flush()
    return member


# --- reads -------------------------------------------------------------------------------------


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def to_read(member: Member, org_name: str, *, reveal: bool, today: date) -> MemberRead:
    number = (
        pii.decrypt(member.id_number_cipher)
        if reveal and member.id_number_cipher
        else member.id_number_masked
    )
    return MemberRead.model_validate(
        {
            **{key: getattr(member, key) for key in MemberRead.model_fields if hasattr(member, key)},
            "org_name": org_name,
            "age": _age(member.birth_date, today),
            "id_number": number,
            "id_number_masked": not (reveal and member.id_number_cipher),
            "phone": member.phone if reveal else mask_phone(member.phone),
        }
    )


def read(session: Session, caller: Principal, member_id: int, *, reveal_pii: bool = True) -> MemberRead:
    """One record; callers holding `pii` see the full ID number and phone, and that read is audited.
    Responses to writes pass reveal_pii=False: the writer already knows what they sent."""
    row = session.execute(
        readable(caller.scope).add_columns(Organisation.name).where(Member.id == member_id)
    ).one_or_none()
    if row is None:
        raise MemberNotFound()
    member, org_name = row
    reveal = reveal_pii and caller.can(Permission.PII)
    if reveal and member.id_number_cipher:
        record_event(
            session,
            entity="members",
            entity_id=member.id,
            action="read_pii",
            org_id=member.org_id,
            after={"fields": ["id_number", "phone"]},
        )
    return to_read(member, org_name, reveal=reveal, today=local_today())


@dataclass(frozen=True, slots=True)
class MemberFilter:
    org_id: int | None = None
    q: str | None = None
    category: str | None = None
    stage: Stage | None = None
    gender: Gender | None = None
    education: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    join_year: int | None = None
    status: MemberStatus | None = MemberStatus.NORMAL


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _search(q: str) -> ColumnElement[bool]:
    q = q.strip()
    if _ID_LIKE.match(q):
        return Member.id_number_digest == pii.lookup_digest(idcard.normalise(q))
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if q.isdigit():
        return Member.phone.like(f"%{escaped}%", escape="\\")
    by_name = Member.name.like(f"%{escaped}%", escape="\\")
    if q.isascii() and q.isalpha():
        return by_name | Member.name_initials.like(f"{escaped.lower()}%", escape="\\")
    return by_name


def _filtered(session: Session, scope: Scope, f: MemberFilter, today: date) -> Select[Any]:
    stmt = readable(orgs.narrowed(session, scope, f.org_id)).add_columns(Organisation.name)
    if f.q:
        stmt = stmt.where(_search(f.q))
    for column, value in (
        (Member.category, f.category),
        (Member.stage, f.stage),
        (Member.gender, f.gender),
        (Member.education, f.education),
        (Member.status, f.status),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.age_min is not None:  # at least age_min years old: born on or before today minus age_min years
        stmt = stmt.where(Member.birth_date <= _years_before(today, f.age_min))
    if f.age_max is not None:  # at most age_max: born after today minus (age_max + 1) years
        stmt = stmt.where(Member.birth_date > _years_before(today, f.age_max + 1))
    if f.join_year is not None:
        stmt = stmt.where(extract("year", Member.probationary_on) == f.join_year)
    return stmt


_SORTS: dict[MemberSort, tuple[InstrumentedAttribute[Any], Any]] = {
    MemberSort.ID: (Member.id, 0),
    MemberSort.NAME: (Member.name, ""),
    MemberSort.BIRTH_DATE: (Member.birth_date, date.min),
    MemberSort.JOINED: (Member.probationary_on, date.min),
}


def list_members(
    session: Session,
    caller: Principal,
    f: MemberFilter,
    *,
    sort: MemberSort,
    descending: bool,
    cursor: str | None,
    limit: int,
) -> Page[MemberRead]:
    """Keyset-paged roll; ID numbers stay masked in lists (open a record to see one in full)."""
    today = local_today()
    column, null_as = _SORTS[sort]
    # Nulls sort as the lowest value, so the (sort, id) keyset never meets a NULL comparison.
    key_expr: ColumnElement[Any] = (
        Member.id.expression
        if sort is MemberSort.ID
        else func.coalesce(column, literal(null_as, column.type))
    )
    reveal_phone = caller.can(Permission.PII)

    def item(row: Any) -> MemberRead:
        member, org_name = row
        read = to_read(member, org_name, reveal=False, today=today)
        return read.model_copy(update={"phone": member.phone}) if reveal_phone else read

    def key(row: Any) -> tuple[Any, int]:
        member = row[0]
        value = getattr(member, sort.value)
        return (null_as if value is None else value), member.id

    return paginate_sorted(
        session,
        _filtered(session, caller.scope, f, today),
        key_expr,
        Member.id,
        descending=descending,
        cursor=cursor,
        limit=limit,
        key=key,
        to_item=item,
    )
