"""GraphQL types of the category tree. Category reads are public: citizens pick one."""

from __future__ import annotations

import strawberry

from backend.api.orgs.types import LocalisedName, Unit
from backend.categories.models import Category as CategoryModel
from backend.categories.selectors import CategoryMatch as MatchModel
from backend.core.errors import not_found


@strawberry.type(description="Keywords of one language, lower-cased.")
class CategoryKeywords:
    language: str
    keywords: list[str]


@strawberry.type(description="The hours a stage may take in this category's subtree, overriding the unit's policy.")
class SlaOverride:
    stage: str
    hours: float


@strawberry.type(description="A node of a department's category tree: service / scheme, category or sub-category.")
class Category:
    id: strawberry.ID
    code: str
    depth: int
    names: list[LocalisedName]
    keywords: list[CategoryKeywords]
    is_others: bool = strawberry.field(description="The department's catch-all leaf; search lists it last.")
    right_to_service_days: int | None = strawberry.field(
        description="Right-to-Service days set on this category itself; null inherits (see effectiveRightToServiceDays)."
    )
    sensitive: bool = strawberry.field(description="Set on this category itself; the flag covers its subtree.")
    sla_overrides: list[SlaOverride]
    active: bool
    version: int
    _model: strawberry.Private[CategoryModel]

    @classmethod
    def from_model(cls, category: CategoryModel) -> Category:
        names: dict[str, str] = category.names or {}
        keywords: dict[str, list[str]] = category.keywords or {}
        overrides: dict[str, float] = category.sla_overrides or {}
        return cls(
            id=strawberry.ID(str(category.id)), code=category.code, depth=category.depth,
            names=[LocalisedName(language=k, text=v) for k, v in sorted(names.items())],
            keywords=[CategoryKeywords(language=k, keywords=list(v)) for k, v in sorted(keywords.items())],
            is_others=category.is_others, right_to_service_days=category.rts_days, sensitive=category.sensitive,
            sla_overrides=[SlaOverride(stage=k, hours=float(v)) for k, v in sorted(overrides.items())],
            active=category.active, version=category.version, _model=category,
        )

    @strawberry.field(description="The name in `language`, falling back to English.")
    def name(self, language: str = "en") -> str:
        return self._model.name(language)

    @strawberry.field(description="The department unit that owns the tree.")
    async def department(self, info: strawberry.Info) -> Unit:
        unit = await info.context.loaders.unit_by_id.load(self._model.department_id)  # type: ignore[attr-defined]
        if unit is None:
            raise not_found("Department")
        return Unit.from_model(unit)

    @strawberry.field
    async def parent(self, info: strawberry.Info) -> Category | None:
        parent_id = self._model.parent_id  # type: ignore[attr-defined]
        if parent_id is None:
            return None
        parent = await info.context.loaders.category_by_id.load(parent_id)
        return Category.from_model(parent) if parent else None

    @strawberry.field(description="Sub-categories, Others last; active ones unless asked.")
    async def children(self, info: strawberry.Info, include_inactive: bool = False) -> list[Category]:
        rows = await info.context.loaders.category_children_by_parent_id.load(self._model.id)
        return [Category.from_model(c) for c in rows if include_inactive or c.active]

    @strawberry.field(description="From the top-level category down to this one.")
    async def path(self, info: strawberry.Info) -> list[Category]:
        rows = await info.context.loaders.category_by_id.load_many(self._model.ancestor_ids())
        return [Category.from_model(c) for c in rows if c is not None]

    @strawberry.field(description="True when it has no active sub-categories: grievances are filed in leaves.")
    async def is_leaf(self, info: strawberry.Info) -> bool:
        rows = await info.context.loaders.category_children_by_parent_id.load(self._model.id)
        return not any(c.active for c in rows)

    @strawberry.field(description="Right-to-Service days of the nearest category on the path that sets them.")
    async def effective_right_to_service_days(self, info: strawberry.Info) -> int | None:
        rows = await info.context.loaders.category_by_id.load_many(self._model.ancestor_ids())
        return next((c.rts_days for c in reversed(rows) if c is not None and c.rts_days is not None), None)

    @strawberry.field(description="True when this category or one above it is sensitive.")
    async def effectively_sensitive(self, info: strawberry.Info) -> bool:
        rows = await info.context.loaders.category_by_id.load_many(self._model.ancestor_ids())
        return any(c.sensitive for c in rows if c is not None)


@strawberry.type(description="A leaf that matches a search, with its whole path: one pick files under it.")
class CategoryMatch:
    leaf: Category
    path: list[Category] = strawberry.field(description="From the top-level category down to the leaf.")
    department: Unit
    score: float = strawberry.field(description="Higher is better; results come best first.")

    @classmethod
    def from_match(cls, info: strawberry.Info, match: MatchModel) -> CategoryMatch:
        loaders = info.context.loaders
        for node in match.path:
            loaders.category_by_id.prime(node.id, node)
        info.context.loaders.unit_by_id.prime(match.department.id, match.department)
        return cls(leaf=Category.from_model(match.leaf), path=[Category.from_model(c) for c in match.path],
                   department=Unit.from_model(match.department), score=match.score)


@strawberry.type
class CategorySearchResults:
    matches: list[CategoryMatch]


@strawberry.type
class CategorySuccess:
    category: Category
