"""Keeping the rollups current: read the grievance event log and the feedback table
past the stored cursors, in batches, and add what they count (`backend.stats.facts`)
to the daily facts; move each touched grievance's place in the pending stock to where
it is now. Cursors, facts and placements change in one transaction, under a lock on the
cursor rows, so a batch is applied exactly once however many workers run the job. The
subtree rollups (facts and stock) get the same counts in the same transaction.

Events are read only once they are SETTLE old: ids are taken when a transaction inserts
and become visible when it commits, so a newer id may be visible before an older one;
a use case's transaction is far shorter than SETTLE.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from tortoise.transactions import in_transaction

from backend.audit.models import AuditEvent
from backend.core.sql import joined_placeholders
from backend.feedback.models import Feedback
from backend.grievances.models import Grievance
from backend.grievances.states import PENDING
from backend.grievances.transitions import OBJECT_TYPE
from backend.stats.facts import DISPOSED_STATES, Count, district_of, event_counts, feedback_counts
from backend.stats.models import StatsCursor
from backend.stats.subtree import add_facts, add_stock

T = TypeVar("T")
SETTLE = timedelta(seconds=60)
BATCH = 2000
EVENTS, FEEDBACK = "events", "feedback"
_PENDING_VALUES = frozenset(s.value for s in PENDING)

FactKey = tuple[date, int, int, str, str, str]  # day, unit, category, channel, district, metric
StockKey = tuple[int, int, str, str, date]      # unit, category, channel, district, filed day


async def refresh(now: datetime, *, batch: int = BATCH) -> int:
    """Apply one batch of events and one of feedback; returns how many rows were read."""
    until = now - SETTLE
    async with in_transaction() as conn:
        for name in (EVENTS, FEEDBACK):
            await StatsCursor.get_or_create(name=name)
        cursors = {c.name: c for c in await StatsCursor.filter(name__in=[EVENTS, FEEDBACK]).select_for_update()}
        # In id order, up to the first row not yet settled: the cursor never passes a row
        # that has not been applied.
        events = _settled(await (AuditEvent.filter(object_type=OBJECT_TYPE, id__gt=cursors[EVENTS].last_id)
                                 .order_by("id").limit(batch)), lambda e: e.occurred_at <= until)
        feedback = _settled(await (Feedback.filter(id__gt=cursors[FEEDBACK].last_id).order_by("id").limit(batch)),
                            lambda f: f.created_at <= until)
        if not events and not feedback:
            return 0
        ids = {int(e.object_id) for e in events} | {f.grievance_id for f in feedback}  # type: ignore[attr-defined]
        grievances = {g.id: g for g in await Grievance.filter(id__in=sorted(ids))}
        facts: dict[FactKey, list[int]] = defaultdict(lambda: [0, 0])

        def add(day: date, office: int, g: Grievance, counted: list[Count]) -> None:
            for c in counted:
                cell = facts[(day, office, g.category_id, g.channel.value, district_of(g.area_code), c.metric)]  # type: ignore[attr-defined]
                cell[0] += c.count
                cell[1] += c.total

        for e in events:
            g = grievances.get(int(e.object_id))
            if g is None:
                continue
            office = _office(e, g)
            add(e.occurred_at.date(), office, g,
                event_counts(e.action, e.from_state, e.to_state, e.data, e.occurred_at, g.filed_at))
        for f in feedback:
            g = grievances.get(f.grievance_id)  # type: ignore[attr-defined]
            closure = await _closure_before(f.grievance_id, f.created_at)  # type: ignore[attr-defined]
            if g is None or closure is None:
                continue
            first = closure.to_state == "closed" and not await Feedback.filter(
                grievance_id=g.id, round=f.round, id__lt=f.id).exists()
            office = _office(closure, g)
            add(closure.occurred_at.date(), office, g, feedback_counts(f.source.value, f.resolved, f.rating, first))
        await _upsert_facts(conn, facts)
        # The same counts for the office and each unit above it (`backend.stats.subtree`).
        await add_facts(conn, facts)
        moved = {int(e.object_id) for e in events}
        await _place(conn, [g for g in grievances.values() if int(g.id) in moved])
        if events:
            await StatsCursor.filter(name=EVENTS).update(last_id=events[-1].id)
        if feedback:
            await StatsCursor.filter(name=FEEDBACK).update(last_id=feedback[-1].id)
    return len(events) + len(feedback)


def _settled(rows: list[T], settled: Callable[[T], bool]) -> list[T]:
    for i, row in enumerate(rows):
        if not settled(row):
            return rows[:i]
    return rows


def _office(event: AuditEvent, g: Grievance) -> int:
    """The office an event counts for: recorded in it (older events: where it happened)."""
    recorded = event.data.get("office")
    if isinstance(recorded, int):
        return recorded
    return int(event.unit_id or g.unit_id)  # type: ignore[attr-defined]


async def refresh_all(now: datetime, *, batch: int = BATCH) -> int:
    """Catch up completely (tests, a rebuild after wiping the rollups)."""
    total = 0
    while read := await refresh(now, batch=batch):
        total += read
    return total


async def _closure_before(grievance_id: int, at: datetime) -> AuditEvent | None:
    """The disposal a feedback speaks of: the grievance's last move into closed/rejected."""
    return await (AuditEvent.filter(object_type=OBJECT_TYPE, object_id=str(grievance_id),
                                    to_state__in=sorted(DISPOSED_STATES), occurred_at__lte=at)
                  .order_by("-seq").first())


