"""Contact masks for callers without `pii`: what stays visible, and that short values never leak."""

from __future__ import annotations

import pytest

from vanguard.core.masking import mask_address, mask_email, mask_name, mask_phone


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


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王秀英", "王**"), ("欧阳", "欧*"), ("李", "李*"), (None, None)],
)
def test_names_keep_the_surname(name: str | None, masked: str | None) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("email", "masked"),
    [("wangxy@example.cn", "w***@example.cn"), ("a@b.cn", "a***@b.cn"), (None, None)],
)
def test_emails_keep_the_first_character_and_the_domain(email: str | None, masked: str | None) -> None:
    assert mask_email(email) == masked
