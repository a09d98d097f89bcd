"""`posts_facts`, what scoring reads: posts held at some time in a period, and the days within it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tests.world import World
from vanguard.auth.service import user_principal
from vanguard.core.permissions import Scope
from vanguard.members.models import Gender, Member
from vanguard.posts.models import Post
from vanguard.posts.service import Period, PostFacts, posts_facts


def test_posts_held_in_a_period(session: Session, world: World) -> None:
    def member(org: str) -> Member:
        m = Member(org_id=world.orgs[org].id, name="设岗党员", gender=Gender.MALE)
        session.add(m)
        return m

    held, idle, stranger = member("branch_a1"), member("branch_a1"), member("branch_b1")
    session.add_all(
        [
            Post(
                member=held, title="宣传岗", duties="x", started_on=date(2025, 3, 1)
            ),  # all of 2026: 365 days
            Post(
                member=held, title="卫生岗", duties="x", started_on=date(2026, 12, 1), ended_on=None
            ),  # 31 days
            Post(
                member=held,
                title="旧岗",
                duties="x",
                started_on=date(2024, 1, 1),
                ended_on=date(2025, 12, 31),
            ),
            Post(member=stranger, title="岗", duties="x", started_on=date(2026, 1, 1)),
        ]
    )
    session.commit()
    year = Period.year(2026)
    assert posts_facts(session, Scope.everything(), [held.id, idle.id], year) == {
        held.id: PostFacts(held.id, posts_held=2, days_held=396),
        idle.id: PostFacts(idle.id),
    }
    q1 = posts_facts(session, Scope.everything(), [held.id], Period.quarter(2026, 1))
    assert q1[held.id] == PostFacts(held.id, posts_held=1, days_held=90)
    sec_a1 = user_principal(session, world.users["sec_a1"])
    assert list(posts_facts(session, sec_a1.scope, [held.id, stranger.id], year)) == [held.id]
