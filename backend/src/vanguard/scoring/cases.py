"""Follow-up of 不合格 (DESIGN.md §3: education, a deadline, then disposal), opened on publishing.

open ─talk→ open ─deadline→ improving ─decide→ decided ─close→ closed. A deadline needs a talk first and
falls after the last talk (at most `SCORING_FOLLOW_UP_MAX_DEADLINE_DAYS` later); the disposal is decided
once the deadline has passed (or at once for 除名/劝退 when the member refuses to improve — the branch's
call, so only the order is enforced); steps out of order are 409 `invalid_case_step`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from vanguard.core.errors import Conflict, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Principal, Scope
from vanguard.core.policy import SCORING_FOLLOW_UP_MAX_DEADLINE_DAYS
from vanguard.orgs.models import Organisation
from vanguard.scoring.models import CaseStatus, FollowUpCase
from vanguard.scoring.schemas import CaseDecision, CaseRead, CaseTalkCreate, DeadlineSet
from vanguard.scoring.service import invalid


class CaseNotFound(NotFound):
    code = "case_not_found"
    message_zh = "整改跟踪不存在或不在您的管理范围内"
    message_en = "Follow-up case not found, or outside your scope"


class InvalidCaseStep(Conflict):
    code = "invalid_case_step"


def _step_error(case: FollowUpCase, step: str) -> InvalidCaseStep:
    return InvalidCaseStep(
        f"当前状态（{case.status.value}）不能执行此步骤：{step}",
        f"Cannot {step} a case that is {case.status.value}",
    )


def _cases(scope: Scope) -> Select[Any]:
    return (
        select(FollowUpCase)
        .join(Organisation, Organisation.id == FollowUpCase.org_id)
        .where(scope.clause(Organisation.path))
    )


def to_read(case: FollowUpCase) -> CaseRead:
    return CaseRead.model_validate(case, from_attributes=True)


def get_case(session: Session, scope: Scope, case_id: int, *, for_update: bool = False) -> FollowUpCase:
    stmt = _cases(scope).where(FollowUpCase.id == case_id)
    if for_update:
        stmt = stmt.with_for_update(of=FollowUpCase)
    case: FollowUpCase | None = session.scalars(stmt).one_or_none()
    if case is None:
        raise CaseNotFound()
    return case


def list_cases(
    session: Session,
    scope: Scope,
    *,
    scheme_id: int | None,
    status: CaseStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[CaseRead]:
    stmt = _cases(scope)
    if scheme_id is not None:
        stmt = stmt.where(FollowUpCase.scheme_id == scheme_id)
    if status is not None:
        stmt = stmt.where(FollowUpCase.status == status)
    return paginate_by_id(
        session, stmt, FollowUpCase.id, cursor=cursor, limit=limit, to_item=lambda r: to_read(r[0])
    )


def _load(session: Session, caller: Principal, case_id: int, if_match: str | None) -> FollowUpCase:
    case = get_case(session, caller.scope, case_id, for_update=True)
    check_if_match(if_match, case.version)
    return case


def add_talk(
    session: Session,
    caller: Principal,
    case_id: int,
    data: CaseTalkCreate,
    if_match: str | None,
    *,
    today: date,
) -> FollowUpCase:
    case = _load(session, caller, case_id, if_match)
    if case.status not in (CaseStatus.OPEN, CaseStatus.IMPROVING):
        raise _step_error(case, "record a talk")
    if data.held_on > today:
        raise invalid(
            "talk_in_future", "held_on", "谈话日期不能晚于今天", "A talk cannot be dated after today"
        )
    talk = {
        "held_on": data.held_on.isoformat(),
        "by": data.by,
        "notes": data.notes,
        "recorded_by": caller.name,
    }
    case.talks = [*case.talks, talk]  # a new list, so the change is seen and audited
    session.flush()
    return case


def set_deadline(
    session: Session, caller: Principal, case_id: int, data: DeadlineSet, if_match: str | None
) -> FollowUpCase:
    case = _load(session, caller, case_id, if_match)
    if case.status is not CaseStatus.OPEN or not case.talks:
        raise _step_error(case, "set a deadline (after a talk)")
    last_talk = max(date.fromisoformat(t["held_on"]) for t in case.talks)
    latest = last_talk + timedelta(days=SCORING_FOLLOW_UP_MAX_DEADLINE_DAYS)
    if not last_talk < data.improvement_deadline <= latest:
        raise invalid(
            "deadline_out_of_range",
            "improvement_deadline",
            f"整改期限须在最近一次谈话之后、{SCORING_FOLLOW_UP_MAX_DEADLINE_DAYS}天以内",
            f"The deadline falls after the last talk, within {SCORING_FOLLOW_UP_MAX_DEADLINE_DAYS} days",
        )
    case.improvement_deadline = data.improvement_deadline
    case.status = CaseStatus.IMPROVING
    session.flush()
    return case


def decide(
    session: Session,
    caller: Principal,
    case_id: int,
    data: CaseDecision,
    if_match: str | None,
    *,
    today: date,
) -> FollowUpCase:
    case = _load(session, caller, case_id, if_match)
    if case.status is not CaseStatus.IMPROVING:
        raise _step_error(case, "decide (after the deadline is set)")
    decided_on = data.decided_on or today
    if decided_on > today:
        raise invalid(
            "decided_in_future", "decided_on", "决定日期不能晚于今天", "Cannot be dated after today"
        )
    case.disposal, case.decision_note, case.decided_on = data.disposal, data.note, decided_on
    case.status = CaseStatus.DECIDED
    session.flush()
    return case


def close(
    session: Session, caller: Principal, case_id: int, if_match: str | None, *, today: date
) -> FollowUpCase:
    case = _load(session, caller, case_id, if_match)
    if case.status is not CaseStatus.DECIDED:
        raise _step_error(case, "close (after the decision)")
    case.status, case.closed_on = CaseStatus.CLOSED, today
    session.flush()
    return case
