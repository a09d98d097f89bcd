"""Pure helpers: ETags, cursors, scopes, settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from vanguard.core.config import DEFAULT_SECRET, Settings
from vanguard.core.errors import PreconditionFailed
from vanguard.core.etag import check_if_match, etag_for
from vanguard.core.pagination import InvalidCursor, decode_cursor, encode_cursor
from vanguard.core.permissions import Scope


def test_if_match_accepts_current_version_strong_or_weak() -> None:
    check_if_match('"3"', 3)
    check_if_match('W/"3"', 3)
    check_if_match('"1", "3"', 3)
    check_if_match("*", 3)
    check_if_match(None, 3)


def test_if_match_refuses_other_versions() -> None:
    with pytest.raises(PreconditionFailed):
        check_if_match(etag_for(2), 3)


def test_cursor_round_trips() -> None:
    assert decode_cursor(encode_cursor(123456)) == 123456


@pytest.mark.parametrize("cursor", ["", "%%%", "WyJhIl0", "e30", "dHJ1ZQ"])
def test_garbage_cursors_are_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor)


def test_scope_matches_whole_path_segments() -> None:
    scope = Scope("/1/14/")
    assert scope.contains("/1/14/")
    assert scope.contains("/1/14/200/")
    assert not scope.contains("/1/114/")
    assert not scope.contains("/1/140/")
    assert Scope.everything().contains("/9/")


def test_default_pii_key_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="VANGUARD_PII_KEY"):
        Settings(VANGUARD_ENV="production", VANGUARD_SECRET_KEY="x" * 40)  # type: ignore[call-arg]


def test_default_secret_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="VANGUARD_SECRET_KEY"):
        Settings(VANGUARD_ENV="production")  # type: ignore[call-arg]
    assert Settings(VANGUARD_ENV="development").secret_key == DEFAULT_SECRET  # type: ignore[call-arg]
