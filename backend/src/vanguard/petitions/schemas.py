from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vanguard.petitions.models import PetitionKind, PetitionState, SubjectKind

_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)
_ID = Field(default=None, ge=1, le=2**31 - 1)


class PetitionCreate(BaseModel):
    """An appeal names the decision (`subject_kind`, `subject_id`); a report names a member
    (`concerned_member_id`) or an org (`concerned_org_id`); a criticism names an org."""

    model_config = _FORBID

    kind: PetitionKind
    title: str = Field(min_length=2, max_length=200)
    content: str = Field(min_length=2, max_length=4000)
    contact_phone: str | None = Field(
        default=None, pattern=r"^[0-9+\- ]{5,20}$", description="How the handling org may reach the filer"
    )
    subject_kind: SubjectKind | None = None
    subject_id: int | None = _ID
    concerned_member_id: int | None = _ID
    concerned_org_id: int | None = _ID

    @model_validator(mode="after")
    def _targets(self) -> Self:
        subject = self.subject_kind is not None or self.subject_id is not None
        if self.kind is PetitionKind.APPEAL:
            if self.subject_kind is None or self.subject_id is None:
                raise ValueError("An appeal names the decision")
            if self.concerned_member_id is not None or self.concerned_org_id is not None:
                raise ValueError("An appeal names only the decision appealed against")
            return self
        if subject:
            raise ValueError("Only appeals name a decision")
        if self.kind is PetitionKind.CRITICISM and self.concerned_member_id is not None:
            raise ValueError("A criticism is addressed to an organisation")
        if (self.concerned_member_id is None) == (self.concerned_org_id is None):
            raise ValueError("Name either the member or the organisation concerned")
        return self


class PetitionReject(BaseModel):
    model_config = _FORBID

    reason: str = Field(min_length=2, max_length=1000, description="不予受理的理由, shown to the filer")


class PetitionAnswer(BaseModel):
    model_config = _FORBID

    answer: str = Field(min_length=2, max_length=4000, description="The written answer (书面答复)")


class PetitionRead(BaseModel):
    """What the filer and the handlers see. The filer fields are the filer's own (for the filer) or the
    handlers' to know; the person a report is about never reads a petition."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: PetitionKind
    state: PetitionState
    title: str
    content: str
    filer_member_id: int
    filer_name: str
    contact_phone: str | None
    subject_kind: SubjectKind | None
    subject_id: int | None
    concerned_member_id: int | None
    concerned_org_id: int
    handling_org_id: int
    filed_at: datetime
    accept_due_at: datetime
    accepted_at: datetime | None
    answer_due_at: datetime | None
    answered_at: datetime | None
    answer: str | None
    rejected_at: datetime | None
    rejection_reason: str | None
    closed_at: datetime | None
    overdue: bool = Field(description="Past the deadline to accept (filed) or to answer (accepted)")
    version: int


class MyPetitionRead(BaseModel):
    """The filer's own view: their petition, its state and answer."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: PetitionKind
    state: PetitionState
    title: str
    subject_kind: SubjectKind | None
    subject_id: int | None
    concerned_member_id: int | None
    concerned_org_id: int
    handling_org_id: int
    filed_at: datetime
    accept_due_at: datetime
    answer_due_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    overdue: bool
    version: int
