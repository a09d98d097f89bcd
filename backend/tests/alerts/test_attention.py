"""Members needing attention: each reason comes from its own feature's query, and is stated."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.alerts.conftest import API, NOW
from tests.world import World
from vanguard.core.clock import FakeClock
from vanguard.dues.models import DuesBase
from vanguard.members.models import Category, Member
from vanguard.posts.models import Pledge, PledgeResult
from vanguard.scoring.models import Grade, Result, Scheme, SchemeStatus
from vanguard.study.models import Activity, ActivityKind, Attendance, AttendanceStatus


def _scheme(session: Session, world: World, year: int, status: SchemeStatus) -> Scheme:
    scheme = Scheme(
        org_id=world.orgs["branch_a1"].id,
        name=f"{year}年度积分",
        year=year,
        status=status,
        component_weights={},
        rater_weights={},
        rules=[],
        full_points=Decimal(100),
        grade_thresholds={},
        excellent_cap=[1, 3],
        published_at=NOW if status is SchemeStatus.PUBLISHED else None,
    )
    session.add(scheme)
    session.flush()
    return scheme


def _result(session: Session, scheme: Scheme, member: Member, grade: Grade) -> None:
    session.add(
        Result(
            scheme_id=scheme.id,
            member_id=member.id,
            org_id=member.org_id,
            category="employed",
            probationary=False,
            points=Decimal(50),
            points_component=Decimal(50),
            score=Decimal(55),
            grade=grade,
            explanation={"lines": []},
            computed_at=NOW,
        )
    )


@pytest.fixture
def a1(session: Session, world: World) -> list[Member]:
    """Branch a1's three members: m0 studied (recently) but was graded 不合格; m1 owes dues since January;
    m2 broke a pledge. m1 and m2 have no study this quarter."""
    m0, m1, m2 = session.scalars(
        select(Member).where(Member.org_id == world.orgs["branch_a1"].id).order_by(Member.id)
    ).all()
    meeting = Activity(
        org_id=m0.org_id,
        kind=ActivityKind.BRANCH_MEETING,
        starts_at=NOW - timedelta(days=10),
        topic="学习党章",
        hours=Decimal(2),
    )
    session.add(meeting)
    session.flush()
    session.add(Attendance(activity=meeting, member_id=m0.id, status=AttendanceStatus.PRESENT))
    session.add(Attendance(activity=meeting, member_id=m1.id, status=AttendanceStatus.ABSENT))
    session.add(
        DuesBase(
            member_id=m1.id,
            org_id=m1.org_id,
            effective_from=date(2026, 1, 1),
            category=Category.EMPLOYED,
            monthly_income=Decimal(4000),
        )
    )
    session.add(
        Pledge(
            member=m2,
            content="每月走访联系户",
            made_on=date(2025, 12, 1),
            due_on=date(2026, 1, 31),
            result=PledgeResult.NOT_KEPT,
            evaluated_on=date(2026, 2, 1),
        )
    )
    _result(session, _scheme(session, world, 2025, SchemeStatus.PUBLISHED), m0, Grade.UNQUALIFIED)
    _result(session, _scheme(session, world, 2026, SchemeStatus.DRAFT), m0, Grade.EXCELLENT)  # not yet out
    session.commit()
    return [m0, m1, m2]


def _attention(
    client: TestClient, world: World, user: str = "sec_a1", **query: Any
) -> dict[int, dict[str, Any]]:
    r = client.get(f"{API}/attention", params=query, headers=world.auth(user))
    assert r.status_code == 200, r.text
    return {item["member_id"]: {x["code"]: x for x in item["reasons"]} for item in r.json()["items"]}


def test_no_study_for_n_months_is_a_reason(
    client: TestClient, world: World, a1: list[Member], clock: FakeClock
) -> None:
    found = _attention(client, world)
    assert "no_study" not in found[a1[0].id]
    reason = found[a1[1].id]["no_study"]
    assert reason["details"]["months"] == 3
    assert reason["details"]["absent"] == 1
    assert "3个月" in reason["message_zh"]


def test_dues_in_arrears_is_a_reason(
    client: TestClient, world: World, a1: list[Member], clock: FakeClock
) -> None:
    reason = _attention(client, world)[a1[1].id]["dues_arrears"]
    assert reason["details"]["months_unpaid"] == 3  # January to March, 40.00 each
    assert reason["details"]["amount_owed"] == "120.00"
    assert "120.00" in reason["message_zh"]


def test_a_pledge_not_kept_is_a_reason(
    client: TestClient, world: World, a1: list[Member], clock: FakeClock
) -> None:
    found = _attention(client, world)
    assert "pledge_not_kept" in found[a1[2].id]
    assert "pledge_not_kept" not in found[a1[1].id]


def test_latest_published_low_grade_is_a_reason(
    client: TestClient, world: World, a1: list[Member], clock: FakeClock
) -> None:
    reason = _attention(client, world)[a1[0].id]["low_grade"]
    assert reason["details"]["grade"] == "unqualified"
    assert reason["details"]["year"] == 2025  # the 2026 draft's 优秀 does not count yet
    assert "不合格" in reason["message_zh"]


def test_thresholds_are_set_per_request(
    client: TestClient, world: World, a1: list[Member], clock: FakeClock
) -> None:
    found = _attention(client, world, arrears_min_months=4)
    assert "dues_arrears" not in found.get(a1[1].id, {})


def test_another_branch_is_outside_the_secretarys_reach(
    client: TestClient, world: World, a1: list[Member], clock: FakeClock
) -> None:
    assert a1[0].id not in _attention(client, world, user="sec_b1")
    r = client.get(
        f"{API}/attention", params={"org_id": world.orgs["branch_a1"].id}, headers=world.auth("sec_b1")
    )
    assert r.status_code == 404
