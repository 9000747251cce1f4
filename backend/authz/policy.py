"""Every "may this actor do this to this unit / object" decision, in one place.

Resolvers and services never decide access themselves: they call `require` (or `may`)
with a permission and the target unit's path. The table below is the whole policy for
the organisation tree and accounts; later domains add their permissions here.

Scope rules:
- A grant covers its unit's subtree when the role supervises (see `SUBTREE_ROLES`),
  else the unit alone.
- Restructuring a unit (move, merge, deactivate) is decided one level up: it needs a
  grant covering the unit's parent, so nobody restructures the unit their own
  authority comes from.
- Conflict of interest (F13): a grievance filed against an officer, or against a unit,
  is never seen by that officer nor by anyone whose role is held at that unit or below
  it, whatever their grants cover (`in_conflict`); it is decided one level up.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from backend.accounts.roles import Role
from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode


class Permission(StrEnum):
    VIEW_UNIT = "view_unit"
    EDIT_UNIT = "edit_unit"
    CREATE_CHILD_UNIT = "create_child_unit"
    RESTRUCTURE_UNIT = "restructure_unit"
    VIEW_ACCOUNTS = "view_accounts"
    MANAGE_ACCOUNTS = "manage_accounts"
    IMPORT_ORG = "import_org"
    EXPORT_ORG = "export_org"
    MANAGE_CATEGORIES = "manage_categories"
    MANAGE_ROUTING = "manage_routing"
    VIEW_GRIEVANCES = "view_grievances"
    FILE_FOR_CITIZEN = "file_for_citizen"
    MANAGE_SLA = "manage_sla"


_ADMINS = frozenset({Role.NODAL_OFFICER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})

ROLES_FOR: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_UNIT: frozenset(Role),
    Permission.EDIT_UNIT: _ADMINS,
    Permission.CREATE_CHILD_UNIT: _ADMINS,
    Permission.RESTRUCTURE_UNIT: _ADMINS,
    Permission.VIEW_ACCOUNTS: _ADMINS | {Role.HEAD, Role.REVIEWER},
    Permission.MANAGE_ACCOUNTS: _ADMINS,
    Permission.IMPORT_ORG: _ADMINS,
    Permission.EXPORT_ORG: _ADMINS | {Role.HEAD},
    # Heads (administrative secretaries) add their own department's categories (seed 002).
    Permission.MANAGE_CATEGORIES: frozenset({Role.HEAD, Role.ORG_ADMIN, Role.SYSTEM_ADMIN}),
    Permission.MANAGE_ROUTING: _ADMINS | {Role.HEAD},
    Permission.VIEW_GRIEVANCES: frozenset(Role),
    Permission.FILE_FOR_CITIZEN: frozenset({Role.CALL_CENTRE_AGENT, Role.CELL_OPERATOR}),
    # SLA policies, calendars, holidays and ladder windows: administrators and heads.
    Permission.MANAGE_SLA: _ADMINS | {Role.HEAD},
}

# Who may hand out a role: nobody grants more power than they hold.
GRANTABLE_BY: dict[Role, frozenset[Role]] = {
    Role.SYSTEM_ADMIN: frozenset({Role.SYSTEM_ADMIN}),
    Role.ORG_ADMIN: frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN}),
}
_DEFAULT_GRANTORS = _ADMINS


def may(actor: Actor, permission: Permission, unit_path: str) -> bool:
    if actor.kind is ActorKind.SYSTEM:
        return True
    if actor.kind is not ActorKind.STAFF:
        return False
    roles = ROLES_FOR[permission]
    return any(g.role in roles and g.covers(unit_path) for g in actor.grants)


def require(actor: Actor, permission: Permission, unit_path: str) -> None:
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    if not may(actor, permission, unit_path):
        raise DomainError(ErrorCode.FORBIDDEN, f"You may not {permission.value.replace('_', ' ')} here")


def require_staff(actor: Actor) -> None:
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    if actor.kind not in (ActorKind.STAFF, ActorKind.SYSTEM):
        raise DomainError(ErrorCode.FORBIDDEN, "Only staff may do this")


def parent_path(path: str) -> str:
    """`/1/7/42/` -> `/1/7/`; the root's parent is itself (only a root grant covers it)."""
    parts = [p for p in path.split("/") if p]
    return "/" + "".join(f"{p}/" for p in parts[:-1]) if len(parts) > 1 else path


def require_restructure(actor: Actor, unit_path: str) -> None:
    require(actor, Permission.RESTRUCTURE_UNIT, parent_path(unit_path))
    if actor.kind is ActorKind.STAFF and parent_path(unit_path) == unit_path:
        # The root has no parent: only a system admin holding it may restructure it.
        if not any(g.role is Role.SYSTEM_ADMIN and g.unit_path == unit_path for g in actor.grants):
            raise DomainError(ErrorCode.FORBIDDEN, "Only a system admin may restructure the root")


def require_may_grant(actor: Actor, role: Role, unit_path: str) -> None:
    require(actor, Permission.MANAGE_ACCOUNTS, unit_path)
    if actor.kind is ActorKind.SYSTEM:
        return
    grantors = GRANTABLE_BY.get(role, _DEFAULT_GRANTORS)
    if not any(g.role in grantors and g.covers(unit_path) for g in actor.grants):
        raise DomainError(ErrorCode.FORBIDDEN, f"You may not grant the role {role.value}")


def visible_roots(actor: Actor, permission: Permission = Permission.VIEW_UNIT) -> list[str] | None:
    """Paths whose subtrees the actor may see; None means everything (system)."""
    if actor.kind is ActorKind.SYSTEM:
        return None
    if actor.kind is not ActorKind.STAFF:
        return []
    roles = ROLES_FOR[permission]
    return _outermost(g.unit_path for g in actor.grants if g.role in roles)


def _outermost(paths: Iterable[str]) -> list[str]:
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(r) for r in result):
            result.append(path)
    return result


def ids_on_path(path: str) -> frozenset[int]:
    """`/1/7/42/` -> {1, 7, 42}: the unit and every unit above it."""
    return frozenset(int(p) for p in path.split("/") if p)


def in_conflict(actor: Actor, against_officer_id: int | None, against_unit_id: int | None) -> bool:
    """True when the grievance is against this official, or against a unit at or above
    one of the units their roles are held in (they answer to it, or are it)."""
    if actor.kind is not ActorKind.STAFF:
        return False
    if against_officer_id is not None and against_officer_id == actor.id:
        return True
    return against_unit_id is not None and against_unit_id in conflict_unit_ids(actor)


def conflict_unit_ids(actor: Actor) -> frozenset[int]:
    """Units a grievance may not be against for this actor to see it: every unit on the
    paths of the units their roles are held in."""
    return frozenset().union(*(ids_on_path(g.unit_path) for g in actor.grants)) if actor.is_staff else frozenset()
