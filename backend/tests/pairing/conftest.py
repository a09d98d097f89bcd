"""A branch with helpers, beneficiaries and a pair to work on. Everything lives in branch_a1 unless
a test says otherwise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.auth.service import user_principal
from vanguard.core.clock import local_today
from vanguard.core.permissions import Principal
from vanguard.members.models import Gender, Member, MemberStatus
from vanguard.pairing.models import Beneficiary, BeneficiaryKind, Pair, PairKind, PairStatus

API = "/api/v1"
TODAY = local_today()
STARTED = TODAY - timedelta(days=100)


@pytest.fixture
def add_member(session: Session, world: World) -> Callable[..., Member]:
    def add(
        org: str = "branch_a1", name: str = "王帮扶", status: MemberStatus = MemberStatus.NORMAL
    ) -> Member:
        member = Member(
            org_id=world.orgs[org].id, name=name, gender=Gender.MALE, status=status, phone="13812345678"
        )
        session.add(member)
        session.commit()
        return member

    return add


@pytest.fixture
def helper(add_member: Callable[..., Member]) -> Member:
    """A member of branch_a1 who helps."""
    return add_member(name="王帮扶")


@pytest.fixture
def needy(add_member: Callable[..., Member]) -> Member:
    """A member of branch_a1 in hardship."""
    return add_member(name="李困难")


@pytest.fixture
def add_household(session: Session, world: World) -> Callable[..., Beneficiary]:
    def add(org: str = "branch_a1", head: str = "张户主") -> Beneficiary:
        household = Beneficiary(
            org_id=world.orgs[org].id,
            kind=BeneficiaryKind.HOUSEHOLD,
            head_name=head,
            address="甲一村三组十二号院",
            village="甲一村",
            household_size=4,
            situation="因病致贫",
            needs="技术指导",
            contact_phone="13987654321",
        )
        session.add(household)
        session.commit()
        return household

    return add


@pytest.fixture
def household(add_household: Callable[..., Beneficiary]) -> Beneficiary:
    return add_household()


@pytest.fixture
def needy_beneficiary(session: Session, needy: Member) -> Beneficiary:
    b = Beneficiary(
        org_id=needy.org_id, kind=BeneficiaryKind.MEMBER, member_id=needy.id, situation="生活困难"
    )
    session.add(b)
    session.commit()
    return b


@pytest.fixture
def pair(session: Session, helper: Member, needy_beneficiary: Beneficiary) -> Pair:
    """An active pair in branch_a1: `helper` ↔ `needy`, started 100 days ago."""
    p = Pair(
        org_id=needy_beneficiary.org_id,
        helper_member_id=helper.id,
        beneficiary_id=needy_beneficiary.id,
        kind=PairKind.POVERTY,
        goals=[{"tag": "poverty_exit", "target": "年内人均增收3000元"}],
        started_on=STARTED,
        ends_on=None,
        status=PairStatus.ACTIVE,
    )
    session.add(p)
    session.commit()
    return p


@pytest.fixture
def as_user(session: Session, world: World) -> Callable[[str], Principal]:
    def principal(user: str) -> Principal:
        return user_principal(session, world.users[user])

    return principal
