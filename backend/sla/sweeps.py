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

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.accounts.models import Membership, StaffUser
from backend.accounts.roles import Role
from backend.authz.actors import SYSTEM
from backend.core import bulk
from backend.core.errors import DomainError
from backend.core.sweeping import locked_batch, sweep_batches
from backend.grievances import conflicts
from backend.grievances.models import Grievance
from backend.grievances.states import PENDING, Action, State
from backend.grievances.transitions import Planned, commit_locked, decide, plan
from backend.notifications.recipients import tell_staff, tell_staff_many
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
    return (await ladders_of([unit_path]))[unit_path]


async def ladders_of(unit_paths: list[str]) -> dict[str, list[Rung]]:
    """`ladder_of` for many units in two queries (a sweep's batch)."""
    units = sorted({u for path in unit_paths for u in ids_of(path)})
    levels = await EscalationLevel.filter(unit_id__in=units).order_by("level")
    authorities = {u.id: u for u in await Unit.filter(id__in=sorted({lv.authority_id for lv in levels}))}  # type: ignore[attr-defined]
    out: dict[str, list[Rung]] = {}
    for path in unit_paths:
        out[path] = []
        for unit_id in reversed(ids_of(path)):
            own = [lv for lv in levels if lv.unit_id == unit_id]  # type: ignore[attr-defined]
            if own:
                out[path] = [Rung(lv.level, authorities[lv.authority_id], timedelta(hours=lv.window_hours))  # type: ignore[attr-defined]
                             for lv in own if authorities[lv.authority_id].active]  # type: ignore[attr-defined]
                break
    return out


async def _due_batch(field: str, now: datetime, limit: int) -> list[Grievance]:
    return await locked_batch(Grievance.filter(**{f"{field}__lte": now}, status__in=SWEPT).order_by(field, "id")
                              .limit(limit))


# Batches in flight at once on PostgreSQL: while one lane's batch is written by the
# database, another's is planned in Python (SKIP LOCKED keeps them apart). 10,000
# escalations among 1 M (tests/bench, the worker's collector settings): 4.5 s with one
# lane, 3.3 s with two, 2.9 s with three, 2.9 s with four.
LANES = 3


async def escalate_due(now: datetime, *, batch: int = BATCH, lanes: int = LANES) -> int:
    """Move every grievance whose rung is due one level up the ladder; returns how many."""
    ladders: dict[str, list[Rung]] = {}
    told: dict[tuple[int, int], list[int]] = {}

    async def lane() -> int:
        return await sweep_batches(lambda: _due_batch("escalation_due_at", now, batch),
                                   lambda rows: _escalate_batch(rows, now, ladders, told), batch=batch,
                                   counted=ESCALATED, skipped=SKIPPED)

    if lanes <= 1 or connections.get("default").capabilities.dialect != "postgres":
        return await lane()  # SQLite has no row locks: lanes would only collide
    async with asyncio.TaskGroup() as group:  # a lane that fails cancels the others
        running = [group.create_task(lane()) for _ in range(lanes)]
    return sum(task.result() for task in running)


ESCALATED, CLEARED, SKIPPED = "escalated", "cleared", "skipped"


