from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.accounts.roles import SUBTREE_ROLES, Role
from backend.authz.actors import ANONYMOUS, SYSTEM, Actor, ActorKind, Grant
from backend.authz.policy import Permission, may, parent_path, require, require_may_grant, require_restructure
from backend.core.errors import DomainError, ErrorCode


def staff(*grants: tuple[str, Role]) -> Actor:
    return Actor(ActorKind.STAFF, 1, "x", tuple(Grant(i, p, r) for i, (p, r) in enumerate(grants)))


def test_subtree_roles_cover_descendants_only() -> None:
    nodal = staff(("/1/2/", Role.NODAL_OFFICER))
    assert may(nodal, Permission.CREATE_CHILD_UNIT, "/1/2/")
    assert may(nodal, Permission.CREATE_CHILD_UNIT, "/1/2/5/9/")
    assert not may(nodal, Permission.CREATE_CHILD_UNIT, "/1/")
    assert not may(nodal, Permission.CREATE_CHILD_UNIT, "/1/3/")
    # A sibling whose id starts with the same digits is not a descendant.
    assert not may(nodal, Permission.CREATE_CHILD_UNIT, "/1/22/")


def test_officer_covers_own_unit_only() -> None:
    officer = staff(("/1/2/", Role.OFFICER))
    assert may(officer, Permission.VIEW_UNIT, "/1/2/")
    assert not may(officer, Permission.VIEW_UNIT, "/1/2/3/")
    assert not may(officer, Permission.CREATE_CHILD_UNIT, "/1/2/")


def test_citizens_and_anonymous_are_refused_with_distinct_codes() -> None:
    with pytest.raises(DomainError) as anon:
        require(ANONYMOUS, Permission.VIEW_UNIT, "/1/")
    assert anon.value.code is ErrorCode.UNAUTHENTICATED
    with pytest.raises(DomainError) as citizen:
        require(Actor(ActorKind.CITIZEN, 5), Permission.VIEW_UNIT, "/1/")
    assert citizen.value.code is ErrorCode.FORBIDDEN


def test_restructure_is_decided_one_level_up() -> None:
    nodal = staff(("/1/2/", Role.NODAL_OFFICER))
    require_restructure(nodal, "/1/2/3/")
    with pytest.raises(DomainError):
        require_restructure(nodal, "/1/2/")
    root_admin = staff(("/1/", Role.SYSTEM_ADMIN))
    require_restructure(root_admin, "/1/")
    with pytest.raises(DomainError):
        require_restructure(staff(("/1/", Role.ORG_ADMIN)), "/1/")


def test_nobody_grants_more_than_they_hold() -> None:
    org_admin = staff(("/1/", Role.ORG_ADMIN))
    require_may_grant(org_admin, Role.ORG_ADMIN, "/1/2/")
    with pytest.raises(DomainError):
        require_may_grant(org_admin, Role.SYSTEM_ADMIN, "/1/2/")
    nodal = staff(("/1/2/", Role.NODAL_OFFICER))
    require_may_grant(nodal, Role.OFFICER, "/1/2/3/")
    with pytest.raises(DomainError):
        require_may_grant(nodal, Role.ORG_ADMIN, "/1/2/3/")
    require_may_grant(SYSTEM, Role.SYSTEM_ADMIN, "/1/")


segments = st.lists(st.integers(min_value=1, max_value=999), min_size=1, max_size=8)


@given(segments, segments, st.sampled_from(sorted(Role)))
def test_grant_covers_exactly_its_subtree(grant_ids: list[int], target_ids: list[int], role: Role) -> None:
    grant_path = "/" + "".join(f"{i}/" for i in grant_ids)
    target_path = "/" + "".join(f"{i}/" for i in target_ids)
    covered = Grant(1, grant_path, role).covers(target_path)
    is_descendant_or_self = target_ids[: len(grant_ids)] == grant_ids
    expected = is_descendant_or_self if role in SUBTREE_ROLES else target_ids == grant_ids
    assert covered == expected


@given(segments)
def test_parent_path_drops_the_last_segment(ids: list[int]) -> None:
    path = "/" + "".join(f"{i}/" for i in ids)
    expected = "/" + "".join(f"{i}/" for i in ids[:-1]) if len(ids) > 1 else path
    assert parent_path(path) == expected
