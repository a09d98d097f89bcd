"""Dues fixtures: members created straight through the session, and principals for service calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.auth.service import user_principal
from vanguard.core.clock import local_today
from vanguard.core.permissions import Principal, Scope
from vanguard.dues import service
from vanguard.dues.models import PaymentKind, PaymentMethod, ReductionKind
from vanguard.dues.schemas import DuesBaseSet, PaymentCreate, ReductionCreate
from vanguard.members.models import Category, Gender, Member, MemberStatus, Stage

# A year that is over whatever day the tests run: every month in it is due.
YEAR = local_today().year - 1


def month(m: int, year: int = YEAR) -> date:
    return date(year, m, 1)


def add_member(
    session: Session,
    world: World,
    org: str = "branch_a1",
    *,
    name: str = "缴费党员",
    category: Category = Category.EMPLOYED,
    stage: Stage = Stage.FULL,
    probationary_on: date | None = date(2010, 6, 18),
    status: MemberStatus = MemberStatus.NORMAL,
    left_on: date | None = None,
) -> Member:
    member = Member(
        org_id=world.orgs[org].id,
        name=name,
        gender=Gender.FEMALE,
        category=category,
        stage=stage,
        probationary_on=probationary_on,
        status=status,
        left_on=left_on,
    )
    session.add(member)
    session.flush()
    return member


@pytest.fixture
def as_user(session: Session, world: World) -> Callable[[str], Principal]:
    """The principal a world user acts as in service calls."""
    return lambda username: user_principal(session, world.users[username])


@pytest.fixture
def admin(as_user: Callable[[str], Principal]) -> Principal:
    return as_user("admin")


def set_base(
    session: Session,
    member: Member,
    income: str | None = "3200",
    *,
    start: date | None = None,
    category: Category | None = None,
    fixed: str | None = None,
) -> None:
    data = DuesBaseSet(
        effective_from=start or month(1),
        category=category,
        monthly_income=Decimal(income) if income is not None else None,
        fixed_amount=Decimal(fixed) if fixed is not None else None,
    )
    service.set_base(session, Scope.everything(), member.id, data)


def pay(
    session: Session,
    caller: Principal,
    member: Member,
    on: date,
    amount: str,
    *,
    kind: PaymentKind = PaymentKind.REGULAR,
    note: str | None = None,
    today: date | None = None,
    **extra: Any,
) -> None:
    fields: dict[str, Any] = {
        "month": on,
        "amount": Decimal(amount),
        "paid_on": min(on, today or local_today()),
        "method": PaymentMethod.CASH,
        "kind": kind,
        "note": note,
        **extra,
    }
    data = PaymentCreate(**fields)
    service.record_payment(session, caller, member.id, data, today=today)


def reduction(
    from_month: date,
    to_month: date,
    kind: ReductionKind = ReductionKind.WAIVER,
    amount: str | None = None,
) -> ReductionCreate:
    return ReductionCreate(
        from_month=from_month,
        to_month=to_month,
        kind=kind,
        reduced_amount=Decimal(amount) if amount is not None else None,
        reason="家庭经济困难",
    )
