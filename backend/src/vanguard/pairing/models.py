"""结对帮扶: beneficiaries, pairs (helper ↔ beneficiary), visits (走访) and must-visit tasks (四必访)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum
from vanguard.core.masking import mask_address, mask_phone


class BeneficiaryKind(StrEnum):
    MEMBER = "member"  # 困难党员 (linked to the member record)
    HOUSEHOLD = "household"  # 联系户 (群众户)


class PairKind(StrEnum):
    CADRE_MEMBER = "cadre_member"  # 干部联系党员
    MEMBER_HOUSEHOLD = "member_household"  # 党员联系户
    POVERTY = "poverty"  # 结对帮扶困难户


class GoalTag(StrEnum):
    TECHNOLOGY = "technology"  # 包技术
    PROJECT = "project"  # 包项目
    POVERTY_EXIT = "poverty_exit"  # 包脱贫


class PairStatus(StrEnum):
    ACTIVE = "active"  # 帮扶中
    COMPLETED = "completed"  # 已完成
    ENDED_EARLY = "ended_early"  # 提前终止 (with a reason)


class TaskClosure(StrEnum):
    """How a must-visit task was closed by hand (a visit recorded for it closes it by itself)."""

    CLOSED = "closed"  # handled outside a recorded visit (e.g. the branch visited)
    CANCELLED = "cancelled"  # no longer needed, or opened in error


class VisitType(StrEnum):
    ROUTINE = "routine"  # 日常走访
    HARDSHIP = "hardship"  # 生活困难必访
    ILLNESS = "illness"  # 生病住院必访
    FAMILY_DISPUTE = "family_dispute"  # 家庭矛盾必访
    WEDDING_FUNERAL = "wedding_funeral"  # 婚丧嫁娶必访


class EventType(StrEnum):
    """四必访 triggers: recording one opens a must-visit task."""

    HARDSHIP = "hardship"  # 生活困难
    ILLNESS = "illness"  # 生病住院
    FAMILY_DISPUTE = "family_dispute"  # 家庭矛盾
    WEDDING_FUNERAL = "wedding_funeral"  # 婚丧嫁娶


class Beneficiary(Audited, VersionedMixin, TimestampMixin, Base):
    """帮扶对象: a member in hardship or a household of the masses, owned by one org (its branch)."""

    __tablename__ = "pairing_beneficiaries"
    __audit_masked__: ClassVar[Mapping[str, Callable[[str | None], str | None]]] = {
        "contact_phone": mask_phone,
        "address": mask_address,
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    kind: Mapped[BeneficiaryKind] = mapped_column(str_enum(BeneficiaryKind))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    head_name: Mapped[str | None] = mapped_column(String(50))  # 户主
    address: Mapped[str | None] = mapped_column(String(200))
    village: Mapped[str | None] = mapped_column(String(100))  # 村/社区
    household_size: Mapped[int | None] = mapped_column(Integer)
    situation: Mapped[str | None] = mapped_column(String(2000))  # 家庭情况
    needs: Mapped[str | None] = mapped_column(String(2000))  # 需求
    contact_phone: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (
        Index("ix_pairing_beneficiaries_org_id_id", "org_id", "id"),
        Index("ix_pairing_beneficiaries_member_id", "member_id", unique=True),  # one record per member
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


_ACTIVE = text("status = 'active'")


class Pair(Audited, VersionedMixin, TimestampMixin, Base):
    """结对: a helper (a member, or a cadre's user account) ↔ a beneficiary; belongs to the beneficiary's
    org. Exactly one of the two helper columns is set."""

    __tablename__ = "pairing_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    helper_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    helper_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("pairing_beneficiaries.id", ondelete="RESTRICT"))
    kind: Mapped[PairKind] = mapped_column(str_enum(PairKind))
    # [{"tag": GoalTag, "target": str}] — 三包 goals with measurable targets.
    goals: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    started_on: Mapped[date]
    ends_on: Mapped[date | None]  # planned last day while active; the actual one once ended
    status: Mapped[PairStatus] = mapped_column(str_enum(PairStatus), default=PairStatus.ACTIVE)
    end_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        Index("ix_pairing_pairs_org_id_id", "org_id", "id"),
        Index("ix_pairing_pairs_helper_member_id_status", "helper_member_id", "status"),
        Index("ix_pairing_pairs_beneficiary_id_status", "beneficiary_id", "status"),
        Index("ix_pairing_pairs_helper_user_id_status", "helper_user_id", "status"),
        CheckConstraint(
            "(helper_member_id IS NOT NULL AND helper_user_id IS NULL)"
            " OR (helper_member_id IS NULL AND helper_user_id IS NOT NULL)",
            name="one_helper",
        ),
        # One active pair per helper and beneficiary, also against two requests racing each other
        # (NULLs never collide, hence one index per kind of helper).
        Index(
            "uq_pairing_pairs_active_member_helper",
            "helper_member_id",
            "beneficiary_id",
            unique=True,
            postgresql_where=_ACTIVE,
            sqlite_where=_ACTIVE,
        ),
        Index(
            "uq_pairing_pairs_active_user_helper",
            "helper_user_id",
            "beneficiary_id",
            unique=True,
            postgresql_where=_ACTIVE,
            sqlite_where=_ACTIVE,
        ),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


class Visit(Audited, VersionedMixin, TimestampMixin, Base):
    """走访: one visit within a pair, with the help given and any follow-up."""

    __tablename__ = "pairing_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairing_pairs.id", ondelete="RESTRICT"))
    visited_on: Mapped[date]
    type: Mapped[VisitType] = mapped_column(str_enum(VisitType))
    work_done: Mapped[str] = mapped_column(String(2000))
    money_given: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # 资金 (元)
    goods_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # 物资折价 (元)
    jobs_found: Mapped[int] = mapped_column(Integer, default=0)  # 就业岗位
    skills: Mapped[str | None] = mapped_column(String(500))  # 技能帮扶
    follow_up: Mapped[str | None] = mapped_column(String(500))
    follow_up_due_on: Mapped[date | None]
    follow_up_done_on: Mapped[date | None]  # None: the follow-up is still open

    pair: Mapped[Pair] = relationship(lazy="select")

    __table_args__ = (Index("ix_pairing_visits_pair_id_visited_on", "pair_id", "visited_on"),)

    def audit_org_id(self) -> int | None:
        return self.pair.org_id


class VisitPhoto(Base):
    """A photo of a visit: an image attachment of the pair's org. Changes are audited on the visit
    (`pairing.service`), which also bumps the visit's version."""

    __tablename__ = "pairing_visit_photos"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("pairing_visits.id", ondelete="CASCADE"), primary_key=True
    )
    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class VisitTask(Audited, VersionedMixin, TimestampMixin, Base):
    """必访任务: opened by an event for a member; done when a visit of the same type is recorded, or
    closed / cancelled by hand with a reason."""

    __tablename__ = "pairing_visit_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    event: Mapped[EventType] = mapped_column(str_enum(EventType))
    occurred_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(500))
    due_on: Mapped[date]
    # The responsible helper (of the member's active pair); neither set = the branch itself.
    helper_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    helper_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairing_pairs.id", ondelete="RESTRICT"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("pairing_visits.id", ondelete="RESTRICT"))
    closed_as: Mapped[TaskClosure | None] = mapped_column(str_enum(TaskClosure))
    closed_on: Mapped[date | None]
    close_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        Index("ix_pairing_visit_tasks_org_id_due_on", "org_id", "due_on"),
        Index("ix_pairing_visit_tasks_member_id", "member_id"),
    )

    @property
    def done(self) -> bool:
        return self.visit_id is not None

    @property
    def is_open(self) -> bool:
        return self.visit_id is None and self.closed_as is None

    def audit_org_id(self) -> int | None:
        return self.org_id
