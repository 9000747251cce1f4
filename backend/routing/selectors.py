"""Reads of the routing rules, and the one decision they exist for: where a grievance goes.

Which rule wins (`pick`), most specific first:
1. the longer matching area code (more '-' separated segments): "BR-PAT-BIHTA" beats
   "BR-PAT", which beats "BR", which beats "" (every area);
2. then the deeper category: a rule on the leaf beats one on its parent, which beats
   one on the department's service above it (a rule covers its category's subtree);
3. then, as a tie-break only a hand-built list can need (the pair category x area is
   unique in the database), the lower rule id.

Area first because the area names the office that can act on the spot: a block-level
rule for a whole service must win over a district-wide rule for one of its leaves.

`match` applies `pick` to the usable rules only - active rules whose unit is active -
and keeps the rule's officer only while that officer is active and still holds an
active OFFICER or NODAL_OFFICER role in the rule's unit; otherwise the rule still
allots to the unit, and the unit assigns someone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from tortoise.expressions import Q

from backend.accounts.models import Membership
from backend.accounts.roles import SUBTREE_ROLES, Role
from backend.authz.actors import Actor, ActorKind
from backend.authz.policy import ROLES_FOR, Permission, require_staff
from backend.categories.models import Category
from backend.core.errors import FieldError, not_found, validation_error
from backend.core.validation import check_area_codes
from backend.orgs.models import Unit
from backend.routing.models import RoutingRule

# Roles that make someone the functionary a rule may name.
ACTING_ROLES: frozenset[Role] = frozenset({Role.OFFICER, Role.NODAL_OFFICER})


class RuleLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def category_id(self) -> int: ...
    @property
    def area_code(self) -> str: ...


R = TypeVar("R", bound=RuleLike)


@dataclass(frozen=True)
class Candidate:
    """The part of a rule `pick` looks at."""

    id: int
    category_id: int
    area_code: str


@dataclass(frozen=True)
class RouteTarget:
    rule_id: int
    unit: Unit
    officer_id: int | None


def area_segments(area_code: str) -> list[str]:
    return [s for s in area_code.split("-") if s]


def area_prefixes(area_code: str) -> list[str]:
    """Every area code a rule may carry to match `area_code`: "", "BR", "BR-PAT", ..."""
    segments = area_segments(area_code)
    return ["", *("-".join(segments[: i + 1]) for i in range(len(segments)))]


def area_matches(rule_area: str, area_code: str) -> bool:
    """Prefix on whole segments: "BR-PAT" matches "BR-PAT-BIHTA", never "BR-PATNA2"."""
    return rule_area == "" or area_code == rule_area or area_code.startswith(rule_area + "-")


def specificity(rule: RuleLike, category_ids_top_first: Sequence[int]) -> tuple[int, int]:
    """(area segments, category depth in the chain); larger is more specific."""
    return len(area_segments(rule.area_code)), category_ids_top_first.index(rule.category_id)


def matches(rule: RuleLike, category_ids_top_first: Sequence[int], area_code: str) -> bool:
    return rule.category_id in category_ids_top_first and area_matches(rule.area_code, area_code)


def pick(rules: Iterable[R], category_ids_top_first: list[int], area_code: str) -> R | None:
    """The winning rule among `rules` for a grievance in the category whose chain of ids
    (top first, itself last) is given, filed in `area_code`; None when none matches.
    The order is the module docstring's: longer area, then deeper category, then lower id."""
    best: R | None = None
    best_key: tuple[int, int, int] | None = None
    for rule in rules:
        if not matches(rule, category_ids_top_first, area_code):
            continue
        area_len, depth = specificity(rule, category_ids_top_first)
        key = (area_len, depth, -rule.id)
        if best_key is None or key > best_key:
            best, best_key = rule, key
    return best


async def officer_may_act(officer_id: int, unit_id: int) -> bool:
    return await Membership.exists(
        user_id=officer_id, unit_id=unit_id, active=True, role__in=list(ACTING_ROLES), user__active=True
    )


async def match(category: Category, area_code: str) -> RouteTarget | None:
    """Where a grievance in `category` filed for `area_code` goes, if any rule says so."""
    area = area_code.strip().upper()
    chain = category.ancestor_ids() or [category.id]
    candidates = await RoutingRule.filter(
        category_id__in=chain, area_code__in=area_prefixes(area), active=True, unit__active=True
    ).select_related("unit")
    by_id = {r.id: r for r in candidates}
    keys = [Candidate(r.id, r.category_id, r.area_code) for r in candidates]  # type: ignore[attr-defined]
    best = pick(keys, chain, area)
    if best is None:
        return None
    winner = by_id[best.id]
    officer_id: int | None = winner.officer_id  # type: ignore[attr-defined]
    if officer_id is not None and not await officer_may_act(officer_id, winner.unit.id):
        officer_id = None
    return RouteTarget(rule_id=winner.id, unit=winner.unit, officer_id=officer_id)


async def preview(actor: Actor, category_id: int, area_code: str) -> tuple[Category, str, RouteTarget | None]:
    """Staff ask where a grievance would go; returns the category, the cleaned area code
    and the target (None: it would wait at its intake unit)."""
    require_staff(actor)
    errors: list[FieldError] = []
    areas = check_area_codes("areaCode", [area_code], errors)
    if errors:
        raise validation_error([FieldError("areaCode", "is not an area code like BR-PAT-BIHTA")])
    category = await Category.get_or_none(id=category_id)
    if category is None:
        raise not_found("Category")
    area = areas[0] if areas else ""
    return category, area, await match(category, area)


async def get_rule(rule_id: int) -> RoutingRule | None:
    return await RoutingRule.get_or_none(id=rule_id).select_related("category", "unit", "officer")


async def rules_for_unit(unit_id: int, *, include_inactive: bool = False) -> list[RoutingRule]:
    """The rules that send work to this unit, most general first."""
    qs = RoutingRule.filter(unit_id=unit_id)
    if not include_inactive:
        qs = qs.filter(active=True)
    rules = await qs.select_related("category", "unit", "officer")
    return sorted(rules, key=lambda r: (r.category.path, len(area_segments(r.area_code)), r.area_code, r.id))


def _visible_rules_filter(actor: Actor) -> Q | None:
    """Rules whose unit the actor may view; None means all (the system)."""
    if actor.kind is ActorKind.SYSTEM:
        return None
    roles = ROLES_FOR[Permission.VIEW_UNIT]
    grants = [g for g in actor.grants if g.role in roles] if actor.kind is ActorKind.STAFF else []
    q = Q(id__in=[])
    for g in grants:
        q |= Q(unit__path__startswith=g.unit_path) if g.role in SUBTREE_ROLES else Q(unit_id=g.unit_id)
    return q


async def rules_visible_to(
    actor: Actor, limit: int, offset: int, *, include_inactive: bool = False
) -> list[RoutingRule]:
    """The rules sending work to units the actor may view, in a stable order."""
    qs = RoutingRule.all() if include_inactive else RoutingRule.filter(active=True)
    flt = _visible_rules_filter(actor)
    if flt is not None:
        qs = qs.filter(flt)
    qs = qs.select_related("category", "unit", "officer").order_by("unit_id", "category_id", "area_code", "id")
    return await qs.offset(max(0, offset)).limit(max(0, limit))
