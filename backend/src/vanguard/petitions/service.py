"""党员申诉、检举、控告、批评建议: filing, routing, the handling state machine and who may read what.

Rules:
- Only a member's own account (a user linked to a member record) files; an appeal is against a decision
  about the filer (403 `not_the_subject` otherwise).
- A petition is handled by the org above the one it concerns (the reported member's org, the reported or
  criticised org, the org that made the decision); a top-level org handles its own.
- Reads: the filer, and callers with `petitions:handle` whose subtree holds the handling org — never the
  member a report is about, whatever their rights. Everyone else gets 404.
- The filer's own writes (filing, closing) are audited without the filer as actor, and the petition's
  filer fields and text never enter the audit log (see models.Petition).
- filed → accepted → answered → closed, filed → rejected; deadlines from core.policy; `overdue` is computed
  from the clock, never stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, not_, or_, select
from sqlalchemy.orm import Session

from vanguard.audit.hook import PRINCIPAL_KEY, SYSTEM_ACTOR_KEY
from vanguard.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Permission, Principal
from vanguard.core.policy import PETITIONS_ACCEPT_DAYS, PETITIONS_ANSWER_DAYS, PETITIONS_FILER_CLOSE_DAYS
from vanguard.development.models import DevelopmentStep
from vanguard.dues.models import DuesReduction, ReductionState
from vanguard.members.models import Member
from vanguard.orgs.models import Organisation
from vanguard.petitions.models import Petition, PetitionKind, PetitionState, SubjectKind
from vanguard.petitions.schemas import PetitionCreate, PetitionRead
from vanguard.scoring.models import Result, Scheme, SchemeStatus

# The audit log's actor for what a filer does: never the filer's account.
FILER_ACTOR = "petitioner"

# --- errors ------------------------------------------------------------------------------------


class PetitionNotFound(NotFound):
    code = "petition_not_found"
    message_zh = "申诉检举件不存在或无权查看"
    message_en = "Petition not found, or not yours to see"


class NotAMember(Forbidden):
    code = "not_a_member"
    message_zh = "只有关联了党员档案的本人账号才能提出申诉、检举、控告或批评建议"
    message_en = "Only a member's own account (linked to a member record) files petitions"


class NotTheSubject(Forbidden):
    code = "not_the_subject"
    message_zh = "只能对涉及本人的决定提出申诉"
    message_en = "An appeal is only against a decision about yourself"


class OwnPetition(Forbidden):
    code = "own_petition"
    message_zh = "不能办理本人提出的申诉检举件"
    message_en = "You cannot handle a petition you filed"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class DecisionNotFinal(Conflict):
    code = "decision_not_final"
    message_zh = "该决定尚未生效，不能申诉"
    message_en = "This decision is not final yet; it cannot be appealed"


class NotYetClosable(Conflict):
    code = "petition_not_closable"
    message_zh = f"答复后{PETITIONS_FILER_CLOSE_DAYS}天内由提出人办结；期满后办理组织方可办结"
    message_en = (
        f"The filer closes an answered petition; the handling org may close it only "
        f"{PETITIONS_FILER_CLOSE_DAYS} days after the answer"
    )


def _invalid(code: str, field_name: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, code=code, errors=[FieldError.of(f"body.{field_name}", code, zh, en)])


def _subject_not_found() -> InvalidInput:
    return _invalid("subject_not_found", "subject_id", "所申诉的决定不存在", "No such decision")


def _concerned_not_found(field_name: str) -> InvalidInput:
    return _invalid(
        "concerned_not_found", field_name, "所涉及的党员或党组织不存在", "No such member or organisation"
    )


# --- the audit actor ---------------------------------------------------------------------------


@contextmanager
def _as_filer(session: Session) -> Iterator[None]:
    """Writes inside are audited with the anonymous `petitioner` actor, not the caller's account: the
    audit log is read across the handling org's subtree, where the reported person may have an account."""
    session.flush()  # anything pending before stays the caller's
    principal = session.info.pop(PRINCIPAL_KEY, None)
    had_system, system = SYSTEM_ACTOR_KEY in session.info, session.info.get(SYSTEM_ACTOR_KEY)
    session.info[SYSTEM_ACTOR_KEY] = FILER_ACTOR
    try:
        yield
        session.flush()
    finally:
        if principal is not None:
            session.info[PRINCIPAL_KEY] = principal
        if had_system:
            session.info[SYSTEM_ACTOR_KEY] = system
        else:
            session.info.pop(SYSTEM_ACTOR_KEY, None)


# --- filing and routing ------------------------------------------------------------------------


def _filer(caller: Principal) -> int:
    if caller.kind != "user" or caller.member_id is None:
        raise NotAMember()
    return caller.member_id


