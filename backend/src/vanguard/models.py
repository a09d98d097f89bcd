"""Imports every feature's models so the metadata is complete (for Alembic and the app)."""

from __future__ import annotations


def load_all() -> None:
    from vanguard.audit import models as audit_models  # noqa: F401
    from vanguard.members import models as member_models  # noqa: F401
    from vanguard.orgs import models as org_models  # noqa: F401
    from vanguard.users import models as user_models  # noqa: F401
