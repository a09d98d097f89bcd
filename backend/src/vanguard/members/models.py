from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vanguard.audit.hook import Audited
from vanguard.core.db import Base, TimestampMixin, VersionedMixin, str_enum
from vanguard.core.masking import mask_phone


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Education(StrEnum):
    POSTGRADUATE = "postgraduate"  # 研究生
    BACHELOR = "bachelor"  # 大学本科
    ASSOCIATE = "associate"  # 大学专科
    SECONDARY = "secondary"  # 中专/高中
    MIDDLE_OR_BELOW = "middle_or_below"  # 初中及以下


class Category(StrEnum):
    EMPLOYED = "employed"  # 在职
    RURAL = "rural"  # 农村（农牧渔民）
    RETIRED = "retired"  # 离退休
    FLOATING = "floating"  # 流动
    NON_PUBLIC = "non_public"  # 非公企业
    STUDENT = "student"  # 学生
    UNEMPLOYED = "unemployed"  # 下岗失业
    LOW_INCOME = "low_income"  # 低保/困难


class Stage(StrEnum):
    """The development pipeline (发展党员), in order."""

    APPLICANT = "applicant"  # 入党申请人
    ACTIVIST = "activist"  # 入党积极分子
    CANDIDATE = "candidate"  # 发展对象
    PROBATIONARY = "probationary"  # 预备党员
    FULL = "full"  # 正式党员


class MemberStatus(StrEnum):
    NORMAL = "normal"  # 正常
    EXPELLED = "expelled"  # 开除党籍/出党
    SUSPENDED = "suspended"  # 停止党籍
    WITHDRAWN = "withdrawn"  # 退党/除名
    DECEASED = "deceased"  # 死亡
    TRANSFERRED_OUT = "transferred_out"  # 组织关系转出系统外


class Member(Audited, VersionedMixin, TimestampMixin, Base):
    """A person on the roll, from applicant to full member. Never hard-deleted: leaving sets status."""

    __tablename__ = "members"
    # The audit log keeps the masked number only; the digest and ciphertext are never copied there.
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"id_number_digest", "id_number_cipher"})
    __audit_masked__: ClassVar[Mapping[str, Callable[[str | None], str | None]]] = {"phone": mask_phone}

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed through ix_members_org_id_id and ix_members_stats, both led by org_id.
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(50))
    name_initials: Mapped[str] = mapped_column(String(50), default="", index=True)
    gender: Mapped[Gender] = mapped_column(str_enum(Gender))
    ethnicity: Mapped[str] = mapped_column(String(20), default="汉族")
    birth_date: Mapped[date | None]
    # GB 11643 number: HMAC digest for lookup/uniqueness, Fernet ciphertext for pii readers, mask for others.
    id_number_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_number_cipher: Mapped[str | None] = mapped_column(Text)
    id_number_masked: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    education: Mapped[Education | None] = mapped_column(str_enum(Education))
    occupation: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[Category] = mapped_column(str_enum(Category), default=Category.EMPLOYED)
    stage: Mapped[Stage] = mapped_column(str_enum(Stage), default=Stage.FULL)
    applied_on: Mapped[date | None]  # 递交入党申请书
    activist_on: Mapped[date | None]  # 确定为入党积极分子
    candidate_on: Mapped[date | None]  # 列为发展对象
    probationary_on: Mapped[date | None]  # 支部大会接收为预备党员 (the 入党时间)
    full_member_on: Mapped[date | None]  # 转为正式党员
    status: Mapped[MemberStatus] = mapped_column(str_enum(MemberStatus), default=MemberStatus.NORMAL)
    left_on: Mapped[date | None]
    left_reason: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_members_org_id_id", "org_id", "id"),
        # Member statistics read only these columns: a subtree's members come from the index alone.
        Index(
            "ix_members_stats",
            "org_id",
            "status",
            postgresql_include=[
                "category",
                "gender",
                "ethnicity",
                "birth_date",
                "education",
                "stage",
                "probationary_on",
            ],
        ),
    )

    def audit_org_id(self) -> int | None:
        return self.org_id
