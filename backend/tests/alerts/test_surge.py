"""Surges: per (handling org, category), the day's count against the previous days' own baseline."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.alerts.conftest import DAY, NOW, add_complaint, add_daily, category_id
from tests.world import World
from vanguard.alerts import service
from vanguard.alerts.jobs import alerts_job
from vanguard.alerts.models import Alert, AlertKind
from vanguard.alerts.schemas import AlertRun
from vanguard.alerts.service import SurgeParams, surge_test
from vanguard.core.config import Settings
from vanguard.core.permissions import Scope
from vanguard.webhooks import service as webhooks
from vanguard.webhooks.models import EventType, WebhookDelivery
from vanguard.webhooks.schemas import WebhookCreate

PARAMS = SurgeParams(baseline_days=28, z=3.0, min_count=5)


EVERYTHING = Scope.everything()


def _surges(session: Session, scope: Scope = EVERYTHING) -> list[Alert]:
    return [a for a in service.run(session, scope, AlertRun(day=DAY), NOW) if a.kind is AlertKind.SURGE]


def test_flat_series_stays_quiet() -> None:
    assert not surge_test([10] * 28, 10, PARAMS).fired
    assert not surge_test([10] * 28, 18, PARAMS).fired  # σ floors at √mean: 10 + 3·√10 ≈ 19.5


def test_spike_over_the_baseline_fires() -> None:
    test = surge_test([10] * 28, 30, PARAMS)
    assert test.fired
    assert round(test.threshold, 2) == round(10 + 3 * 10**0.5, 2)


def test_min_count_floors_the_threshold_of_an_empty_baseline() -> None:
    assert surge_test([0] * 28, 4, PARAMS).threshold == 5
    assert not surge_test([0] * 28, 4, PARAMS).fired
    assert surge_test([0] * 28, 5, PARAMS).fired


def test_noisy_baseline_raises_the_threshold() -> None:
    noisy = [0, 20] * 14
    assert surge_test(noisy, 30, PARAMS).threshold > surge_test([10] * 28, 30, PARAMS).threshold


def test_synthetic_surge_fires_with_its_numbers_and_items(session: Session, world: World) -> None:
    ids = add_daily(session, world, "branch_a1", [2] * 28 + [12])
    [alert] = _surges(session)
    assert alert.org_id == world.orgs["branch_a1"].id
    assert alert.day == DAY
    assert alert.why["observed"] == 12
    assert alert.why["baseline_mean"] == 2.0
    assert alert.why["baseline_std"] == 0.0
    assert alert.why["threshold"] == round(max(5, 2 + 3 * 2**0.5), 4)
    assert "max(min_count, mean + z·σ)" in alert.why["formula"]
    assert alert.items == ids[-1]
    assert "12" in alert.reason_zh
    assert "道路交通" in alert.reason_zh


def test_flat_series_in_the_database_stays_quiet(session: Session, world: World) -> None:
    add_daily(session, world, "branch_a1", [6] * 29)
    assert _surges(session) == []


def test_each_category_has_its_own_baseline(session: Session, world: World) -> None:
    add_daily(session, world, "branch_a1", [8] * 29, category="roads")
    add_daily(session, world, "branch_a1", [0] * 28 + [8], category="pollution")
    [alert] = _surges(session)
    assert alert.category_id == category_id(session, "pollution")
    assert alert.why["baseline_mean"] == 0.0


def test_counts_by_china_day(session: Session, world: World) -> None:
    # 23:30 CST on the day before is 15:30 UTC: it belongs to the day before, not DAY.
    for _ in range(6):
        add_complaint(session, world, "branch_a1", day=DAY - timedelta(days=1), hour=23)
    session.commit()
    assert _surges(session) == []


def test_run_twice_the_same_day_fires_once(session: Session, world: World) -> None:
    add_daily(session, world, "branch_a1", [0] * 28 + [6])
    assert len(_surges(session)) == 1
    session.commit()
    assert _surges(session) == []
    assert session.scalar(select(Alert.id).where(Alert.kind == AlertKind.SURGE)) is not None


def test_fired_alert_goes_to_webhooks(session: Session, world: World) -> None:
    data = WebhookCreate(
        org_id=world.orgs["county"].id,
        url="https://oa.example.gov.cn/hook",
        event_types=[EventType.ALERT_FIRED],
    )
    webhooks.create_subscription(session, Scope.everything(), data)
    add_daily(session, world, "branch_a1", [0] * 28 + [6])
    [alert] = _surges(session)
    session.commit()
    [delivery] = session.scalars(select(WebhookDelivery)).all()
    assert delivery.event_type == "alert.fired"
    assert delivery.payload["data"]["id"] == alert.id
    assert delivery.payload["data"]["why"]["observed"] == 6
    assert delivery.payload["data"]["items"] == alert.items


def test_daily_job_runs_over_everything(session: Session, world: World) -> None:
    add_daily(session, world, "branch_b1", [0] * 28 + [7])
    job = alerts_job(Settings(VANGUARD_ALERTS_RUN_SECONDS=3600))  # type: ignore[call-arg]
    assert job.seconds == 3600
    assert job.run(session, NOW) == 1
    assert job.run(session, NOW) == 0
