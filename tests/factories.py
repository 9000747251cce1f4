"""Small, explicit organisation trees for tests, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field

from backend.accounts.models import StaffUser
from backend.accounts.passwords import hash_password
from backend.accounts.roles import Role
from backend.accounts.services import AccountInput, MembershipInput, create_account
from backend.accounts.sign_in import grants_of
from backend.authz.actors import SYSTEM, Actor, ActorKind
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit
from backend.orgs.services import UnitInput, create_unit
from backend.settings import Settings
from tests.conftest import NOW

PASSWORD = "correct-horse-battery"


async def unit(code: str, kind: UnitKind, parent: Unit | None, **extra: object) -> Unit:
    data = UnitInput(code=code, kind=kind, names={"en": f"{code} office", "hi": f"{code} कार्यालय"}, **extra)  # type: ignore[arg-type]
    return await create_unit(SYSTEM, data, parent_id=parent.id if parent else None, now=NOW)


async def staff(settings: Settings, username: str, *roles: tuple[Unit, Role]) -> StaffUser:
    created = await create_account(
        settings, SYSTEM,
        AccountInput(username=username, full_name=username.title(),
                     memberships=tuple(MembershipInput(u.id, r) for u, r in roles)),
        now=NOW,
    )
    await StaffUser.filter(id=created.user.id).update(password_hash=hash_password(PASSWORD))
    return created.user


async def actor_for(user: StaffUser) -> Actor:
    return Actor(ActorKind.STAFF, user.id, user.full_name, await grants_of(user.id))


@dataclass
class Tree:
    root: Unit
    state: Unit
    dept: Unit
    district_a: Unit
    district_b: Unit
    block_a: Unit
    block_b: Unit
    users: dict[str, StaffUser] = field(default_factory=dict)


async def small_state(settings: Settings) -> Tree:
    """national -> state -> department -> districts A and B -> one block each."""
    root = await unit("IN", UnitKind.NATIONAL_NODAL, None, area_codes=["IN"])
    state = await unit("BR", UnitKind.STATE_NODAL, root, area_codes=["BR"])
    dept = await unit("BR-REV", UnitKind.DEPARTMENT, state)
    a = await unit("BR-REV-A", UnitKind.DISTRICT, dept, area_codes=["BR-A"])
    b = await unit("BR-REV-B", UnitKind.DISTRICT, dept, area_codes=["BR-B"])
    block_a = await unit("BR-REV-A-1", UnitKind.BLOCK, a, area_codes=["BR-A-1"])
    block_b = await unit("BR-REV-B-1", UnitKind.BLOCK, b, area_codes=["BR-B-1"])
    tree = Tree(root, state, dept, a, b, block_a, block_b)
    tree.users = {
        "sysadmin": await staff(settings, "sysadmin", (root, Role.SYSTEM_ADMIN)),
        "stateadmin": await staff(settings, "stateadmin", (state, Role.ORG_ADMIN)),
        "nodal_a": await staff(settings, "nodal_a", (a, Role.NODAL_OFFICER)),
        "nodal_b": await staff(settings, "nodal_b", (b, Role.NODAL_OFFICER)),
        "officer_a": await staff(settings, "officer_a", (block_a, Role.OFFICER)),
        "reviewer_a": await staff(settings, "reviewer_a", (a, Role.REVIEWER)),
    }
    return tree
