"""GraphQL types of the routing rules."""

from __future__ import annotations

import strawberry

from backend.api.orgs.types import Unit
from backend.routing.models import RoutingRule as RoutingRuleModel


@strawberry.type(description="Grievances in the category's subtree filed for the area go to the unit (and officer).")
class RoutingRule:
    id: strawberry.ID
    category_id: strawberry.ID
    category_code: str
    area_code: str = strawberry.field(description='Empty matches every area; "BR-PAT" matches BR-PAT and the areas below it.')
    officer_id: strawberry.ID | None
    officer_name: str | None
    active: bool
    _model: strawberry.Private[RoutingRuleModel]

    @classmethod
    def from_model(cls, rule: RoutingRuleModel) -> RoutingRule:
        """`rule` must come with its category and officer (see `backend.routing.selectors`)."""
        officer = rule.officer
        return cls(
            id=strawberry.ID(str(rule.id)), category_id=strawberry.ID(str(rule.category.id)),
            category_code=rule.category.code, area_code=rule.area_code,
            officer_id=strawberry.ID(str(officer.id)) if officer else None,
            officer_name=officer.full_name if officer else None, active=rule.active, _model=rule,
        )

    @strawberry.field(description="The category's name in `language`, falling back to English.")
    def category_name(self, language: str = "en") -> str:
        return self._model.category.name(language)

    @strawberry.field
    async def unit(self, info: strawberry.Info) -> Unit | None:
        unit = await info.context.loaders.unit_by_id.load(self._model.unit_id)  # type: ignore[attr-defined]
        return Unit.from_model(unit) if unit else None


@strawberry.type
class RoutingRuleSuccess:
    rule: RoutingRule


@strawberry.type(description="Where a grievance would go now; no rule means it waits at its intake unit.")
class RoutingPreview:
    category_id: strawberry.ID
    area_code: str
    matched: bool
    rule_id: strawberry.ID | None
    unit: Unit | None
    officer_id: strawberry.ID | None
    officer_name: str | None
