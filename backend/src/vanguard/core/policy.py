"""Every domain number in one place (DESIGN.md §3: no scattered literals)."""

from __future__ import annotations

from typing import Final

# Pagination
DEFAULT_PAGE_SIZE: Final = 50
MAX_PAGE_SIZE: Final = 500

# Authentication
SERVICE_TOKEN_PREFIX: Final = "vgs_"  # noqa: S105 - a prefix, not a secret
SERVICE_TOKEN_SECRET_BYTES: Final = 32
MIN_PASSWORD_LENGTH: Final = 8
