from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

Counts = dict[str, int]


class MemberStats(BaseModel):
    """Members with status `normal` in an organisation's whole subtree. Every breakdown lists all of its
    buckets, empty ones as 0, in a fixed order, so charts keep their shape."""

    org_id: int | None = Field(
        description="The organisation whose subtree is counted; null when a system administrator "
        "counts everything"
    )
    as_of: date = Field(description="The date ages are computed on")
    total: int
    population: int | None = Field(description="Residents the organisation serves, when recorded")
    share_of_population: float | None = Field(
        description="total / population; null when the population is not recorded (or 0)"
    )
    by_category: Counts = Field(description="Keys: the member categories")
    by_gender: Counts = Field(description="Keys: `male`, `female`")
    by_ethnicity: Counts = Field(
        description="Keys: the 56 ethnic groups in GB/T 3304 order (汉族 first), then 其他 for anything else"
    )
    by_age_band: Counts = Field(
        description="Keys: `35_and_under`, `36_to_45`, `46_to_60`, `over_60` (whole years on `as_of`), "
        "`unknown` (no birth date)"
    )
    by_education: Counts = Field(description="Keys: the education levels, then `unknown`")
    by_stage: Counts = Field(description="Keys: the development stages, applicant to full")
    by_join_decade: Counts = Field(
        description="By the date admitted as probationary member: `before_1950`, `1950s` … the current "
        "decade, then `unknown`"
    )
