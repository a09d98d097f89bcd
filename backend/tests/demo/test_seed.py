from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from vanguard.demo.seed import COUNTY, seed_demo
from vanguard.members.models import Member
from vanguard.orgs.models import Organisation
from vanguard.orgs.rules import may_sit_under


def test_demo_county_is_county_sized_and_well_formed(session: Session) -> None:
    summary = seed_demo(session)
    session.commit()
    assert summary is not None
    assert 300 <= summary.orgs <= 1500
    assert 2000 <= summary.members <= 10000
    parent = aliased(Organisation)
    pairs = session.execute(
        select(Organisation, parent).outerjoin(parent, parent.id == Organisation.parent_id)
    ).all()
    for org, up in pairs:
        assert may_sit_under(org.kind, up.kind if up else None), org.name
        assert org.path == (up.path if up else "/") + f"{org.id}/"
    assert session.scalar(select(Organisation.name).where(Organisation.parent_id.is_(None))) == COUNTY
    assert session.scalar(select(func.count()).select_from(Member)) == summary.members


def test_demo_seed_refuses_to_touch_existing_data(session: Session) -> None:
    assert seed_demo(session) is not None
    session.commit()
    assert seed_demo(session) is None
