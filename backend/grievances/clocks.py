"""Stage clocks on the wall clock: what a transition's clock effect does to the dates.

Pure. The default limits are seed 004's (registration 1 h, preliminary report 24 h,
final report 72 h, review one day). Per-unit SLA policies and business calendars
(the clocks issue) replace `DEFAULT_HOURS` through the `limits` argument without
changing the callers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.grievances.states import Clock, Stage

DEFAULT_HOURS: Mapping[Stage, float] = {
    Stage.REGISTRATION: 1,
    Stage.ALLOTMENT: 1,
    Stage.PRELIMINARY_REPORT: 24,
    Stage.FINAL_REPORT: 72,
    Stage.REVIEW: 24,
    Stage.CITIZEN_REPLY: 7 * 24,
    Stage.DISPUTE_DECISION: 7 * 24,
    Stage.APPEAL_DECISION: 30 * 24,
}


@dataclass(frozen=True)
class ClockState:
    stage: Stage | None
    started_at: datetime | None
    due_at: datetime | None
    paused_stage: Stage | None = None
    paused_remaining_seconds: int | None = None


def apply(
    current: ClockState, effect: Clock, stage: Stage | None, now: datetime,
    limits: Mapping[Stage, float] = DEFAULT_HOURS,
) -> ClockState:
    if effect is Clock.KEEP:
        return current
    if effect is Clock.STOP:
        return ClockState(None, None, None)
    if effect is Clock.START:
        assert stage is not None, "a START row names its stage"
        return ClockState(stage, now, now + timedelta(hours=limits[stage]))
    if effect is Clock.PAUSE:
        assert stage is not None, "a PAUSE row names the stage that runs while paused"
        remaining = None
        if current.due_at is not None:
            remaining = max(0, int((current.due_at - now).total_seconds()))
        return ClockState(stage, now, now + timedelta(hours=limits[stage]), current.stage, remaining)
    # RESUME: the paused stage continues with the time it had left.
    if current.paused_stage is None:
        return ClockState(None, None, None)
    due = None if current.paused_remaining_seconds is None else now + timedelta(seconds=current.paused_remaining_seconds)
    return ClockState(current.paused_stage, now, due)
