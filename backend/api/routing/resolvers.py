"""Routing rules over GraphQL: list, preview, set and delete."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.accounts.models import StaffUser
from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.api.ids import int_id
from backend.api.limits import page_maximum
from backend.api.orgs.types import Unit
from backend.api.routing.types import RoutingPreview, RoutingRule, RoutingRuleSuccess
from backend.authz.policy import Permission, may
from backend.core.errors import not_found
from backend.orgs.models import Unit as UnitModel
from backend.routing import selectors, services

Info = strawberry.Info[Context, None]
RoutingRuleResult = Annotated[RoutingRuleSuccess | OperationError, strawberry.union("RoutingRuleResult")]


@strawberry.input
class RoutingRuleInput:
    category_id: strawberry.ID
    unit_id: strawberry.ID
    area_code: str = strawberry.field(default="", description="Empty for every area.")
    officer_id: strawberry.ID | None = strawberry.field(
        default=None, description="The functionary who must act: an officer or nodal officer of the unit."
    )

    def to_domain(self) -> services.RuleInput:
        return services.RuleInput(
            category_id=int_id(self.category_id), area_code=self.area_code, unit_id=int_id(self.unit_id),
            officer_id=int_id(self.officer_id) if self.officer_id is not None else None,
        )


async def _success(rule_id: int) -> RoutingRuleSuccess:
    rule = await selectors.get_rule(rule_id)
    if rule is None:
        raise not_found("Routing rule")
    return RoutingRuleSuccess(rule=RoutingRule.from_model(rule))


@strawberry.type
class RoutingQueries:
    @strawberry.field(description="Rules sending work to `unitId` if the viewer may see it, else to every unit the "
                                  "viewer may see (paged by `first` / `offset`, `first` at most "
                                  f"{page_maximum('Query', 'routingRules')}); empty when none is visible.")
    async def routing_rules(
        self, info: Info, unit_id: strawberry.ID | None = None, include_inactive: bool = False, first: int = 100,
        offset: int = 0,
    ) -> list[RoutingRule]:
        actor = info.context.actor
        if unit_id is None:
            first = max(1, min(first, page_maximum("Query", "routingRules")))
            rules = await selectors.rules_visible_to(actor, first, max(0, offset), include_inactive=include_inactive)
            return [RoutingRule.from_model(r) for r in rules]
        unit = await UnitModel.get_or_none(id=int_id(unit_id))
        if unit is None or not may(actor, Permission.VIEW_UNIT, unit.path):
            return []
        return [RoutingRule.from_model(r) for r in await selectors.rules_for_unit(unit.id, include_inactive=include_inactive)]

    @strawberry.field(description="Where a grievance in the category and area would be allotted now (staff only).")
    async def routing_preview(
        self, info: Info, category_id: strawberry.ID, area_code: str = ""
    ) -> Annotated[RoutingPreview | OperationError, strawberry.union("RoutingPreviewResult")]:
        async def run() -> RoutingPreview:
            category, area, target = await selectors.preview(info.context.actor, int_id(category_id), area_code)
            officer = await StaffUser.get_or_none(id=target.officer_id) if target and target.officer_id else None
            return RoutingPreview(
                category_id=strawberry.ID(str(category.id)), area_code=area, matched=target is not None,
                rule_id=strawberry.ID(str(target.rule_id)) if target else None,
                unit=Unit.from_model(target.unit) if target else None,
                officer_id=strawberry.ID(str(officer.id)) if officer else None,
                officer_name=officer.full_name if officer else None,
            )

        return await as_data(run)


@strawberry.type
class RoutingMutations:
    @strawberry.mutation(description="Create the rule for (category, area), or replace the one there is.")
    async def routing_rule_set(self, info: Info, input: RoutingRuleInput) -> RoutingRuleResult:
        async def run() -> RoutingRuleSuccess:
            rule = await services.set_rule(info.context.actor, input.to_domain(), info.context.now)
            return await _success(rule.id)

        return await as_data(run)

    @strawberry.mutation(description="Switch a rule off; setting it again revives it.")
    async def routing_rule_delete(self, info: Info, id: strawberry.ID) -> RoutingRuleResult:
        async def run() -> RoutingRuleSuccess:
            rule = await services.delete_rule(info.context.actor, int_id(id), info.context.now)
            return await _success(rule.id)

        return await as_data(run)
