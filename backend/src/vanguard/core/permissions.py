"""Roles, permissions and the organisation subtree a caller may act on.

`Scope` is the single place that turns "who is asking" into a SQL filter; every service query that
touches org-owned data goes through `Scope.clause`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import InstrumentedAttribute

from vanguard.core.errors import Forbidden


class Role(StrEnum):
    ADMIN = "admin"
    ORG_ADMIN = "org_admin"
    SECRETARY = "secretary"
    MEMBER = "member"
    AUDITOR = "auditor"


class Permission(StrEnum):
    ORGS_READ = "orgs:read"
    ORGS_WRITE = "orgs:write"
    USERS_READ = "users:read"
    USERS_WRITE = "users:write"
    SERVICE_ACCOUNTS_MANAGE = "service_accounts:manage"
    AUDIT_READ = "audit:read"
    MEMBERS_READ = "members:read"
    MEMBERS_WRITE = "members:write"
    COMPLAINTS_READ = "complaints:read"
    COMPLAINTS_WRITE = "complaints:write"
    JOBS_READ = "jobs:read"  # see every job on an org in one's subtree (one's own jobs need nothing)
    JOBS_CANCEL = "jobs:cancel"  # cancel them (one's own may always be cancelled)
    SCORING_READ = "scoring:read"
    SCORING_WRITE = "scoring:write"
    SCORING_APPROVE = "scoring:approve"  # manual bonus/deduction items; never one's own request
    WEBHOOKS_MANAGE = "webhooks:manage"  # a service account's scope: its own webhook subscriptions
    PETITIONS_HANDLE = "petitions:handle"  # members' appeals and reports routed to an org in one's subtree
    PII = "pii"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.ORG_ADMIN: frozenset(Permission),
    Role.SECRETARY: frozenset(
        {
            P.ORGS_READ,
            P.ORGS_WRITE,
            P.USERS_READ,
            P.USERS_WRITE,
            P.MEMBERS_READ,
            P.MEMBERS_WRITE,
            P.COMPLAINTS_READ,
            P.COMPLAINTS_WRITE,
            P.SCORING_READ,
            P.SCORING_WRITE,
            P.SCORING_APPROVE,
            P.PETITIONS_HANDLE,
            P.PII,
            P.JOBS_READ,
            P.JOBS_CANCEL,
        }
    ),
    Role.MEMBER: frozenset({P.ORGS_READ}),
    Role.AUDITOR: frozenset(
        {
            P.ORGS_READ,
            P.USERS_READ,
            P.MEMBERS_READ,
            P.COMPLAINTS_READ,
            P.SCORING_READ,
            P.AUDIT_READ,
            P.JOBS_READ,
        }
    ),
}

# Which roles a caller may hand out: never above their own.
GRANTABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.ADMIN: frozenset(Role),
    Role.ORG_ADMIN: frozenset({Role.ORG_ADMIN, Role.SECRETARY, Role.MEMBER, Role.AUDITOR}),
    Role.SECRETARY: frozenset({Role.MEMBER}),
    Role.MEMBER: frozenset(),
    Role.AUDITOR: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Scope:
    """An organisation subtree, as the materialised path of its root (`/1/7/`); None means everything."""

    root_path: str | None

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    def clause(self, path_column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
        if self.root_path is None:
            return true()
        return path_column.like(self.root_path + "%")  # the SQL of in_subtree

    def contains(self, path: str) -> bool:
        return self.root_path is None or in_subtree(path, self.root_path)


def in_subtree(path: str, root_path: str) -> bool:
    """Whether the org at materialised `path` is `root_path`'s org or below it. Paths end with "/", so a
    prefix compares whole segments: /1/14/ is never inside /1/1/."""
    return path.startswith(root_path)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a user or a service account, with what they may do and where."""

    kind: Literal["user", "service"]
    id: int
    name: str
    role: Role | None
    org_id: int | None
    scope: Scope
    permissions: frozenset[Permission] = field(default_factory=frozenset)
    member_id: int | None = None  # a user's own member record, when the account is linked to one

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"缺少权限：{permission.value}", f"Missing permission: {permission.value}")

    def require_unless_own(self, permission: Permission, member_id: int) -> bool:
        """`require(permission)`, except that an account linked to member `member_id` may read its own
        record without it. True when the caller reads only as that member (without the permission)."""
        if self.can(permission):
            return False
        if self.member_id != member_id:
            self.require(permission)
        return True

    @property
    def grantable_roles(self) -> frozenset[Role]:
        return GRANTABLE_ROLES[self.role] if self.role else frozenset()
