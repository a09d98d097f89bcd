"""Who is calling: every authenticated router depends on `get_principal` at mount time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from vanguard.audit.hook import PRINCIPAL_KEY
from vanguard.auth import service
from vanguard.core.deps import SessionDep
from vanguard.core.errors import Unauthenticated
from vanguard.core.permissions import Permission, Principal

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a URL, not a secret
_bearer = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    auto_error=False,
    description="A user's access token (password flow), or a service-account token (`vgs_…`) as Bearer.",
)


def get_principal(session: SessionDep, token: Annotated[str | None, Depends(_bearer)]) -> Principal:
    if not token:
        raise Unauthenticated()
    principal = service.authenticate(session, token)
    session.info[PRINCIPAL_KEY] = principal  # the audit hook attributes this request's writes to them
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def requires(permission: Permission) -> Callable[[Principal], Principal]:
    def check(principal: CurrentPrincipal) -> Principal:
        principal.require(permission)
        return principal

    return check


# One alias per permission, so routes read `caller: MemberWriter` and no route forgets the check.
OrgReader = Annotated[Principal, Depends(requires(Permission.ORGS_READ))]
OrgWriter = Annotated[Principal, Depends(requires(Permission.ORGS_WRITE))]
MemberReader = Annotated[Principal, Depends(requires(Permission.MEMBERS_READ))]
MemberWriter = Annotated[Principal, Depends(requires(Permission.MEMBERS_WRITE))]
ComplaintReader = Annotated[Principal, Depends(requires(Permission.COMPLAINTS_READ))]
ComplaintWriter = Annotated[Principal, Depends(requires(Permission.COMPLAINTS_WRITE))]
ScoringReader = Annotated[Principal, Depends(requires(Permission.SCORING_READ))]
ScoringWriter = Annotated[Principal, Depends(requires(Permission.SCORING_WRITE))]
ScoringApprover = Annotated[Principal, Depends(requires(Permission.SCORING_APPROVE))]
UserReader = Annotated[Principal, Depends(requires(Permission.USERS_READ))]
UserWriter = Annotated[Principal, Depends(requires(Permission.USERS_WRITE))]
AccountManager = Annotated[Principal, Depends(requires(Permission.SERVICE_ACCOUNTS_MANAGE))]
PetitionHandler = Annotated[Principal, Depends(requires(Permission.PETITIONS_HANDLE))]
AuditReader = Annotated[Principal, Depends(requires(Permission.AUDIT_READ))]
