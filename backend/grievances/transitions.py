"""Applying one state-table transition to a stored grievance: the single write path.

`decide` asks the table whether the actor, acting for the unit that matters, may take
the action now. `commit` then writes the new status, the clock and the caller's other
changes with a compare-and-set on `version`, and appends exactly one audit event - all
inside the caller's transaction, so a refusal or a lost race changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.audit.models import AuditEvent
from backend.audit.services import record, record_many
from backend.authz.actors import Actor, ActorKind
from backend.core import bulk
from backend.core.errors import DomainError, ErrorCode
from backend.grievances import clocks, live
from backend.grievances.access import parties_at
from backend.grievances.kinds import Visibility
from backend.grievances.models import Grievance
from backend.grievances.states import Action, Clock, Outcome, Party, Stage, State, TransitionRefused, rule, transition
from backend.sla.policies import limits_for

OBJECT_TYPE = "grievance"
_PARTY_ORDER = list(Party)


@dataclass(frozen=True)
class Decision:
    party: Party
    outcome: Outcome


def decide(actor: Actor, grievance: Grievance, action: Action, unit_path: str,
           extra_parties: frozenset[Party] = frozenset()) -> Decision:
    """Which party the actor acts as and where the grievance goes; raises when refused."""
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    state = State(grievance.status)
    row = rule(state, action)
    if row is None:
        raise DomainError(ErrorCode.CONFLICT, f"'{_words(action)}' is not possible while the grievance is {_words(state)}")
    parties = parties_at(actor, unit_path) | extra_parties
    allowed = sorted(parties & row.parties, key=_PARTY_ORDER.index)
    if not allowed:
        raise DomainError(ErrorCode.FORBIDDEN, f"You may not {_words(action)} this grievance")
    try:
        outcome = transition(state, action, allowed[0],
                             paused_from=State(grievance.paused_from) if grievance.paused_from else None)
    except TransitionRefused as refused:
        raise DomainError(ErrorCode.CONFLICT, refused.reason) from refused
    return Decision(allowed[0], outcome)


def check_version(grievance: Grievance, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != grievance.version:
        raise DomainError(ErrorCode.CHANGED_MEANWHILE,
                          "The grievance changed since you opened it; reload it and try again")


@dataclass(frozen=True)
class Planned:
    """What one transition writes: the grievance's new values and its audit event."""

    grievance: Grievance
    values: dict[str, Any]
    event: dict[str, Any]


async def commit(
    grievance: Grievance, decision: Decision, *, action: Action, actor: Actor, now: datetime,
    unit_id: int | None = None, changes: dict[str, Any] | None = None, note: str = "",
    data: dict[str, Any] | None = None, visibility: Visibility = Visibility.CITIZEN,
) -> AuditEvent:
    """Write the transition (call inside a transaction); the grievance object is updated."""
    planned = await plan(grievance, decision, action=action, actor=actor, now=now, unit_id=unit_id, changes=changes,
                         note=note, data=data, visibility=visibility)
    if not await Grievance.filter(id=grievance.id, version=grievance.version).update(**planned.values):
        raise DomainError(ErrorCode.CHANGED_MEANWHILE, "Someone else acted on this grievance meanwhile; reload it")
    _applied(planned, action)
    return await record(**planned.event)


async def commit_locked(items: list[tuple[Planned, Action]]) -> list[AuditEvent]:
    """Write many planned transitions at once, for a sweep that holds the rows locked
    (SELECT ... FOR UPDATE, inside its transaction): no one else can change them
    meanwhile, so the compare-and-set of `commit` is already guaranteed, and the
    updates and audit events go out in bulk instead of one statement each."""
    if not items:
        return []
    names = sorted({name for planned, _ in items for name in planned.values})
    meta = Grievance._meta
    columns = [meta.fields_map[n].source_field or n for n in names]
    rows = []
    for planned, action in items:
        if set(planned.values) != set(names):
            raise ValueError("a bulk commit needs the same fields changed on every grievance")
        g = planned.grievance
        rows.append([g.id, *(meta.fields_map[n].to_db_value(planned.values[n], g) for n in names)])
        _applied(planned, action)
    # One statement for the whole batch (the transaction's connection).
    await bulk.update_rows(Grievance._choose_db(for_write=True), meta.db_table, "id", columns, rows)
    return await record_many([planned.event for planned, _ in items])


def _applied(planned: Planned, action: Action) -> None:
    grievance = planned.grievance
    before = live.Placement.of(grievance) if grievance.status is not None else None
    for name, value in planned.values.items():
        setattr(grievance, name, value)
    live.note(live.Change(grievance.id, grievance.version, action.value, before, live.Placement.of(grievance)))


