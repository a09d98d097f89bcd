from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from vanguard.members.models import Category, Education, Gender, MemberStatus, Stage

PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"


class MemberFields(BaseModel):
    """Fields a secretary edits directly. Org (transfers), stage (pipeline) and status (leaving) have
    their own operations and are refused here."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=50)
    gender: Gender | None = Field(default=None, description="Derived from the ID number when omitted")
    ethnicity: str | None = Field(default=None, min_length=1, max_length=20, examples=["汉族"])
    birth_date: date | None = Field(default=None, description="Derived from the ID number when omitted")
    id_number: str | None = Field(
        default=None, min_length=18, max_length=18, description="GB 11643 resident ID; lower-case x accepted"
    )
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN, description="Mobile or landline")
    education: Education | None = None
    occupation: str | None = Field(default=None, max_length=100)
    category: Category | None = None
    applied_on: date | None = None
    activist_on: date | None = None
    candidate_on: date | None = None
    probationary_on: date | None = Field(
        default=None, description="入党时间: accepted as probationary member"
    )
    full_member_on: date | None = None


class MemberCreate(MemberFields):
    org_id: int
    name: str = Field(min_length=1, max_length=50)
    category: Category = Category.EMPLOYED
    stage: Stage = Field(default=Stage.FULL, description="Where on the development pipeline they stand today")


class MemberUpdate(MemberFields):
    """Fields left out are unchanged; null clears an optional field."""


class LeaveReason(StrEnum):
    EXPELLED = MemberStatus.EXPELLED.value
    SUSPENDED = MemberStatus.SUSPENDED.value
    WITHDRAWN = MemberStatus.WITHDRAWN.value
    DECEASED = MemberStatus.DECEASED.value


class MemberLeave(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: LeaveReason = Field(description="出党 / 停止党籍 / 退党除名 / 死亡")
    left_on: date
    reason: str = Field(min_length=2, max_length=200, description="Decision, document number, circumstances")


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int
    org_name: str
    name: str
    name_initials: str
    gender: Gender
    ethnicity: str
    birth_date: date | None
    age: int | None
    id_number: str | None = Field(description="Masked (`110101********1234`) unless you hold `pii`")
    id_number_masked: bool
    phone: str | None = Field(description="Masked (`138****5678`) unless you hold `pii`")
    education: Education | None
    occupation: str | None
    category: Category
    stage: Stage
    applied_on: date | None
    activist_on: date | None
    candidate_on: date | None
    probationary_on: date | None
    full_member_on: date | None
    status: MemberStatus
    left_on: date | None
    left_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class MemberSort(StrEnum):
    ID = "id"
    NAME = "name"
    BIRTH_DATE = "birth_date"
    JOINED = "probationary_on"
