from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.development.factory import Roll
from tests.world import World


@pytest.fixture
def roll(session: Session, world: World) -> Roll:
    return Roll(session, world)
