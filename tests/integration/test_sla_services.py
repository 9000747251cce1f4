"""SLA settings: policies, calendars, holidays and ladder windows, who may change them,
and which limit applies where (and why)."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from backend.accounts.roles import Role
from backend.audit.models import AuditEvent
from backend.audit.services import verify_chain
from backend.authz.actors import ANONYMOUS, SYSTEM, Actor, ActorKind
from backend.categories.models import Category
from backend.core.errors import DomainError, ErrorCode
from backend.grievances.clocks import DEFAULTS
from backend.grievances.states import Stage
from backend.orgs.kinds import UnitKind
from backend.orgs.models import EscalationLevel, Unit
from backend.settings import Settings
from backend.sla import selectors
from backend.sla.calendar import Mode
from backend.sla.models import BusinessCalendar, SlaPolicy, UnitHoliday
from backend.sla.policies import limits_for
from backend.sla.selectors import HolidayKind, LimitSource
from backend.sla.services import (
    CalendarInput,
    PolicyInput,
    add_holiday,
    clear_calendar,
    delete_policy,
    remove_holiday,
    set_calendar,
    set_ladder_window,
    set_policy,
)
from backend.sla.sweeps import ladder_of
from tests.conftest import NOW
from tests.factories import Tree, actor_for, category, small_state, staff, unit

pytestmark = pytest.mark.usefixtures("db")


@dataclass
class World:
    tree: Tree
    service: Category  # REV-LAND, of the revenue department
    leaf: Category  # REV-LAND-MUTATION, under it
    health: Unit  # another department
    health_cat: Category
    sysadmin: Actor
    state_admin: Actor
    head: Actor  # head of the revenue department
    nodal_a: Actor
    nodal_b: Actor
    officer_a: Actor
    reviewer_a: Actor


async def world(settings: Settings) -> World:
    tree = await small_state(settings)
    service = await category("REV-LAND", tree.dept)
    leaf = await category("REV-LAND-MUTATION", tree.dept, service)
    health = await unit("BR-HEALTH", UnitKind.DEPARTMENT, tree.state)
    health_cat = await category("HEALTH-OPD", health)
    head = await staff(settings, "rev_head", (tree.dept, Role.HEAD))
    u = tree.users
    return World(tree, service, leaf, health, health_cat, await actor_for(u["sysadmin"]),
                 await actor_for(u["stateadmin"]), await actor_for(head), await actor_for(u["nodal_a"]),
                 await actor_for(u["nodal_b"]), await actor_for(u["officer_a"]), await actor_for(u["reviewer_a"]))


async def refused(call: Any) -> DomainError:
    with pytest.raises(DomainError) as error:
        await call
    return error.value


def fields_of(error: DomainError) -> set[str]:
    return {e.field for e in error.field_errors}


async def actions(object_type: str, object_id: int) -> list[str]:
    events = await AuditEvent.filter(object_type=object_type, object_id=str(object_id)).order_by("seq")
    return [e.action for e in events]


# -- policies ---------------------------------------------------------------------------


async def test_set_creates_then_updates_then_delete(settings: Settings) -> None:
    w = await world(settings)
    state = w.tree.state
    created = await set_policy(w.state_admin, PolicyInput(state.id, Stage.FINAL_REPORT, Mode.WORKING_DAYS, 5), now=NOW)
    assert (created.unit_id, created.category_id, created.stage, created.mode, created.amount, created.version) == (  # type: ignore[attr-defined]
        state.id, None, Stage.FINAL_REPORT, "working_days", 5, 1)
    later = NOW + timedelta(hours=1)
    updated = await set_policy(w.state_admin, PolicyInput(state.id, Stage.FINAL_REPORT, Mode.WALL_HOURS, 48), now=later)
    assert updated.id == created.id and (updated.mode, updated.amount, updated.version) == ("wall_hours", 48, 2)
    assert updated.updated_at == later and updated.created_at == NOW
    assert await SlaPolicy.filter(unit_id=state.id).count() == 1
    # The same stage for a category is a separate row (it overrides the unit-wide one).
    for_category = await set_policy(w.state_admin, PolicyInput(state.id, Stage.FINAL_REPORT, Mode.WALL_HOURS, 24,
                                                                category_id=w.service.id), now=NOW)
    assert for_category.id != created.id and for_category.category_id == w.service.id  # type: ignore[attr-defined]

    await delete_policy(w.state_admin, created.id, now=later)
    assert not await SlaPolicy.exists(id=created.id)
    assert (await refused(delete_policy(w.state_admin, created.id, now=later))).code is ErrorCode.NOT_FOUND
    assert await SlaPolicy.exists(id=for_category.id)

    assert await actions("sla_policy", created.id) == ["sla_policy_created", "sla_policy_updated", "sla_policy_deleted"]
    assert await verify_chain("sla_policy", created.id)
    update = await AuditEvent.get(object_type="sla_policy", object_id=str(created.id), seq=2)
    assert update.data["before"] == {"stage": "final_report", "mode": "working_days", "amount": 5, "version": 1}
    assert (update.unit_id, update.actor_id) == (state.id, w.state_admin.audit_id)


async def test_concurrent_first_sets_make_one_row(settings: Settings) -> None:
    """NULL categories are distinct for the unique key: the unit lock keeps it one row."""
    w = await world(settings)
    a = w.tree.district_a
    await asyncio.gather(*(set_policy(w.nodal_a, PolicyInput(a.id, Stage.REVIEW, Mode.WORKING_DAYS, n), now=NOW)
                           for n in (1, 2, 3)))
    rows = await SlaPolicy.filter(unit_id=a.id, stage=Stage.REVIEW)
    assert len(rows) == 1 and rows[0].version == 3 and rows[0].amount in (1, 2, 3)


async def test_policy_validation_names_every_bad_field_and_changes_nothing(settings: Settings) -> None:
    w = await world(settings)
    await Unit.filter(id=w.tree.block_b.id).update(active=False)
    await Category.filter(id=w.leaf.id).update(active=False)
    bad = PolicyInput(w.tree.block_b.id, "nope", "fortnights", -1, category_id=w.leaf.id)  # type: ignore[arg-type]
    error = await refused(set_policy(w.state_admin, bad, now=NOW))
    assert error.code is ErrorCode.VALIDATION
    assert fields_of(error) == {"unitId", "categoryId", "stage", "mode", "amount"}

    missing = await refused(set_policy(w.state_admin, PolicyInput(999999, Stage.REVIEW, Mode.WALL_HOURS, 0,
                                                                  category_id=999999), now=NOW))
    assert fields_of(missing) == {"unitId", "categoryId", "amount"}

    state = w.tree.state.id
    for mode, amount in ((Mode.WALL_HOURS, 8760.5), (Mode.WORKING_HOURS, 9000), (Mode.WORKING_DAYS, 366),
                         (Mode.WALL_HOURS, math.nan), (Mode.WALL_HOURS, math.inf), (Mode.WORKING_DAYS, 0)):
        error = await refused(set_policy(w.state_admin, PolicyInput(state, Stage.REVIEW, mode, amount), now=NOW))
        assert fields_of(error) == {"amount"}, (mode, amount)
    assert await SlaPolicy.all().count() == 0
    assert await AuditEvent.filter(object_type="sla_policy").count() == 0

    # The maxima themselves are fine.
    await set_policy(w.state_admin, PolicyInput(state, Stage.REVIEW, Mode.WORKING_DAYS, 365), now=NOW)
    await set_policy(w.state_admin, PolicyInput(state, Stage.DISPOSAL, Mode.WORKING_HOURS, 8760), now=NOW)


async def test_who_may_set_policies(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    review = PolicyInput(t.district_a.id, Stage.REVIEW, Mode.WORKING_DAYS, 2)
    for actor in (w.nodal_b, w.officer_a, w.reviewer_a):
        assert (await refused(set_policy(actor, review, now=NOW))).code is ErrorCode.FORBIDDEN
    # An officer has no say even over their own office.
    own_office = PolicyInput(t.block_a.id, Stage.REVIEW, Mode.WORKING_DAYS, 2)
    assert (await refused(set_policy(w.officer_a, own_office, now=NOW))).code is ErrorCode.FORBIDDEN
    citizen = Actor(ActorKind.CITIZEN, 1, "Sita")
    assert (await refused(set_policy(citizen, review, now=NOW))).code is ErrorCode.FORBIDDEN
    assert (await refused(set_policy(ANONYMOUS, review, now=NOW))).code is ErrorCode.UNAUTHENTICATED
    # Refused before the input is judged: district B learns nothing about A's input.
    broken = PolicyInput(t.district_a.id, "nope", "x", -1)  # type: ignore[arg-type]
    assert (await refused(set_policy(w.nodal_b, broken, now=NOW))).code is ErrorCode.FORBIDDEN
    assert await SlaPolicy.all().count() == 0

    # District A's nodal officer, the department's head, state and system admins may.
    for actor in (w.nodal_a, w.head, w.state_admin, w.sysadmin, SYSTEM):
        await set_policy(actor, review, now=NOW)
    # The head's authority ends at the department: not the state above it.
    above = PolicyInput(t.state.id, Stage.REVIEW, Mode.WORKING_DAYS, 2)
    assert (await refused(set_policy(w.head, above, now=NOW))).code is ErrorCode.FORBIDDEN
    policy = await SlaPolicy.get(unit_id=t.district_a.id, stage=Stage.REVIEW)
    assert (await refused(delete_policy(w.nodal_b, policy.id, now=NOW))).code is ErrorCode.FORBIDDEN
    assert (await refused(delete_policy(w.officer_a, policy.id, now=NOW))).code is ErrorCode.FORBIDDEN
    await delete_policy(w.nodal_a, policy.id, now=NOW)


async def test_category_policies_need_the_department_or_one_of_its_units(settings: Settings) -> None:
    """Decision (backend.sla.services docstring): MANAGE_SLA over the unit, plus either
    MANAGE_SLA over the category's department or a unit inside that department."""
    w = await world(settings)
    t = w.tree
    # District A is one of the revenue department's own offices: its nodal officer may
    # tune revenue categories there.
    mine = await set_policy(w.nodal_a, PolicyInput(t.district_a.id, Stage.FINAL_REPORT, Mode.WALL_HOURS, 48,
                                                   category_id=w.leaf.id), now=NOW)
    # ... but not the health department's categories, even in district A.
    health_in_a = PolicyInput(t.district_a.id, Stage.FINAL_REPORT, Mode.WALL_HOURS, 48, category_id=w.health_cat.id)
    error = await refused(set_policy(w.nodal_a, health_in_a, now=NOW))
    assert error.code is ErrorCode.FORBIDDEN and "BR-HEALTH" in error.message
    # The revenue head may not set them either (their department is not health's)...
    assert (await refused(set_policy(w.head, health_in_a, now=NOW))).code is ErrorCode.FORBIDDEN
    # ... while a state admin covers both the district and the health department.
    theirs = await set_policy(w.state_admin, health_in_a, now=NOW)
    assert (await refused(delete_policy(w.nodal_a, theirs.id, now=NOW))).code is ErrorCode.FORBIDDEN
    # The head may set revenue's categories in the department's offices.
    await set_policy(w.head, PolicyInput(t.block_b.id, Stage.FINAL_REPORT, Mode.WALL_HOURS, 36,
                                         category_id=w.service.id), now=NOW)
    # District B may not touch district A's category policy.
    assert (await refused(delete_policy(w.nodal_b, mine.id, now=NOW))).code is ErrorCode.FORBIDDEN
    await delete_policy(w.state_admin, theirs.id, now=NOW)
    await delete_policy(w.nodal_a, mine.id, now=NOW)
    assert await SlaPolicy.all().count() == 1