def decision_org(session: Session, filer_member_id: int, kind: SubjectKind, subject_id: int) -> int:
    """The org that made the decision appealed against; refuses a decision about someone else (403) and
    one not in force (409)."""
    about: int
    org_id: int
    if kind is SubjectKind.EVALUATION_RESULT:
        result = session.get(Result, subject_id)
        if result is None:
            raise _subject_not_found()
        about, org_id = result.member_id, result.org_id
        if about == filer_member_id:
            scheme = session.get(Scheme, result.scheme_id)
            if scheme is None or scheme.status is not SchemeStatus.PUBLISHED:
                raise DecisionNotFinal()
            if result.grade is None:
                raise DecisionNotFinal(
                    "预备党员不评定等次，无可申诉的等次", "Probationary members get no grade to appeal"
                )
    elif kind is SubjectKind.DEVELOPMENT_STEP:
        step = session.get(DevelopmentStep, subject_id)
        if step is None:
            raise _subject_not_found()
        about, org_id = step.member_id, step.org_id
    else:
        reduction = session.get(DuesReduction, subject_id)
        if reduction is None:
            raise _subject_not_found()
        about, org_id = reduction.member_id, reduction.org_id
        if about == filer_member_id and reduction.state is not ReductionState.REJECTED:
            raise DecisionNotFinal("只能对不予减免党费的决定申诉", "Only a refused reduction can be appealed")
    if about != filer_member_id:
        raise NotTheSubject()
    return org_id


def handling_org(session: Session, concerned_org_id: int) -> int:
    """The org above the concerned one; a top-level org handles its own."""
    org = session.get(Organisation, concerned_org_id)
    assert org is not None
    return org.parent_id if org.parent_id is not None else org.id


def file(session: Session, caller: Principal, body: PetitionCreate, now: datetime) -> Petition:
    filer = _filer(caller)
    concerned_member_id: int | None = None
    if body.kind is PetitionKind.APPEAL:
        assert body.subject_kind is not None
        assert body.subject_id is not None
        concerned_org_id = decision_org(session, filer, body.subject_kind, body.subject_id)
    elif body.concerned_member_id is not None:
        if body.concerned_member_id == filer:
            raise _invalid(
                "cannot_report_self", "concerned_member_id", "不能检举本人", "You cannot report yourself"
            )
        member = session.get(Member, body.concerned_member_id)
        if member is None:
            raise _concerned_not_found("concerned_member_id")
        concerned_member_id, concerned_org_id = member.id, member.org_id
    else:
        assert body.concerned_org_id is not None
        if session.get(Organisation, body.concerned_org_id) is None:
            raise _concerned_not_found("concerned_org_id")
        concerned_org_id = body.concerned_org_id
    petition = Petition(
        kind=body.kind,
        state=PetitionState.FILED,
        title=body.title,
        content=body.content,
        filer_member_id=filer,
        filer_user_id=caller.id,
        contact_phone=body.contact_phone,
        subject_kind=body.subject_kind,
        subject_id=body.subject_id,
        concerned_member_id=concerned_member_id,
        concerned_org_id=concerned_org_id,
        handling_org_id=handling_org(session, concerned_org_id),
        filed_at=now,
        accept_due_at=now + timedelta(days=PETITIONS_ACCEPT_DAYS),
    )
    with _as_filer(session):
        session.add(petition)
    return petition


# --- who reads what ----------------------------------------------------------------------------


def _handler_clause(caller: Principal) -> ColumnElement[bool]:
    """Petitions the caller handles: handling org in their subtree, and not about themselves."""
    if not caller.can(Permission.PETITIONS_HANDLE):
        return false()
    clause = caller.scope.clause(Organisation.path)
    if caller.member_id is not None:
        clause = and_(
            clause,
            or_(Petition.concerned_member_id.is_(None), Petition.concerned_member_id != caller.member_id),
        )
    return clause


def _own_clause(caller: Principal) -> ColumnElement[bool]:
    return Petition.filer_member_id == caller.member_id if caller.member_id is not None else false()


def _base() -> Select[Any]:
    """Petitions with their filer's name."""
    return (
        select(Petition)
        .add_columns(Member.name)
        .join(Organisation, Organisation.id == Petition.handling_org_id)
        .join(Member, Member.id == Petition.filer_member_id)
    )


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(Petition.state == PetitionState.FILED, Petition.accept_due_at < now),
        and_(Petition.state == PetitionState.ACCEPTED, Petition.answer_due_at < now),
    )


def is_overdue(petition: Petition, now: datetime) -> bool:
    if petition.state is PetitionState.FILED:
        return now > petition.accept_due_at
    if petition.state is PetitionState.ACCEPTED and petition.answer_due_at is not None:
        return now > petition.answer_due_at
    return False


def to_read(petition: Petition, filer_name: str, now: datetime) -> PetitionRead:
    return PetitionRead.model_validate(
        {
            **{key: getattr(petition, key) for key in PetitionRead.model_fields if hasattr(petition, key)},
            "filer_name": filer_name,
            "overdue": is_overdue(petition, now),
        }
    )


def _row_to_read(now: datetime) -> Any:
    return lambda row: to_read(row[0], row[1], now)


