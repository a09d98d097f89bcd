"""Which uploads are accepted: an allowed extension whose bytes agree with it (no database needed)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from vanguard.attachments.service import UnsupportedAttachmentType, content_type_of

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600  # the container of .doc and .xls
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("党课讲稿.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("走访.jpg", JPEG, "image/jpeg"),
        ("old.xls", OLE, "application/vnd.ms-excel"),
        ("old.doc", OLE, "application/msword"),
        ("签到表.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("笔记.txt", "学习笔记：两学一做".encode(), "text/plain"),
        ("bom.txt", b"\xef\xbb\xbfnotes", "text/plain"),
    ],
)
def test_allowed_types_are_recognised_by_content(filename: str, data: bytes, expected: str) -> None:
    assert content_type_of(filename, data) == expected


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("setup.exe", EXE),  # extension not allowed
        ("no-extension", PDF),
        ("photo.jpg", EXE),  # a program renamed to look like a photo
        ("report.pdf", PNG),  # bytes of another allowed type
        ("notes.txt", "学习".encode("gbk") + b"\xff\xfe"),  # not UTF-8
        ("notes.txt", b"abc\x00def"),  # binary dressed as text
        ("report.pdf", b"just text"),  # nothing the magic database knows
    ],
)
def test_mismatched_or_unknown_content_is_refused(filename: str, data: bytes) -> None:
    with pytest.raises(UnsupportedAttachmentType):
        content_type_of(filename, data)
