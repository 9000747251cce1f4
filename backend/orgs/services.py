"""Use cases on the organisation tree: create, edit, move, merge, deactivate.

Restructuring use cases compute a plan first; `dry_run=True` returns it unchanged, and
otherwise the very same plan is applied in one transaction with its audit record, so
the preview a person confirmed is exactly what happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tortoise.transactions import in_transaction

from backend.accounts.models import Membership
from backend.audit.services import record
from backend.authz.actors import Actor, ActorKind
from backend.authz.policy import Permission, require, require_restructure
from backend.core.errors import DomainError, ErrorCode, FieldError, not_found, validation_error
from backend.core.validation import check_area_codes, check_names, check_unit_code
from backend.orgs import pending_work, restructure_hooks
from backend.orgs.kinds import UnitKind
from backend.orgs.models import EscalationLevel, Unit

MAX_ESCALATION_LEVELS = 5


@dataclass(frozen=True)
class UnitInput:
    code: str
    kind: UnitKind
    names: dict[str, str]
    area_codes: list[str] = field(default_factory=list)
    appellate_authority_id: int | None = None
    escalation_authority_ids: list[int] = field(default_factory=list)


@dataclass
class RestructurePlan:
    action: str
    unit_codes: list[str] = field(default_factory=list)
    units_moved: int = 0
    units_deactivated: int = 0
    memberships_moved: int = 0
    memberships_deactivated: int = 0
    pending_items_moved: int = 0
    target_code: str = ""
    notes: list[str] = field(default_factory=list)
    # References (grievance numbers) of the pending items that move, for the preview.
    pending_items: list[str] = field(default_factory=list)


async def _check_links(data: UnitInput, errors: list[FieldError], *, self_id: int | None = None) -> None:
    if data.appellate_authority_id is not None:
        target = await Unit.get_or_none(id=data.appellate_authority_id)
        if target is None or not target.active:
            errors.append(FieldError("appellateAuthorityId", "must be an active unit"))
        elif target.id == self_id:
            errors.append(FieldError("appellateAuthorityId", "a unit cannot be its own appellate authority"))
    if len(data.escalation_authority_ids) > MAX_ESCALATION_LEVELS:
        errors.append(FieldError("escalationAuthorityIds", f"at most {MAX_ESCALATION_LEVELS} levels"))
    found = {u.id: u for u in await Unit.filter(id__in=data.escalation_authority_ids, active=True)}
    for i, uid in enumerate(data.escalation_authority_ids):
        if uid not in found:
            errors.append(FieldError(f"escalationAuthorityIds[{i}]", "must be an active unit"))
        elif uid == self_id:
            errors.append(FieldError(f"escalationAuthorityIds[{i}]", "a unit cannot escalate to itself"))


def _clean(data: UnitInput) -> tuple[UnitInput, list[FieldError]]:
    errors: list[FieldError] = []
    cleaned = UnitInput(
        code=check_unit_code("code", data.code, errors),
        kind=data.kind,
        names=check_names("names", data.names, errors),
        area_codes=check_area_codes("areaCodes", data.area_codes, errors),
        appellate_authority_id=data.appellate_authority_id,
        escalation_authority_ids=list(data.escalation_authority_ids),
    )
    return cleaned, errors


async def _set_ladder(unit: Unit, authority_ids: list[int]) -> None:
    """Rewrite the ladder's authorities in place: each level keeps the window an admin
    set for it (`escalationWindowSet`)."""
    existing = {lv.level: lv for lv in await EscalationLevel.filter(unit=unit)}
    for level, authority_id in enumerate(authority_ids, start=1):
        if level in existing:
            await EscalationLevel.filter(id=existing[level].id).update(authority_id=authority_id)
        else:
            await EscalationLevel.create(unit=unit, level=level, authority_id=authority_id)
    await EscalationLevel.filter(unit=unit, level__gt=len(authority_ids)).delete()


async def create_unit(actor: Actor, data: UnitInput, *, parent_id: int | None, now: datetime) -> Unit:
    parent = None
    if parent_id is not None:
        parent = await Unit.get_or_none(id=parent_id)
        if parent is None:
            raise not_found("Parent unit")
        require(actor, Permission.CREATE_CHILD_UNIT, parent.path)
    elif actor.kind is not ActorKind.SYSTEM:
        # Roots are made by the `grievance admin` / `demo` commands, not through the API.
        raise DomainError(ErrorCode.FORBIDDEN, "Only the system may create a root unit")
    cleaned, errors = _clean(data)
    if parent is not None and not parent.active:
        errors.append(FieldError("parentId", "the parent unit is inactive"))
    if cleaned.code and await Unit.exists(code=cleaned.code):
        errors.append(FieldError("code", "is already used by another unit"))
    await _check_links(cleaned, errors)
    if errors:
        raise validation_error(errors)
    async with in_transaction():
        unit = await Unit.create(
            code=cleaned.code, kind=cleaned.kind, parent=parent, path="", depth=(parent.depth + 1) if parent else 0,
            names=cleaned.names, area_codes=cleaned.area_codes, appellate_authority_id=cleaned.appellate_authority_id,
            search_text=Unit.search_text_for(cleaned.code, cleaned.names), created_at=now, updated_at=now,
        )
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        await unit.save(update_fields=["path"])
        await _set_ladder(unit, cleaned.escalation_authority_ids)
        await record(
            object_type="unit", object_id=unit.id, action="unit_created", actor=actor, now=now,
            unit_id=unit.id, to_state="active",
            data={"code": unit.code, "kind": unit.kind.value, "parent": parent.code if parent else None},
        )
    return unit


async def update_unit(
    actor: Actor, *, unit_id: int, data: UnitInput, expected_version: int, now: datetime
) -> Unit:
    """Edit names, area codes, kind and authority links. The code is the unit's stable
    identity for imports and IDs and cannot change."""
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found("Unit")
    require(actor, Permission.EDIT_UNIT, unit.path)
    cleaned, errors = _clean(UnitInput(**{**data.__dict__, "code": unit.code}))
    await _check_links(cleaned, errors, self_id=unit.id)
    if errors:
        raise validation_error(errors)
    async with in_transaction():
        changed = await Unit.filter(id=unit.id, version=expected_version).update(
            kind=cleaned.kind, names=cleaned.names, area_codes=cleaned.area_codes,
            search_text=Unit.search_text_for(unit.code, cleaned.names),
            appellate_authority_id=cleaned.appellate_authority_id, updated_at=now, version=expected_version + 1,
        )
        if not changed:
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The unit was changed by someone else; reload it")
        await _set_ladder(unit, cleaned.escalation_authority_ids)
        await record(object_type="unit", object_id=unit.id, action="unit_updated", actor=actor, now=now,
                     unit_id=unit.id, data={"names": cleaned.names, "area_codes": cleaned.area_codes})
    await unit.refresh_from_db()
    return unit


async def _subtree(unit: Unit) -> list[Unit]:
    return await Unit.filter(path__startswith=unit.path).order_by("depth", "code")


async def move_subtree(
    actor: Actor, *, unit_id: int, new_parent_id: int, dry_run: bool, now: datetime, follow_up: bool = True
) -> RestructurePlan:
    """Move a unit and its subtree under another parent. `follow_up=False` is for a
    larger restructure (a merge) that runs the after-commit hooks itself, once its own
    transaction has committed."""
    unit = await Unit.get_or_none(id=unit_id)
    new_parent = await Unit.get_or_none(id=new_parent_id)
    if unit is None:
        raise not_found("Unit")
    if new_parent is None:
        raise not_found("New parent unit")
    require_restructure(actor, unit.path)
    require(actor, Permission.CREATE_CHILD_UNIT, new_parent.path)
    if new_parent.path.startswith(unit.path):
        raise validation_error([FieldError("newParentId", "a unit cannot move under itself or its own subtree")])
    if unit.parent_id == new_parent.id:  # type: ignore[attr-defined]
        raise validation_error([FieldError("newParentId", "the unit is already there")])
    if not new_parent.active:
        raise validation_error([FieldError("newParentId", "the new parent is inactive")])
    subtree = await _subtree(unit)
    # Pending work stays with its units and so moves with the subtree.
    pending = await pending_work.count_for_units([u.id for u in subtree])
    plan = RestructurePlan(
        action="move", unit_codes=[u.code for u in subtree], units_moved=len(subtree), target_code=new_parent.code,
        notes=[f"{unit.code} moves under {new_parent.code}; authority over it follows the new parent"],
        pending_items_moved=pending,
        pending_items=await pending_work.list_for_units([u.id for u in subtree]) if pending else [],
    )
    if dry_run:
        return plan
    old_prefix, new_prefix = unit.path, f"{new_parent.path}{unit.id}/"
    delta = new_parent.depth + 1 - unit.depth
    async with in_transaction():
        if not await Unit.filter(id=unit.id, version=unit.version).update(
            parent_id=new_parent.id, version=unit.version + 1, updated_at=now
        ):
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The unit changed meanwhile; preview again")
        for u in subtree:
            u.path = new_prefix + u.path[len(old_prefix):]
            u.depth += delta
        await Unit.bulk_update(subtree, fields=["path", "depth"])
        await pending_work.rewrite_unit_paths(old_prefix, new_prefix)
        await record(object_type="unit", object_id=unit.id, action="unit_moved", actor=actor, now=now,
                     unit_id=unit.id, data={"to_parent": new_parent.code, "units": plan.units_moved})
    if follow_up:
        await restructure_hooks.after_restructure(
            restructure_hooks.changed_by_move(old_prefix[: -len(f"{unit.id}/")], new_parent.path))
    return plan


async def merge_units(
    actor: Actor, *, source_id: int, target_id: int, dry_run: bool, now: datetime
) -> RestructurePlan:
    """Fold a redundant unit into another: its children, roles and pending work move to
    the target, and the source is deactivated with a pointer to where it went."""
    source = await Unit.get_or_none(id=source_id)
    target = await Unit.get_or_none(id=target_id)
    if source is None:
        raise not_found("Unit to merge")
    if target is None:
        raise not_found("Target unit")
    require_restructure(actor, source.path)
    require(actor, Permission.CREATE_CHILD_UNIT, target.path)
    errors = []
    if source.id == target.id:
        errors.append(FieldError("targetId", "cannot merge a unit into itself"))
    elif target.path.startswith(source.path):
        errors.append(FieldError("targetId", "cannot merge a unit into its own subtree"))
    if not source.active:
        errors.append(FieldError("sourceId", "the unit is already inactive"))
    if not target.active:
        errors.append(FieldError("targetId", "the target unit is inactive"))
    if errors:
        raise validation_error(errors)
    children = await Unit.filter(parent_id=source.id).order_by("code")
    memberships = await Membership.filter(unit_id=source.id, active=True)
    existing = set(await Membership.filter(unit_id=target.id).values_list("user_id", "role"))
    moving = [m for m in memberships if (m.user_id, m.role) not in existing]  # type: ignore[attr-defined]
    duplicate = [m for m in memberships if (m.user_id, m.role) in existing]  # type: ignore[attr-defined]
    pending = await pending_work.count_for_units([source.id])
    pending_refs = await pending_work.list_for_units([source.id]) if pending else []
    plan = RestructurePlan(
        action="merge", unit_codes=[source.code, *[c.code for c in children]], units_moved=len(children),
        units_deactivated=1, memberships_moved=len(moving), memberships_deactivated=len(duplicate),
        pending_items_moved=pending, target_code=target.code, pending_items=pending_refs,
        notes=[f"{source.code} is merged into {target.code} and deactivated"],
    )
    if dry_run:
        return plan
    async with in_transaction():
        if not await Unit.filter(id=source.id, version=source.version, active=True).update(
            active=False, merged_into_id=target.id, version=source.version + 1, updated_at=now
        ):
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The unit changed meanwhile; preview again")
        for child in children:
            await move_subtree(actor_for_internal(actor), unit_id=child.id, new_parent_id=target.id,
                               dry_run=False, now=now, follow_up=False)
        if moving:
            await Membership.filter(id__in=[m.id for m in moving]).update(unit_id=target.id)
        if duplicate:
            await Membership.filter(id__in=[m.id for m in duplicate]).update(active=False)
        if pending:
            await pending_work.move_unit_work([source.id], target.id, actor=actor, now=now)
        await record(object_type="unit", object_id=source.id, action="unit_merged", actor=actor, now=now,
                     unit_id=source.id, from_state="active", to_state="merged",
                     data={"into": target.code, "children": plan.units_moved, "memberships": plan.memberships_moved,
                           "pending_moved": pending})
    if children:
        # The children left the source's chain for the target's.
        await restructure_hooks.after_restructure(restructure_hooks.changed_by_move(source.path, target.path))
    return plan


def actor_for_internal(actor: Actor) -> Actor:
    """Steps inside an authorised use case are checked once, by the use case."""
    return Actor(ActorKind.SYSTEM, actor.id, actor.name or "system")


async def deactivate_unit(
    actor: Actor, *, unit_id: int, successor_id: int | None, dry_run: bool, now: datetime
) -> RestructurePlan:
    """Deactivate a unit and everything under it; roles there lapse. Pending work must
    go somewhere first: to `successor_id`."""
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found("Unit")
    require_restructure(actor, unit.path)
    if not unit.active:
        raise DomainError(ErrorCode.CONFLICT, "The unit is already inactive")
    subtree = [u for u in await _subtree(unit) if u.active]
    ids = [u.id for u in subtree]
    pending = await pending_work.count_for_units(ids)
    successor = None
    if successor_id is not None:
        successor = await Unit.get_or_none(id=successor_id)
        if successor is None or not successor.active or successor.path.startswith(unit.path):
            raise validation_error([FieldError("successorId", "must be an active unit outside the deactivated subtree")])
        require(actor, Permission.CREATE_CHILD_UNIT, successor.path)
    if pending and successor is None:
        raise validation_error([FieldError("successorId", f"{pending} pending items: name the unit that takes them")])
    plan = RestructurePlan(
        action="deactivate", unit_codes=[u.code for u in subtree], units_deactivated=len(subtree),
        memberships_deactivated=await Membership.filter(unit_id__in=ids, active=True).count(),
        pending_items_moved=pending, target_code=successor.code if successor else "",
        pending_items=await pending_work.list_for_units(ids) if pending else [],
    )
    if dry_run:
        return plan
    async with in_transaction():
        if not await Unit.filter(id=unit.id, version=unit.version, active=True).update(
            version=unit.version + 1, updated_at=now
        ):
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The unit changed meanwhile; preview again")
        await Unit.filter(id__in=ids).update(active=False, updated_at=now)
        await Membership.filter(unit_id__in=ids, active=True).update(active=False)
        if pending and successor is not None:
            await pending_work.move_unit_work(ids, successor.id, actor=actor, now=now)
        await record(object_type="unit", object_id=unit.id, action="unit_deactivated", actor=actor, now=now,
                     unit_id=unit.id, from_state="active", to_state="inactive",
                     data={"units": plan.units_deactivated, "memberships": plan.memberships_deactivated,
                           "pending_moved": pending, "successor": plan.target_code})
    return plan
