"""Small, explicit organisation trees for tests, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from backend.categories.models import Category

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


async def category(code: str, department: Unit, parent: Category | None = None, **extra: object) -> Category:
    """A category row made directly (the category services have their own tests)."""
    from backend.categories.models import Category

    row = await Category.create(
        code=code, department=department, parent=parent, path="", depth=(parent.depth + 1) if parent else 0,
        names={"en": code.title(), "hi": f"{code} श्रेणी"}, created_at=NOW, updated_at=NOW, **extra,
    )
    row.path = f"{parent.path if parent else '/'}{row.id}/"
    row.search_text = Category.search_text_for(code, row.names, {})
    await row.save(update_fields=["path", "search_text"])
    return row


@dataclass
class LifecycleWorld:
    """small_state plus the people of seed 004's flow and a two-level category tree."""

    tree: Tree
    leaf: Category
    other_leaf: Category
    users: dict[str, StaffUser]


async def lifecycle_world(settings: Settings) -> LifecycleWorld:
    tree = await small_state(settings)
    await Unit.filter(id=tree.state.id).update(area_codes=["BR"])
    users = dict(tree.users)
    users["cell"] = await staff(settings, "cell_op", (tree.state, Role.CELL_OPERATOR))
    users["dept_reviewer"] = await staff(settings, "dept_reviewer", (tree.dept, Role.REVIEWER))
    users["head"] = await staff(settings, "dept_head", (tree.dept, Role.HEAD))
    users["officer_b"] = await staff(settings, "officer_b", (tree.block_b, Role.OFFICER))
    users["officer_a2"] = await staff(settings, "officer_a2", (tree.block_a, Role.OFFICER))
    users["agent"] = await staff(settings, "agent", (tree.state, Role.CALL_CENTRE_AGENT))
    service = await category("REV-LAND", tree.dept)
    leaf = await category("REV-LAND-MUTATION", tree.dept, service)
    other = await category("REV-LAND-SURVEY", tree.dept, service)
    return LifecycleWorld(tree, leaf, other, users)