async def plan(
    grievance: Grievance, decision: Decision, *, action: Action, actor: Actor, now: datetime,
    unit_id: int | None = None, changes: dict[str, Any] | None = None, note: str = "",
    data: dict[str, Any] | None = None, visibility: Visibility = Visibility.CITIZEN,
) -> Planned:
    """The transition's writes, computed (reads only the time limits it needs)."""
    current = clocks.ClockState(
        grievance.stage, grievance.stage_started_at, grievance.due_at, grievance.paused_stage,
        grievance.paused_remaining_seconds, grievance.stage_mode,
    )
    effect, stage = decision.outcome.clock, decision.outcome.stage
    # Limits apply where the grievance will be after this transition.
    unit_path = str((changes or {}).get("unit_path", grievance.unit_path))
    needed = clocks.stages_needed(current, effect, stage)
    filing = grievance.status is None
    if filing:
        needed.add(Stage.DISPOSAL)
    limits = await limits_for(unit_path, grievance.category_path, needed, now)
    clock = clocks.apply(current, effect, stage, now, limits)
    values: dict[str, Any] = {
        "status": decision.outcome.state,
        "stage": clock.stage,
        "stage_started_at": clock.started_at,
        "due_at": clock.due_at,
        "stage_mode": clock.mode,
        "paused_stage": clock.paused_stage,
        "paused_remaining_seconds": clock.paused_remaining_seconds,
        "updated_at": now,
        "version": grievance.version + 1,
        **_ladder_clock(grievance, current, effect, clock, now, limits[Stage.DISPOSAL].deadline(now) if filing else None,
                        changes or {}),
        **(changes or {}),
    }
    if effect is Clock.PAUSE:
        values["paused_from"] = grievance.status
    elif effect is Clock.RESUME:
        values["paused_from"] = None
    from_state = grievance.status
    office = values.get("acting_unit_id", grievance.acting_unit_id) or values.get("unit_id", grievance.unit_id)  # type: ignore[attr-defined]
    facts: dict[str, Any] = {
        # The office answerable after this event (the one whose report is being acted on,
        # else the one holding it): what the figures and rankings attribute it to.
        "office": office,
    }
    if current.stage is not None and clock.stage != current.stage and effect is not Clock.PAUSE:
        # A stage ended: on time or late, for SLA compliance per stage.
        facts["stage_done"] = {"stage": current.stage.value,
                               "late": bool(current.due_at is not None and now > current.due_at)}
    event = {
        "object_type": OBJECT_TYPE, "object_id": grievance.id, "action": action.value, "actor": actor, "now": now,
        "unit_id": unit_id if unit_id is not None else values.get("unit_id", grievance.unit_id),  # type: ignore[attr-defined]
        "role": decision.party.value, "from_state": from_state.value if from_state else "",
        "to_state": decision.outcome.state.value, "note": note,
        "data": {**(data or {}), **facts, "visibility": visibility.value},
    }
    return Planned(grievance, values, event)


def _ladder_clock(g: Grievance, before: clocks.ClockState, effect: Clock, after: clocks.ClockState, now: datetime,
                  disposal_due: datetime | None, changes: dict[str, Any]) -> dict[str, Any]:
    """What a clock change does to reminders, the disposal clock and the escalation
    ladder's next rung (`changes` may reset the ladder or the disposal clock)."""
    if effect is Clock.STOP:
        return {"reminder_at": None, "escalation_due_at": None}
    values: dict[str, Any] = {}
    disposal = disposal_due or changes.get("disposal_due_at", g.disposal_due_at)
    level = changes.get("escalation_level", g.escalation_level)
    if disposal_due is not None:
        values["disposal_due_at"] = disposal_due
    if effect is Clock.PAUSE:
        # No reminders while the citizen is asked; the ladder waits (sweeps skip it).
        return {**values, "reminder_at": None}
    if effect is Clock.RESUME and before.started_at is not None:
        waited = now - before.started_at
        if g.escalation_due_at is not None:
            values["escalation_due_at"] = g.escalation_due_at + waited
        if g.disposal_due_at is not None:
            disposal = values["disposal_due_at"] = g.disposal_due_at + waited
    if effect in (Clock.START, Clock.RESUME) and after.due_at is not None and after.started_at is not None:
        values["reminder_at"] = clocks.reminder_time(after.started_at, after.due_at)
        if level == 0:
            # Not yet escalated: the first rung is due when the stage (or the whole
            # disposal) runs out, whichever comes first.
            values["escalation_due_at"] = min(after.due_at, disposal) if disposal else after.due_at
    return values


def _words(value: Action | State) -> str:
    return value.value.replace("_", " ")
