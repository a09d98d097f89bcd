"""The "due soon" list: who is ready for their next step, and who is overdue, in the caller's subtree."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, exists
from sqlalchemy.orm import Session

from vanguard.core import policy
from vanguard.core.clock import local_today
from vanguard.core.pagination import InvalidCursor
from vanguard.core.permissions import Scope
from vanguard.development.models import (
    ApprovalStatus,
    DevelopmentStep,
    StepKind,
)
from vanguard.development.rules import (
    approval_due_on,
    candidate_eligible_on,
    probation_ends_on,
    talk_due_on,
)
from vanguard.development.schemas import (
    DueItem,
    DueList,
    DueRule,
)
from vanguard.development.service import (
    probation_extensions,
)
from vanguard.members.models import Member, MemberStatus, Stage
from vanguard.members.service import readable
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation

# --- the due-soon list ----------------------------------------------------------------------------

# The shortest a period can be, so SQL can pre-filter before the exact calendar arithmetic.
_MIN_DAYS_IN_MONTHS = {1: 28, 3: 89, 6: 181, 12: 365}


def _min_days(months: int) -> int:
    return _MIN_DAYS_IN_MONTHS.get(months, months * 28)


@dataclass(frozen=True, slots=True)
class _Due:
    member: Member
    org_name: str
    rule: DueRule
    due_on: date
    deadline: bool
    step_id: int | None = None

    @property
    def key(self) -> tuple[date, int, str]:
        return self.due_on, self.member.id, self.rule.value


def _encode_cursor(key: tuple[date, int, str]) -> str:
    raw = json.dumps([key[0].isoformat(), key[1], key[2]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[date, int, str]:
    try:
        raw = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
        due_on, member_id, rule = raw
        key = (date.fromisoformat(due_on), member_id, DueRule(rule).value)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(member_id, int) or isinstance(member_id, bool):
        raise InvalidCursor()
    return key


def _due_candidates(session: Session, base: Select[Any], horizon: date) -> list[_Due]:
    normal = Member.status == MemberStatus.NORMAL
    due: list[_Due] = []

    talk_held = exists().where(
        DevelopmentStep.member_id == Member.id,
        DevelopmentStep.kind == StepKind.TALK,
        DevelopmentStep.decided_on >= Member.applied_on,
    )
    latest_application = horizon - timedelta(days=_min_days(policy.DEV_TALK_WITHIN_MONTHS))
    applicants = base.where(
        normal, Member.stage == Stage.APPLICANT, Member.applied_on <= latest_application, ~talk_held
    )
    for member, org_name in session.execute(applicants):
        if member.applied_on is not None:
            due_on = talk_due_on(member.applied_on)
            due.append(_Due(member, org_name, DueRule.TALK_DUE, due_on, deadline=True))

    latest_activist = horizon - timedelta(days=_min_days(12 * policy.DEV_MIN_ACTIVIST_YEARS))
    activists = base.where(normal, Member.stage == Stage.ACTIVIST, Member.activist_on <= latest_activist)
    for member, org_name in session.execute(activists):
        if member.activist_on is not None:
            eligible = candidate_eligible_on(member.activist_on)
            due.append(_Due(member, org_name, DueRule.CANDIDATE_ELIGIBLE, eligible, deadline=False))

    latest_meeting = horizon - timedelta(days=_min_days(policy.DEV_APPROVAL_WITHIN_MONTHS))
    awaiting = (
        base.add_columns(DevelopmentStep.id, DevelopmentStep.decided_on)
        .join(DevelopmentStep, DevelopmentStep.member_id == Member.id)
        .where(
            normal,
            DevelopmentStep.approval_status == ApprovalStatus.PENDING,
            DevelopmentStep.decided_on <= latest_meeting,
        )
    )
    for member, org_name, step_id, decided_on in session.execute(awaiting):
        due_on = approval_due_on(decided_on)
        due.append(_Due(member, org_name, DueRule.APPROVAL_DUE, due_on, deadline=True, step_id=step_id))

    pending = exists().where(
        DevelopmentStep.member_id == Member.id, DevelopmentStep.approval_status == ApprovalStatus.PENDING
    )
    latest_admission = horizon - timedelta(days=_min_days(12 * policy.DEV_PROBATION_YEARS))
    probationers = session.execute(
        base.where(
            normal,
            Member.stage == Stage.PROBATIONARY,
            Member.probationary_on <= latest_admission,
            ~pending,
        )
    ).all()
    extensions = probation_extensions(session, [m for m, _ in probationers])
    for member, org_name in probationers:
        if member.probationary_on is not None:
            ends_on = probation_ends_on(member.probationary_on, sum(extensions[member.id]))
            due.append(_Due(member, org_name, DueRule.PROBATION_ENDING, ends_on, deadline=True))
    return [d for d in due if d.due_on <= horizon]


def due_list(
    session: Session,
    scope: Scope,
    *,
    org_id: int | None,
    within_days: int,
    cursor: str | None,
    limit: int,
    today: date | None = None,
) -> DueList:
    """Who is ready for the next step within `within_days`, and who is overdue, soonest first."""
    today = today or local_today()
    horizon = today + timedelta(days=within_days)
    base: Select[Any] = readable(orgs.narrowed(session, scope, org_id)).add_columns(Organisation.name)
    items = sorted(_due_candidates(session, base, horizon), key=lambda d: d.key)
    if cursor is not None:
        after = _decode_cursor(cursor)
        items = [d for d in items if d.key > after]
    page, more = items[:limit], len(items) > limit
    return DueList(
        as_of=today,
        within_days=within_days,
        items=[
            DueItem(
                member_id=d.member.id,
                member_name=d.member.name,
                org_id=d.member.org_id,
                org_name=d.org_name,
                stage=d.member.stage,
                rule=d.rule,
                due_on=d.due_on,
                deadline=d.deadline,
                overdue=d.deadline and d.due_on < today,
                days_overdue=max(0, (today - d.due_on).days) if d.deadline else 0,
                step_id=d.step_id,
            )
            for d in page
        ],
        next_cursor=_encode_cursor(page[-1].key) if more and page else None,
    )
