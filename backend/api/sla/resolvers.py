"""SLA settings over GraphQL: thin resolvers over `backend.sla` (services and selectors)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.api.ids import int_id
from backend.api.sla.types import (
    EscalationWindowSuccess,
    SlaCalendar,
    SlaCalendarSuccess,
    SlaEffective,
    SlaEffectiveLimit,
    SlaHoliday,
    SlaHolidayRemoveSuccess,
    SlaHolidaySuccess,
    SlaPolicy,
    SlaPolicyDeleteSuccess,
    SlaPolicyList,
    SlaPolicySuccess,
)
from backend.grievances.states import Stage
from backend.orgs.models import Unit as UnitModel
from backend.sla import selectors, services
from backend.sla.calendar import Mode
from backend.sla.models import SlaPolicy as SlaPolicyModel
from backend.sla.models import monday_to_saturday

Info = strawberry.Info[Context, None]
SlaCalendarResult = Annotated[SlaCalendarSuccess | OperationError, strawberry.union("SlaCalendarResult")]


@strawberry.input
class SlaPolicyInput:
    unit_id: strawberry.ID
    stage: Stage
    mode: Mode
    amount: float = strawberry.field(description="Hours (at most 8760), or days for WORKING_DAYS (at most 365).")
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Null for every category; set for the category's subtree (beats unit-wide policies)."
    )

    def to_domain(self) -> services.PolicyInput:
        return services.PolicyInput(
            unit_id=int_id(self.unit_id), stage=self.stage, mode=self.mode, amount=self.amount,
            category_id=int_id(self.category_id) if self.category_id is not None else None,
        )


@strawberry.input
class SlaCalendarInput:
    time_zone: str = strawberry.field(default="Asia/Kolkata", description="An IANA time zone.")
    weekdays: list[int] = strawberry.field(default_factory=monday_to_saturday, description="0 = Monday ... 6 = Sunday.")
    start_time: str = strawberry.field(default="10:00", description="HH:MM, local time.")
    end_time: str = strawberry.field(default="17:00", description="HH:MM, local time, after the start.")
    second_and_fourth_saturdays_off: bool = True
    holiday_country: str = strawberry.field(default="IN", description="Public holidays of this country; empty: none.")
    holiday_subdivision: str = strawberry.field(default="", description="A state code such as BR; empty: national only.")

    def to_domain(self) -> services.CalendarInput:
        return services.CalendarInput(
            time_zone=self.time_zone, weekdays=list(self.weekdays), start_time=self.start_time, end_time=self.end_time,
            second_and_fourth_saturdays_off=self.second_and_fourth_saturdays_off,
            holiday_country=self.holiday_country, holiday_subdivision=self.holiday_subdivision,
        )


async def _policy(policy_id: int) -> SlaPolicy:
    row = await SlaPolicyModel.get(id=policy_id).prefetch_related("unit", "category")
    return SlaPolicy.from_model(row)


async def _calendar(info: Info, unit_id: int) -> SlaCalendarSuccess:
    return SlaCalendarSuccess(calendar=SlaCalendar.from_view(await selectors.calendar_view(unit_id, info.context.now)))


@strawberry.type
class SlaQueries:
    @strawberry.field(description="Every stage's limit at a unit for a category (or any category) and where it comes "
                                  "from; for staff who may see the unit.")
    async def sla_effective(
        self, info: Info, unit_id: strawberry.ID, category_id: strawberry.ID | None = None
    ) -> Annotated[SlaEffective | OperationError, strawberry.union("SlaEffectiveResult")]:
        async def run() -> SlaEffective:
            unit = await selectors.viewable_unit(info.context.actor, int_id(unit_id))
            category = int_id(category_id) if category_id is not None else None
            limits = await selectors.effective_for(unit.id, category, info.context.now)
            return SlaEffective(unit_id=strawberry.ID(str(unit.id)), category_id=category_id,
                                limits=[SlaEffectiveLimit.from_limit(limit) for limit in limits])

        return await as_data(run)

    @strawberry.field(description="The calendar deadlines at a unit are counted in (its own or inherited) and this "
                                  "year's holidays; for staff who may see the unit.")
    async def sla_calendar(
        self, info: Info, unit_id: strawberry.ID
    ) -> Annotated[SlaCalendar | OperationError, strawberry.union("SlaCalendarViewResult")]:
        async def run() -> SlaCalendar:
            unit = await selectors.viewable_unit(info.context.actor, int_id(unit_id))
            return SlaCalendar.from_view(await selectors.calendar_view(unit.id, info.context.now))

        return await as_data(run)

    @strawberry.field(description="The policies the unit itself sets; for staff who may see the unit.")
    async def sla_policies(
        self, info: Info, unit_id: strawberry.ID
    ) -> Annotated[SlaPolicyList | OperationError, strawberry.union("SlaPoliciesResult")]:
        async def run() -> SlaPolicyList:
            unit = await selectors.viewable_unit(info.context.actor, int_id(unit_id))
            return SlaPolicyList(policies=[SlaPolicy.from_model(p) for p in await selectors.policies_at(unit.id)])

        return await as_data(run)


@strawberry.type
class SlaMutations:
    @strawberry.mutation(description="Set the limit of a stage at a unit (for one category's subtree if given): "
                                     "creates the policy or replaces its mode and amount.")
    async def sla_policy_set(
        self, info: Info, input: SlaPolicyInput
    ) -> Annotated[SlaPolicySuccess | OperationError, strawberry.union("SlaPolicySetResult")]:
        async def run() -> SlaPolicySuccess:
            policy = await services.set_policy(info.context.actor, input.to_domain(), now=info.context.now)
            return SlaPolicySuccess(policy=await _policy(policy.id))

        return await as_data(run)

    @strawberry.mutation(description="Delete a policy: the stage's limit there falls back to what is inherited.")
    async def sla_policy_delete(
        self, info: Info, id: strawberry.ID
    ) -> Annotated[SlaPolicyDeleteSuccess | OperationError, strawberry.union("SlaPolicyDeleteResult")]:
        async def run() -> SlaPolicyDeleteSuccess:
            await services.delete_policy(info.context.actor, int_id(id), now=info.context.now)
            return SlaPolicyDeleteSuccess(id=id)

        return await as_data(run)

    @strawberry.mutation(description="Give a unit its own calendar (`version` null) or change it (`version`: the one "
                                     "you read, else CHANGED_MEANWHILE).")
    async def sla_calendar_set(
        self, info: Info, unit_id: strawberry.ID, input: SlaCalendarInput, version: int | None = None
    ) -> SlaCalendarResult:
        async def run() -> SlaCalendarSuccess:
            calendar = await services.set_calendar(info.context.actor, int_id(unit_id), input.to_domain(),
                                                   expected_version=version, now=info.context.now)
            return await _calendar(info, calendar.unit_id)  # type: ignore[attr-defined]

        return await as_data(run)

    @strawberry.mutation(description="Drop a unit's own calendar: it inherits the nearest one above again.")
    async def sla_calendar_clear(self, info: Info, unit_id: strawberry.ID) -> SlaCalendarResult:
        async def run() -> SlaCalendarSuccess:
            await services.clear_calendar(info.context.actor, int_id(unit_id), now=info.context.now)
            return await _calendar(info, int_id(unit_id))

        return await as_data(run)

    @strawberry.mutation(description="Add a holiday of the unit's own (it applies to the units below it too).")
    async def sla_holiday_add(
        self, info: Info, unit_id: strawberry.ID, day: date, name: str
    ) -> Annotated[SlaHolidaySuccess | OperationError, strawberry.union("SlaHolidayAddResult")]:
        async def run() -> SlaHolidaySuccess:
            holiday = await services.add_holiday(info.context.actor, int_id(unit_id), day, name, now=info.context.now)
            unit = await UnitModel.get(id=holiday.unit_id)  # type: ignore[attr-defined]
            return SlaHolidaySuccess(holiday=SlaHoliday.from_model(holiday, unit.code))

        return await as_data(run)

    @strawberry.mutation(description="Remove a unit-added holiday.")
    async def sla_holiday_remove(
        self, info: Info, id: strawberry.ID
    ) -> Annotated[SlaHolidayRemoveSuccess | OperationError, strawberry.union("SlaHolidayRemoveResult")]:
        async def run() -> SlaHolidayRemoveSuccess:
            await services.remove_holiday(info.context.actor, int_id(id), now=info.context.now)
            return SlaHolidayRemoveSuccess(id=id)

        return await as_data(run)

    @strawberry.mutation(description="Set how long level `level` of the unit's escalation ladder has before the next "
                                     "level takes over (hours, at most 8760).")
    async def escalation_window_set(
        self, info: Info, unit_id: strawberry.ID, level: int, window_hours: float
    ) -> Annotated[EscalationWindowSuccess | OperationError, strawberry.union("EscalationWindowSetResult")]:
        async def run() -> EscalationWindowSuccess:
            rung = await services.set_ladder_window(info.context.actor, int_id(unit_id), level, window_hours,
                                                    now=info.context.now)
            return EscalationWindowSuccess.from_model(rung)

        return await as_data(run)
