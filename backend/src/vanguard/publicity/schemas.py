"""Request and response bodies of 党务公开.

Each kind of item carries only the fields on its allow-list (`KIND_FIELDS`, besides the common title, body
and period). A body naming any other field — a field of another kind, or personal data such as `id_card`,
`phone`, `birth_date`, `address` — is refused with 422 `field_not_publishable` naming the field, before
anything is stored. What an audience sees is `PublicationView`: rendered from the allowed fields only
(a member's name, never the member's record).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from vanguard.members.models import Stage
from vanguard.publicity.errors import FieldNotPublishable
from vanguard.publicity.models import Audience, FeedbackKind, PublicationKind, PublicationState
from vanguard.scoring.models import Grade

_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)
_RowId = Field(ge=1, le=2**31 - 1)

# The allow-lists: what each kind may publish besides the common fields.
COMMON_FIELDS = frozenset({"audience", "title", "body", "starts_on", "ends_on"})
KIND_FIELDS: dict[PublicationKind, frozenset[str]] = {
    PublicationKind.MEETING_RESOLUTION: frozenset({"meeting_on"}),
    PublicationKind.CANDIDATE_NOTICE: frozenset({"member_id"}),  # shown as name, org name and stage
    PublicationKind.EVALUATION_RESULTS: frozenset({"year", "grades"}),  # name + grade per member
    PublicationKind.DUES_REPORT: frozenset({"year", "totals"}),  # sums only
    PublicationKind.PLEDGE_RESULTS: frozenset({"year", "pledges"}),  # name + pledge + kept per member
}
ALL_KIND_FIELDS = frozenset().union(*KIND_FIELDS.values())
_KIND_VALUES = frozenset(kind.value for kind in PublicationKind)
# Fields inside the kind's structured parts.
NESTED_FIELDS: dict[str, frozenset[str]] = {
    "grades": frozenset({"member_id", "grade"}),
    "pledges": frozenset({"member_id", "pledge", "kept"}),
    "totals": frozenset({"collected", "remitted", "spent", "balance"}),
}


def check_publishable(data: Any, top: frozenset[str], kind: str | None) -> None:
    """Refuse (422, naming it) the first field outside the allow-list, at any depth of the body."""
    if not isinstance(data, dict):
        return
    for key in data:
        if key not in top:
            raise FieldNotPublishable.named(str(key), kind)
    for key, inner in NESTED_FIELDS.items():
        value = data.get(key)
        rows = value if isinstance(value, list) else [value]
        for i, row in enumerate(rows):
            if isinstance(row, dict):
                where = f"{key}.{i}" if isinstance(value, list) else key
                for field in row:
                    if field not in inner:
                        raise FieldNotPublishable.named(f"{where}.{field}", kind)


_CENT = Decimal("0.01")
Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2, description="元, shown with two decimals as a string"),
    AfterValidator(lambda value: value.quantize(_CENT)),
]


class GradeEntry(BaseModel):
    model_config = _FORBID

    member_id: int = _RowId
    grade: Grade = Field(description="民主评议等次")


class PledgeEntry(BaseModel):
    model_config = _FORBID

    member_id: int = _RowId
    pledge: str = Field(min_length=1, max_length=500, description="承诺事项")
    kept: bool = Field(description="践诺: whether the pledge was kept")


class DuesTotals(BaseModel):
    """党费收缴使用情况: sums only, never a member's own dues."""

    model_config = _FORBID

    collected: Money
    remitted: Money
    spent: Money
    balance: Money


class PublicationCreate(BaseModel):
    """A draft. Besides title, body and period, only the fields of its kind: `meeting_on`
    (meeting_resolution), `member_id` (candidate_notice), `year` + `grades` (evaluation_results),
    `year` + `totals` (dues_report), `year` + `pledges` (pledge_results).
    Any other field is refused as not publishable (422)."""

    model_config = _FORBID

    org_id: int = _RowId
    kind: PublicationKind
    audience: Audience = Field(
        description="members: the org's own; subtree: the org and below; public: anyone"
    )
    title: str = Field(min_length=1, max_length=200)
    body: str | None = Field(default=None, max_length=5000)
    starts_on: date = Field(description="First day of the period (China's calendar)")
    ends_on: date = Field(description="Last day of the period; not before starts_on")
    meeting_on: date | None = None
    member_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    year: int | None = Field(default=None, ge=1921, le=2200)
    grades: list[GradeEntry] | None = Field(default=None, min_length=1, max_length=1000)
    totals: DuesTotals | None = None
    pledges: list[PledgeEntry] | None = Field(default=None, min_length=1, max_length=1000)

    @model_validator(mode="before")
    @classmethod
    def _publishable(cls, data: Any) -> Any:
        if isinstance(data, dict):
            kind = data.get("kind")
            if isinstance(kind, str) and kind in _KIND_VALUES:
                allowed = COMMON_FIELDS | {"org_id", "kind"} | KIND_FIELDS[PublicationKind(kind)]
                check_publishable(data, allowed, str(kind))
        return data


