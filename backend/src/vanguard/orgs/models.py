from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, ForeignKey, Index, String, event, update
from sqlalchemy.orm import Mapped, Mapper, attributes, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum


class OrgKind(StrEnum):
    COMMITTEE = "committee"  # 党委
    WORKING_COMMITTEE = "working_committee"  # 党工委
    GENERAL_BRANCH = "general_branch"  # 党总支
    BRANCH = "branch"  # 党支部
    GROUP = "group"  # 党小组


class OrgStatus(StrEnum):
    ACTIVE = "active"
    DISSOLVED = "dissolved"


class Organisation(Audited, VersionedMixin, TimestampMixin, Base):
    __tablename__ = "orgs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind))
    # parent_id is the source of truth; path (/1/7/42/) is derived from it for prefix (subtree) search.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    path: Mapped[str] = mapped_column(String(512))
    depth: Mapped[int]
    code: Mapped[str | None] = mapped_column(String(64), unique=True)
    secretary_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    established_on: Mapped[date | None]
    status: Mapped[OrgStatus] = mapped_column(str_enum(OrgStatus), default=OrgStatus.ACTIVE)
    # Residents served (村/社区人口), when the org records it: statistics report members as a share of it.
    population: Mapped[int | None]

    __table_args__ = (
        # text_pattern_ops lets PostgreSQL use the index for `path LIKE '/1/7/%'` under any collation.
        Index("ix_orgs_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
    )

    def audit_org_id(self) -> int | None:
        return self.id


@event.listens_for(Organisation, "after_insert")
def _complete_path(_mapper: Mapper[Any], connection: Connection, org: Organisation) -> None:
    """The path ends with the org's own id, known only after the INSERT: the service inserts the
    parent's path and this appends the id within the same flush, so the audit record sees the final path."""
    full_path = f"{org.path}{org.id}/"
    connection.execute(update(Organisation).where(Organisation.id == org.id).values(path=full_path))
    attributes.set_committed_value(org, "path", full_path)
