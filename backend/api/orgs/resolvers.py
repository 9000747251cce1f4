"""The organisation tree over GraphQL: thin resolvers over `backend.orgs`."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.api.ids import int_id
from backend.api.limits import page_maximum
from backend.api.orgs.types import RestructurePlan, Unit, UnitSuccess
from backend.orgs import selectors, services
from backend.orgs.kinds import UnitKind

Info = strawberry.Info[Context, None]


@strawberry.input
class NameInput:
    language: str
    text: str


@strawberry.input
class UnitInput:
    code: str
    kind: UnitKind
    names: list[NameInput]
    area_codes: list[str] = strawberry.field(default_factory=list)
    appellate_authority_id: strawberry.ID | None = None
    escalation_authority_ids: list[strawberry.ID] = strawberry.field(default_factory=list)

    def to_domain(self) -> services.UnitInput:
        return services.UnitInput(
            code=self.code, kind=self.kind, names={n.language: n.text for n in self.names},
            area_codes=list(self.area_codes),
            appellate_authority_id=int_id(self.appellate_authority_id) if self.appellate_authority_id else None,
            escalation_authority_ids=[int_id(i) for i in self.escalation_authority_ids],
        )


@strawberry.type
class SetPasswordLinkRow:
    username: str
    url: str


@strawberry.type(description="What an import did (or would do, on a dry run).")
class OrgImportReport:
    dry_run: bool
    units_created: int
    units_updated: int
    units_moved: int
    units_deactivated: int
    accounts_created: int
    accounts_updated: int
    accounts_deactivated: int
    roles_granted: int
    roles_revoked: int
    pending_items_moved: int
    set_password_links: list[SetPasswordLinkRow]


@strawberry.enum
class OrgExportKind(Enum):
    UNITS = "units"
    OFFICERS = "officers"


@strawberry.type
class OrgExport:
    kind: OrgExportKind
    csv: str


@strawberry.type
class OrgQueries:
    @strawberry.field(description="A unit the viewer may see, else null.")
    async def unit(self, info: Info, id: strawberry.ID) -> Unit | None:
        unit = await selectors.get_visible_unit(info.context.actor, int_id(id))
        return Unit.from_model(unit) if unit else None

    @strawberry.field(description="The units the viewer's roles attach to: where their tree starts.")
    async def my_units(self, info: Info) -> list[Unit]:
        return [Unit.from_model(u) for u in await selectors.my_root_units(info.context.actor)]

    @strawberry.field(description="Search visible active units by code or name (any language); `first` at most "
                                  f"{page_maximum('Query', 'units')}.")
    async def units(self, info: Info, search: str = "", first: int = 50) -> list[Unit]:
        first = max(1, min(first, page_maximum("Query", "units")))
        return [Unit.from_model(u) for u in await selectors.search_units(info.context.actor, search[:100], limit=first)]

    @strawberry.field(description="CSV of a subtree's units or officers, for `orgImport` or a spreadsheet.")
    async def org_export(
        self, info: Info, root_unit_id: strawberry.ID, kind: OrgExportKind
    ) -> Annotated[OrgExport | OperationError, strawberry.union("OrgExportResult")]:
        async def run() -> OrgExport:
            from backend.orgs import csv_exchange

            export = csv_exchange.export_units if kind is OrgExportKind.UNITS else csv_exchange.export_officers
            return OrgExport(kind=kind, csv=await export(info.context.actor, root_unit_id=int_id(root_unit_id)))

        return await as_data(run)


@strawberry.type
class OrgMutations:
    @strawberry.mutation(description="Create a child unit under `parentId` (within the viewer's subtree).")
    async def unit_create(
        self, info: Info, parent_id: strawberry.ID, input: UnitInput
    ) -> Annotated[UnitSuccess | OperationError, strawberry.union("UnitCreateResult")]:
        async def run() -> UnitSuccess:
            unit = await services.create_unit(info.context.actor, input.to_domain(), parent_id=int_id(parent_id),
                                              now=info.context.now)
            return UnitSuccess(unit=Unit.from_model(unit))

        return await as_data(run)

    @strawberry.mutation(description="Edit a unit; `version` must be the one you read (else CHANGED_MEANWHILE).")
    async def unit_update(
        self, info: Info, id: strawberry.ID, version: int, input: UnitInput
    ) -> Annotated[UnitSuccess | OperationError, strawberry.union("UnitUpdateResult")]:
        async def run() -> UnitSuccess:
            unit = await services.update_unit(info.context.actor, unit_id=int_id(id), data=input.to_domain(),
                                              expected_version=version, now=info.context.now)
            return UnitSuccess(unit=Unit.from_model(unit))

        return await as_data(run)

    @strawberry.mutation(description="Move a unit and its subtree under another parent.")
    async def unit_move(
        self, info: Info, id: strawberry.ID, new_parent_id: strawberry.ID, dry_run: bool
    ) -> Annotated[RestructurePlan | OperationError, strawberry.union("UnitMoveResult")]:
        async def run() -> RestructurePlan:
            plan = await services.move_subtree(info.context.actor, unit_id=int_id(id),
                                               new_parent_id=int_id(new_parent_id), dry_run=dry_run,
                                               now=info.context.now)
            return RestructurePlan.from_plan(plan, dry_run)

        return await as_data(run)

    @strawberry.mutation(description="Merge a redundant unit into another; children, roles and pending work follow.")
    async def unit_merge(
        self, info: Info, source_id: strawberry.ID, target_id: strawberry.ID, dry_run: bool
    ) -> Annotated[RestructurePlan | OperationError, strawberry.union("UnitMergeResult")]:
        async def run() -> RestructurePlan:
            plan = await services.merge_units(info.context.actor, source_id=int_id(source_id),
                                              target_id=int_id(target_id), dry_run=dry_run, now=info.context.now)
            return RestructurePlan.from_plan(plan, dry_run)

        return await as_data(run)

    @strawberry.mutation(description="Deactivate a unit and its subtree; pending work goes to `successorId`.")
    async def unit_deactivate(
        self, info: Info, id: strawberry.ID, dry_run: bool, successor_id: strawberry.ID | None = None
    ) -> Annotated[RestructurePlan | OperationError, strawberry.union("UnitDeactivateResult")]:
        async def run() -> RestructurePlan:
            plan = await services.deactivate_unit(
                info.context.actor, unit_id=int_id(id),
                successor_id=int_id(successor_id) if successor_id is not None else None,
                dry_run=dry_run, now=info.context.now,
            )
            return RestructurePlan.from_plan(plan, dry_run)

        return await as_data(run)

    @strawberry.mutation(description="Import units and officers from CSV: all rows or none.")
    async def org_import(
        self, info: Info, dry_run: bool, units_csv: str | None = None, officers_csv: str | None = None
    ) -> Annotated[OrgImportReport | OperationError, strawberry.union("OrgImportResult")]:
        async def run() -> OrgImportReport:
            from backend.orgs import csv_exchange

            report = await csv_exchange.import_org(
                info.context.settings, info.context.actor, units_csv=units_csv, officers_csv=officers_csv,
                dry_run=dry_run, now=info.context.now,
            )
            fields = {k: v for k, v in report.__dict__.items() if k != "set_password_links"}
            links = [SetPasswordLinkRow(username=u, url=url) for u, url in report.set_password_links]
            return OrgImportReport(set_password_links=links, **fields)

        return await as_data(run)