# -- effective limits -----------------------------------------------------------------


async def _agrees_with_limits_for(unit_row: Unit, category_row: Category | None) -> list[selectors.EffectiveLimit]:
    """effective_for must explain exactly what the deadline code resolves."""
    effective = await selectors.effective_for(unit_row.id, category_row.id if category_row else None, NOW)
    assert [e.stage for e in effective] == list(Stage)
    unit_path = (await Unit.get(id=unit_row.id)).path
    category_path = (await Category.get(id=category_row.id)).path if category_row else ""
    resolved = await limits_for(unit_path, category_path, list(Stage), NOW)
    assert {e.stage: (e.mode, e.amount) for e in effective} == {s: (lim.mode, lim.amount) for s, lim in resolved.items()}
    return effective


async def _final(unit_row: Unit, category_row: Category | None) -> tuple[str, Mode, float]:
    effective = await _agrees_with_limits_for(unit_row, category_row)
    limit = next(e for e in effective if e.stage is Stage.FINAL_REPORT)
    return limit.source, limit.mode, limit.amount


async def test_effective_limits_and_their_sources_in_precedence_order(settings: Settings) -> None:
    w = await world(settings)
    t, admin = w.tree, w.state_admin

    effective = await _agrees_with_limits_for(t.block_a, w.leaf)
    assert all(e.source == "default" and e.source_kind is LimitSource.DEFAULT and e.policy_id is None
               for e in effective)
    assert {e.stage: (e.mode, e.amount) for e in effective} == {s: (m, float(a)) for s, (m, a) in DEFAULTS.items()}

    state_policy = await set_policy(admin, PolicyInput(t.state.id, Stage.FINAL_REPORT, Mode.WORKING_DAYS, 5), now=NOW)
    assert await _final(t.block_a, w.leaf) == ("unit policy at BR", Mode.WORKING_DAYS, 5)
    limit = next(e for e in await selectors.effective_for(t.block_a.id, None, NOW) if e.stage is Stage.FINAL_REPORT)
    assert (limit.source_kind, limit.policy_id, limit.source_unit_code) == (LimitSource.UNIT_POLICY, state_policy.id, "BR")

    # The nearest unit beats an ancestor; the other branch keeps the ancestor's.
    await set_policy(admin, PolicyInput(t.district_a.id, Stage.FINAL_REPORT, Mode.WALL_HOURS, 48), now=NOW)
    assert await _final(t.block_a, w.leaf) == ("unit policy at BR-REV-A", Mode.WALL_HOURS, 48)
    assert await _final(t.district_a, None) == ("unit policy at BR-REV-A", Mode.WALL_HOURS, 48)
    assert await _final(t.block_b, w.leaf) == ("unit policy at BR", Mode.WORKING_DAYS, 5)

    # The category's own override (wall-clock hours) beats unit policies, for that category only.
    await Category.filter(id=w.service.id).update(sla_overrides={"final_report": 100})
    assert await _final(t.block_a, w.leaf) == ("category override", Mode.WALL_HOURS, 100)
    limit = next(e for e in await selectors.effective_for(t.block_a.id, w.leaf.id, NOW) if e.stage is Stage.FINAL_REPORT)
    assert (limit.source_kind, limit.source_category_code) == (LimitSource.CATEGORY_OVERRIDE, "REV-LAND")
    assert await _final(t.block_a, None) == ("unit policy at BR-REV-A", Mode.WALL_HOURS, 48)
    assert await _final(t.block_a, w.health_cat) == ("unit policy at BR-REV-A", Mode.WALL_HOURS, 48)

    # A category policy beats the override and every unit policy, even from further up.
    await set_policy(admin, PolicyInput(t.state.id, Stage.FINAL_REPORT, Mode.WORKING_DAYS, 10,
                                        category_id=w.service.id), now=NOW)
    assert await _final(t.block_a, w.leaf) == ("category policy at BR for REV-LAND", Mode.WORKING_DAYS, 10)
    assert await _final(t.block_a, None) == ("unit policy at BR-REV-A", Mode.WALL_HOURS, 48)
    # Between category policies for the same category, the nearest unit wins ...
    await set_policy(admin, PolicyInput(t.district_a.id, Stage.FINAL_REPORT, Mode.WORKING_HOURS, 30,
                                        category_id=w.service.id), now=NOW)
    assert await _final(t.block_a, w.leaf) == ("category policy at BR-REV-A for REV-LAND", Mode.WORKING_HOURS, 30)
    assert await _final(t.block_b, w.leaf) == ("category policy at BR for REV-LAND", Mode.WORKING_DAYS, 10)
    # ... and a deeper category beats a shallower one, wherever each is set.
    await set_policy(admin, PolicyInput(t.state.id, Stage.FINAL_REPORT, Mode.WALL_HOURS, 12,
                                        category_id=w.leaf.id), now=NOW)
    assert await _final(t.block_a, w.leaf) == ("category policy at BR for REV-LAND-MUTATION", Mode.WALL_HOURS, 12)
    assert await _final(t.block_a, w.service) == ("category policy at BR-REV-A for REV-LAND", Mode.WORKING_HOURS, 30)
    # Other stages were never touched.
    review = next(e for e in await selectors.effective_for(t.block_a.id, w.leaf.id, NOW) if e.stage is Stage.REVIEW)
    assert (review.source, review.mode, review.amount) == ("default", Mode.WORKING_DAYS, 1)

    assert (await refused(selectors.effective_for(999999, None, NOW))).code is ErrorCode.NOT_FOUND
    assert (await refused(selectors.effective_for(t.block_a.id, 999999, NOW))).code is ErrorCode.NOT_FOUND


