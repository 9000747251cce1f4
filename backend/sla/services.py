"""Use cases on SLA settings (F6): policies, business calendars, unit holidays and the
windows of the escalation ladder.

Who may change them: `MANAGE_SLA` (administrators, nodal officers and heads) covering
the unit the setting belongs to, so a district sets its own limits and calendar and its
subtree inherits them, while nobody changes another district's.

A policy for one category needs more, because it beats every unit-wide policy below
it: the actor must also either hold `MANAGE_SLA` covering the category's department
(department-wide authority: its head or nodal officer, a state or system admin) or set
it at a unit inside that department (a department's own district or block tuning its
own categories locally). So a district nodal officer cannot set limits for another
department's categories, even in their own district: that is the department's call.

Every input field is checked and all problems are reported together; an actor with no
say over the unit is refused before anything about the input is said. Every change is
audited in its own transaction. Policies and calendars carry a version: a calendar is
updated only with the version its editor read (compare-and-set, else
CHANGED_MEANWHILE); a policy is "set" (create or replace) and its version only guards
against a concurrent write between our read and our write.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.audit.services import record
from backend.authz.actors import Actor
from backend.authz.policy import Permission, may, require, require_staff, visible_roots
from backend.categories.models import Category
from backend.core.errors import DomainError, ErrorCode, FieldError, forbidden, not_found, validation_error
from backend.core.validation import check_text
from backend.grievances.states import Stage
from backend.orgs.models import EscalationLevel, Unit
from backend.sla.calendar import Mode
from backend.sla.models import BusinessCalendar, SlaPolicy, UnitHoliday, monday_to_saturday
from backend.sla.public_holidays import public_holidays

# A year: beyond it a "limit" is no limit, and a typo (87600 for 8760) is caught.
MAX_HOURS = 8760.0
MAX_DAYS = 365.0
MAX_AMOUNT: dict[Mode, float] = {Mode.WALL_HOURS: MAX_HOURS, Mode.WORKING_HOURS: MAX_HOURS, Mode.WORKING_DAYS: MAX_DAYS}
MAX_WINDOW_HOURS = 8760.0

_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_MAX_ZONE_LENGTH = 64  # BusinessCalendar.time_zone
_MAX_SUBDIVISION_LENGTH = 8  # BusinessCalendar.holiday_subdivision


@dataclass(frozen=True)
class PolicyInput:
    unit_id: int
    stage: Stage
    mode: Mode
    amount: float
    category_id: int | None = None


@dataclass(frozen=True)
class CalendarInput:
    time_zone: str = "Asia/Kolkata"
    weekdays: list[int] = field(default_factory=monday_to_saturday)  # Monday=0
    start_time: str = "10:00"
    end_time: str = "17:00"
    second_and_fourth_saturdays_off: bool = True
    holiday_country: str = "IN"  # "" for no public holidays at all
    holiday_subdivision: str = ""  # "" for national holidays only


# -- authority ------------------------------------------------------------------------


def _require_some_sla_role(actor: Actor) -> None:
    require_staff(actor)
    if visible_roots(actor, Permission.MANAGE_SLA) == []:
        raise forbidden("You may not manage SLAs")


async def _managed_unit(actor: Actor, unit_id: int, errors: list[FieldError], *, active: bool = True) -> Unit | None:
    """The unit, once the actor may manage its SLAs; a missing (or, when `active`,
    inactive) unit is a field error on `unitId`."""
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        errors.append(FieldError("unitId", "must be an active unit"))
        return None
    require(actor, Permission.MANAGE_SLA, unit.path)
    if active and not unit.active:
        errors.append(FieldError("unitId", "must be an active unit"))
    return unit


async def _require_category_authority(actor: Actor, unit: Unit, category: Category) -> None:
    """See the module docstring: department-wide authority, or a unit of the department."""
    department = await Unit.get(id=category.department_id)  # type: ignore[attr-defined]
    if unit.path.startswith(department.path) or may(actor, Permission.MANAGE_SLA, department.path):
        return
    raise forbidden(f"Only {department.code}'s SLA managers may set limits for {category.code} outside the department")


# -- policies ---------------------------------------------------------------------------


def _check_policy_values(data: PolicyInput, errors: list[FieldError]) -> tuple[Stage | None, Mode | None, float]:
    try:
        stage: Stage | None = Stage(data.stage)
    except ValueError:
        stage = None
        errors.append(FieldError("stage", f"must be one of {', '.join(s.value for s in Stage)}"))
    try:
        mode: Mode | None = Mode(data.mode)
    except ValueError:
        mode = None
        errors.append(FieldError("mode", f"must be one of {', '.join(m.value for m in Mode)}"))
    try:
        amount = float(data.amount)
    except (TypeError, ValueError):
        amount = math.nan
    if not math.isfinite(amount) or amount <= 0:
        errors.append(FieldError("amount", "must be a number greater than 0"))
    elif mode is not None and amount > MAX_AMOUNT[mode]:
        unit = "days" if mode is Mode.WORKING_DAYS else "hours"
        errors.append(FieldError("amount", f"must be at most {MAX_AMOUNT[mode]:g} {unit} for {mode.value}"))
    return stage, mode, amount


def _policy_snapshot(policy: SlaPolicy) -> dict[str, Any]:
    return {"stage": Stage(policy.stage).value, "mode": policy.mode, "amount": policy.amount, "version": policy.version}


async def _lock_unit(unit_id: int) -> None:
    """Serialise SLA writes of one unit on PostgreSQL (SQLite serialises writers anyway):
    the unique key (unit, category, stage) does not hold for category NULL, since NULLs
    are distinct, so two concurrent first writes could otherwise both insert."""
    await Unit.filter(id=unit_id).select_for_update().only("id").first()


async def set_policy(actor: Actor, data: PolicyInput, *, now: datetime) -> SlaPolicy:
    """Create the policy for (unit, category, stage), or replace its mode and amount."""
    _require_some_sla_role(actor)
    errors: list[FieldError] = []
    unit = await _managed_unit(actor, data.unit_id, errors)
    category = None
    if data.category_id is not None:
        category = await Category.get_or_none(id=data.category_id)
        if category is not None and unit is not None:
            # Refuse before saying anything more about the input to someone with no say here.
            await _require_category_authority(actor, unit, category)
        if category is None or not category.active:
            errors.append(FieldError("categoryId", "must be an active category"))
    stage, mode, amount = _check_policy_values(data, errors)
    if errors:
        raise validation_error(errors)
    assert unit is not None and stage is not None and mode is not None
    where: dict[str, Any] = {"unit_id": unit.id, "stage": stage}
    where.update({"category_id": category.id} if category is not None else {"category_id__isnull": True})
    described = {"unit": unit.code, "category": category.code if category else None, "stage": stage.value,
                 "mode": mode.value, "amount": amount}
    try:
        async with in_transaction():
            await _lock_unit(unit.id)
            existing = await SlaPolicy.filter(**where).first()
            if existing is None:
                policy = await SlaPolicy.create(unit_id=unit.id, category_id=category.id if category else None,
                                                stage=stage, mode=mode.value, amount=amount, version=1,
                                                created_at=now, updated_at=now)
                action, before = "sla_policy_created", None
            else:
                before = _policy_snapshot(existing)
                if not await SlaPolicy.filter(id=existing.id, version=existing.version).update(
                    mode=mode.value, amount=amount, version=existing.version + 1, updated_at=now
                ):
                    raise _policy_changed()
                policy, action = existing, "sla_policy_updated"
            await record(object_type="sla_policy", object_id=policy.id, action=action, actor=actor, now=now,
                         unit_id=unit.id, data={**described, "before": before})
    except IntegrityError as error:
        raise _policy_changed() from error
    await policy.refresh_from_db()
    return policy


def _policy_changed() -> DomainError:
    return DomainError(ErrorCode.CHANGED_MEANWHILE, "The policy was changed by someone else meanwhile; reload it")


async def delete_policy(actor: Actor, policy_id: int, *, now: datetime) -> None:
    """Remove a policy: the stage's limit there falls back to what is inherited."""
    _require_some_sla_role(actor)
    policy = await SlaPolicy.get_or_none(id=policy_id)
    if policy is None:
        raise not_found("SLA policy")
    unit = await Unit.get(id=policy.unit_id)  # type: ignore[attr-defined]
    require(actor, Permission.MANAGE_SLA, unit.path)
    category = None
    if policy.category_id is not None:  # type: ignore[attr-defined]
        category = await Category.get(id=policy.category_id)  # type: ignore[attr-defined]
        await _require_category_authority(actor, unit, category)
    async with in_transaction():
        if not await SlaPolicy.filter(id=policy.id).delete():
            raise not_found("SLA policy")
        await record(object_type="sla_policy", object_id=policy.id, action="sla_policy_deleted", actor=actor, now=now,
                     unit_id=unit.id, data={"unit": unit.code, "category": category.code if category else None,
                                            "before": _policy_snapshot(policy)})


