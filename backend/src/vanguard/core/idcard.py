"""Resident ID-card numbers (GB 11643-1999): 6-digit area, 8-digit birth date, 3-digit sequence
(odd for men), and an ISO 7064 MOD 11-2 check character."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vanguard.core.clock import local_today
from vanguard.core.errors import InvalidInput

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_CHECK_CHARS = "10X98765432"
# Province-level codes of GB/T 2260 (11 Beijing … 65 Xinjiang; 71 Taiwan, 81 Hong Kong, 82 Macao).
_PROVINCES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
    }
)
EARLIEST_BIRTH = date(1900, 1, 1)


class InvalidIdNumber(InvalidInput):
    code = "invalid_id_number"
    message_zh = "身份证号码无效"
    message_en = "Invalid ID-card number"


@dataclass(frozen=True, slots=True)
class IdCard:
    number: str
    birth_date: date
    is_male: bool

    @property
    def masked(self) -> str:
        return mask(self.number)


def check_char(first17: str) -> str:
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise(raw: str) -> str:
    return raw.strip().upper()


def mask(number: str) -> str:
    """`110101********1234`: area code and the last four stay visible, the birth date does not."""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def parse(raw: str, *, today: date | None = None) -> IdCard:
    number = normalise(raw)
    if len(number) != 18:
        raise InvalidIdNumber("身份证号码应为18位", "An ID-card number has 18 characters")
    body, check = number[:17], number[17]
    if not body.isdigit() or not (check.isdigit() or check == "X"):
        raise InvalidIdNumber("身份证号码前17位应为数字，末位为数字或X", "17 digits then a digit or X")
    if int(body[:2]) not in _PROVINCES or body[2:6] == "0000":
        raise InvalidIdNumber("身份证号码的地区代码无效", "The area code is not a valid one")
    try:
        birth = date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(
            "身份证号码中的出生日期不存在", "The birth date in the number does not exist"
        ) from exc
    if not EARLIEST_BIRTH <= birth <= (today or local_today()):
        raise InvalidIdNumber("身份证号码中的出生日期不合理", "The birth date in the number is out of range")
    if check_char(body) != check:
        raise InvalidIdNumber("身份证号码校验位错误", "The check character does not match")
    return IdCard(number=number, birth_date=birth, is_male=int(body[16]) % 2 == 1)