async def test_policies_at_lists_the_units_own(settings: Settings) -> None:
    w = await world(settings)
    a = w.tree.district_a.id
    await set_policy(w.nodal_a, PolicyInput(a, Stage.REVIEW, Mode.WORKING_DAYS, 2, category_id=w.service.id), now=NOW)
    await set_policy(w.nodal_a, PolicyInput(a, Stage.REVIEW, Mode.WORKING_DAYS, 3), now=NOW)
    await set_policy(w.nodal_a, PolicyInput(a, Stage.REGISTRATION, Mode.WALL_HOURS, 2), now=NOW)
    await set_policy(w.state_admin, PolicyInput(w.tree.state.id, Stage.REVIEW, Mode.WORKING_DAYS, 4), now=NOW)
    listed = await selectors.policies_at(a)
    assert [(p.category.code if p.category else None, Stage(p.stage), p.unit.code) for p in listed] == [
        (None, Stage.REGISTRATION, "BR-REV-A"), (None, Stage.REVIEW, "BR-REV-A"), ("REV-LAND", Stage.REVIEW, "BR-REV-A")]
    assert await selectors.policies_at(w.tree.block_a.id) == []


# -- calendars --------------------------------------------------------------------------


async def test_calendar_create_update_compare_and_set_and_clear(settings: Settings) -> None:
    w = await world(settings)
    state = w.tree.state
    created = await set_calendar(w.state_admin, state.id, CalendarInput(holiday_subdivision=" br "),
                                 expected_version=None, now=NOW)
    assert (created.version, created.holiday_subdivision, created.weekdays, created.time_zone) == (
        1, "BR", [0, 1, 2, 3, 4, 5], "Asia/Kolkata")
    # Creating again means the editor had not seen the existing calendar.
    again = await refused(set_calendar(w.state_admin, state.id, CalendarInput(), expected_version=None, now=NOW))
    assert again.code is ErrorCode.CHANGED_MEANWHILE

    five_days = CalendarInput(weekdays=[4, 0, 1, 2, 3, 3], start_time="09:30", end_time="18:00",
                              second_and_fourth_saturdays_off=False, holiday_subdivision="BR")
    updated = await set_calendar(w.state_admin, state.id, five_days, expected_version=1, now=NOW)
    assert (updated.version, updated.weekdays, updated.start_time, updated.end_time) == (2, [0, 1, 2, 3, 4], "09:30", "18:00")
    stale = await refused(set_calendar(w.state_admin, state.id, CalendarInput(), expected_version=1, now=NOW))
    assert stale.code is ErrorCode.CHANGED_MEANWHILE
    assert (await BusinessCalendar.get(unit_id=state.id)).version == 2

    await clear_calendar(w.state_admin, state.id, now=NOW)
    assert not await BusinessCalendar.exists(unit_id=state.id)
    assert (await refused(clear_calendar(w.state_admin, state.id, now=NOW))).code is ErrorCode.CONFLICT
    gone = await refused(set_calendar(w.state_admin, state.id, CalendarInput(), expected_version=2, now=NOW))
    assert gone.code is ErrorCode.CHANGED_MEANWHILE
    # The unit's calendar history runs on across clearing and setting again.
    await set_calendar(w.state_admin, state.id, CalendarInput(), expected_version=None, now=NOW)
    assert await actions("sla_calendar", state.id) == [
        "sla_calendar_created", "sla_calendar_updated", "sla_calendar_cleared", "sla_calendar_created"]
    assert await verify_chain("sla_calendar", state.id)

    # Refusals: another district, an officer, a reviewer.
    a = w.tree.district_a.id
    for actor in (w.nodal_b, w.officer_a, w.reviewer_a):
        error = await refused(set_calendar(actor, a, CalendarInput(), expected_version=None, now=NOW))
        assert error.code is ErrorCode.FORBIDDEN
    await set_calendar(w.nodal_a, a, CalendarInput(), expected_version=None, now=NOW)
    assert (await refused(clear_calendar(w.nodal_b, a, now=NOW))).code is ErrorCode.FORBIDDEN
    assert (await refused(clear_calendar(ANONYMOUS, a, now=NOW))).code is ErrorCode.UNAUTHENTICATED


