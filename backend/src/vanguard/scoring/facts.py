"""Units per rule source, read through the other features' batched `*_facts` functions — never their
tables: study (`study_facts`), pairing (`pairing_facts_for`), dues (`dues_facts`), pledges (`pledges_for`),
posts (`posts_facts`) and complaints (`complaint_facts` per responsible user, mapped to members through
`users.member_links`). Only the functions a scheme's rules need are called, once per window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy.orm import Session

from vanguard.complaints.service import complaint_facts
from vanguard.core.clock import CST
from vanguard.core.permissions import Scope
from vanguard.core.policy import STUDY_REPORT_GRADE_POINTS
from vanguard.dues.service import dues_facts
from vanguard.pairing.service import pairing_facts_for
from vanguard.posts.service import Period, pledges_for, posts_facts
from vanguard.scoring.models import Source
from vanguard.study.models import ActivityKind
from vanguard.study.service import study_facts
from vanguard.users.service import member_links

S = Source
STUDY = frozenset(
    {
        S.STUDY_HOURS,
        S.TRAINING_HOURS,
        S.MEETINGS_ATTENDED,
        S.MEETINGS_ABSENT,
        S.EXAMS_PASSED,
        S.STUDY_REPORT_FILED,
        S.STUDY_REPORT_GRADE,
    }
)
PAIRING = frozenset({S.PAIRING_VISITS, S.MUST_VISITS_ON_TIME, S.MUST_VISITS_MISSED})
DUES = frozenset({S.DUES_MONTHS_ON_TIME, S.DUES_MONTHS_LATE})
PLEDGES = frozenset({S.PLEDGES_KEPT, S.PLEDGES_NOT_KEPT})
POSTS = frozenset({S.POSTS_HELD})
COMPLAINTS = frozenset(
    {S.COMPLAINTS_ON_TIME, S.COMPLAINTS_LATE, S.COMPLAINTS_SATISFIED, S.COMPLAINTS_DISSATISFIED}
)

Units = dict[int, dict[tuple[Source, str], Decimal]]


def gather(
    session: Session,
    scope: Scope,
    member_ids: Sequence[int],
    needs: dict[str, tuple[Period, frozenset[Source]]],
    *,
    today: date,
) -> Units:
    """Units of each needed source for each member, per window label (`needs`: label → its days and
    the sources asked for in it). Members with no record of a source get no entry (0 units)."""
    units: Units = {m: {} for m in member_ids}

    def put(member_id: int, source: Source, label: str, value: Decimal | int) -> None:
        if value and member_id in units:
            units[member_id][(source, label)] = Decimal(value)

    for label, (period, sources) in needs.items():
        if sources & STUDY:
            for m, f in study_facts(session, scope, member_ids, period.start, period.end).items():
                put(m, S.STUDY_HOURS, label, sum(f.hours_by_kind.values(), Decimal(0)))
                put(m, S.TRAINING_HOURS, label, f.hours_by_kind.get(ActivityKind.TRAINING_CLASS, Decimal(0)))
                put(m, S.MEETINGS_ATTENDED, label, f.attended)
                put(m, S.MEETINGS_ABSENT, label, f.absent)
                put(m, S.EXAMS_PASSED, label, f.exams_passed)
                put(m, S.STUDY_REPORT_FILED, label, 1 if f.report_filed else 0)
                if f.report_grade is not None:
                    put(m, S.STUDY_REPORT_GRADE, label, STUDY_REPORT_GRADE_POINTS[f.report_grade.value])
        if sources & PAIRING:
            for m, p in pairing_facts_for(session, scope, member_ids, period, today=today).items():
                put(m, S.PAIRING_VISITS, label, p.visits_made)
                put(m, S.MUST_VISITS_ON_TIME, label, p.tasks_done_on_time)
                put(m, S.MUST_VISITS_MISSED, label, p.tasks_missed)
        if sources & DUES:
            for m, d in dues_facts(session, scope, member_ids, period.start, period.end, today=today).items():
                put(m, S.DUES_MONTHS_ON_TIME, label, d.months_on_time)
                put(m, S.DUES_MONTHS_LATE, label, d.months_late)
        if sources & PLEDGES:
            for m, t in pledges_for(session, scope, member_ids, period).items():
                put(m, S.PLEDGES_KEPT, label, t.kept)
                put(m, S.PLEDGES_NOT_KEPT, label, t.not_kept)
        if sources & POSTS:
            for m, h in posts_facts(session, scope, member_ids, period).items():
                put(m, S.POSTS_HELD, label, h.posts_held)
        if sources & COMPLAINTS:
            handlers = member_links(session, member_ids)  # user id → member id
            if not handlers:
                continue
            # `now` only dates the facts' open-overdue count, which members' points do not use.
            now = datetime.combine(today, time(), CST)
            for user_id, c in complaint_facts(
                session, scope, by="person", ids=handlers, start=period.start, end=period.end, now=now
            ).items():
                put(handlers[user_id], S.COMPLAINTS_ON_TIME, label, c.resolved_on_time)
                put(handlers[user_id], S.COMPLAINTS_LATE, label, c.resolved - c.resolved_on_time)
                put(handlers[user_id], S.COMPLAINTS_SATISFIED, label, c.satisfied)
                put(handlers[user_id], S.COMPLAINTS_DISSATISFIED, label, c.rated - c.satisfied)
    return units
