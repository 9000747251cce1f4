"""Seed 004's timelines and Bihar's calendar for the demo state, as editable rows."""

from __future__ import annotations

from datetime import date, datetime

from backend.grievances.states import Stage
from backend.orgs.models import Unit
from backend.sla.calendar import Mode
from backend.sla.models import BusinessCalendar, SlaPolicy, UnitHoliday

# Seed 004's table, set on the state nodal unit so that every office inherits it.
SEED_004: tuple[tuple[Stage, Mode, float], ...] = (
    (Stage.REGISTRATION, Mode.WALL_HOURS, 1),
    (Stage.ALLOTMENT, Mode.WALL_HOURS, 1),
    (Stage.PRELIMINARY_REPORT, Mode.WALL_HOURS, 24),
    (Stage.FINAL_REPORT, Mode.WALL_HOURS, 72),
    (Stage.REVIEW, Mode.WORKING_DAYS, 1),
    (Stage.INFORM_CITIZEN, Mode.WALL_HOURS, 1),
    (Stage.DISPOSAL, Mode.WALL_HOURS, 21 * 24),
    (Stage.APPEAL_DECISION, Mode.WALL_HOURS, 30 * 24),
)


async def load_demo_sla(state_code: str, now: datetime) -> int:
    state = await Unit.get_or_none(code=state_code)
    if state is None:
        return 0
    await BusinessCalendar.get_or_create(unit=state, defaults={"holiday_subdivision": "BR", "updated_at": now})
    # Bihar Diwas (22 March) is a state holiday the package's list does not carry: a
    # unit-added holiday, as a state would add its own.
    for year in (now.year, now.year + 1):
        await UnitHoliday.get_or_create(unit=state, day=date(year, 3, 22),
                                        defaults={"name": "Bihar Diwas", "created_at": now})
    created = 0
    for stage, mode, amount in SEED_004:
        _, made = await SlaPolicy.get_or_create(unit=state, category=None, stage=stage,
                                                defaults={"mode": mode.value, "amount": amount, "created_at": now,
                                                          "updated_at": now})
        created += int(made)
    return created