async def test_calendar_validation_names_every_bad_field(settings: Settings) -> None:
    w = await world(settings)
    s = w.tree.state.id
    everything = CalendarInput(time_zone="Mars/Olympus_Mons", weekdays=[], start_time="25:00", end_time="9:00",
                               holiday_country="XX", holiday_subdivision="??")
    error = await refused(set_calendar(w.state_admin, s, everything, expected_version=None, now=NOW))
    assert error.code is ErrorCode.VALIDATION
    assert fields_of(error) == {"timeZone", "weekdays", "startTime", "endTime", "holidayCountry"}

    cases: list[tuple[CalendarInput, set[str]]] = [
        (CalendarInput(time_zone="Asia"), {"timeZone"}),  # a directory of the zone database
        (CalendarInput(time_zone="../../etc/passwd"), {"timeZone"}),
        (CalendarInput(time_zone=""), {"timeZone"}),
        (CalendarInput(weekdays=[0, 7]), {"weekdays"}),
        (CalendarInput(weekdays=[-1]), {"weekdays"}),
        (CalendarInput(start_time="17:00", end_time="17:00"), {"endTime"}),
        (CalendarInput(start_time="18:00", end_time="10:00"), {"endTime"}),
        (CalendarInput(start_time="9:00"), {"startTime"}),
        (CalendarInput(holiday_subdivision="ZZ"), {"holidaySubdivision"}),
        (CalendarInput(holiday_subdivision="Bihar"), {"holidaySubdivision"}),
        (CalendarInput(holiday_subdivision="OR"), {"holidaySubdivision"}),  # a deprecated code
        (CalendarInput(holiday_country="", holiday_subdivision="BR"), {"holidaySubdivision"}),
        (CalendarInput(holiday_country="IND"), {"holidayCountry"}),
    ]
    for data, expected in cases:
        error = await refused(set_calendar(w.state_admin, s, data, expected_version=None, now=NOW))
        assert (error.code, fields_of(error)) == (ErrorCode.VALIDATION, expected), data
    inactive = await refused(set_calendar(w.state_admin, 999999, CalendarInput(), expected_version=None, now=NOW))
    assert fields_of(inactive) == {"unitId"}
    assert await BusinessCalendar.all().count() == 0

    # A week-end shift in another zone, and no public holidays at all, are fine.
    other = await set_calendar(w.state_admin, s, CalendarInput(time_zone="Europe/London", weekdays=[5, 6],
                                                               holiday_country="", holiday_subdivision=""),
                               expected_version=None, now=NOW)
    assert (other.time_zone, other.weekdays, other.holiday_country) == ("Europe/London", [5, 6], "")
    view = await selectors.calendar_view(s, NOW)
    assert view.holidays == []


