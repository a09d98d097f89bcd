"""党务公开: items an organisation publishes to an audience for a period, and the feedback (objections,
comments) they draw."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum
from vanguard.core.masking import mask_email, mask_name, mask_phone


class PublicationKind(StrEnum):
    MEETING_RESOLUTION = "meeting_resolution"  # 会议决议
    CANDIDATE_NOTICE = "candidate_notice"  # 发展对象/预备党员公示
    EVALUATION_RESULTS = "evaluation_results"  # 民主评议结果
    DUES_REPORT = "dues_report"  # 党费收缴使用情况
    PLEDGE_RESULTS = "pledge_results"  # 承诺践诺


class Audience(StrEnum):
    MEMBERS = "members"  # the org's own members
    SUBTREE = "subtree"  # members of the org and of every org below it
    PUBLIC = "public"  # anyone, without logging in


class PublicationState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class FeedbackKind(StrEnum):
    OBJECTION = "objection"  # 异议: must be answered (and blocks admission while it is not)
    COMMENT = "comment"  # 意见建议


def mask_contact(contact: str | None) -> str | None:
    """A phone number or an e-mail address, masked the way core.masking masks either."""
    if contact is None:
        return None
    return mask_email(contact) if "@" in contact else mask_phone(contact)


class Publication(Audited, VersionedMixin, TimestampMixin, Base):
    """One published item. `content` holds only the kind's allowed fields (schemas.KIND_FIELDS);
    `member_id` is the subject of a candidate notice, kept as a column for the admission gate."""

    __tablename__ = "publicity_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    kind: Mapped[PublicationKind] = mapped_column(str_enum(PublicationKind))
    audience: Mapped[Audience] = mapped_column(str_enum(Audience))
    state: Mapped[PublicationState] = mapped_column(
        str_enum(PublicationState), default=PublicationState.DRAFT
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(String(5000))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdraw_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        Index("ix_publicity_items_org_id_id", "org_id", "id"),
        Index("ix_publicity_items_member_id", "member_id"),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id


class Feedback(Audited, VersionedMixin, TimestampMixin, Base):
    """Feedback on a published item, from the public (no login) or a signed-in member; an objection
    gets a written answer from the publishing side."""

    __tablename__ = "publicity_feedback"
    __audit_masked__: ClassVar[Mapping[str, Callable[[str | None], str | None]]] = {
        "name": mask_name,
        "contact": mask_contact,
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publicity_items.id", ondelete="RESTRICT"))
    kind: Mapped[FeedbackKind] = mapped_column(str_enum(FeedbackKind))
    text: Mapped[str] = mapped_column(String(2000))
    name: Mapped[str | None] = mapped_column(String(50))
    contact: Mapped[str | None] = mapped_column(String(100))
    filed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    filed_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(String(2000))
    answered_at: Mapped[datetime | None]
    answered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    publication: Mapped[Publication] = relationship(lazy="select")

    __table_args__ = (Index("ix_publicity_feedback_publication_id_id", "publication_id", "id"),)

    def audit_org_id(self) -> int | None:
        return self.publication.org_id
