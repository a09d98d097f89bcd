from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum
from vanguard.members.models import Member

_HELD = text("ended_on IS NULL")


class Post(Audited, VersionedMixin, TimestampMixin, Base):
    """设岗定责: a post a member holds in their branch, with its duties. Ending keeps the record."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(100))
    duties: Mapped[str] = mapped_column(String(2000))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]

    # Many-to-one, for the audit org only; services load the member first, so this is an identity-map hit.
    member: Mapped[Member] = relationship(lazy="select")

    __table_args__ = (
        Index("ix_posts_member_id_id", "member_id", "id"),
        # A member holds a post of one title once at a time, also against two requests racing each other.
        Index(
            "uq_posts_member_id_title_active",
            "member_id",
            "title",
            unique=True,
            postgresql_where=_HELD,
            sqlite_where=_HELD,
        ),
    )

    @property
    def active(self) -> bool:
        return self.ended_on is None

    def audit_org_id(self) -> int | None:
        return self.member.org_id


class PledgeResult(StrEnum):
    PENDING = "pending"  # 待评
    KEPT = "kept"  # 已践诺
    NOT_KEPT = "not_kept"  # 未践诺


class Pledge(Audited, VersionedMixin, TimestampMixin, Base):
    """党员承诺: what a member publicly pledged, by when, and whether the branch judged it kept."""

    __tablename__ = "pledges"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    content: Mapped[str] = mapped_column(String(2000))
    made_on: Mapped[date]  # 承诺日期
    due_on: Mapped[date]  # 承诺期限: the pledge counts in the scoring period this date falls in
    result: Mapped[PledgeResult] = mapped_column(str_enum(PledgeResult), default=PledgeResult.PENDING)
    evaluated_on: Mapped[date | None]
    evaluation_note: Mapped[str | None] = mapped_column(String(500))
    evaluated_by: Mapped[str | None] = mapped_column(String(128))

    member: Mapped[Member] = relationship(lazy="select")

    __table_args__ = (Index("ix_pledges_member_id_due_on", "member_id", "due_on"),)

    def audit_org_id(self) -> int | None:
        return self.member.org_id
