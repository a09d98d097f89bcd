"""Contact masks for callers without `pii`: what stays visible, and that short values never leak."""

from __future__ import annotations

import pytest

from vanguard.core.masking import mask_address, mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0571-88886666", "057******6666"),
        ("12345678", "123*5678"),
        ("1234567", "*******"),  # keeping 3 + 4 would show it whole
        ("110", "***"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_phone(phone: str | None, masked: str | None) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("甲一村三组十二号院", "甲一村三组十****"),
        ("甲一村三组十二号院东侧第三间", "甲一村三组十****"),  # the mask does not tell the length
        ("甲一村三组十", "******"),
        ("甲村", "**"),
        (None, None),
    ],
)
def test_mask_address(address: str | None, masked: str | None) -> None:
    assert mask_address(address) == masked
