"""Members at any point of the pipeline, and the bodies of the pipeline's commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tests.world import World
from vanguard.development.schemas import (
    AdmitCreate,
    Approval,
    PoliticalReview,
    PublicNotice,
    Training,
    Votes,
)
from vanguard.members.models import Gender, Member, MemberStatus, Stage

BIRTH = date(1990, 5, 17)
VOTES = Votes(eligible_voters=10, present=8, votes_for=7, votes_against=1, abstentions=0)


@dataclass
class Roll:
    """Adds people to the world's branches directly, as the members API (or an import) would."""

    session: Session
    world: World

    def add(
        self,
        name: str = "张申请",
        *,
        org: str = "branch_a1",
        stage: Stage = Stage.APPLICANT,
        birth: date | None = BIRTH,
        **fields: Any,
    ) -> Member:
        member = Member(
            org_id=self.world.orgs[org].id,
            name=name,
            gender=Gender.MALE,
            birth_date=birth,
            stage=stage,
            status=fields.pop("status", MemberStatus.NORMAL),
            **fields,
        )
        self.session.add(member)
        self.session.commit()
        return member

    def full(self, name: str, org: str = "branch_a1", **fields: Any) -> Member:
        return self.add(name, org=org, stage=Stage.FULL, birth=date(1970, 1, 1), **fields)


def admit_body(
    meeting: date,
    introducers: list[int],
    *,
    approval: Approval | None = None,
    votes: Votes = VOTES,
    **overrides: Any,
) -> AdmitCreate:
    """A complete, rule-abiding admission decided at `meeting`."""
    fields: dict[str, Any] = {
        "decided_on": meeting,
        "political_review": PoliticalReview(passed=True, completed_on=meeting - timedelta(days=30)),
        "training": Training(hours=24, completed_on=meeting - timedelta(days=40)),
        "public_notice": PublicNotice(
            starts_on=meeting - timedelta(days=10), ends_on=meeting - timedelta(days=6)
        ),
        "introducer_ids": introducers,
        "votes": votes,
        "approval": approval,
    }
    fields.update(overrides)
    return AdmitCreate(**fields)


def as_json(body: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = body.model_dump(mode="json", exclude_none=True)
    return dumped
