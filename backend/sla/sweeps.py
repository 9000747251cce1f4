"""The sweeps that keep every clock: reminders and the escalation ladder (F6).

Each sweep reads only what is due, through an index (`reminder_at`, `escalation_due_at`),
in batches, so its cost follows the number of due grievances, not all of them. On
PostgreSQL a batch is locked with SKIP LOCKED so that several workers share the work
instead of waiting on each other; every effect also carries a unique key (one
`Escalation` per grievance, round and level; one `Reminder` per clock and kind) and the
grievance row is updated by compare-and-set, so a sweep that runs twice, or dies half
way and runs again, acts exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.accounts.models import Membership, StaffUser
from backend.accounts.roles import Role
from backend.authz.actors import SYSTEM
from backend.core.errors import DomainError
from backend.core.sweeping import locked_batch, sweep
from backend.grievances import conflicts
from backend.grievances.models import Grievance
from backend.grievances.states import PENDING, Action, State
from backend.grievances.transitions import commit, decide
from backend.notifications.recipients import tell_staff
from backend.orgs.models import EscalationLevel, Unit
from backend.sla.models import Escalation, Reminder
from backend.sla.policies import ids_of

log = logging.getLogger(__name__)

# The citizen's turn pauses every clock: nothing is reminded or escalated meanwhile.
SWEPT = sorted(PENDING - {State.AWAITING_CITIZEN})
BATCH = 500


@dataclass(frozen=True)
class Rung:
    level: int
    authority: Unit
    window: timedelta


async def ladder_of(unit_path: str) -> list[Rung]:
    """The nearest ladder up the tree (a unit without one uses its parent's)."""
    units = ids_of(unit_path)
    levels = await EscalationLevel.filter(unit_id__in=units).order_by("level")
    for unit_id in reversed(units):
        own = [lv for lv in levels if lv.unit_id == unit_id]  # type: ignore[attr-defined]
        if own:
            authorities = {u.id: u for u in await Unit.filter(id__in=[lv.authority_id for lv in own])}  # type: ignore[attr-defined]
            return [Rung(lv.level, authorities[lv.authority_id], timedelta(hours=lv.window_hours))  # type: ignore[attr-defined]
                    for lv in own if authorities[lv.authority_id].active]  # type: ignore[attr-defined]
    return []


async def _due_batch(field: str, now: datetime, limit: int) -> list[Grievance]:
    return await locked_batch(Grievance.filter(**{f"{field}__lte": now}, status__in=SWEPT).order_by(field, "id")
                              .limit(limit))


async def escalate_due(now: datetime, *, batch: int = BATCH) -> int:
    """Move every grievance whose rung is due one level up the ladder; returns how many."""
    return await sweep(lambda: _due_batch("escalation_due_at", now, batch), lambda g: _escalate(g, now), batch=batch,
                       counted=ESCALATED, skipped=SKIPPED)


ESCALATED, CLEARED, SKIPPED = "escalated", "cleared", "skipped"


async def _escalate(g: Grievance, now: datetime) -> str:
    ladder = await ladder_of(g.unit_path)
    # The next rung up whose authority is active (an inactive one is stepped over), and
    # is not an office the grievance is against (F13: stepped over too).
    barred = await conflicts.bars(g.against_officer_id, g.against_unit_id)  # type: ignore[attr-defined]
    rung = next((r for r in ladder if r.level > g.escalation_level and not conflicts.is_barred(r.authority.path, barred)),
                None)
    if rung is None:
        # The top of the ladder: it stays with the last authority, nothing more to do.
        cleared = await Grievance.filter(id=g.id, version=g.version).update(escalation_due_at=None)
        return CLEARED if cleared else SKIPPED
    if await Escalation.exists(grievance_id=g.id, round=g.escalation_round, level=rung.level):
        return SKIPPED  # climbed by another worker whose update this row does not show yet
    missed = g.escalation_due_at or now
    try:
        decision = decide(SYSTEM, g, Action.ESCALATE, g.unit_path)
        async with in_transaction():
            await Escalation.create(grievance_id=g.id, round=g.escalation_round, level=rung.level,
                                    authority=rung.authority, stage=g.stage.value if g.stage else "",
                                    missed_due_at=missed, escalated_at=now)
            event = await commit(
                g, decision, action=Action.ESCALATE, actor=SYSTEM, now=now, unit_id=rung.authority.id,
                changes={"escalation_level": rung.level, "escalated_to_id": rung.authority.id, "escalated_at": now,
                         "escalation_due_at": now + rung.window, "visited": sorted({*g.visited, rung.authority.id})},
                note=f"Escalated to {rung.authority.name()} (level {rung.level}): the deadline passed",
                data={"level": rung.level, "authority": rung.authority.code, "missed_due_at": missed.isoformat(),
                      "stage": g.stage.value if g.stage else ""},
            )
            await tell_staff(await _staff_to_tell(rung.authority.id, g.unit_id),  # type: ignore[attr-defined]
                             key=f"escalation:{g.id}:{g.escalation_round}:{rung.level}", template="escalated_to_you",
                             payload={"number": g.number, "grievance_id": g.id, "level": rung.level, "event": event.id},
                             now=now)
    except DomainError as error:  # an officer acted on it meanwhile: the next sweep sees the new state
        log.info("escalation of %s skipped: %s", g.number, error.message)
        return SKIPPED
    except IntegrityError:  # another worker (SQLite has no row locks) climbed this rung first
        return SKIPPED
    return ESCALATED


async def _staff_to_tell(authority_id: int, holder_id: int) -> list[int]:
    """Everyone at the escalation authority, and the nodal officers of the holding office."""
    rows = await _user_ids(Membership.filter(active=True, unit_id=authority_id))
    holder = await Unit.get(id=holder_id)
    return sorted({*rows, *await nodal_officers_for(holder.path)})


async def nodal_officers_for(unit_path: str) -> list[int]:
    """The nodal officers answerable for a unit: its own, else the nearest unit's above
    (a block's nodal officer sits in the district office)."""
    units = ids_of(unit_path)
    rows = await Membership.filter(active=True, unit_id__in=units, role=Role.NODAL_OFFICER).values_list(
        "unit_id", "user_id")
    by_unit: dict[int, list[int]] = {}
    for unit_id, user_id in rows:
        by_unit.setdefault(int(unit_id), []).append(int(user_id))
    return next((by_unit[u] for u in reversed(units) if u in by_unit), [])


async def _user_ids(memberships: Any) -> list[int]:
    return [int(u) for u in await memberships.values_list("user_id", flat=True)]


async def remind_due(now: datetime, *, batch: int = BATCH) -> int:
    """Remind whoever must act, before and at each deadline, once each."""
    done = 0
    while True:
        async with in_transaction():
            rows = await _due_batch("reminder_at", now, batch)
            sent = [await _remind(g, now) for g in rows]
        done += sum(sent)
        # Every row read either moves its reminder time or was moved by someone else;
        # stop when a batch changed nothing, so a contended row cannot spin the sweep.
        if len(rows) < batch or not any(sent):
            return done


def clock_key(g: Grievance) -> str:
    started = int(g.stage_started_at.timestamp()) if g.stage_started_at else 0
    return f"{g.stage.value if g.stage else 'none'}@{started}"


async def _remind(g: Grievance, now: datetime) -> int:
    if g.due_at is None or g.reminder_at is None:
        await Grievance.filter(id=g.id, reminder_at=g.reminder_at).update(reminder_at=None)
        return 0
    kind = "due" if now >= g.due_at else "before"
    next_at = None if kind == "due" else g.due_at
    key = clock_key(g)
    async with in_transaction():
        # Compare-and-set on the reminder time, not the version: a reminder must never
        # make an officer's concurrent action fail.
        if not await Grievance.filter(id=g.id, reminder_at=g.reminder_at).update(reminder_at=next_at):
            return 0
        if await Reminder.exists(grievance_id=g.id, clock_key=key, kind=kind):
            return 0
        await Reminder.create(grievance_id=g.id, clock_key=key, kind=kind, sent_at=now)
        await tell_staff(await who_must_act(g), key=f"reminder:{g.id}:{key}:{kind}", template=f"reminder_{kind}",
                         payload={"number": g.number, "grievance_id": g.id, "stage": g.stage.value if g.stage else "",
                                  "due_at": g.due_at.isoformat()}, now=now)
    return 1


async def who_must_act(g: Grievance) -> list[int]:
    """The assigned officer, else the holding office's people; and its nodal officers."""
    nodal = await nodal_officers_for(g.unit_path)
    if g.assigned_officer_id is not None:  # type: ignore[attr-defined]
        actors = [int(g.assigned_officer_id)]  # type: ignore[attr-defined]
    else:
        actors = await _user_ids(Membership.filter(active=True, unit_id=g.unit_id))  # type: ignore[attr-defined]
    active = {user.id for user in await StaffUser.filter(id__in=[*actors, *nodal], active=True).only("id")}
    return sorted({u for u in [*actors, *nodal] if u in active})
