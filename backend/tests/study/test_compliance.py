"""The compliance report against a hand-made tree whose answers are worked out below, by hand.

county ─┬─ town_a ─┬─ branch_a1 (7 members: a 支委会) ── group_a1
        │          └─ branch_a2 (2 members: no 支委会)
        └─ town_b ──── branch_b1 (2 members)

2025, reported on 2026-01-15 (the whole year is over):
- branch_a1: 党员大会 in Q1–Q3 (Q4 missed); 支委会 every month but March and November, the April one held at
  01:00 China time on 1 April (31 March in UTC) so it counts for April; 党课 every quarter → 3 missed.
- branch_a2: 党员大会 every quarter, 党课 in Q1 and Q2 only → 2 missed.
- branch_b1: nothing at all → 4 党员大会 + 4 党课 = 8 missed.
- group_a1: 党小组会 January to November (December missed) → 1 missed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.problems import assert_problem
from tests.world import World
from vanguard.core import policy
from vanguard.core.permissions import Scope
from vanguard.members.models import Gender, Member, MemberStatus
from vanguard.orgs.models import OrgStatus
from vanguard.study import compliance, service
from vanguard.study.models import (
    Activity,
    ActivityAttendee,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Makeup,
)

URL = "/api/v1/study/compliance"
K = ActivityKind
PRESENT, EXCUSED, ABSENT = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT
YEAR_2025: dict[str, Any] = {"year": 2025, "as_of": "2026-01-15"}

Hold = Callable[..., Activity]


@pytest.fixture
def hold(session: Session, world: World) -> Hold:
    """An activity of `org` at 10:00 China time on `day` (or at `at`, an exact instant)."""

    def add(
        org: str, kind: ActivityKind, day: date | None = None, *, at: datetime | None = None, hours: str = "2"
    ) -> Activity:
        if at is None:
            assert day is not None
            at = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
        activity = Activity(
            org_id=world.orgs[org].id,
            kind=kind,
            starts_at=at,
            topic="学习贯彻党的二十届四中全会精神",
            hours=Decimal(hours),
            materials=[],
        )
        session.add(activity)
        session.flush()
        return activity

    return add


def _roll(session: Session, world: World, org: str) -> list[Member]:
    return list(
        session.scalars(select(Member).where(Member.org_id == world.orgs[org].id).order_by(Member.id))
    )


def _add_members(
    session: Session, world: World, org: str, count: int, prefix: str = "新党员"
) -> list[Member]:
    added = [
        Member(org_id=world.orgs[org].id, name=f"{prefix}{i}", gender=Gender.FEMALE) for i in range(count)
    ]
    session.add_all(added)
    session.flush()
    return added


def _mark(session: Session, activity: Activity, *marks: tuple[Member, AttendanceStatus]) -> None:
    for member, status in marks:
        reason = "因病请假" if status is EXCUSED else None
        session.add(Attendance(activity=activity, member_id=member.id, status=status, leave_reason=reason))
    session.flush()


def _get(client: TestClient, world: World, user: str = "county_admin", **params: Any) -> dict[str, Any]:
    r = client.get(URL, params=params, headers=world.auth(user))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _by_org(body: dict[str, Any], world: World) -> dict[str, dict[str, Any]]:
    names = {org.id: key for key, org in world.orgs.items()}
    return {names[item["org_id"]]: item for item in body["items"]}


def _kind(item: dict[str, Any], kind: ActivityKind) -> dict[str, Any]:
    found: list[dict[str, Any]] = [k for k in item["kinds"] if k["kind"] == kind.value]
    assert len(found) == 1
    return found[0]


@pytest.fixture
def year_2025(session: Session, world: World, hold: Hold) -> dict[str, Activity]:
    """The 2025 tree of the module docstring; returns the activities the attendance tests mark."""
    _add_members(session, world, "branch_a1", 4)  # 3 + 4 = 7 Party members: branch_a1 has a 支委会
    a1_meetings = [hold("branch_a1", K.BRANCH_MEETING, date(2025, m, 10)) for m in (2, 5, 8)]
    for month in (1, 2, 5, 6, 7, 8, 9, 10, 12):
        hold("branch_a1", K.COMMITTEE_MEETING, date(2025, month, 5))
    hold("branch_a1", K.COMMITTEE_MEETING, at=datetime(2025, 3, 31, 17, 0, tzinfo=UTC))  # 1 April, CST
    a1_lectures = [hold("branch_a1", K.PARTY_LECTURE, date(2025, m, 20)) for m in (1, 4, 7, 10)]
    hold("branch_a1", K.THEME_DAY, date(2025, 7, 1))
    for m in (1, 4, 7, 10):
        hold("branch_a2", K.BRANCH_MEETING, date(2025, m, 8))
    a2_lectures = [hold("branch_a2", K.PARTY_LECTURE, date(2025, m, 9)) for m in (1, 4)]
    for month in range(1, 12):
        hold("group_a1", K.GROUP_MEETING, date(2025, month, 15))
    hold("branch_b1", K.TRAINING_CLASS, date(2025, 6, 1))  # no 三会一课 kind: counts for nothing here
    session.commit()
    return {"a1_first": a1_meetings[0], "a1_lecture": a1_lectures[0], "a2_lecture": a2_lectures[1]}


# --- frequencies ---------------------------------------------------------------------------------


def test_missed_periods_per_kind_in_a_past_year(
    client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    items = _by_org(_get(client, world, **YEAR_2025), world)
    assert set(items) == {"branch_a1", "branch_a2", "branch_b1", "group_a1"}  # committees are not bound
    a1 = items["branch_a1"]
    assert _kind(a1, K.BRANCH_MEETING)["missed"] == ["2025-Q4"]
    assert _kind(a1, K.BRANCH_MEETING)["held"] == 3
    assert _kind(a1, K.COMMITTEE_MEETING)["missed"] == ["2025-03", "2025-11"]
    april = _kind(a1, K.COMMITTEE_MEETING)["periods"][3]
    assert april == {"period": "2025-04", "held": 1, "status": "met"}
    assert _kind(a1, K.PARTY_LECTURE)["missed"] == []
    assert (a1["missed_count"], a1["met"]) == (3, False)
    a2 = items["branch_a2"]
    assert [k["kind"] for k in a2["kinds"]] == ["branch_meeting", "party_lecture"]  # too small for a 支委会
    assert _kind(a2, K.PARTY_LECTURE)["missed"] == ["2025-Q3", "2025-Q4"]
    assert a2["missed_count"] == 2
    b1 = items["branch_b1"]
    assert _kind(b1, K.BRANCH_MEETING)["missed"] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert b1["missed_count"] == 8
    group = items["group_a1"]
    assert [k["kind"] for k in group["kinds"]] == ["group_meeting"]  # 党小组会 binds Party groups only
    assert _kind(group, K.GROUP_MEETING)["missed"] == ["2025-12"]
    assert group["missed_count"] == 1


def test_an_org_that_holds_every_meeting_is_met(
    session: Session, client: TestClient, world: World, hold: Hold
) -> None:
    for q in range(4):
        hold("branch_b1", K.BRANCH_MEETING, date(2025, 3 * q + 1, 3))
        hold("branch_b1", K.PARTY_LECTURE, date(2025, 3 * q + 3, 28))
    session.commit()
    body = _get(client, world, user="sec_b1", **YEAR_2025)
    (b1,) = body["items"]
    assert (b1["met"], b1["missed_count"]) == (True, 0)
    assert body["summary"]["orgs_considered"] == 1
    assert body["summary"]["orgs_met"] == 1


def test_summary_covers_the_whole_subtree(
    client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    summary = _get(client, world, limit=1, **YEAR_2025)["summary"]
    assert summary["orgs_considered"] == 4
    assert summary["orgs_met"] == 0
    assert summary["missed_count"] == 3 + 2 + 8 + 1
    assert summary["members"] == 7 + 2 + 2  # branch rolls; a group holds none


def test_running_period_is_not_missed_yet(
    session: Session, client: TestClient, world: World, hold: Hold
) -> None:
    """2026 as of 20 May: Q1 is over, Q2 still running; the meeting of 25 May is after the reporting date."""
    hold("branch_b1", K.BRANCH_MEETING, date(2026, 2, 1))
    hold("branch_b1", K.BRANCH_MEETING, date(2026, 5, 25))
    session.commit()
    may = _get(client, world, user="sec_b1", as_of="2026-05-20")
    assert may["year"] == 2026  # the year defaults to as_of's
    (b1,) = may["items"]
    meetings = _kind(b1, K.BRANCH_MEETING)
    assert meetings["periods"] == [
        {"period": "2026-Q1", "held": 1, "status": "met"},
        {"period": "2026-Q2", "held": 0, "status": "running"},
    ]
    assert _kind(b1, K.PARTY_LECTURE)["missed"] == ["2026-Q1"]
    assert b1["missed_count"] == 1

    (july,) = _get(client, world, user="sec_b1", year=2026, as_of="2026-07-01")["items"]
    assert [p["status"] for p in _kind(july, K.BRANCH_MEETING)["periods"]] == ["met", "met", "running"]
    assert _kind(july, K.PARTY_LECTURE)["missed"] == ["2026-Q1", "2026-Q2"]
    assert july["missed_count"] == 2


def test_periods_before_an_org_was_established_are_not_required(
    session: Session, client: TestClient, world: World, hold: Hold
) -> None:
    world.orgs["branch_a2"].established_on = date(2026, 2, 15)
    world.orgs["branch_b1"].established_on = date(2026, 8, 1)  # after the reporting date: not considered
    world.orgs["group_a1"].status = OrgStatus.DISSOLVED  # not considered either, meetings or not
    _mark(
        session,
        hold("branch_b1", K.BRANCH_MEETING, date(2026, 3, 1)),
        (_roll(session, world, "branch_b1")[0], PRESENT),
    )
    _mark(
        session,
        hold("group_a1", K.GROUP_MEETING, date(2026, 3, 1)),
        (_roll(session, world, "branch_a1")[0], PRESENT),
    )
    session.commit()
    body = _get(client, world, as_of="2026-07-01")
    items = _by_org(body, world)
    assert set(items) == {"branch_a1", "branch_a2"}
    assert body["summary"]["attendance"]["present"] == 0
    a2 = items["branch_a2"]
    assert [p["status"] for p in _kind(a2, K.BRANCH_MEETING)["periods"]] == [
        "not_required",
        "missed",
        "running",
    ]
    assert a2["missed_count"] == 2  # Q2 of each kind


# --- attendance ----------------------------------------------------------------------------------


def test_attendance_rate_counts_present_excused_absent_and_unrecorded(
    session: Session, client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    """branch_a1: 3 党员大会 + 4 党课 + 1 主题党日 = 8 meetings × 7 members = 56 expected; 支委会 is
    not a meeting of the whole roll."""
    roll = _roll(session, world, "branch_a1")
    first = year_2025["a1_first"]
    _mark(session, first, *((m, PRESENT) for m in roll[:5]), (roll[5], EXCUSED), (roll[6], ABSENT))
    _mark(session, year_2025["a1_lecture"], *((m, PRESENT) for m in roll[:6]), (roll[6], ABSENT))
    session.commit()
    a1 = _by_org(_get(client, world, **YEAR_2025), world)["branch_a1"]
    assert a1["attendance"] == {
        "meetings": 8,
        "expected": 56,
        "present": 11,
        "excused": 1,
        "absent": 2,
        "unrecorded": 42,
        "rate": round(11 / 56, 4),
    }


def test_leavers_moved_members_and_explicit_lists_count_as_the_attendance_list_shows(
    session: Session, client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    """Expected = what each meeting's attendance list shows: a member who left on 15 May is expected at the
    meetings up to that day; one recorded present and since moved to branch_b1 still counts where recorded;
    a lecture with an explicit list expects only the listed member."""
    session.add(
        Member(
            org_id=world.orgs["branch_a1"].id,
            name="已退党员",
            gender=Gender.MALE,
            status=MemberStatus.WITHDRAWN,
            left_on=date(2025, 5, 15),
        )
    )
    moved = _add_members(session, world, "branch_a1", 1, "调出党员")[0]
    _mark(session, year_2025["a1_first"], (moved, PRESENT))
    moved.org_id = world.orgs["branch_b1"].id
    a2_listed = year_2025["a2_lecture"]
    listed_member = _roll(session, world, "branch_a2")[0]
    session.add(ActivityAttendee(activity=a2_listed, member_id=listed_member.id))
    _mark(session, a2_listed, (listed_member, PRESENT))
    session.commit()

    items = _by_org(_get(client, world, **YEAR_2025), world)
    # branch_a1: 8 × 7 on the roll, + the leaver at 10 Feb, 10 May, 20 Jan, 20 Apr, + the moved member once.
    assert items["branch_a1"]["attendance"]["expected"] == 56 + 4 + 1
    assert items["branch_a1"]["attendance"]["present"] == 1
    # group_a1 covers branch_a1's roll: 11 × 7, + the leaver at the meetings of 15 January to 15 May.
    assert items["group_a1"]["attendance"]["expected"] == 77 + 5
    # branch_a2: 6 meetings, 5 × 2 on the roll + 1 listed.
    assert items["branch_a2"]["attendance"]["expected"] == 11
    assert items["branch_a2"]["attendance"]["rate"] == round(1 / 11, 4)

    # And every figure is the sum of the meetings' own attendance lists.
    scope = Scope.everything()
    meetings = session.scalars(
        select(Activity).where(
            Activity.kind.in_(compliance.ATTENDANCE_KINDS),
            Activity.starts_at < datetime(2026, 1, 1, tzinfo=UTC),
        )
    ).all()
    listed: dict[int, int] = {}
    for activity in meetings:
        listed[activity.org_id] = listed.get(activity.org_id, 0) + len(
            service.list_attendance(session, scope, activity.id)
        )
    for key in ("branch_a1", "branch_a2", "group_a1"):
        assert items[key]["attendance"]["expected"] == listed[world.orgs[key].id], key


def test_an_org_without_meetings_has_no_rate(
    client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    b1 = _by_org(_get(client, world, **YEAR_2025), world)["branch_b1"]
    assert b1["attendance"]["meetings"] == 0
    assert b1["attendance"]["rate"] is None


# --- study hours ---------------------------------------------------------------------------------


@pytest.fixture
def hours_2025(session: Session, world: World, hold: Hold) -> dict[str, Member]:
    """branch_a2 in 2025: `at_min` has exactly 32 hours (30 + 2), `short` 31.5 (30 + a 1.5-hour make-up),
    `none` only hours from December 2024; the 40-hour class of 2026 is outside the year."""
    at_min, short = _roll(session, world, "branch_a2")
    (none,) = _add_members(session, world, "branch_a2", 1)
    training = hold("county", K.TRAINING_CLASS, date(2025, 6, 1), hours="30")
    meeting = hold("branch_a2", K.BRANCH_MEETING, date(2025, 3, 1))
    old = hold("county", K.TRAINING_CLASS, date(2024, 12, 30), hours="40")
    later = hold("county", K.TRAINING_CLASS, date(2026, 1, 10), hours="40")
    _mark(session, training, (at_min, PRESENT), (short, PRESENT), (none, ABSENT))
    _mark(session, meeting, (at_min, PRESENT), (short, EXCUSED))
    _mark(session, old, (none, PRESENT))
    _mark(session, later, (none, PRESENT))
    session.add(
        Makeup(
            activity=meeting,
            member_id=short.id,
            studied_on=date(2025, 3, 5),
            method="自学",
            hours=Decimal("1.5"),
        )
    )
    session.commit()
    return {"at_min": at_min, "short": short, "none": none}


def test_members_under_the_minimum_hours_exactly_at_it_is_enough(
    client: TestClient, world: World, hours_2025: dict[str, Member]
) -> None:
    body = _get(client, world, **YEAR_2025)
    assert body["min_annual_hours"] == float(policy.STUDY_MIN_ANNUAL_HOURS) == 32
    a2 = _by_org(body, world)["branch_a2"]
    assert (a2["members"], a2["under_min_hours"], a2["under_min_share"]) == (3, 2, round(2 / 3, 4))
    b1 = _by_org(body, world)["branch_b1"]
    assert (b1["members"], b1["under_min_hours"]) == (2, 2)
    group = _by_org(body, world)["group_a1"]
    assert (group["members"], group["under_min_hours"], group["under_min_share"]) == (0, 0, None)


def test_hours_agree_with_study_facts(
    session: Session, client: TestClient, world: World, hours_2025: dict[str, Member]
) -> None:
    facts = service.study_facts(
        session, Scope.everything(), [m.id for m in hours_2025.values()], date(2025, 1, 1), date(2025, 12, 31)
    )
    totals = {m: sum(f.hours_by_kind.values(), Decimal(0)) for m, f in facts.items()}
    assert totals[hours_2025["at_min"].id] == Decimal(32)
    below = sum(1 for hours in totals.values() if hours < policy.STUDY_MIN_ANNUAL_HOURS)
    assert _by_org(_get(client, world, **YEAR_2025), world)["branch_a2"]["under_min_hours"] == below


# --- sorting and paging --------------------------------------------------------------------------


def _pages(client: TestClient, world: World, **params: Any) -> Iterator[list[dict[str, Any]]]:
    """Every page, one org a page, following `next_cursor`."""
    cursor: str | None = None
    while True:
        body = _get(client, world, limit=1, **params, **({"cursor": cursor} if cursor else {}))
        yield body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        ("missed_count", ["group_a1", "branch_a2", "branch_a1", "branch_b1"]),
        ("name", None),
        ("attendance_rate", ["branch_b1", "group_a1", "branch_a1", "branch_a2"]),  # none, 0, 1/56, 2/12
    ],
)
def test_sorted_both_ways_and_paged_by_cursor(
    session: Session,
    client: TestClient,
    world: World,
    year_2025: dict[str, Activity],
    sort: str,
    ascending: list[str] | None,
) -> None:
    roll_a2 = _roll(session, world, "branch_a2")
    _mark(session, year_2025["a2_lecture"], *((m, PRESENT) for m in roll_a2))  # a2: 2 of 12
    _mark(session, year_2025["a1_first"], (_roll(session, world, "branch_a1")[0], PRESENT))  # a1: 1 of 56
    session.commit()
    names = {org.id: key for key, org in world.orgs.items()}
    if ascending is None:  # by name: whatever order Python gives the Chinese names, ties by id
        ascending = sorted(
            ["branch_a1", "branch_a2", "branch_b1", "group_a1"],
            key=lambda k: (world.orgs[k].name, world.orgs[k].id),
        )
    for order, expected in (("asc", ascending), ("desc", ascending[::-1])):
        pages = list(_pages(client, world, sort=sort, order=order, **YEAR_2025))
        assert [len(p) for p in pages] == [1, 1, 1, 1]
        assert [names[p[0]["org_id"]] for p in pages] == expected, order


def test_default_sort_puts_the_most_behind_first(
    client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    body = _get(client, world, limit=2, **YEAR_2025)
    assert [i["missed_count"] for i in body["items"]] == [8, 3]
    assert body["next_cursor"] is not None
    rest = _get(client, world, limit=2, cursor=body["next_cursor"], **YEAR_2025)
    assert [i["missed_count"] for i in rest["items"]] == [2, 1]
    assert rest["next_cursor"] is None


def test_ties_keep_every_org_exactly_once(client: TestClient, world: World) -> None:
    """Nobody studied: branch_a2 and branch_b1 both have 2 members under the minimum; ties go by id."""
    seen = [i["org_id"] for page in _pages(client, world, sort="under_min_hours", **YEAR_2025) for i in page]
    assert sorted(seen) == sorted(
        world.orgs[k].id for k in ("branch_a1", "branch_a2", "branch_b1", "group_a1")
    )
    assert len(seen) == 4


# --- scope and bad input -------------------------------------------------------------------------


def test_outside_scope_is_404(client: TestClient, world: World) -> None:
    r = client.get(URL, params={"org": world.orgs["branch_a1"].id}, headers=world.auth("sec_b1"))
    assert_problem(r, 404, "org_not_found")


def test_town_admin_sees_only_the_town(
    client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    body = _get(client, world, user="town_a_admin", **YEAR_2025)
    assert body["org_id"] == world.orgs["town_a"].id
    assert set(_by_org(body, world)) == {"branch_a1", "branch_a2", "group_a1"}
    assert body["summary"]["orgs_considered"] == 3


def test_an_unrestricted_admin_sees_the_whole_tree(
    client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    body = _get(client, world, user="admin", **YEAR_2025)
    assert body["org_id"] is None
    assert set(_by_org(body, world)) == {"branch_a1", "branch_a2", "branch_b1", "group_a1"}


def test_a_group_alone_uses_its_branch_roll(
    client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    body = _get(client, world, user="sec_a1", org=world.orgs["group_a1"].id, **YEAR_2025)
    (group,) = body["items"]
    assert group["attendance"]["expected"] == 11 * 7


def test_without_members_read_is_403(client: TestClient, world: World) -> None:
    assert_problem(client.get(URL, headers=world.auth("member_a1")), 403, "forbidden")


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"year": 1999}, "validation_failed", "query.year"),
        ({"year": 2027, "as_of": "2026-05-01"}, "compliance_query_invalid", "query.year"),
        ({"as_of": "1990-01-01"}, "compliance_query_invalid", "query.as_of"),
        ({"sort": "members"}, "validation_failed", "query.sort"),
        ({"order": "up"}, "validation_failed", "query.order"),
    ],
)
def test_bad_params_are_422_naming_the_field(
    client: TestClient, world: World, params: dict[str, Any], code: str, field: str
) -> None:
    body = assert_problem(client.get(URL, params=params, headers=world.auth("county_admin")), 422, code)
    assert [e["field"] for e in body["errors"]] == [field]


def test_a_bad_cursor_is_422(client: TestClient, world: World) -> None:
    r = client.get(URL, params={"cursor": "not-a-cursor"}, headers=world.auth("county_admin"))
    assert_problem(r, 422, "invalid_cursor")


def test_one_day_after_the_year_every_period_is_over(
    client: TestClient, world: World, year_2025: dict[str, Activity]
) -> None:
    on_new_year = _get(client, world, year=2025, as_of=str(date(2026, 1, 1)))
    last_day = _get(client, world, year=2025, as_of=str(date(2026, 1, 1) - timedelta(days=1)))
    assert on_new_year["summary"]["missed_count"] == 14
    # On 31 December, December and Q4 are still running: a1's and a2's Q4, b1's two Q4s, the group's December.
    assert last_day["summary"]["missed_count"] == 14 - 1 - 1 - 2 - 1
