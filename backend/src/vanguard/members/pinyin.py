"""Pinyin initials for searching names the way secretaries type them (张三丰 → zsf)."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def initials(name: str) -> str:
    parts = (part.strip() for part in lazy_pinyin(name, style=Style.FIRST_LETTER))
    return "".join(part[0] for part in parts if part and part[0].isalnum()).lower()[:50]
