"""Reads of the organisation tree, filtered to what the actor may see."""

from __future__ import annotations

from tortoise.expressions import Q

from backend.accounts.roles import SUBTREE_ROLES
from backend.authz.actors import Actor, ActorKind
from backend.authz.policy import ROLES_FOR, Permission, may
from backend.orgs.models import Unit


def visibility_filter(actor: Actor, permission: Permission = Permission.VIEW_UNIT) -> Q | None:
    """A filter on Unit matching what the actor may see; None means everything.

    Ancestors of a granted unit are visible too (a district officer sees the name of
    the department above them), but not their other branches.
    """
    if actor.kind is ActorKind.SYSTEM:
        return None
    roles = ROLES_FOR[permission]
    grants = [g for g in actor.grants if g.role in roles] if actor.kind is ActorKind.STAFF else []
    if not grants:
        return Q(id__in=[])
    q = Q(id__in=[])
    ancestor_ids: set[int] = set()
    for g in grants:
        q |= Q(path__startswith=g.unit_path) if g.role in SUBTREE_ROLES else Q(id=g.unit_id)
        ancestor_ids.update(int(p) for p in g.unit_path.strip("/").split("/"))
    return q | Q(id__in=sorted(ancestor_ids))


async def get_visible_unit(actor: Actor, unit_id: int) -> Unit | None:
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        return None
    if may(actor, Permission.VIEW_UNIT, unit.path) or is_ancestor_of_grant(actor, unit):
        return unit
    return None


def is_ancestor_of_grant(actor: Actor, unit: Unit) -> bool:
    return actor.kind is ActorKind.STAFF and any(g.unit_path.startswith(unit.path) for g in actor.grants)


async def children_of(actor: Actor, unit: Unit, *, include_inactive: bool = False) -> list[Unit]:
    qs = Unit.filter(parent_id=unit.id)
    if not include_inactive:
        qs = qs.filter(active=True)
    flt = visibility_filter(actor)
    if flt is not None:
        qs = qs.filter(flt)
    return await qs.order_by("code")


async def my_root_units(actor: Actor) -> list[Unit]:
    """The units the actor's roles attach to: where a staff console starts the tree."""
    if actor.kind is ActorKind.SYSTEM:
        return await Unit.filter(parent_id=None).order_by("code")
    ids = sorted({g.unit_id for g in actor.grants})
    return await Unit.filter(id__in=ids).order_by("path")


async def search_units(actor: Actor, text: str, *, limit: int = 50) -> list[Unit]:
    qs = Unit.filter(active=True)
    flt = visibility_filter(actor)
    if flt is not None:
        qs = qs.filter(flt)
    text = text.strip()
    if text:
        qs = qs.filter(search_text__contains=text.lower())
    return await qs.order_by("depth", "code").limit(limit)
