"""Use cases on routing rules (F4): set (create or replace) and delete.

Who may set a rule - two kinds of routing authority, both through `MANAGE_ROUTING`:

- Every rule needs `MANAGE_ROUTING` covering its target unit: nobody sends work to an
  office outside their own tree, nor names an officer there.
- Department-wide authority: an actor whose `MANAGE_ROUTING` grant also covers the
  category's department (its head or nodal officer, or a state / system admin above it)
  may route that department's categories for any area, "" (everywhere) included.
- Local authority: anyone else (a district nodal officer, say) may route only within
  their own patch: the target unit must belong to the category's department, and the
  rule's area code must lie within one of the target unit's own area codes. So a
  district cannot pull another district's (or the whole state's) grievances to itself,
  and cannot route another department's categories into its offices.

Replacing or deleting an existing rule needs the same authority over the rule as it
stands, so a district cannot overwrite a rule the department set for its area.
The pair (category, area code) is unique: `set_rule` updates the existing rule for it
(reactivating a deleted one) instead of adding a second. Rules carry no version column:
concurrent edits of one rule are last-writer-wins, each audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.accounts.models import Membership, StaffUser
from backend.audit.services import record
from backend.authz.actors import Actor
from backend.authz.policy import Permission, may, require, require_staff, visible_roots
from backend.categories.models import Category
from backend.core.errors import DomainError, ErrorCode, FieldError, forbidden, not_found, validation_error
from backend.core.validation import check_area_codes
from backend.orgs.models import Unit
from backend.routing.models import RoutingRule
from backend.routing.selectors import ACTING_ROLES, area_matches


@dataclass(frozen=True)
class RuleInput:
    category_id: int
    area_code: str
    unit_id: int
    officer_id: int | None = None


def _require_jurisdiction(actor: Actor, category: Category, department: Unit, unit: Unit, area_code: str) -> None:
    """See the module docstring: department-wide, else local authority."""
    require(actor, Permission.MANAGE_ROUTING, unit.path)
    if may(actor, Permission.MANAGE_ROUTING, department.path):
        return
    if not unit.path.startswith(department.path):
        raise forbidden(f"Only {department.code}'s routing managers may route {category.code} outside the department")
    if not area_code or not any(area_matches(own, area_code) for own in unit.area_codes or []):
        where = ", ".join(unit.area_codes or []) or "none"
        raise forbidden(
            f"You may route only within {unit.code}'s own areas ({where}); wider rules are set by {department.code}"
        )


async def _check_officer(officer_id: int, unit: Unit, errors: list[FieldError]) -> None:
    officer = await StaffUser.get_or_none(id=officer_id)
    if officer is None or not officer.active:
        errors.append(FieldError("officerId", "must be an active staff account"))
    elif not await Membership.exists(user_id=officer_id, unit_id=unit.id, active=True, role__in=list(ACTING_ROLES)):
        errors.append(FieldError("officerId", f"must hold an active officer or nodal officer role in {unit.code}"))


def _clean_area(raw: str, errors: list[FieldError]) -> str:
    problems: list[FieldError] = []
    areas = check_area_codes("areaCode", [raw or ""], problems)
    if problems:
        errors.append(FieldError("areaCode", "is not an area code like BR-PAT-BIHTA (or empty for every area)"))
        return ""
    return areas[0] if areas else ""


def _require_some_routing_role(actor: Actor) -> None:
    require_staff(actor)
    if visible_roots(actor, Permission.MANAGE_ROUTING) == []:
        raise forbidden("You may not manage routing")


async def _require_over_rule(actor: Actor, rule: RoutingRule) -> None:
    category = await Category.get(id=rule.category_id)  # type: ignore[attr-defined]
    department = await Unit.get(id=category.department_id)  # type: ignore[attr-defined]
    unit = await Unit.get(id=rule.unit_id)  # type: ignore[attr-defined]
    _require_jurisdiction(actor, category, department, unit, rule.area_code)


def _snapshot(rule: RoutingRule) -> dict[str, Any]:
    return {
        "category_id": rule.category_id,  # type: ignore[attr-defined]
        "area_code": rule.area_code,
        "unit_id": rule.unit_id,  # type: ignore[attr-defined]
        "officer_id": rule.officer_id,  # type: ignore[attr-defined]
        "active": rule.active,
    }


async def set_rule(actor: Actor, data: RuleInput, now: datetime) -> RoutingRule:
    """Create the rule for (category, area code), or replace the existing one."""
    _require_some_routing_role(actor)
    errors: list[FieldError] = []
    area_code = _clean_area(data.area_code, errors)
    category = await Category.get_or_none(id=data.category_id)
    if category is None or not category.active:
        errors.append(FieldError("categoryId", "must be an active category"))
    unit = await Unit.get_or_none(id=data.unit_id)
    if unit is None or not unit.active:
        errors.append(FieldError("unitId", "must be an active unit"))
    else:
        # Refuse before saying anything more about the input to someone with no say here.
        require(actor, Permission.MANAGE_ROUTING, unit.path)
        if data.officer_id is not None:
            await _check_officer(data.officer_id, unit, errors)
    if errors:
        raise validation_error(errors)
    assert category is not None and unit is not None
    department = await Unit.get(id=category.department_id)  # type: ignore[attr-defined]
    _require_jurisdiction(actor, category, department, unit, area_code)
    existing = await RoutingRule.get_or_none(category_id=category.id, area_code=area_code)
    if existing is not None:
        await _require_over_rule(actor, existing)
    try:
        async with in_transaction():
            if existing is None:
                rule = await RoutingRule.create(
                    category_id=category.id, area_code=area_code, unit_id=unit.id, officer_id=data.officer_id,
                    active=True, created_at=now, updated_at=now,
                )
                action, before = "routing_rule_created", None
            else:
                before = _snapshot(existing)
                rule = existing
                rule.unit_id = unit.id  # type: ignore[attr-defined]
                rule.officer_id = data.officer_id  # type: ignore[attr-defined]
                rule.active = True
                rule.updated_at = now
                await rule.save(update_fields=["unit_id", "officer_id", "active", "updated_at"])
                action = "routing_rule_updated"
            await record(
                object_type="routing_rule", object_id=rule.id, action=action, actor=actor, now=now, unit_id=unit.id,
                from_state="" if before is None else ("active" if before["active"] else "inactive"), to_state="active",
                data={"category": category.code, "area_code": area_code, "unit": unit.code,
                      "officer_id": data.officer_id, "before": before},
            )
    except IntegrityError as error:
        # Two people created the same (category, area) rule at once; this one lost.
        raise DomainError(ErrorCode.CHANGED_MEANWHILE, "This rule was set by someone else meanwhile; reload it") from error
    return rule


async def delete_rule(actor: Actor, rule_id: int, now: datetime) -> RoutingRule:
    """Switch a rule off (kept for the audit trail and for `set_rule` to revive)."""
    _require_some_routing_role(actor)
    rule = await RoutingRule.get_or_none(id=rule_id)
    if rule is None:
        raise not_found("Routing rule")
    await _require_over_rule(actor, rule)
    if not rule.active:
        raise DomainError(ErrorCode.CONFLICT, "The rule is already inactive")
    async with in_transaction():
        if not await RoutingRule.filter(id=rule.id, active=True).update(active=False, updated_at=now):
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The rule was changed by someone else; reload it")
        await record(
            object_type="routing_rule", object_id=rule.id, action="routing_rule_deleted", actor=actor, now=now,
            unit_id=rule.unit_id, from_state="active", to_state="inactive", data=_snapshot(rule),  # type: ignore[attr-defined]
        )
    await rule.refresh_from_db()
    return rule
