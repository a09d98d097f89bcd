"""Valid ID numbers for tests (the check character from the standard's algorithm)."""

from __future__ import annotations

from vanguard.core.idcard import check_char


def id_number(birth: str = "19800115", seq: str = "123", area: str = "110105") -> str:
    """seq's last digit odd → male."""
    body = area + birth + seq
    return body + check_char(body)