# -- calendars ------------------------------------------------------------------------


def _check_zone(raw: str, errors: list[FieldError]) -> str:
    zone = (raw or "").strip()
    try:
        if not zone or len(zone) > _MAX_ZONE_LENGTH:
            raise ValueError(zone)
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a name that is a directory of the zone database ("Asia"), or unreadable.
        errors.append(FieldError("timeZone", "must be an IANA time zone such as Asia/Kolkata"))
    return zone


def _check_weekdays(raw: list[int], errors: list[FieldError]) -> list[int]:
    days = list(raw or [])
    if not days or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        errors.append(FieldError("weekdays", "must name at least one working day, 0 (Monday) to 6 (Sunday)"))
        return []
    return sorted(set(days))


def _check_time(name: str, raw: str, errors: list[FieldError]) -> str | None:
    text = (raw or "").strip()
    if not _HH_MM.match(text):
        errors.append(FieldError(name, "must be a time HH:MM (24-hour), e.g. 10:00"))
        return None
    return text


def _check_holiday_region(country_raw: str, subdivision_raw: str, errors: list[FieldError]) -> tuple[str, str]:
    country = (country_raw or "").strip().upper()
    subdivision = (subdivision_raw or "").strip()
    if not country:
        if subdivision:
            errors.append(FieldError("holidaySubdivision", "needs a holiday country"))
        return "", ""
    # Two letters first: the `holidays` package looks countries up by attribute name.
    if not _COUNTRY.match(country):
        errors.append(FieldError("holidayCountry", "must be a two-letter country code such as IN (or empty for none)"))
        return country, subdivision
    try:
        public_holidays(country, None, ())
    except ValueError:
        errors.append(FieldError("holidayCountry", f"has no public-holiday data: {country}"))
        return country, subdivision
    if not subdivision:
        return country, ""
    if len(subdivision) <= _MAX_SUBDIVISION_LENGTH:
        try:
            # Codes are stored upper-case ("br" -> "BR"); a name ("Bihar") is refused: it does not fit.
            public_holidays(country, subdivision.upper(), ())
            return country, subdivision.upper()
        except ValueError:
            pass
    errors.append(FieldError("holidaySubdivision", f"must be a state / subdivision code of {country} such as BR, or empty"))
    return country, subdivision


