"""Masks for personal data shown to callers without the `pii` permission.

One place so every feature masks a name, phone number, e-mail or address the same way.
"""

from __future__ import annotations

_PHONE_KEEP_HEAD = 3
_PHONE_KEEP_TAIL = 4
_ADDRESS_KEEP = 6


def mask_phone(phone: str | None) -> str | None:
    """`13812345678` → `138****5678`: the carrier prefix and the last four digits stay. Numbers too
    short to keep both are hidden whole."""
    if phone is None:
        return None
    hidden = len(phone) - _PHONE_KEEP_HEAD - _PHONE_KEEP_TAIL
    if hidden <= 0:
        return "*" * len(phone)
    return phone[:_PHONE_KEEP_HEAD] + "*" * hidden + phone[-_PHONE_KEEP_TAIL:]


def mask_address(address: str | None) -> str | None:
    """Keep the first six characters (village, group) and hide the rest behind a fixed `****`, so the
    mask does not tell the length; addresses of six characters or fewer are hidden whole."""
    if address is None:
        return None
    if len(address) <= _ADDRESS_KEEP:
        return "*" * len(address)
    return address[:_ADDRESS_KEEP] + "****"


def mask_name(name: str | None) -> str | None:
    """`王秀英` → `王**`: the surname stays; a one-character name still shows a star."""
    return None if name is None else name[0] + "*" * max(1, len(name) - 1)


def mask_email(email: str | None) -> str | None:
    """`wangxy@example.cn` → `w***@example.cn`: the first character and the domain stay."""
    if email is None:
        return None
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
