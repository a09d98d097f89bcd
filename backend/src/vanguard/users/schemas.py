from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from vanguard.core.permissions import Permission, Role
from vanguard.core.policy import MIN_PASSWORD_LENGTH

Username = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
Password = Field(min_length=MIN_PASSWORD_LENGTH, max_length=128)


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Username
    display_name: str = Field(min_length=1, max_length=100)
    password: str = Password
    role: Role
    org_id: int | None = Field(description="Root of the user's subtree; null only for system admins")
    member_id: int | None = Field(
        default=None,
        ge=1,
        description="The member record this account belongs to; the member must be in the user's subtree, "
        "and a member has at most one account",
    )


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=100)
    role: Role | None = None
    org_id: int | None = None
    member_id: int | None = Field(default=None, ge=1, description="null unlinks the account from its member")
    is_active: bool | None = None


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str | None = Field(
        default=None, max_length=128, description="Required when changing your own password"
    )
    new_password: str = Password


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: Role
    org_id: int | None
    member_id: int | None
    is_active: bool
    created_at: datetime
    version: int


class ServiceAccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=500)
    org_id: int
    scopes: list[Permission] = Field(min_length=1, max_length=len(Permission))


class ServiceAccountUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=500)
    scopes: list[Permission] | None = Field(default=None, min_length=1, max_length=len(Permission))
    is_active: bool | None = None


class ServiceAccountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    org_id: int
    scopes: list[Permission]
    is_active: bool
    created_at: datetime
    version: int


class ApiTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime | None = Field(default=None, description="Null: valid until revoked")


class ApiTokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    service_account_id: int
    name: str
    display_prefix: str = Field(description="First characters, to recognise the token in lists")
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiTokenIssued(ApiTokenRead):
    token: str = Field(description="The secret itself. Shown once: only its digest is stored.")