def _clean_calendar(data: CalendarInput, errors: list[FieldError]) -> dict[str, Any]:
    zone = _check_zone(data.time_zone, errors)
    weekdays = _check_weekdays(data.weekdays, errors)
    start = _check_time("startTime", data.start_time, errors)
    end = _check_time("endTime", data.end_time, errors)
    if start is not None and end is not None and not start < end:
        errors.append(FieldError("endTime", "must be after the start time"))
    country, subdivision = _check_holiday_region(data.holiday_country, data.holiday_subdivision, errors)
    return {
        "time_zone": zone, "weekdays": weekdays, "start_time": start, "end_time": end,
        "second_and_fourth_saturdays_off": bool(data.second_and_fourth_saturdays_off),
        "holiday_country": country, "holiday_subdivision": subdivision,
    }


def _calendar_snapshot(calendar: BusinessCalendar) -> dict[str, Any]:
    return {
        "time_zone": calendar.time_zone, "weekdays": list(calendar.weekdays), "start_time": calendar.start_time,
        "end_time": calendar.end_time, "second_and_fourth_saturdays_off": calendar.second_and_fourth_saturdays_off,
        "holiday_country": calendar.holiday_country, "holiday_subdivision": calendar.holiday_subdivision,
        "version": calendar.version,
    }


def _calendar_changed(message: str) -> DomainError:
    return DomainError(ErrorCode.CHANGED_MEANWHILE, message)


async def set_calendar(
    actor: Actor, unit_id: int, data: CalendarInput, *, expected_version: int | None, now: datetime
) -> BusinessCalendar:
    """Give a unit its own calendar (`expected_version` None: it has none yet) or change
    it (`expected_version`: the version read). Either way a stale view is CHANGED_MEANWHILE.

    The audit history of a unit's calendar is kept under the unit's id, so it runs on
    across clearing and setting again."""
    _require_some_sla_role(actor)
    errors: list[FieldError] = []
    unit = await _managed_unit(actor, unit_id, errors)
    values = _clean_calendar(data, errors)
    if errors:
        raise validation_error(errors)
    assert unit is not None
    try:
        async with in_transaction():
            current = await BusinessCalendar.get_or_none(unit_id=unit.id)
            if expected_version is None:
                if current is not None:
                    raise _calendar_changed(f"{unit.code} already has its own calendar (version {current.version}); "
                                            "reload it and edit that")
                await BusinessCalendar.create(unit_id=unit.id, version=1, updated_at=now, **values)
                action, before = "sla_calendar_created", None
            else:
                if current is None:
                    raise _calendar_changed(f"{unit.code} has no calendar of its own any more; reload it")
                if not await BusinessCalendar.filter(unit_id=unit.id, version=expected_version).update(
                    version=expected_version + 1, updated_at=now, **values
                ):
                    raise _calendar_changed("The calendar was changed by someone else; reload it")
                action, before = "sla_calendar_updated", _calendar_snapshot(current)
            await record(object_type="sla_calendar", object_id=unit.id, action=action, actor=actor, now=now,
                         unit_id=unit.id, data={"unit": unit.code, **values, "before": before})
    except IntegrityError as error:  # a concurrent first calendar for the same unit
        raise _calendar_changed(f"{unit.code} got its own calendar meanwhile; reload it") from error
    return await BusinessCalendar.get(unit_id=unit.id)


