"""GraphQL types of the organisation tree."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from backend.accounts.models import Membership as MembershipModel
from backend.authz.policy import Permission, may
from backend.orgs import selectors
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit as UnitModel
from backend.orgs.services import RestructurePlan as PlanModel

if TYPE_CHECKING:
    from backend.api.accounts.types import StaffAccount

UnitKindEnum = strawberry.enum(UnitKind, name="UnitKind")


@strawberry.type
class LocalisedName:
    language: str
    text: str


@strawberry.type
class EscalationStep:
    level: int
    authority: Unit | None


@strawberry.type
class Unit:
    id: strawberry.ID
    code: str
    kind: UnitKind
    depth: int
    active: bool
    version: int
    area_codes: list[str]
    names: list[LocalisedName]
    created_at: datetime
    _model: strawberry.Private[UnitModel]

    @classmethod
    def from_model(cls, unit: UnitModel) -> Unit:
        names: dict[str, str] = unit.names or {}
        return cls(
            id=strawberry.ID(str(unit.id)), code=unit.code, kind=unit.kind, depth=unit.depth, active=unit.active,
            version=unit.version, area_codes=list(unit.area_codes or []),
            names=[LocalisedName(language=k, text=v) for k, v in sorted(names.items())],
            created_at=unit.created_at, _model=unit,
        )

    @strawberry.field(description="The name in `language`, falling back to English.")
    def name(self, language: str = "en") -> str:
        return self._model.name(language)

    @strawberry.field
    async def parent(self, info: strawberry.Info) -> Unit | None:
        parent_id = self._model.parent_id  # type: ignore[attr-defined]
        if parent_id is None:
            return None
        parent = await info.context.loaders.unit_by_id.load(parent_id)
        return _visible(info, parent)

    @strawberry.field(description="Children the viewer may see, active ones unless asked.")
    async def children(self, info: strawberry.Info, include_inactive: bool = False) -> list[Unit]:
        children = await info.context.loaders.children_by_unit_id.load(self._model.id)
        return [
            Unit.from_model(c) for c in children
            if (include_inactive or c.active) and _visible(info, c) is not None
        ]

    @strawberry.field
    async def appellate_authority(self, info: strawberry.Info) -> Unit | None:
        target_id = self._model.appellate_authority_id  # type: ignore[attr-defined]
        if target_id is None:
            return None
        return Unit.from_model(u) if (u := await info.context.loaders.unit_by_id.load(target_id)) else None

    @strawberry.field
    async def escalation_ladder(self, info: strawberry.Info) -> list[EscalationStep]:
        steps = []
        for level in await info.context.loaders.ladder_by_unit_id.load(self._model.id):
            authority = await info.context.loaders.unit_by_id.load(level.authority_id)
            steps.append(EscalationStep(level=level.level, authority=Unit.from_model(authority) if authority else None))
        return steps

    @strawberry.field(description="Accounts holding a role here; needs the right to view accounts.")
    async def members(
        self, info: strawberry.Info
    ) -> list[Annotated[StaffAccount, strawberry.lazy("backend.api.accounts.types")]]:
        from backend.api.accounts.types import StaffAccount

        if not may(info.context.actor, Permission.VIEW_ACCOUNTS, self._model.path):
            return []
        rows = await MembershipModel.filter(unit_id=self._model.id).prefetch_related("user").order_by("user__username")
        seen: dict[int, StaffAccount] = {}
        for m in rows:
            if m.user.id not in seen:
                seen[m.user.id] = StaffAccount.from_model(m.user)
        return list(seen.values())


def _visible(info: strawberry.Info, unit: UnitModel | None) -> Unit | None:
    if unit is None:
        return None
    actor = info.context.actor
    if may(actor, Permission.VIEW_UNIT, unit.path) or selectors.is_ancestor_of_grant(actor, unit):
        return Unit.from_model(unit)
    return None


@strawberry.type(description="What a restructuring did, or would do when `dryRun` was true.")
class RestructurePlan:
    action: str
    dry_run: bool
    unit_codes: list[str]
    units_moved: int
    units_deactivated: int
    memberships_moved: int
    memberships_deactivated: int
    pending_items_moved: int
    target_code: str
    notes: list[str]
    pending_items: list[str] = strawberry.field(description="Numbers of the pending grievances that move (first 500).")

    @classmethod
    def from_plan(cls, plan: PlanModel, dry_run: bool) -> RestructurePlan:
        return cls(dry_run=dry_run, **plan.__dict__)


@strawberry.type
class UnitSuccess:
    unit: Unit
