from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, str_enum
from vanguard.members.models import Stage


class StepKind(StrEnum):
    """One command of the pipeline (发展党员工作细则), in the order they happen."""

    TALK = "talk"  # 党组织派人谈话
    ACTIVIST = "activist"  # 确定为入党积极分子
    CANDIDATE = "candidate"  # 列为发展对象
    ADMIT = "admit"  # 支部大会接收为预备党员
    CONFIRM = "confirm"  # 预备党员转为正式党员
    EXTEND = "extend"  # 延长预备期
    CANCEL = "cancel"  # 取消预备党员资格


class DecisionBody(StrEnum):
    BRANCH_COMMITTEE = "branch_committee"  # 支部委员会
    BRANCH_MEETING = "branch_meeting"  # 支部党员大会 (also where no committee is set up)


class ApprovalStatus(StrEnum):
    NOT_REQUIRED = "not_required"  # talks, activists and candidates are only filed (备案) upwards
    PENDING = "pending"  # the branch meeting has decided; the superior committee has not yet
    APPROVED = "approved"
    REJECTED = "rejected"
    LAPSED = "lapsed"  # not approved within the time limit; the branch meeting decided again


class PersonRole(StrEnum):
    MENTOR = "mentor"  # 培养联系人
    INTRODUCER = "introducer"  # 入党介绍人


class DevelopmentStep(Audited, TimestampMixin, Base):
    """One recorded step of a member's development, with the decision and its evidence."""

    __tablename__ = "development_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    # The member's organisation when the step was taken (they may transfer later).
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[StepKind] = mapped_column(str_enum(StepKind))
    from_stage: Mapped[Stage] = mapped_column(str_enum(Stage))
    to_stage: Mapped[Stage] = mapped_column(str_enum(Stage))
    decided_on: Mapped[date]
    decided_by: Mapped[DecisionBody | None] = mapped_column(str_enum(DecisionBody))
    approval_status: Mapped[ApprovalStatus] = mapped_column(str_enum(ApprovalStatus))
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_on: Mapped[date | None]
    # Kind-specific evidence (talker, training, political review, public notice, votes, reason…),
    # validated by the request schemas before it is stored.
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(String(500))

    people: Mapped[list[DevelopmentStepPerson]] = relationship(
        back_populates="step", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        Index("ix_development_steps_member_id_decided_on", "member_id", "decided_on"),
        Index("ix_development_steps_approval_status", "approval_status"),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


class DevelopmentStepPerson(Audited, Base):
    """A full member named in a step: a mentor of an activist, or an introducer at admission."""

    __tablename__ = "development_step_people"

    step_id: Mapped[int] = mapped_column(
        ForeignKey("development_steps.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), primary_key=True)
    role: Mapped[PersonRole] = mapped_column(str_enum(PersonRole))

    step: Mapped[DevelopmentStep] = relationship(back_populates="people")

    __table_args__ = (Index("ix_development_step_people_member_id", "member_id"),)

    def audit_org_id(self) -> int | None:
        return self.step.org_id