async def test_calendar_view_inherits_and_lists_the_years_holidays(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    default = await selectors.calendar_view(t.block_a.id, NOW)
    assert (default.source_unit_id, default.source_unit_code, default.inherited, default.version) == (None, None, True, None)
    assert (default.time_zone, default.weekdays, default.start_time, default.end_time) == (
        "Asia/Kolkata", [0, 1, 2, 3, 4, 5], "10:00", "17:00")
    assert (default.holiday_country, default.holiday_subdivision, default.year) == ("IN", "", 2026)
    assert {(h.day, h.name) for h in default.holidays} >= {(date(2026, 1, 26), "Republic Day"),
                                                          (date(2026, 8, 15), "Independence Day")}
    assert all(h.kind is HolidayKind.PUBLIC and h.holiday_id is None for h in default.holidays)

    await set_calendar(w.state_admin, t.state.id, CalendarInput(holiday_subdivision="BR"), expected_version=None, now=NOW)
    diwas = await add_holiday(w.state_admin, t.state.id, date(2026, 3, 22), "Bihar Diwas", now=NOW)
    fair = await add_holiday(w.nodal_a, t.district_a.id, date(2026, 11, 16), "  Chhath Puja  ", now=NOW)
    assert fair.name == "Chhath Puja"
    await add_holiday(w.nodal_a, t.district_a.id, date(2027, 1, 5), "Next year's fair", now=NOW)
    await add_holiday(w.nodal_b, t.district_b.id, date(2026, 6, 1), "Only in B", now=NOW)

    view = await selectors.calendar_view(t.block_a.id, NOW)
    assert (view.source_unit_code, view.inherited, view.version, view.holiday_subdivision) == ("BR", True, None, "BR")
    mine = [(h.day, h.name, h.unit_code, h.holiday_id) for h in view.holidays if h.kind is HolidayKind.UNIT]
    assert mine == [(date(2026, 3, 22), "Bihar Diwas", "BR", diwas.id), (date(2026, 11, 16), "Chhath Puja", "BR-REV-A", fair.id)]
    assert [h.day for h in view.holidays] == sorted(h.day for h in view.holidays)
    assert (date(2026, 1, 26), "Republic Day") in {(h.day, h.name) for h in view.holidays}

    state_view = await selectors.calendar_view(t.state.id, NOW)
    assert (state_view.source_unit_code, state_view.inherited, state_view.version) == ("BR", False, 1)
    assert [h.name for h in state_view.holidays if h.kind is HolidayKind.UNIT] == ["Bihar Diwas"]

    # A district's own calendar is nearer than the state's.
    await set_calendar(w.nodal_a, t.district_a.id, CalendarInput(weekdays=[0, 1, 2, 3, 4]), expected_version=None, now=NOW)
    view = await selectors.calendar_view(t.block_a.id, NOW)
    assert (view.source_unit_code, view.weekdays, view.holiday_subdivision) == ("BR-REV-A", [0, 1, 2, 3, 4], "")
    assert (await selectors.calendar_view(t.block_b.id, NOW)).source_unit_code == "BR"

    # "This year" is the calendar's year: 20:00 UTC on 31 December is already New Year in India.
    new_year = await selectors.calendar_view(t.block_a.id, datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
    assert new_year.year == 2027
    assert [h.name for h in new_year.holidays if h.kind is HolidayKind.UNIT] == ["Next year's fair"]
    assert (await refused(selectors.calendar_view(999999, NOW))).code is ErrorCode.NOT_FOUND


# -- holidays ---------------------------------------------------------------------------


async def test_holidays_add_duplicate_and_remove(settings: Settings) -> None:
    w = await world(settings)
    a = w.tree.district_a.id
    holiday = await add_holiday(w.nodal_a, a, date(2026, 11, 16), "Chhath Puja", now=NOW)
    duplicate = await refused(add_holiday(w.state_admin, a, date(2026, 11, 16), "Again", now=NOW))
    assert (duplicate.code, fields_of(duplicate)) == (ErrorCode.VALIDATION, {"day"})
    # The same day at another unit is another holiday.
    await add_holiday(w.state_admin, w.tree.state.id, date(2026, 11, 16), "State-wide", now=NOW)
    both = await refused(add_holiday(w.nodal_a, 999999, date(2026, 11, 16), " ", now=NOW))
    assert fields_of(both) == {"unitId", "name"}
    bad = await refused(add_holiday(w.nodal_a, a, date(2026, 11, 16), "x" * 201, now=NOW))
    assert fields_of(bad) == {"name", "day"}
    not_a_date = await refused(add_holiday(w.nodal_a, a, NOW, "Noon", now=NOW))  # a datetime is not a day
    assert fields_of(not_a_date) == {"day"}

    for actor in (w.nodal_b, w.officer_a, w.reviewer_a):
        error = await refused(add_holiday(actor, a, date(2026, 12, 1), "Not yours", now=NOW))
        assert error.code is ErrorCode.FORBIDDEN
        assert (await refused(remove_holiday(actor, holiday.id, now=NOW))).code is ErrorCode.FORBIDDEN

    await remove_holiday(w.nodal_a, holiday.id, now=NOW)
    assert not await UnitHoliday.exists(id=holiday.id)
    assert (await refused(remove_holiday(w.nodal_a, holiday.id, now=NOW))).code is ErrorCode.NOT_FOUND
    assert await actions("unit_holiday", holiday.id) == ["unit_holiday_added", "unit_holiday_removed"]
    assert await verify_chain("unit_holiday", holiday.id)
    # Removed, the day can be added again.
    await add_holiday(w.nodal_a, a, date(2026, 11, 16), "Chhath Puja", now=NOW)


# -- the escalation ladder ---------------------------------------------------------------


async def test_ladder_window(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    await EscalationLevel.create(unit=t.district_a, level=1, authority=t.dept, window_hours=72)
    await EscalationLevel.create(unit=t.district_a, level=2, authority=t.state, window_hours=72)

    rung = await set_ladder_window(w.nodal_a, t.district_a.id, 2, 36.5, now=NOW)
    assert (rung.level, rung.window_hours) == (2, 36.5)
    ladder = await ladder_of(t.block_a.path)  # what the escalation sweep reads
    assert [(r.level, r.window) for r in ladder] == [(1, timedelta(hours=72)), (2, timedelta(hours=36.5))]
    assert await actions("unit", t.district_a.id) == ["unit_created", "escalation_window_set"]
    event = await AuditEvent.get(object_type="unit", object_id=str(t.district_a.id), action="escalation_window_set")
    assert event.data == {"level": 2, "from": 72, "to": 36.5}
    assert (await Unit.get(id=t.district_a.id)).version == 1  # the unit's own fields did not change

    for hours in (0, -1, 8760.01, math.nan):
        error = await refused(set_ladder_window(w.nodal_a, t.district_a.id, 1, hours, now=NOW))
        assert fields_of(error) == {"windowHours"}, hours
    no_level = await refused(set_ladder_window(w.nodal_a, t.district_a.id, 3, 0, now=NOW))
    assert fields_of(no_level) == {"level", "windowHours"}
    # District B has no ladder of its own: it inherits none here, so there is nothing to time.
    assert fields_of(await refused(set_ladder_window(w.nodal_b, t.district_b.id, 1, 24, now=NOW))) == {"level"}
    for actor in (w.nodal_b, w.officer_a, w.reviewer_a):
        error = await refused(set_ladder_window(actor, t.district_a.id, 1, 24, now=NOW))
        assert error.code is ErrorCode.FORBIDDEN
    assert (await EscalationLevel.get(unit_id=t.district_a.id, level=1)).window_hours == 72
    await set_ladder_window(w.head, t.district_a.id, 1, 8760, now=NOW)


async def test_editing_a_unit_keeps_its_ladder_windows(settings: Settings) -> None:
    from backend.orgs.kinds import UnitKind
    from backend.orgs.models import EscalationLevel
    from backend.orgs.services import UnitInput, update_unit
    from backend.sla.services import set_ladder_window
    from tests.factories import actor_for, small_state, unit

    tree = await small_state(settings)
    osd = await unit("BR-OSD2", UnitKind.OFFICE, tree.state)
    cs = await unit("BR-CS2", UnitKind.OFFICE, tree.state)
    admin = await actor_for(tree.users["stateadmin"])
    data = UnitInput(code=tree.dept.code, kind=tree.dept.kind, names=tree.dept.names, escalation_authority_ids=[osd.id])
    dept = await update_unit(admin, unit_id=tree.dept.id, data=data, expected_version=tree.dept.version, now=NOW)
    await set_ladder_window(admin, tree.dept.id, 1, 48, now=NOW)
    data = UnitInput(code=dept.code, kind=dept.kind, names={**dept.names, "en": "Revenue Dept"},
                     escalation_authority_ids=[osd.id, cs.id])
    await update_unit(admin, unit_id=dept.id, data=data, expected_version=dept.version, now=NOW)
    levels = await EscalationLevel.filter(unit_id=dept.id).order_by("level")
    assert [(lv.level, lv.authority_id, lv.window_hours) for lv in levels] == [(1, osd.id, 48), (2, cs.id, 72)]  # type: ignore[attr-defined]
