"""Calendar arithmetic for the pipeline's periods, without dateutil.

Periods follow the Civil Code (民法典 第二百零三条): a period of months or years ends on the
corresponding day of the final month, or on that month's last day when it has no such day, so
31 January + 1 month is 28/29 February and 29 February + 1 year is 28 February.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)
