"""Stage clocks: what a transition's clock effect does to the dates. Pure.

A clock's limit (`Limit`) is resolved per unit and category by `backend.sla.policies`
(SLA policy, business calendar, holidays); this module only applies it. A paused clock
keeps its time left in the limit's own measure (working time for working-time limits),
so resuming gives back exactly what was left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.grievances.states import Clock, Stage
from backend.sla import calendar
from backend.sla.calendar import Calendar, Mode

# Seed 004's limits (registration 1 h, preliminary 24 h, final 72 h, review one working
# day), CPGRAMS' 21 days for disposal, 30 days for an appeal: used where no unit above
# a grievance sets a policy.
DEFAULTS: Mapping[Stage, tuple[Mode, float]] = {
    Stage.REGISTRATION: (Mode.WALL_HOURS, 1),
    Stage.ALLOTMENT: (Mode.WALL_HOURS, 1),
    Stage.PRELIMINARY_REPORT: (Mode.WALL_HOURS, 24),
    Stage.FINAL_REPORT: (Mode.WALL_HOURS, 72),
    Stage.REVIEW: (Mode.WORKING_DAYS, 1),
    Stage.CITIZEN_REPLY: (Mode.WALL_HOURS, 7 * 24),
    Stage.DISPUTE_DECISION: (Mode.WORKING_DAYS, 7),
    Stage.HELP_TO_APPLY: (Mode.WALL_HOURS, 30 * 24),
    Stage.APPEAL_DECISION: (Mode.WALL_HOURS, 30 * 24),
    Stage.DISPOSAL: (Mode.WALL_HOURS, 21 * 24),
    Stage.INFORM_CITIZEN: (Mode.WALL_HOURS, 1),
}


@dataclass(frozen=True)
class Limit:
    mode: Mode
    amount: float
    calendar: Calendar

    def deadline(self, start: datetime) -> datetime:
        return calendar.deadline(self.calendar, self.mode, self.amount, start)

    def remaining(self, now: datetime, due: datetime) -> timedelta:
        return calendar.remaining(self.calendar, self.mode, now, due)

    def resume(self, now: datetime, left: timedelta) -> datetime:
        return calendar.resume_deadline(self.calendar, self.mode, now, left)


def default_limits(cal: Calendar | None = None) -> dict[Stage, Limit]:
    cal = cal or Calendar()
    return {stage: Limit(mode, amount, cal) for stage, (mode, amount) in DEFAULTS.items()}


@dataclass(frozen=True)
class ClockState:
    stage: Stage | None
    started_at: datetime | None
    due_at: datetime | None
    paused_stage: Stage | None = None
    paused_remaining_seconds: int | None = None
    mode: str | None = None


def apply(current: ClockState, effect: Clock, stage: Stage | None, now: datetime,
          limits: Mapping[Stage, Limit]) -> ClockState:
    """`limits` must hold the limit of `stage` (START, PAUSE), of the running stage
    (PAUSE) and of the paused stage (RESUME), as they apply where the grievance is."""
    if effect is Clock.KEEP:
        return current
    if effect is Clock.STOP:
        return ClockState(None, None, None)
    if effect is Clock.START:
        assert stage is not None, "a START row names its stage"
        limit = limits[stage]
        return ClockState(stage, now, limit.deadline(now), mode=limit.mode.value)
    if effect is Clock.PAUSE:
        assert stage is not None, "a PAUSE row names the stage that runs while paused"
        left = None
        if current.stage is not None and current.due_at is not None:
            left = max(0, int(limits[current.stage].remaining(now, current.due_at).total_seconds()))
        limit = limits[stage]
        return ClockState(stage, now, limit.deadline(now), current.stage, left, limit.mode.value)
    # RESUME: the paused stage continues with the time it had left.
    if current.paused_stage is None:
        return ClockState(None, None, None)
    limit = limits[current.paused_stage]
    due = None if current.paused_remaining_seconds is None else limit.resume(
        now, timedelta(seconds=current.paused_remaining_seconds))
    return ClockState(current.paused_stage, now, due, mode=limit.mode.value)


def stages_needed(current: ClockState, effect: Clock, stage: Stage | None) -> set[Stage]:
    """Which limits `apply` will look up, so callers resolve only those."""
    needed: set[Stage] = set()
    if effect in (Clock.START, Clock.PAUSE) and stage is not None:
        needed.add(stage)
    if effect is Clock.PAUSE and current.stage is not None:
        needed.add(current.stage)
    if effect is Clock.RESUME and current.paused_stage is not None:
        needed.add(current.paused_stage)
    return needed


REMINDER_SHARE = 0.25
REMINDER_MAX_LEAD = timedelta(hours=24)


def reminder_time(started_at: datetime, due_at: datetime) -> datetime:
    """When to remind before a deadline: a quarter of the stage's span before it (at
    most a day before); a span too short for that gets only the reminder at the deadline."""
    lead = min((due_at - started_at) * REMINDER_SHARE, REMINDER_MAX_LEAD)
    before = due_at - lead
    return before if before > started_at else due_at
