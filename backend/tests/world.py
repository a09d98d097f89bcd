"""A small, named organisation tree with one user per role, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy.orm import Session

from vanguard.core.permissions import Role, Scope
from vanguard.core.security import jwt
from vanguard.core.security.passwords import hash_password
from vanguard.members.models import Gender, Member
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation, OrgKind
from vanguard.orgs.schemas import OrgCreate
from vanguard.users.models import User

PASSWORD = "correct horse battery"


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)  # Argon2 is slow on purpose: hash once for the whole run


@dataclass
class World:
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def token(self, user: str) -> str:
        u = self.users[user]
        return jwt.encode(jwt.issue(u.id, "access", u.session_epoch))

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user)}"}


def add_org(
    session: Session, name: str, kind: OrgKind, parent: Organisation | None, code: str
) -> Organisation:
    return orgs.create(
        session,
        Scope.everything(),
        OrgCreate(name=name, kind=kind, parent_id=parent.id if parent else None, code=code),
    )


def add_user(session: Session, username: str, role: Role, org: Organisation | None) -> User:
    user = User(
        username=username,
        display_name=username,
        role=role,
        org_id=org.id if org else None,
        password_hash=_password_hash(),
    )
    session.add(user)
    session.flush()
    return user


def build_world(session: Session) -> World:
    """county ─┬─ town_a ─┬─ branch_a1 ── group_a1
    │          └─ branch_a2
    └─ town_b ──── branch_b1"""
    w = World()
    w.orgs["county"] = add_org(session, "中共测试县委员会", OrgKind.COMMITTEE, None, "C")
    w.orgs["town_a"] = add_org(session, "中共甲镇委员会", OrgKind.COMMITTEE, w.orgs["county"], "C-A")
    w.orgs["town_b"] = add_org(session, "中共乙镇委员会", OrgKind.COMMITTEE, w.orgs["county"], "C-B")
    w.orgs["branch_a1"] = add_org(session, "甲一村党支部", OrgKind.BRANCH, w.orgs["town_a"], "C-A-1")
    w.orgs["branch_a2"] = add_org(session, "甲二村党支部", OrgKind.BRANCH, w.orgs["town_a"], "C-A-2")
    w.orgs["branch_b1"] = add_org(session, "乙一村党支部", OrgKind.BRANCH, w.orgs["town_b"], "C-B-1")
    w.orgs["group_a1"] = add_org(session, "甲一村第一党小组", OrgKind.GROUP, w.orgs["branch_a1"], "C-A-1-G1")
    for name, org in (("a1", "branch_a1"), ("a2", "branch_a2"), ("b1", "branch_b1")):
        for i in range(3 if name == "a1" else 2):
            session.add(Member(org_id=w.orgs[org].id, name=f"党员{name}{i}", gender=Gender.MALE))
    w.users["admin"] = add_user(session, "admin", Role.ADMIN, None)
    w.users["county_admin"] = add_user(session, "county_admin", Role.ORG_ADMIN, w.orgs["county"])
    w.users["town_a_admin"] = add_user(session, "town_a_admin", Role.ORG_ADMIN, w.orgs["town_a"])
    w.users["sec_a1"] = add_user(session, "sec_a1", Role.SECRETARY, w.orgs["branch_a1"])
    w.users["sec_b1"] = add_user(session, "sec_b1", Role.SECRETARY, w.orgs["branch_b1"])
    w.users["member_a1"] = add_user(session, "member_a1", Role.MEMBER, w.orgs["branch_a1"])
    w.users["auditor"] = add_user(session, "auditor", Role.AUDITOR, w.orgs["county"])
    session.commit()
    return w
