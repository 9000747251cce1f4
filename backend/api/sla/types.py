"""GraphQL types of SLA settings."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

import backend.api.grievances.enums  # noqa: F401  (registers Stage as the GraphQL enum GrievanceStage)
from backend.grievances.states import Stage
from backend.orgs.models import EscalationLevel as EscalationLevelModel
from backend.sla.calendar import Mode
from backend.sla.models import SlaPolicy as SlaPolicyModel
from backend.sla.models import UnitHoliday as UnitHolidayModel
from backend.sla.selectors import CalendarView, EffectiveLimit, HolidayEntry, HolidayKind, LimitSource

SlaMode = strawberry.enum(Mode, name="SlaMode", description="How an SLA limit is counted: elapsed hours, working hours "
                                                             "or working days (of the calendar's working-day length).")
SlaLimitSource = strawberry.enum(LimitSource, name="SlaLimitSource", description="Which rule a limit comes from.")
SlaHolidayKind = strawberry.enum(HolidayKind, name="SlaHolidayKind",
                                 description="A public holiday (national or state) or one a unit added.")


def _id(value: int | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


@strawberry.type(description="A stage's limit set at a unit: for every category, or for one category's subtree.")
class SlaPolicy:
    id: strawberry.ID
    unit_id: strawberry.ID
    unit_code: str
    category_id: strawberry.ID | None
    category_code: str | None
    stage: Stage
    mode: Mode
    amount: float = strawberry.field(description="Hours, or days for WORKING_DAYS.")
    version: int
    updated_at: datetime

    @classmethod
    def from_model(cls, policy: SlaPolicyModel) -> SlaPolicy:
        """`policy` must come with its unit and category fetched."""
        category = policy.category
        return cls(
            id=strawberry.ID(str(policy.id)), unit_id=strawberry.ID(str(policy.unit.id)), unit_code=policy.unit.code,
            category_id=_id(category.id if category else None), category_code=category.code if category else None,
            stage=Stage(policy.stage), mode=Mode(policy.mode), amount=policy.amount, version=policy.version,
            updated_at=policy.updated_at,
        )


@strawberry.type(description="The limit a stage's clock gets, and where it comes from.")
class SlaEffectiveLimit:
    stage: Stage
    mode: Mode
    amount: float
    source: str = strawberry.field(description='For people: "category policy at BR for REV-LAND", "category override", '
                                               '"unit policy at BR-REV-A", "default".')
    source_kind: LimitSource
    policy_id: strawberry.ID | None
    source_unit_code: str | None
    source_category_code: str | None

    @classmethod
    def from_limit(cls, limit: EffectiveLimit) -> SlaEffectiveLimit:
        return cls(stage=limit.stage, mode=limit.mode, amount=limit.amount, source=limit.source,
                   source_kind=limit.source_kind, policy_id=_id(limit.policy_id),
                   source_unit_code=limit.source_unit_code, source_category_code=limit.source_category_code)


@strawberry.type(description="Every stage's limit at a unit for a category (or for any category).")
class SlaEffective:
    unit_id: strawberry.ID
    category_id: strawberry.ID | None
    limits: list[SlaEffectiveLimit]


@strawberry.type
class SlaHoliday:
    id: strawberry.ID | None = strawberry.field(description="Set for unit-added holidays: what slaHolidayRemove takes.")
    day: date
    name: str
    kind: HolidayKind
    unit_code: str | None = strawberry.field(description="The unit that added it (unit-added holidays).")

    @classmethod
    def from_entry(cls, entry: HolidayEntry) -> SlaHoliday:
        return cls(id=_id(entry.holiday_id), day=entry.day, name=entry.name, kind=entry.kind, unit_code=entry.unit_code)

    @classmethod
    def from_model(cls, holiday: UnitHolidayModel, unit_code: str) -> SlaHoliday:
        return cls(id=_id(holiday.id), day=holiday.day, name=holiday.name, kind=HolidayKind.UNIT, unit_code=unit_code)


@strawberry.type(description="The business calendar deadlines at a unit are counted in, and this year's holidays.")
class SlaCalendar:
    unit_id: strawberry.ID
    inherited: bool = strawberry.field(description="True when the unit has no calendar of its own.")
    source_unit_id: strawberry.ID | None = strawberry.field(description="The unit it comes from; null: the defaults.")
    source_unit_code: str | None
    version: int | None = strawberry.field(description="Of the unit's own calendar (pass it to slaCalendarSet); "
                                                        "null when it inherits (then pass none to create one).")
    time_zone: str
    weekdays: list[int] = strawberry.field(description="Working weekdays, 0 = Monday.")
    start_time: str
    end_time: str
    second_and_fourth_saturdays_off: bool
    holiday_country: str
    holiday_subdivision: str
    year: int
    holidays: list[SlaHoliday]

    @classmethod
    def from_view(cls, view: CalendarView) -> SlaCalendar:
        return cls(
            unit_id=strawberry.ID(str(view.unit_id)), inherited=view.inherited, source_unit_id=_id(view.source_unit_id),
            source_unit_code=view.source_unit_code, version=view.version, time_zone=view.time_zone,
            weekdays=list(view.weekdays), start_time=view.start_time, end_time=view.end_time,
            second_and_fourth_saturdays_off=view.second_and_fourth_saturdays_off, holiday_country=view.holiday_country,
            holiday_subdivision=view.holiday_subdivision, year=view.year,
            holidays=[SlaHoliday.from_entry(e) for e in view.holidays],
        )


@strawberry.type
class SlaPolicyList:
    policies: list[SlaPolicy]


@strawberry.type
class SlaPolicySuccess:
    policy: SlaPolicy


@strawberry.type
class SlaPolicyDeleteSuccess:
    id: strawberry.ID


@strawberry.type
class SlaCalendarSuccess:
    calendar: SlaCalendar


@strawberry.type
class SlaHolidaySuccess:
    holiday: SlaHoliday


@strawberry.type
class SlaHolidayRemoveSuccess:
    id: strawberry.ID


@strawberry.type
class EscalationWindowSuccess:
    unit_id: strawberry.ID
    level: int
    window_hours: float

    @classmethod
    def from_model(cls, rung: EscalationLevelModel) -> EscalationWindowSuccess:
        return cls(unit_id=strawberry.ID(str(rung.unit_id)), level=rung.level,  # type: ignore[attr-defined]
                   window_hours=rung.window_hours)
