"""DataLoaders, created per request (never shared: they cache what one actor saw)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from backend.categories.models import Category
from backend.orgs.models import EscalationLevel, Unit
from backend.rts.models import RtsCase


async def _units_by_id(ids: Sequence[int]) -> list[Unit | None]:
    found = {u.id: u for u in await Unit.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]


async def _children_by_parent(ids: Sequence[int]) -> list[list[Unit]]:
    grouped: dict[int, list[Unit]] = defaultdict(list)
    for unit in await Unit.filter(parent_id__in=list(ids)).order_by("code"):
        grouped[unit.parent_id].append(unit)  # type: ignore[attr-defined]
    return [grouped[i] for i in ids]


async def _ladders_by_unit(ids: Sequence[int]) -> list[list[EscalationLevel]]:
    grouped: dict[int, list[EscalationLevel]] = defaultdict(list)
    for level in await EscalationLevel.filter(unit_id__in=list(ids)).order_by("level"):
        grouped[level.unit_id].append(level)  # type: ignore[attr-defined]
    return [grouped[i] for i in ids]


async def _categories_by_id(ids: Sequence[int]) -> list[Category | None]:
    found = {c.id: c for c in await Category.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]


async def _category_children(ids: Sequence[int]) -> list[list[Category]]:
    grouped: dict[int, list[Category]] = defaultdict(list)
    for category in await Category.filter(parent_id__in=list(ids)).order_by("is_others", "code"):
        grouped[category.parent_id].append(category)  # type: ignore[attr-defined]
    return [grouped[i] for i in ids]


async def _rts_cases(ids: Sequence[int]) -> list[RtsCase | None]:
    found = {c.grievance_id: c for c in await RtsCase.filter(grievance_id__in=list(ids))}  # type: ignore[attr-defined]
    return [found.get(i) for i in ids]


class Loaders:
    """Each loader is made on first use: a websocket's context lives as long as its
    subscriptions, which use none of them, and six eager DataLoaders (each with its
    cache dict and queue) were a noticeable share of a held subscription's memory."""

    @cached_property
    def unit_by_id(self) -> DataLoader[int, Unit | None]:
        return DataLoader(_units_by_id)

    @cached_property
    def children_by_unit_id(self) -> DataLoader[int, list[Unit]]:
        return DataLoader(_children_by_parent)

    @cached_property
    def ladder_by_unit_id(self) -> DataLoader[int, list[EscalationLevel]]:
        return DataLoader(_ladders_by_unit)

    @cached_property
    def category_by_id(self) -> DataLoader[int, Category | None]:
        return DataLoader(_categories_by_id)

    @cached_property
    def category_children_by_parent_id(self) -> DataLoader[int, list[Category]]:
        """Children ordered with "Others" last, then by code."""
        return DataLoader(_category_children)

    @cached_property
    def rts_case_by_grievance_id(self) -> DataLoader[int, RtsCase | None]:
        return DataLoader(_rts_cases)
