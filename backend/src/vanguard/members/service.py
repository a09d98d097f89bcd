"""The member roll. Every query starts from `readable(scope)`: members of orgs in the caller's subtree."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from vanguard.core.errors import NotFound
from vanguard.core.permissions import Scope
from vanguard.members.models import Member
from vanguard.orgs.models import Organisation


class MemberNotFound(NotFound):
    code = "member_not_found"
    message_zh = "党员不存在或不在您的管理范围内"
    message_en = "Member not found, or outside your scope"


def readable(scope: Scope) -> Select[Member]:
    """The one place that decides which members a caller may see."""
    stmt = select(Member)
    if scope.root_path is None:
        return stmt
    return stmt.join(Organisation, Organisation.id == Member.org_id).where(scope.clause(Organisation.path))


def get_member(session: Session, scope: Scope, member_id: int, *, for_update: bool = False) -> Member:
    stmt = readable(scope).where(Member.id == member_id)
    if for_update:
        stmt = stmt.with_for_update(of=Member)
    member = session.scalars(stmt).one_or_none()
    if member is None:
        raise MemberNotFound()
    return member