def get(session: Session, caller: Principal, petition_id: int, now: datetime) -> PetitionRead:
    row = session.execute(
        _base().where(Petition.id == petition_id, or_(_own_clause(caller), _handler_clause(caller)))
    ).one_or_none()
    if row is None:
        raise PetitionNotFound()
    return to_read(row[0], row[1], now)


def list_mine(
    session: Session, caller: Principal, now: datetime, *, cursor: str | None, limit: int
) -> Page[PetitionRead]:
    stmt = _base().where(_own_clause(caller))
    return paginate_by_id(
        session, stmt, Petition.id, cursor=cursor, limit=limit, descending=True, to_item=_row_to_read(now)
    )


def list_for_handling(
    session: Session,
    caller: Principal,
    now: datetime,
    *,
    state: PetitionState | None,
    kind: PetitionKind | None,
    overdue: bool | None,
    cursor: str | None,
    limit: int,
) -> Page[PetitionRead]:
    stmt = _base().where(_handler_clause(caller))
    if state is not None:
        stmt = stmt.where(Petition.state == state)
    if kind is not None:
        stmt = stmt.where(Petition.kind == kind)
    if overdue is not None:
        stmt = stmt.where(overdue_clause(now) if overdue else not_(overdue_clause(now)))
    return paginate_by_id(
        session, stmt, Petition.id, cursor=cursor, limit=limit, descending=True, to_item=_row_to_read(now)
    )


# --- handling ----------------------------------------------------------------------------------


def _load(
    session: Session, caller: Principal, petition_id: int, if_match: str | None, *, own: bool
) -> Petition:
    """The petition, locked, for a handler (own=False) or its filer or a handler (own=True)."""
    visible = or_(_own_clause(caller), _handler_clause(caller)) if own else _handler_clause(caller)
    stmt = (
        select(Petition)
        .join(Organisation, Organisation.id == Petition.handling_org_id)
        .where(Petition.id == petition_id, visible)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Petition)
    petition = session.scalars(stmt).one_or_none()
    if petition is None:
        raise PetitionNotFound()
    if not own and petition.filer_member_id == caller.member_id:
        raise OwnPetition()
    check_if_match(if_match, petition.version)
    return petition


_STATE_ZH = {
    PetitionState.FILED: "已提交",
    PetitionState.ACCEPTED: "已受理",
    PetitionState.REJECTED: "不予受理",
    PetitionState.ANSWERED: "已答复",
    PetitionState.CLOSED: "已办结",
}


def _require_state(petition: Petition, action: str, *allowed: PetitionState) -> None:
    if petition.state not in allowed:
        raise InvalidTransition(
            f"当前状态为“{_STATE_ZH[petition.state]}”，不能{action}",
            f"Cannot {action} a petition that is {petition.state.value}",
        )


def accept(
    session: Session, caller: Principal, petition_id: int, now: datetime, if_match: str | None
) -> Petition:
    petition = _load(session, caller, petition_id, if_match, own=False)
    _require_state(petition, "accept", PetitionState.FILED)
    petition.state = PetitionState.ACCEPTED
    petition.accepted_at = now
    petition.answer_due_at = now + timedelta(days=PETITIONS_ANSWER_DAYS)
    session.flush()
    return petition


def reject(
    session: Session, caller: Principal, petition_id: int, reason: str, now: datetime, if_match: str | None
) -> Petition:
    petition = _load(session, caller, petition_id, if_match, own=False)
    _require_state(petition, "reject", PetitionState.FILED)
    petition.state = PetitionState.REJECTED
    petition.rejected_at = now
    petition.rejection_reason = reason
    session.flush()
    return petition


def answer(
    session: Session, caller: Principal, petition_id: int, text: str, now: datetime, if_match: str | None
) -> Petition:
    petition = _load(session, caller, petition_id, if_match, own=False)
    _require_state(petition, "answer", PetitionState.ACCEPTED)
    petition.state = PetitionState.ANSWERED
    petition.answered_at = now
    petition.answer = text
    session.flush()
    return petition


def close(
    session: Session, caller: Principal, petition_id: int, now: datetime, if_match: str | None
) -> Petition:
    """The filer closes an answered petition; the handling org may close it once the filer has left it
    open for PETITIONS_FILER_CLOSE_DAYS after the answer."""
    petition = _load(session, caller, petition_id, if_match, own=True)
    _require_state(petition, "close", PetitionState.ANSWERED)
    by_filer = petition.filer_member_id == caller.member_id
    if not by_filer:
        assert petition.answered_at is not None
        if now < petition.answered_at + timedelta(days=PETITIONS_FILER_CLOSE_DAYS):
            raise NotYetClosable()
    if not by_filer:
        _close(petition, now)
        session.flush()
        return petition
    with _as_filer(session):
        _close(petition, now)
    return petition


def _close(petition: Petition, now: datetime) -> None:
    petition.state = PetitionState.CLOSED
    petition.closed_at = now


def read_after_write(session: Session, petition: Petition, now: datetime) -> PetitionRead:
    filer = session.get(Member, petition.filer_member_id)
    return to_read(petition, filer.name if filer else "", now)
