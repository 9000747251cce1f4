"""The category tree over GraphQL: public reads and search, heads' edits."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.categories.types import Category, CategoryMatch, CategorySearchResults, CategorySuccess
from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.api.ids import int_id
from backend.api.limits import page_maximum, page_size
from backend.api.orgs.resolvers import NameInput
from backend.categories import selectors, services

Info = strawberry.Info[Context, None]


@strawberry.input
class CategoryKeywordsInput:
    language: str
    keywords: list[str]


@strawberry.input(description="`stage` is a GrievanceStage value in lower case, e.g. final_report.")
class SlaOverrideInput:
    stage: str
    hours: float


@strawberry.input
class CategoryInput:
    code: str
    names: list[NameInput]
    keywords: list[CategoryKeywordsInput] = strawberry.field(default_factory=list)
    right_to_service_days: int | None = strawberry.field(
        default=None, description="Notified delivery time in days (1-365); null inherits from the parent."
    )
    sensitive: bool = False
    sla_overrides: list[SlaOverrideInput] = strawberry.field(default_factory=list)
    is_others: bool = strawberry.field(default=False, description="The department's one catch-all leaf.")

    def to_domain(self) -> services.CategoryInput:
        keywords: dict[str, list[str]] = {}
        for group in self.keywords:
            keywords.setdefault(group.language, []).extend(group.keywords)
        return services.CategoryInput(
            code=self.code, names={n.language: n.text for n in self.names}, keywords=keywords,
            rts_days=self.right_to_service_days, sensitive=self.sensitive,
            sla_overrides={o.stage: o.hours for o in self.sla_overrides}, is_others=self.is_others,
        )


@strawberry.type
class CategoryQueries:
    @strawberry.field(description="A category by id (public), else null.")
    async def category(self, id: strawberry.ID) -> Category | None:
        category = await selectors.get_category(int_id(id))
        return Category.from_model(category) if category else None

    @strawberry.field(description="Sub-categories of `parentId`, else the top level of `departmentId` (public).")
    async def categories(
        self, department_id: strawberry.ID | None = None, parent_id: strawberry.ID | None = None,
        include_inactive: bool = False,
    ) -> list[Category]:
        if parent_id is not None:
            rows = await selectors.children(parent_id=int_id(parent_id), include_inactive=include_inactive)
            if department_id is not None:
                rows = [c for c in rows if c.department_id == int_id(department_id)]  # type: ignore[attr-defined]
        elif department_id is not None:
            rows = await selectors.children(department_id=int_id(department_id), include_inactive=include_inactive)
        else:
            rows = []
        return [Category.from_model(c) for c in rows]

    @strawberry.field(description="Keyword search in English or Hindi: leaves with their whole paths, best first "
                                  f"(public; `limit` at most {page_maximum('Query', 'categorySearch')}).")
    async def category_search(
        self, info: Info, text: str, language: str = "en", limit: int = 10
    ) -> Annotated[CategorySearchResults | OperationError, strawberry.union("CategorySearchResult")]:
        async def run() -> CategorySearchResults:
            matches = await selectors.search(text, language, page_size(limit, "Query", "categorySearch", "limit"))
            return CategorySearchResults(matches=[CategoryMatch.from_match(info, m) for m in matches])

        return await as_data(run)


@strawberry.type
class CategoryMutations:
    @strawberry.mutation(description="Create a top-level category of `departmentId`, or a sub-category of `parentId`.")
    async def category_create(
        self, info: Info, input: CategoryInput, department_id: strawberry.ID | None = None,
        parent_id: strawberry.ID | None = None,
    ) -> Annotated[CategorySuccess | OperationError, strawberry.union("CategoryCreateResult")]:
        async def run() -> CategorySuccess:
            category = await services.create_category(
                info.context.actor, input.to_domain(),
                department_id=int_id(department_id) if department_id is not None else None,
                parent_id=int_id(parent_id) if parent_id is not None else None, now=info.context.now,
            )
            return CategorySuccess(category=Category.from_model(category))

        return await as_data(run)

    @strawberry.mutation(description="Edit a category; `expectedVersion` must be the one you read "
                                     "(else CHANGED_MEANWHILE).")
    async def category_update(
        self, info: Info, id: strawberry.ID, input: CategoryInput, expected_version: int
    ) -> Annotated[CategorySuccess | OperationError, strawberry.union("CategoryUpdateResult")]:
        async def run() -> CategorySuccess:
            category = await services.update_category(info.context.actor, int_id(id), input.to_domain(),
                                                      expected_version=expected_version, now=info.context.now)
            return CategorySuccess(category=Category.from_model(category))

        return await as_data(run)

    @strawberry.mutation(description="Retire a category (its sub-categories first); filed grievances keep it.")
    async def category_deactivate(
        self, info: Info, id: strawberry.ID
    ) -> Annotated[CategorySuccess | OperationError, strawberry.union("CategoryDeactivateResult")]:
        async def run() -> CategorySuccess:
            category = await services.deactivate_category(info.context.actor, int_id(id), now=info.context.now)
            return CategorySuccess(category=Category.from_model(category))

        return await as_data(run)
