"""Resolving the limit of a stage for a grievance: which policy, which calendar.

Order (most specific first): a policy for the grievance's category subtree (the deepest
category wins, then the nearest unit); the category's own SLA override (wall-clock
hours); a unit-wide policy (the nearest unit above, or the unit itself); the defaults
in `backend.grievances.clocks`. The calendar is the nearest unit's up the tree, with
the maintained public holidays of its state and every unit-added holiday on the way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from backend.categories.models import Category
from backend.grievances.clocks import DEFAULTS, Limit
from backend.grievances.states import Stage
from backend.sla.calendar import Calendar, Mode, WorkingHours
from backend.sla.models import BusinessCalendar, SlaPolicy, UnitHoliday
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


async def limits_for(unit_path: str, category_path: str, stages: Iterable[Stage], now: datetime,
                     cal: Calendar | None = None) -> dict[Stage, Limit]:
    wanted = sorted(set(stages))
    if not wanted:
        return {}
    cal = cal or await calendar_for(unit_path, now)
    units = ids_of(unit_path)
    categories = ids_of(category_path)
    policies = await SlaPolicy.filter(unit_id__in=units, stage__in=wanted)
    category_rows = await Category.filter(id__in=categories).values("id", "sla_overrides") if categories else []
    overrides = {int(r["id"]): r["sla_overrides"] or {} for r in category_rows}
    result: dict[Stage, Limit] = {}
    for stage in wanted:
        mine = [p for p in policies if p.stage is stage]
        by_category = [p for p in mine if p.category_id is not None and p.category_id in categories]  # type: ignore[attr-defined]
        unit_wide = [p for p in mine if p.category_id is None]  # type: ignore[attr-defined]
        if by_category:
            best = max(by_category, key=lambda p: (categories.index(p.category_id), units.index(p.unit_id)))  # type: ignore[attr-defined]
            result[stage] = Limit(Mode(best.mode), best.amount, cal)
            continue
        hours = next((float(overrides[c][stage.value]) for c in reversed(categories)
                      if stage.value in overrides.get(c, {})), None)
        if hours is not None:
            result[stage] = Limit(Mode.WALL_HOURS, hours, cal)
        elif unit_wide:
            best = max(unit_wide, key=lambda p: units.index(p.unit_id))  # type: ignore[attr-defined]
            result[stage] = Limit(Mode(best.mode), best.amount, cal)
        else:
            mode, amount = DEFAULTS[stage]
            result[stage] = Limit(mode, amount, cal)
    return result
