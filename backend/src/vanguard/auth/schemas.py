from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vanguard.core.permissions import Permission, Role


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int = Field(description="Seconds until the access token expires")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=10, max_length=4096)


class Me(BaseModel):
    kind: Literal["user", "service"]
    id: int
    username: str
    display_name: str
    role: Role | None
    org_id: int | None
    member_id: int | None = Field(description="The caller's own member record, when the account has one")
    permissions: list[Permission]
