from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class ImportKind(StrEnum):
    MEMBERS = "members"  # 党员名册, matched on the ID number
    ORGS = "orgs"  # 组织架构, matched on the org code
    ATTENDANCE = "attendance"  # 学习出勤, matched on (activity, member's ID number)
    # 结对帮扶台账: beneficiaries (a member by ID number, a household by org + 户主 + 地址) and pairs
    PAIRING = "pairing"
    COMPLAINTS = "complaints"  # 群众诉求 intake ledger, matched on (org, category, title, description)


class ImportMode(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"  # any bad row: nothing is written
    VALID_ROWS = "valid_rows"  # the valid rows are written, the bad ones reported


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class RowError(BaseModel):
    row: int = Field(description="Row number as the spreadsheet shows it (the header is row 1)")
    column: str | None = Field(description="The column's header in the file, when one column is at fault")
    code: str
    messages: dict[str, str] = Field(description="`zh-CN` and `en`")


class ImportReport(BaseModel):
    """On a dry run the counts say what a real run would do; `committed` says whether it was done."""

    kind: str = Field(description="What was imported: members, orgs, …")
    dry_run: bool
    mode: ImportMode
    committed: bool = Field(description="The valid rows were written (never on a dry run)")
    total_rows: int
    valid_rows: int
    created: int
    updated: int = Field(description="Rows whose natural key (ID number) matched a record that differed")
    unchanged: int = Field(
        description="Rows identical to the record already there: a re-import changes nothing"
    )
    columns: dict[str, str] = Field(description="Each recognised header → the field it fills")
    ignored_columns: list[str] = Field(description="Headers that match no field; their cells are not read")
    errors: list[RowError]