async def clear_calendar(actor: Actor, unit_id: int, *, now: datetime) -> None:
    """Drop a unit's own calendar: it inherits the nearest one above again."""
    _require_some_sla_role(actor)
    errors: list[FieldError] = []
    unit = await _managed_unit(actor, unit_id, errors, active=False)
    if errors:
        raise validation_error(errors)
    assert unit is not None
    async with in_transaction():
        current = await BusinessCalendar.get_or_none(unit_id=unit.id)
        if current is None or not await BusinessCalendar.filter(id=current.id).delete():
            raise DomainError(ErrorCode.CONFLICT, f"{unit.code} has no calendar of its own: it already inherits one")
        await record(object_type="sla_calendar", object_id=unit.id, action="sla_calendar_cleared", actor=actor,
                     now=now, unit_id=unit.id, data={"unit": unit.code, "before": _calendar_snapshot(current)})


# -- holidays ---------------------------------------------------------------------------


async def add_holiday(actor: Actor, unit_id: int, day: date, name: str, *, now: datetime) -> UnitHoliday:
    """A holiday of the unit's own (a local festival, a closure): it applies below it too."""
    _require_some_sla_role(actor)
    errors: list[FieldError] = []
    unit = await _managed_unit(actor, unit_id, errors)
    text = check_text("name", name, errors, max_length=200)
    if isinstance(day, datetime) or not isinstance(day, date):
        errors.append(FieldError("day", "must be a date"))
    elif unit is not None and await UnitHoliday.exists(unit_id=unit.id, day=day):
        errors.append(FieldError("day", f"{unit.code} already has a holiday on {day.isoformat()}"))
    if errors:
        raise validation_error(errors)
    assert unit is not None
    try:
        async with in_transaction():
            holiday = await UnitHoliday.create(unit_id=unit.id, day=day, name=text, created_at=now)
            await record(object_type="unit_holiday", object_id=holiday.id, action="unit_holiday_added", actor=actor,
                         now=now, unit_id=unit.id, data={"unit": unit.code, "day": day.isoformat(), "name": text})
    except IntegrityError as error:  # the same day added concurrently
        raise validation_error([FieldError("day", f"{unit.code} already has a holiday on {day.isoformat()}")]) from error
    return holiday


async def remove_holiday(actor: Actor, holiday_id: int, *, now: datetime) -> None:
    _require_some_sla_role(actor)
    holiday = await UnitHoliday.get_or_none(id=holiday_id)
    if holiday is None:
        raise not_found("Holiday")
    unit = await Unit.get(id=holiday.unit_id)  # type: ignore[attr-defined]
    require(actor, Permission.MANAGE_SLA, unit.path)
    async with in_transaction():
        if not await UnitHoliday.filter(id=holiday.id).delete():
            raise not_found("Holiday")
        await record(object_type="unit_holiday", object_id=holiday.id, action="unit_holiday_removed", actor=actor,
                     now=now, unit_id=unit.id,
                     data={"unit": unit.code, "day": holiday.day.isoformat(), "name": holiday.name})


# -- the escalation ladder --------------------------------------------------------------


async def set_ladder_window(actor: Actor, unit_id: int, level: int, window_hours: float, *, now: datetime) -> EscalationLevel:
    """How long level `level` of the unit's own ladder has before the next level takes over.

    The unit's version is not bumped: the window is SLA configuration, edited under
    MANAGE_SLA, while the version guards the unit's own fields."""
    _require_some_sla_role(actor)
    errors: list[FieldError] = []
    unit = await _managed_unit(actor, unit_id, errors)
    rung = await EscalationLevel.get_or_none(unit_id=unit.id, level=level) if unit is not None else None
    if unit is not None and rung is None:
        errors.append(FieldError("level", f"{unit.code} has no escalation level {level} of its own"))
    try:
        hours = float(window_hours)
    except (TypeError, ValueError):
        hours = math.nan
    if not math.isfinite(hours) or not 0 < hours <= MAX_WINDOW_HOURS:
        errors.append(FieldError("windowHours", f"must be more than 0 and at most {MAX_WINDOW_HOURS:g} hours"))
    if errors:
        raise validation_error(errors)
    assert unit is not None and rung is not None
    async with in_transaction():
        before = rung.window_hours
        await EscalationLevel.filter(id=rung.id).update(window_hours=hours)
        await record(object_type="unit", object_id=unit.id, action="escalation_window_set", actor=actor, now=now,
                     unit_id=unit.id, data={"level": level, "from": before, "to": hours})
    await rung.refresh_from_db()
    return rung
