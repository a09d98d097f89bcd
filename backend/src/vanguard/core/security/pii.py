"""Personal identifiers at rest: a keyed HMAC for equality lookup plus Fernet encryption for display.

A database dump (or backup) alone reveals neither the numbers nor a way to test guesses against
them; both keys derive from `VANGUARD_PII_KEY`, which lives outside the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vanguard.core.config import get_settings


def _derive(master: str, purpose: bytes) -> bytes:
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"vanguard-pii", info=purpose)
    return kdf.derive(master.encode())


@lru_cache
def _keys(master: str) -> tuple[bytes, Fernet]:
    return _derive(master, b"lookup-hmac"), Fernet(base64.urlsafe_b64encode(_derive(master, b"encryption")))


def _current() -> tuple[bytes, Fernet]:
    return _keys(get_settings().pii_key)


def lookup_digest(value: str) -> str:
    """Deterministic keyed digest: equal values give equal digests, without revealing the value."""
    return hmac.new(_current()[0], value.encode(), hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    return _current()[1].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _current()[1].decrypt(token.encode()).decode()


def encrypt_bytes(value: bytes) -> bytes:
    """Files holding identifiers (an import's upload) at rest."""
    return _current()[1].encrypt(value)


def decrypt_bytes(token: bytes) -> bytes:
    return _current()[1].decrypt(token)
