from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from vanguard.transfers.models import TransferState


class Direction(StrEnum):
    INCOMING = "incoming"  # the receiving org is in the caller's subtree
    OUTGOING = "outgoing"  # the sending org is in the caller's subtree


class TransferCreate(BaseModel):
    """Either `to_org_id` (within the system: pending until the receiving org accepts) or
    `external_org_name` + `letter_number` (out of the system: completed at once)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    member_id: int
    to_org_id: int | None = Field(default=None, description="Receiving organisation within the system")
    external_org_name: str | None = Field(
        default=None, min_length=2, max_length=200, description="Receiving organisation outside the system"
    )
    letter_number: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="介绍信编号: required out of the system, optional within it",
    )
    reason: str = Field(min_length=2, max_length=500, description="Why: work change, moving home, study…")


class TransferAccept(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: str | None = Field(default=None, max_length=500)


class TransferCancel(TransferAccept):
    pass


class TransferReject(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: str = Field(min_length=2, max_length=500, description="Why the receiving org declines")


class TransferRead(BaseModel):
    id: int
    member_id: int
    member_name: str
    from_org_id: int
    from_org_name: str
    to_org_id: int | None
    to_org_name: str | None
    external_org_name: str | None
    letter_number: str | None
    reason: str
    state: TransferState
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    version: int


class Destination(BaseModel):
    """A possible receiving organisation anywhere in the system: only what a sender needs to choose it."""

    id: int
    name: str
    parent_name: str | None
