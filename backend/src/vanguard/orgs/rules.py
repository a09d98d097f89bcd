"""Which kind of organisation may sit under which (中国共产党章程 / 支部工作条例)."""

from __future__ import annotations

from vanguard.orgs.models import Organisation, OrgKind, OrgStatus

K = OrgKind
ALLOWED_PARENT_KINDS: dict[OrgKind, frozenset[OrgKind | None]] = {
    K.COMMITTEE: frozenset({None, K.COMMITTEE, K.WORKING_COMMITTEE}),
    K.WORKING_COMMITTEE: frozenset({K.COMMITTEE}),
    K.GENERAL_BRANCH: frozenset({K.COMMITTEE, K.WORKING_COMMITTEE}),
    K.BRANCH: frozenset({K.COMMITTEE, K.WORKING_COMMITTEE, K.GENERAL_BRANCH}),
    K.GROUP: frozenset({K.BRANCH}),
}


def may_sit_under(kind: OrgKind, parent_kind: OrgKind | None) -> bool:
    return parent_kind in ALLOWED_PARENT_KINDS[kind]


def holds_roll(org: Organisation) -> bool:
    """Members are kept on the roll of an active org that is not a Party group (党小组 are
    subdivisions of a branch; their members stay on the branch's roll)."""
    return org.status is OrgStatus.ACTIVE and org.kind is not OrgKind.GROUP
