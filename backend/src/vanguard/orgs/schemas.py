from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from vanguard.orgs.models import OrgKind, OrgStatus

Name = Field(min_length=1, max_length=100)
Code = Field(default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
Phone = Field(default=None, max_length=32, pattern=r"^[0-9+\-() ]{3,32}$")


class OrgCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Name
    kind: OrgKind
    parent_id: int | None = Field(description="Parent organisation; null only for a top-level committee")
    code: str | None = Code
    secretary_name: str | None = Field(default=None, max_length=50)
    contact_phone: str | None = Phone
    established_on: date | None = None
    population: int | None = Field(default=None, ge=0, le=100_000_000, description="Residents served")


class OrgUpdate(BaseModel):
    """Fields left out are unchanged. Parent changes go through the move operation."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    kind: OrgKind | None = None
    code: str | None = Code
    secretary_name: str | None = Field(default=None, max_length=50)
    contact_phone: str | None = Phone
    established_on: date | None = None
    population: int | None = Field(default=None, ge=0, le=100_000_000)
    status: OrgStatus | None = None


class OrgMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new_parent_id: int


class OrgRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: OrgKind
    parent_id: int | None
    path: str = Field(description="Materialised path of ids, e.g. `/1/7/42/`")
    depth: int
    code: str | None
    secretary_name: str | None
    contact_phone: str | None
    established_on: date | None
    status: OrgStatus
    population: int | None
    version: int
    child_count: int = Field(description="Direct sub-organisations")
    member_count: int = Field(description="Members in the whole subtree")


class OrgRoots(BaseModel):
    items: list[OrgRead]


class OrgStats(BaseModel):
    org_id: int
    org_count: int = Field(description="Organisations in the subtree, itself included")
    member_count: int
    orgs_by_kind: dict[OrgKind, int]
