"""Reads of SLA settings: which limit applies where and why, the effective calendar,
and the policies a unit sets.

`effective_for` explains what `backend.sla.policies.limits_for` resolves: it follows the
same order (a policy for the category subtree - deepest category, then nearest unit;
the category's own override; the nearest unit-wide policy; the defaults) and names the
source of each limit. The two must stay in step: tests/integration/test_sla_services.py
checks them against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from backend.authz.actors import Actor
from backend.authz.policy import Permission, require, require_staff
from backend.categories.models import Category
from backend.core.errors import not_found
from backend.grievances.clocks import DEFAULTS
from backend.grievances.states import Stage
from backend.orgs.models import Unit
from backend.sla.calendar import Calendar, Mode
from backend.sla.models import BusinessCalendar, SlaPolicy, UnitHoliday
from backend.sla.policies import ids_of
from backend.sla.public_holidays import public_holidays


class LimitSource(StrEnum):
    CATEGORY_POLICY = "category_policy"
    CATEGORY_OVERRIDE = "category_override"
    UNIT_POLICY = "unit_policy"
    DEFAULT = "default"


class HolidayKind(StrEnum):
    PUBLIC = "public"  # from the maintained `holidays` package (national and state)
    UNIT = "unit"  # added by a unit on the way up the tree


@dataclass(frozen=True)
class EffectiveLimit:
    stage: Stage
    mode: Mode
    amount: float
    source: str  # for people: "unit policy at BR", "default", ...
    source_kind: LimitSource
    policy_id: int | None = None
    source_unit_code: str | None = None
    source_category_code: str | None = None


@dataclass(frozen=True)
class HolidayEntry:
    day: date
    name: str
    kind: HolidayKind
    holiday_id: int | None = None  # unit-added ones: what `remove_holiday` takes
    unit_code: str | None = None


@dataclass(frozen=True)
class CalendarView:
    unit_id: int
    # Where the calendar comes from: the unit itself, the nearest unit above that sets
    # one, or nobody (None: the built-in default calendar).
    source_unit_id: int | None
    source_unit_code: str | None
    # The unit's own calendar's version (what `set_calendar` expects), None when it inherits.
    version: int | None
    time_zone: str
    weekdays: list[int]
    start_time: str
    end_time: str
    second_and_fourth_saturdays_off: bool
    holiday_country: str
    holiday_subdivision: str
    year: int
    holidays: list[HolidayEntry]

    @property
    def inherited(self) -> bool:
        return self.source_unit_id != self.unit_id


async def viewable_unit(actor: Actor, unit_id: int) -> Unit:
    """The unit, for staff who may view it (the SLA queries' access rule)."""
    require_staff(actor)
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found("Unit")
    require(actor, Permission.VIEW_UNIT, unit.path)
    return unit


async def effective_for(unit_id: int, category_id: int | None, now: datetime) -> list[EffectiveLimit]:
    """Every stage's limit for a grievance of `category_id` (None: any category) at the
    unit, in `Stage` order, with where it comes from. `now` is the moment asked about
    (limits are current settings: kept for the calendar-aware callers to come)."""
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found("Unit")
    units = ids_of(unit.path)
    categories: list[int] = []
    if category_id is not None:
        category = await Category.get_or_none(id=category_id)
        if category is None:
            raise not_found("Category")
        categories = ids_of(category.path)
    unit_codes = {u["id"]: u["code"] for u in await Unit.filter(id__in=units).values("id", "code")}
    category_rows = await Category.filter(id__in=categories).values("id", "code", "sla_overrides") if categories else []
    category_codes = {int(r["id"]): str(r["code"]) for r in category_rows}
    overrides = {int(r["id"]): r["sla_overrides"] or {} for r in category_rows}
    policies = await SlaPolicy.filter(unit_id__in=units)
    result: list[EffectiveLimit] = []
    for stage in Stage:
        mine = [p for p in policies if p.stage is stage]
        by_category = [p for p in mine if p.category_id is not None and p.category_id in categories]  # type: ignore[attr-defined]
        unit_wide = [p for p in mine if p.category_id is None]  # type: ignore[attr-defined]
        if by_category:
            best = max(by_category, key=lambda p: (categories.index(p.category_id), units.index(p.unit_id)))  # type: ignore[attr-defined]
            where, what = unit_codes[best.unit_id], category_codes[best.category_id]  # type: ignore[attr-defined]
            result.append(EffectiveLimit(stage, Mode(best.mode), best.amount, f"category policy at {where} for {what}",
                                         LimitSource.CATEGORY_POLICY, best.id, where, what))
            continue
        overriding = next((c for c in reversed(categories) if stage.value in overrides.get(c, {})), None)
        if overriding is not None:
            result.append(EffectiveLimit(stage, Mode.WALL_HOURS, float(overrides[overriding][stage.value]),
                                         "category override", LimitSource.CATEGORY_OVERRIDE,
                                         source_category_code=category_codes[overriding]))
        elif unit_wide:
            best = max(unit_wide, key=lambda p: units.index(p.unit_id))  # type: ignore[attr-defined]
            where = unit_codes[best.unit_id]  # type: ignore[attr-defined]
            result.append(EffectiveLimit(stage, Mode(best.mode), best.amount, f"unit policy at {where}",
                                         LimitSource.UNIT_POLICY, best.id, where))
        else:
            mode, amount = DEFAULTS[stage]
            result.append(EffectiveLimit(stage, mode, float(amount), "default", LimitSource.DEFAULT))
    return result


async def calendar_view(unit_id: int, now: datetime) -> CalendarView:
    """The calendar deadlines at the unit are counted in (as `policies.calendar_for`
    builds it), with the holidays of the current year - the year of `now` in the
    calendar's own time zone."""
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found("Unit")
    units = ids_of(unit.path)
    rows = {c.unit_id: c for c in await BusinessCalendar.filter(unit_id__in=units)}  # type: ignore[attr-defined]
    own = next((rows[u] for u in reversed(units) if u in rows), None)
    codes = {u["id"]: u["code"] for u in await Unit.filter(id__in=units).values("id", "code")}
    default = Calendar()
    if own is None:
        zone, weekdays = default.time_zone, sorted(default.weekdays)
        start, end = default.hours.start.strftime("%H:%M"), default.hours.end.strftime("%H:%M")
        saturdays, country, subdivision = default.second_and_fourth_saturdays_off, "IN", ""
    else:
        zone, weekdays, start, end = own.time_zone, sorted(own.weekdays), own.start_time, own.end_time
        saturdays, country, subdivision = own.second_and_fourth_saturdays_off, own.holiday_country, own.holiday_subdivision
    year = now.astimezone(ZoneInfo(zone)).year
    entries = [HolidayEntry(day, name, HolidayKind.PUBLIC)
               for day, name in public_holidays(country, subdivision or None, [year]).items()] if country else []
    added = await UnitHoliday.filter(unit_id__in=units, day__gte=date(year, 1, 1), day__lte=date(year, 12, 31))
    entries += [HolidayEntry(h.day, h.name, HolidayKind.UNIT, h.id, codes.get(h.unit_id)) for h in added]  # type: ignore[attr-defined]
    entries.sort(key=lambda e: (e.day, e.kind != HolidayKind.PUBLIC, e.unit_code or "", e.name))
    source_id = own.unit_id if own else None  # type: ignore[attr-defined]
    return CalendarView(
        unit_id=unit.id, source_unit_id=source_id, source_unit_code=codes.get(source_id) if source_id else None,
        version=own.version if own is not None and source_id == unit.id else None,
        time_zone=zone, weekdays=weekdays, start_time=start, end_time=end, second_and_fourth_saturdays_off=saturdays,
        holiday_country=country, holiday_subdivision=subdivision, year=year, holidays=entries,
    )


_STAGE_ORDER = {stage: i for i, stage in enumerate(Stage)}


async def policies_at(unit_id: int) -> list[SlaPolicy]:
    """The policies the unit itself sets (unit-wide first, then per category by code),
    each stage in `Stage` order; `unit` and `category` are fetched."""
    rows = await SlaPolicy.filter(unit_id=unit_id).prefetch_related("unit", "category")
    return sorted(rows, key=lambda p: (p.category.code if p.category else "", _STAGE_ORDER[Stage(p.stage)]))
