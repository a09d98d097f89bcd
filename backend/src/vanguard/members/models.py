from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class MemberStatus(StrEnum):
    NORMAL = "normal"  # 正常
    EXPELLED = "expelled"  # 出党
    SUSPENDED = "suspended"  # 停止党籍
    DECEASED = "deceased"  # 死亡


class Member(Audited, VersionedMixin, TimestampMixin, Base):
    """The core of a member record: enough for the organisation tree's counts and the demo roll.

    The full record (ID card, pipeline, dues, transfers) is the members feature's to extend.
    """

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[Gender] = mapped_column(str_enum(Gender))
    birth_date: Mapped[date | None]
    status: Mapped[MemberStatus] = mapped_column(str_enum(MemberStatus), default=MemberStatus.NORMAL)

    def audit_org_id(self) -> int | None:
        return self.org_id
