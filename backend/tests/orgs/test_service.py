"""Organisation-tree rules, tested at the service layer."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.core.errors import Conflict, InvalidInput
from vanguard.core.permissions import Scope
from vanguard.orgs import service
from vanguard.orgs.models import Organisation, OrgKind, OrgStatus
from vanguard.orgs.schemas import OrgCreate, OrgUpdate

EVERYTHING = Scope.everything()


def _paths(session: Session) -> dict[str, str]:
    session.expire_all()
    return {o.code or "": o.path for o in session.scalars(select(Organisation))}


def test_path_is_the_chain_of_ids_ending_with_own_id(session: Session, world: World) -> None:
    county, town, branch = world.orgs["county"], world.orgs["town_a"], world.orgs["branch_a1"]
    assert county.path == f"/{county.id}/"
    assert branch.path == f"/{county.id}/{town.id}/{branch.id}/"
    assert branch.depth == 2


def test_group_may_not_sit_directly_under_a_committee(session: Session, world: World) -> None:
    data = OrgCreate(name="错层小组", kind=OrgKind.GROUP, parent_id=world.orgs["town_a"].id)
    with pytest.raises(service.InvalidParentKind):
        service.create(session, EVERYTHING, data)


def test_only_committees_may_be_top_level(session: Session) -> None:
    with pytest.raises(service.InvalidParentKind):
        service.create(session, EVERYTHING, OrgCreate(name="孤立支部", kind=OrgKind.BRANCH, parent_id=None))


def test_org_codes_are_unique(session: Session, world: World) -> None:
    data = OrgCreate(name="重复", kind=OrgKind.BRANCH, parent_id=world.orgs["town_a"].id, code="C-A-1")
    with pytest.raises(service.DuplicateOrgCode):
        service.create(session, EVERYTHING, data)


def test_move_repaths_the_whole_subtree(session: Session, world: World) -> None:
    branch, group, town_b = world.orgs["branch_a1"], world.orgs["group_a1"], world.orgs["town_b"]
    service.move(session, EVERYTHING, branch.id, town_b.id, None)
    session.commit()
    paths = _paths(session)
    assert paths["C-A-1"] == f"{town_b.path}{branch.id}/"
    assert paths["C-A-1-G1"] == f"{town_b.path}{branch.id}/{group.id}/"
    assert session.get(Organisation, group.id).depth == 3  # type: ignore[union-attr]
    # Siblings elsewhere are untouched.
    assert paths["C-A-2"] == world.orgs["branch_a2"].path


def test_move_under_own_descendant_is_a_cycle(session: Session, world: World) -> None:
    with pytest.raises(service.MoveCycle):
        service.move(session, EVERYTHING, world.orgs["town_a"].id, world.orgs["branch_a1"].id, None)


def test_move_under_itself_is_a_cycle(session: Session, world: World) -> None:
    with pytest.raises(service.MoveCycle):
        service.move(session, EVERYTHING, world.orgs["town_a"].id, world.orgs["town_a"].id, None)


def test_move_respects_kind_rules(session: Session, world: World) -> None:
    with pytest.raises(service.InvalidParentKind):
        service.move(session, EVERYTHING, world.orgs["branch_a2"].id, world.orgs["branch_a1"].id, None)


def test_subtree_prefix_compares_whole_segments(session: Session, world: World) -> None:
    """/…/514/ must never match /…/5140/: ids chosen so one is a digit-prefix of the other."""
    county = world.orgs["county"]
    for org_id in (514, 5140):
        session.add(
            Organisation(
                id=org_id,
                name=f"镇{org_id}",
                kind=OrgKind.COMMITTEE,
                parent_id=county.id,
                path=county.path,
                depth=1,
            )
        )
    session.flush()
    short_path = f"{county.path}514/"
    inside = service.list_orgs(
        session,
        Scope(short_path),
        parent_id=None,
        within_id=None,
        kind=None,
        status=None,
        q=None,
        cursor=None,
        limit=100,
    )
    assert [o.id for o in inside.items] == [514]
    assert not Scope(short_path).contains(f"{county.path}5140/")


def test_dissolving_an_org_with_members_is_refused(session: Session, world: World) -> None:
    with pytest.raises(service.OrgNotEmpty):
        service.update_org(
            session, EVERYTHING, world.orgs["branch_a2"].id, OrgUpdate(status=OrgStatus.DISSOLVED), None
        )


def test_dissolving_an_empty_org_is_allowed(session: Session, world: World) -> None:
    org = service.update_org(
        session, EVERYTHING, world.orgs["group_a1"].id, OrgUpdate(status=OrgStatus.DISSOLVED), None
    )
    assert org.status is OrgStatus.DISSOLVED


def test_kind_change_must_fit_parent_and_children(session: Session, world: World) -> None:
    with pytest.raises(Conflict):
        # branch_a1 holds a Party group, which cannot sit under a general branch.
        service.update_org(
            session, EVERYTHING, world.orgs["branch_a1"].id, OrgUpdate(kind=OrgKind.GENERAL_BRANCH), None
        )


def test_null_for_a_required_field_is_refused(session: Session, world: World) -> None:
    with pytest.raises(InvalidInput):
        service.update_org(session, EVERYTHING, world.orgs["branch_a2"].id, OrgUpdate(name=None), None)


def test_stats_count_the_subtree(session: Session, world: World) -> None:
    stats = service.stats(session, EVERYTHING, world.orgs["town_a"].id)
    assert stats.org_count == 4  # town_a, two branches, one group
    assert stats.member_count == 5
    assert stats.orgs_by_kind[OrgKind.BRANCH] == 2