async def _escalate_batch(rows: list[Grievance], now: datetime, ladders: dict[str, list[Rung]],
                          told: dict[tuple[int, int], list[int]]) -> list[str]:
    """One locked batch, written in bulk: each grievance's rung is worked out one by one
    (the same state table and clock rules as every transition), then the escalations,
    the grievance rows, their audit events and the messages go out a few statements for
    the whole batch - the sweep's cost is a few statements per 500 due grievances, not
    a dozen per grievance (tests/bench: 10,000 escalations)."""
    outcomes: dict[int, str] = {}
    climbed = {(int(g), int(r), int(lv)) for g, r, lv in await Escalation.filter(
        grievance_id__in=[g.id for g in rows]).values_list("grievance_id", "round", "level")}
    clear: list[Grievance] = []
    work: list[tuple[Grievance, Rung, datetime, Planned]] = []
    missing = sorted({g.unit_path for g in rows} - set(ladders))
    if missing:
        ladders.update(await ladders_of(missing))
    for g in rows:
        # The next rung up whose authority is active (an inactive one is stepped over), and
        # is not an office the grievance is against (F13: stepped over too).
        marked = g.against_officer_id is not None or g.against_unit_id is not None  # type: ignore[attr-defined]
        barred = await conflicts.bars(g.against_officer_id, g.against_unit_id) if marked else []  # type: ignore[attr-defined]
        rung = next((r for r in ladders[g.unit_path]
                     if r.level > g.escalation_level and not conflicts.is_barred(r.authority.path, barred)), None)
        if rung is None:
            clear.append(g)  # the top of the ladder: it stays with the last authority
            continue
        if (g.id, g.escalation_round, rung.level) in climbed:
            outcomes[g.id] = SKIPPED  # climbed by another worker whose update this row does not show yet
            continue
        try:
            decision = decide(SYSTEM, g, Action.ESCALATE, g.unit_path)
        except DomainError as error:  # an officer acted on it meanwhile: the next sweep sees the new state
            log.info("escalation of %s skipped: %s", g.number, error.message)
            outcomes[g.id] = SKIPPED
            continue
        missed = g.escalation_due_at or now
        planned = await plan(
            g, decision, action=Action.ESCALATE, actor=SYSTEM, now=now, unit_id=rung.authority.id,
            changes={"escalation_level": rung.level, "escalated_to_id": rung.authority.id, "escalated_at": now,
                     "escalation_due_at": now + rung.window, "visited": sorted({*g.visited, rung.authority.id})},
            note=f"Escalated to {rung.authority.name()} (level {rung.level}): the deadline passed",
            data={"level": rung.level, "authority": rung.authority.code, "missed_due_at": missed.isoformat(),
                  "stage": g.stage.value if g.stage else ""},
        )
        work.append((g, rung, missed, planned))
    try:
        async with in_transaction():
            if clear:
                await Grievance.filter(id__in=[g.id for g in clear]).update(escalation_due_at=None)
                outcomes.update({g.id: CLEARED for g in clear})
            if work:
                await bulk.insert_values(Escalation, [
                    {"grievance_id": g.id, "round": g.escalation_round, "level": rung.level,
                     "authority_id": rung.authority.id, "stage": g.stage.value if g.stage else "", "missed_due_at": missed,
                     "escalated_at": now}
                    for g, rung, missed, _ in work])
                events = await commit_locked([(planned, Action.ESCALATE) for *_, planned in work])
                pairs = sorted({(rung.authority.id, int(g.unit_id)) for g, rung, _, _ in work} - set(told))  # type: ignore[attr-defined]
                told.update(await _staff_to_tell_many(pairs))
                notices = []
                for (g, rung, _, _), event in zip(work, events, strict=True):
                    holder = int(g.unit_id)  # type: ignore[attr-defined]
                    notices.append((told[(rung.authority.id, holder)], f"escalation:{g.id}:{g.escalation_round}:{rung.level}",
                                    "escalated_to_you", {"number": g.number, "grievance_id": g.id, "level": rung.level,
                                                         "event": event.id}))
                    outcomes[g.id] = ESCALATED
                await tell_staff_many(notices, now)
    except IntegrityError:  # another worker (SQLite has no row locks) climbed one of these first
        return [SKIPPED for _ in rows]
    return [outcomes.get(g.id, SKIPPED) for g in rows]


async def _staff_to_tell(authority_id: int, holder_id: int) -> list[int]:
    """Everyone at the escalation authority, and the nodal officers of the holding office."""
    rows = await _user_ids(Membership.filter(active=True, unit_id=authority_id))
    holder = await Unit.get(id=holder_id)
    return sorted({*rows, *await nodal_officers_for(holder.path)})


async def _staff_to_tell_many(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
    """`_staff_to_tell` for many (authority, holding office) pairs in three queries."""
    if not pairs:
        return {}
    at_authority: dict[int, set[int]] = {}
    for unit_id, user_id in await Membership.filter(active=True, unit_id__in=sorted({a for a, _ in pairs})).values_list(
            "unit_id", "user_id"):
        at_authority.setdefault(int(unit_id), set()).add(int(user_id))
    paths = {int(i): str(p) for i, p in await Unit.filter(id__in=sorted({h for _, h in pairs})).values_list("id", "path")}
    above = sorted({u for p in paths.values() for u in ids_of(p)})
    nodal: dict[int, list[int]] = {}
    for unit_id, user_id in await Membership.filter(active=True, unit_id__in=above, role=Role.NODAL_OFFICER).values_list(
            "unit_id", "user_id"):
        nodal.setdefault(int(unit_id), []).append(int(user_id))
    out: dict[tuple[int, int], list[int]] = {}
    for authority, holder in pairs:
        units = ids_of(paths.get(holder, ""))
        nearest = next((nodal[u] for u in reversed(units) if u in nodal), [])
        out[(authority, holder)] = sorted({*at_authority.get(authority, set()), *nearest})
    return out


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
