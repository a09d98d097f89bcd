"""党员申诉、检举、控告、批评建议: a member's petitions, routed to the org above the one they concern."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum


class PetitionKind(StrEnum):
    APPEAL = "appeal"  # 申诉: against a decision about the filer
    REPORT = "report"  # 检举/控告: about another member or an org
    CRITICISM = "criticism"  # 批评建议: to an org


class SubjectKind(StrEnum):
    """The decision an appeal is against."""

    EVALUATION_RESULT = "evaluation_result"  # a 民主评议 grade (scoring result of a published scheme)
    DEVELOPMENT_STEP = "development_step"  # a recorded step of the filer's development (发展党员)
    DUES_REDUCTION = "dues_reduction"  # a refused request to pay less dues (党费减免)


class PetitionState(StrEnum):
    FILED = "filed"  # 已提交
    ACCEPTED = "accepted"  # 已受理
    REJECTED = "rejected"  # 不予受理 (with a reason)
    ANSWERED = "answered"  # 已答复 (a written answer)
    CLOSED = "closed"  # 已办结


def _hidden(_value: Any) -> str | None:
    return None if _value is None else "***"


class Petition(Audited, VersionedMixin, TimestampMixin, Base):
    """One petition. Scoped through the handling org's path. The audit log is read across the handling
    org's subtree, where the reported person may sit: the reporter's identity (filer ids, contact, and for
    appeals the decision, which names the filer), the member reported and the text never enter it."""

    __tablename__ = "petitions"
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset(
        {"title", "content", "answer", "rejection_reason"}
    )
    __audit_masked__: ClassVar[Mapping[str, Callable[[Any], str | None]]] = {
        "filer_member_id": _hidden,
        "filer_user_id": _hidden,
        "contact_phone": _hidden,
        "subject_id": _hidden,
        # Nor is the member reported told, through the log, that a report about them exists.
        "concerned_member_id": _hidden,
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PetitionKind] = mapped_column(str_enum(PetitionKind))
    state: Mapped[PetitionState] = mapped_column(str_enum(PetitionState), default=PetitionState.FILED)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(String(4000))
    filer_member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    filer_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    # Appeals: the decision appealed against.
    subject_kind: Mapped[SubjectKind | None] = mapped_column(str_enum(SubjectKind))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    # Reports about a member: who. Never shown the petition, whatever their rights.
    concerned_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    # The org concerned: the reported member's, the reported or criticised org, the deciding org.
    concerned_org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    # The org above the concerned one, which handles the petition; reads are scoped through its path.
    handling_org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    filed_at: Mapped[datetime]
    accept_due_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    answer_due_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(4000))
    rejected_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(String(1000))
    closed_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_petitions_handling_org_id_id", "handling_org_id", "id"),)

    def audit_org_id(self) -> int | None:
        return self.handling_org_id
