"""Resolving the limit of a stage for a grievance: which policy, which calendar.

Order (most specific first): a policy for the grievance's category subtree (the deepest
category wins, then the nearest unit); the category's own SLA override (wall-clock
hours); a unit-wide policy (the nearest unit above, or the unit itself); the defaults
in `backend.grievances.clocks`. The calendar is the nearest unit's up the tree, with
the maintained public holidays of its state and every unit-added holiday on the way.

Every transition asks for its limits, and the answer changes only when an administrator
changes a policy, a calendar, a holiday or a category's overrides: `limits_for` keeps
what it read per unit and category path, and checks one token (`SlaConfigVersion`, set
by database triggers on those tables) instead of reading four tables each time (tests/
bench: 4 of the ~20 statements of every transition).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Generic, TypeVar

from backend.categories.models import Category
from backend.grievances.clocks import DEFAULTS, Limit
from backend.grievances.states import Stage
from backend.sla.calendar import Calendar, Mode, WorkingHours
from backend.sla.models import BusinessCalendar, SlaConfigVersion, SlaPolicy, UnitHoliday
from backend.sla.public_holidays import public_holidays


def ids_of(path: str) -> list[int]:
    """`/1/7/42/` -> [1, 7, 42] (top first)."""
    return [int(p) for p in path.strip("/").split("/") if p]


async def calendar_for(unit_path: str, now: datetime) -> Calendar:
    units = ids_of(unit_path)
    rows = {c.unit_id: c for c in await BusinessCalendar.filter(unit_id__in=units)}  # type: ignore[attr-defined]
    own = next((rows[u] for u in reversed(units) if u in rows), None)
    years = range(now.year - 1, now.year + 3)
    country, subdivision = (own.holiday_country, own.holiday_subdivision or None) if own else ("IN", None)
    days = set(public_holidays(country, subdivision, years)) if country else set()
    days |= {row.day for row in await UnitHoliday.filter(unit_id__in=units).only("id", "day")}
    if own is None:
        return Calendar(holidays=frozenset(days))
    return Calendar(
        time_zone=own.time_zone, weekdays=frozenset(own.weekdays),
        hours=WorkingHours(_time(own.start_time), _time(own.end_time)), holidays=frozenset(days),
        second_and_fourth_saturdays_off=own.second_and_fourth_saturdays_off,
    )


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class _Policy:
    stage: Stage
    unit_id: int
    category_id: int | None
    mode: Mode
    amount: float


K = TypeVar("K")
V = TypeVar("V")


class _Recent(Generic[K, V]):
    """The most recently used `size` entries, all dropped when the token moves."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.token: int | None = None
        self.entries: OrderedDict[K, V] = OrderedDict()

    async def get(self, token: int, key: K, load: Callable[[], Awaitable[V]]) -> V:
        """The value kept for `key` under `token`, else `load()`'s (then kept)."""
        if token != self.token:
            self.entries.clear()
            self.token = token
        value = self.entries.get(key)
        if value is not None:
            self.entries.move_to_end(key)
            return value
        value = await load()
        if token == self.token:  # not when a newer token came meanwhile
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value


# Bounded by the tree's size (a few thousand units) and its category subtrees; a
# calendar is per unit path and year (the holiday years are counted from `now`).
_calendars: _Recent[tuple[str, int], Calendar] = _Recent(4096)
_policies: _Recent[str, tuple[_Policy, ...]] = _Recent(4096)
_overrides: _Recent[str, dict[int, dict[str, float]]] = _Recent(4096)


async def _token() -> int:
    """The configuration's current token (0 only where the row was removed: a test's
    truncation). Read in the caller's transaction, so its own uncommitted changes count."""
    rows = await SlaConfigVersion._choose_db().execute_query_dict(
        f"SELECT token FROM {SlaConfigVersion._meta.db_table} WHERE id = 1")
    return int(rows[0]["token"]) if rows else 0


async def _policies_at(units: list[int]) -> tuple[_Policy, ...]:
    return tuple(_Policy(p.stage, int(p.unit_id), int(p.category_id) if p.category_id is not None else None,  # type: ignore[attr-defined]
                         Mode(p.mode), float(p.amount))
                 for p in await SlaPolicy.filter(unit_id__in=units))


async def _overrides_of(categories: list[int]) -> dict[int, dict[str, float]]:
    rows = await Category.filter(id__in=categories).values("id", "sla_overrides") if categories else []
    return {int(r["id"]): r["sla_overrides"] or {} for r in rows}


async def limits_for(unit_path: str, category_path: str, stages: Iterable[Stage], now: datetime,
                     cal: Calendar | None = None) -> dict[Stage, Limit]:
    wanted = sorted(set(stages))
    if not wanted:
        return {}
    # The token is read before the rows: rows read after it are at least as new as it says,
    # so what is kept under a token is never older than that token.
    token = await _token()
    if cal is None:
        cal = await _calendars.get(token, (unit_path, now.year), lambda: calendar_for(unit_path, now))
    units = ids_of(unit_path)
    categories = ids_of(category_path)
    policies = await _policies.get(token, unit_path, lambda: _policies_at(units))
    overrides = await _overrides.get(token, category_path, lambda: _overrides_of(categories))
    result: dict[Stage, Limit] = {}
    for stage in wanted:
        mine = [p for p in policies if p.stage is stage]
        by_category = [p for p in mine if p.category_id is not None and p.category_id in categories]
        unit_wide = [p for p in mine if p.category_id is None]
        if by_category:
            best = max(by_category, key=lambda p: (categories.index(p.category_id), units.index(p.unit_id)))  # type: ignore[arg-type]
            result[stage] = Limit(best.mode, best.amount, cal)
            continue
        hours = next((float(overrides[c][stage.value]) for c in reversed(categories)
                      if stage.value in overrides.get(c, {})), None)
        if hours is not None:
            result[stage] = Limit(Mode.WALL_HOURS, hours, cal)
        elif unit_wide:
            best = max(unit_wide, key=lambda p: units.index(p.unit_id))
            result[stage] = Limit(best.mode, best.amount, cal)
        else:
            mode, amount = DEFAULTS[stage]
            result[stage] = Limit(mode, amount, cal)
    return result