class PublicationUpdate(BaseModel):
    """Fields left out are unchanged; org and kind are fixed. Only while a draft (409 after)."""

    model_config = _FORBID

    audience: Audience | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, max_length=5000)
    starts_on: date | None = None
    ends_on: date | None = None
    meeting_on: date | None = None
    member_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    year: int | None = Field(default=None, ge=1921, le=2200)
    grades: list[GradeEntry] | None = Field(default=None, min_length=1, max_length=1000)
    totals: DuesTotals | None = None
    pledges: list[PledgeEntry] | None = Field(default=None, min_length=1, max_length=1000)

    @model_validator(mode="before")
    @classmethod
    def _publishable(cls, data: Any) -> Any:
        # The item's kind is known to the service, which refuses another kind's fields the same way.
        check_publishable(data, COMMON_FIELDS | ALL_KIND_FIELDS, None)
        return data


class PublicationWithdraw(BaseModel):
    model_config = _FORBID

    reason: str = Field(min_length=2, max_length=500)


class NoticeSubject(BaseModel):
    """The person under public notice, as the audience sees them: nothing but these."""

    name: str
    org_name: str
    stage: Stage


class GradeRow(BaseModel):
    name: str
    grade: Grade


class PledgeRow(BaseModel):
    name: str
    pledge: str
    kept: bool


class PublicationView(BaseModel):
    """What the audience sees: the rendered allowed fields of the item, and nothing else."""

    id: int
    org_id: int
    org_name: str
    kind: PublicationKind
    title: str
    body: str | None
    starts_on: date
    ends_on: date
    published_at: datetime | None
    meeting_on: date | None = None
    year: int | None = None
    candidate: NoticeSubject | None = None
    grades: list[GradeRow] | None = None
    totals: DuesTotals | None = None
    pledges: list[PledgeRow] | None = None


class PublicationRead(BaseModel):
    """The item as its publishers manage it: the fields as entered, and `view`, exactly what the audience
    sees."""

    id: int
    org_id: int
    kind: PublicationKind
    audience: Audience
    state: PublicationState
    title: str
    body: str | None
    starts_on: date
    ends_on: date
    meeting_on: date | None
    member_id: int | None
    year: int | None
    grades: list[GradeEntry] | None
    totals: DuesTotals | None
    pledges: list[PledgeEntry] | None
    published_at: datetime | None
    withdrawn_at: datetime | None
    withdraw_reason: str | None
    feedback_count: int
    objections_open: int = Field(description="Objections not yet answered")
    view: PublicationView
    version: int
    created_at: datetime
    updated_at: datetime


class FeedbackCreate(BaseModel):
    model_config = _FORBID

    kind: FeedbackKind = Field(description="objection (异议: must be answered) or comment")
    text: str = Field(min_length=2, max_length=2000)
    name: str | None = Field(default=None, min_length=1, max_length=50, description="Optional")
    contact: str | None = Field(
        default=None, min_length=3, max_length=100, description="Optional: a phone number or e-mail address"
    )


class FeedbackAnswer(BaseModel):
    model_config = _FORBID

    answer: str = Field(min_length=2, max_length=2000)


class FeedbackRead(BaseModel):
    id: int
    publication_id: int
    kind: FeedbackKind
    text: str
    name: str | None = Field(description="Masked without the `pii` permission")
    contact: str | None = Field(description="Masked without the `pii` permission")
    contact_masked: bool
    filed_by_user_id: int | None = Field(description="The signed-in filer; null for the public")
    filed_at: datetime
    answer: str | None
    answered_at: datetime | None
    answered_by_user_id: int | None
    version: int


class FeedbackReceipt(BaseModel):
    """What the public gets back: no echo of what they entered."""

    id: int
    publication_id: int
    kind: FeedbackKind
    filed_at: datetime