async def _upsert_facts(conn: Any, facts: dict[FactKey, list[int]]) -> None:
    if not facts:
        return
    dialect = conn.capabilities.dialect
    sql = (f"INSERT INTO stats_daily_fact (day, unit_id, category_id, channel, district, metric, count, total) "
           f"VALUES ({joined_placeholders(dialect, 8)}) ON CONFLICT (day, unit_id, category_id, channel, district, metric) "
           f"DO UPDATE SET count = stats_daily_fact.count + excluded.count, "
           f"total = stats_daily_fact.total + excluded.total")
    await conn.execute_many(sql, [[*key, c, t] for key, (c, t) in sorted(facts.items())])


async def _place(conn: Any, touched: list[Grievance]) -> None:
    """Move each grievance's unit of pending stock from where it was counted to where it is."""
    if not touched:
        return
    dialect = conn.capabilities.dialect
    rows = await conn.execute_query_dict(
        f"SELECT grievance_id, unit_id, category_id, channel, district, filed_day FROM stats_placement "
        f"WHERE grievance_id IN ({joined_placeholders(dialect, len(touched))})", [g.id for g in touched])
    before = {int(r["grievance_id"]): r for r in rows}
    delta: dict[StockKey, int] = defaultdict(int)
    placements: list[list[Any]] = []
    for g in touched:
        now_at = g.unit_id if g.status.value in _PENDING_VALUES else None  # type: ignore[attr-defined]
        key = (g.category_id, g.channel.value, district_of(g.area_code), g.filed_at.date())  # type: ignore[attr-defined]
        old = before.get(int(g.id))
        if old is not None and old["unit_id"] is not None:
            filed = old["filed_day"]
            filed = filed if isinstance(filed, date) else date.fromisoformat(str(filed))
            delta[(int(old["unit_id"]), int(old["category_id"]), str(old["channel"]), str(old["district"]), filed)] -= 1
        if now_at is not None:
            delta[(int(now_at), *key)] += 1
        placements.append([g.id, now_at, *key])
    changes = [[*k, d] for k, d in sorted(delta.items()) if d]
    if changes:
        await conn.execute_many(
            f"INSERT INTO stats_pending_stock (unit_id, category_id, channel, district, filed_day, count) "
            f"VALUES ({joined_placeholders(dialect, 6)}) ON CONFLICT (unit_id, category_id, channel, district, filed_day) "
            f"DO UPDATE SET count = stats_pending_stock.count + excluded.count", changes)
    # The same changes for the office and each unit above it (`backend.stats.subtree`).
    per_day: dict[tuple[int, date], int] = defaultdict(int)
    for (unit_id, _category, _channel, _district, filed_day), d in delta.items():
        per_day[(unit_id, filed_day)] += d
    await add_stock(conn, {k: d for k, d in per_day.items() if d})
    await conn.execute_many(
        f"INSERT INTO stats_placement (grievance_id, unit_id, category_id, channel, district, filed_day) "
        f"VALUES ({joined_placeholders(dialect, 6)}) ON CONFLICT (grievance_id) DO UPDATE SET unit_id = excluded.unit_id, "
        f"category_id = excluded.category_id, channel = excluded.channel, district = excluded.district, "
        f"filed_day = excluded.filed_day", placements)
