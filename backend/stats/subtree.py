"""Subtree rollups: each unit's figures per day and metric, summed over every office in
its subtree, so that an unfiltered dashboard reads one unit's rows instead of joining
every office's facts below it by path (a state over a 30-day period: ~675,000 daily-fact
rows at 1 M grievances, ~2,500 subtree rows). The pending stock has its subtree version
too (`stats_subtree_stock`: unit x filing day), kept and rebuilt the same way, so that
pending and its ageing are one unit's rows instead of its whole subtree's stock.

Two ways keep `stats_subtree_fact` equal to "the daily facts of every office whose path
starts with the unit's path" (and `stats_subtree_stock` equal to that pending stock):
- the refresher adds each batch's facts to the office and each of its ancestors (from
  the office's materialised path, read under the refresher's lock), in the transaction
  that adds them to the daily facts (`add_facts`);
- a restructure changes which ancestors an office's history counts for; once it has
  committed, `rebuild_subtree` recomputes the affected units' rows from the daily facts
  and the pending stock in one transaction. It takes the refresher's lock (the cursor rows), so a batch's
  additions are either in the facts it reads or made afterwards along the new paths.
`rebuild_all` recomputes every unit (the migration's data step does the same in SQL; an
operator runs `grievance stats rebuild` if a process died between a restructure's commit
and its rebuild).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from tortoise.transactions import in_transaction

from backend.core.sql import joined_placeholders
from backend.stats.models import StatsCursor

OTHERS_RECEIVED = "others_received"
CURSORS = ("events", "feedback")  # the refresher's lock rows (backend.stats.refresh)

# (day, office, category, channel, district, metric) -> [count, total], as the refresher builds them.
Facts = Mapping[tuple[date, int, int, str, str, str], list[int]]

# The subtree rows of the units in `{targets}` from the daily facts: the facts are first
# summed per office x day x metric (dropping the other dimensions), then added to every
# target unit whose path is a prefix of the office's path. `others_received` is the
# received count in categories marked "Others".
_FLOWS = (
    "SELECT a.id, f.day, f.metric, SUM(f.n), SUM(f.t) FROM "
    "(SELECT unit_id, day, metric, SUM(count) AS n, SUM(total) AS t FROM stats_daily_fact {offices}"
    " GROUP BY unit_id, day, metric) f "
    "JOIN org_unit o ON o.id = f.unit_id JOIN org_unit a ON o.path LIKE a.path || '%' {targets} "
    "GROUP BY a.id, f.day, f.metric"
)
_OTHERS = (
    "SELECT a.id, f.day, 'others_received', SUM(f.n), 0 FROM "
    "(SELECT unit_id, day, SUM(count) AS n FROM stats_daily_fact WHERE metric = 'received' AND category_id IN "
    " (SELECT id FROM cat_category WHERE is_others) {and_offices} GROUP BY unit_id, day) f "
    "JOIN org_unit o ON o.id = f.unit_id JOIN org_unit a ON o.path LIKE a.path || '%' {targets} "
    "GROUP BY a.id, f.day"
)
_SELECT = _FLOWS + " UNION ALL " + _OTHERS
_INSERT = "INSERT INTO stats_subtree_fact (unit_id, day, metric, count, total) "
# Every unit's rows, into an empty table (also used by the benchmark's generator).
FILL_ALL = _INSERT + _SELECT.format(targets="", offices="", and_offices="")
# Only the facts of offices in the targets' subtrees are summed (a move's rebuild reads
# those of two districts, not the whole state's).
_OFFICES = "unit_id IN (SELECT o.id FROM org_unit o JOIN org_unit a ON o.path LIKE a.path || '%' WHERE a.id IN ({}))"
# The same for the pending stock: per office and filing day, added to every target above.
# Rows whose count is back to zero (everything filed that day disposed of) are left out.
_STOCK = (
    "INSERT INTO stats_subtree_stock (unit_id, filed_day, count) "
    "SELECT a.id, s.filed_day, SUM(s.n) FROM "
    "(SELECT unit_id, filed_day, SUM(count) AS n FROM stats_pending_stock WHERE count <> 0 {and_offices}"
    " GROUP BY unit_id, filed_day) s "
    "JOIN org_unit o ON o.id = s.unit_id JOIN org_unit a ON o.path LIKE a.path || '%' {targets} "
    "GROUP BY a.id, s.filed_day"
)
FILL_STOCK_ALL = _STOCK.format(targets="", and_offices="")


def ancestors(path: str) -> list[int]:
    """The ids on a materialised path `/1/7/42/`, the unit itself last."""
    return [int(part) for part in path.strip("/").split("/") if part]


async def add_facts(conn: Any, facts: Facts) -> None:
    """Add a refresher batch's daily facts to each office's subtree row and each of its
    ancestors'. Runs inside the refresher's transaction, under its lock."""
    if not facts:
        return
    dialect = conn.capabilities.dialect
    categories = sorted({key[2] for key in facts if key[5] == "received"})
    chains = await _chains(conn, sorted({key[1] for key in facts}))
    others: set[int] = set()
    if categories:
        found = await conn.execute_query_dict(
            f"SELECT id FROM cat_category WHERE is_others AND id IN ({joined_placeholders(dialect, len(categories))})",
            categories)
        others = {int(r["id"]) for r in found}
    cells: dict[tuple[int, date, str], list[int]] = defaultdict(lambda: [0, 0])
    for (day, office, category, _channel, _district, metric), (count, total) in facts.items():
        # An office missing from org_unit has no ancestors to count for; the path join of
        # the filtered dashboard would not count it either.
        for unit_id in chains.get(office, []):
            cell = cells[(unit_id, day, metric)]
            cell[0] += count
            cell[1] += total
            if metric == "received" and category in others:
                cells[(unit_id, day, OTHERS_RECEIVED)][0] += count
    await conn.execute_many(
        f"INSERT INTO stats_subtree_fact (unit_id, day, metric, count, total) VALUES ({joined_placeholders(dialect, 5)}) "
        f"ON CONFLICT (unit_id, day, metric) DO UPDATE SET count = stats_subtree_fact.count + excluded.count, "
        f"total = stats_subtree_fact.total + excluded.total",
        [[*key, c, t] for key, (c, t) in sorted(cells.items())])


async def _chains(conn: Any, offices: Sequence[int]) -> dict[int, list[int]]:
    """Each office's ancestors (itself included) from its materialised path as it is now."""
    dialect = conn.capabilities.dialect
    rows = await conn.execute_query_dict(
        f"SELECT id, path FROM org_unit WHERE id IN ({joined_placeholders(dialect, len(offices))})", list(offices))
    return {int(r["id"]): ancestors(str(r["path"])) for r in rows}


async def add_stock(conn: Any, changes: Mapping[tuple[int, date], int]) -> None:
    """Add a refresher batch's changes of the pending stock ((office, filing day) ->
    how many more pending) to the office's subtree stock and each of its ancestors'.
    Runs inside the refresher's transaction, under its lock."""
    if not changes:
        return
    dialect = conn.capabilities.dialect
    chains = await _chains(conn, sorted({office for office, _ in changes}))
    cells: dict[tuple[int, date], int] = defaultdict(int)
    for (office, filed_day), delta in changes.items():
        for unit_id in chains.get(office, []):
            cells[(unit_id, filed_day)] += delta
    rows = [[unit_id, filed_day, delta] for (unit_id, filed_day), delta in sorted(cells.items()) if delta]
    if rows:
        await conn.execute_many(
            f"INSERT INTO stats_subtree_stock (unit_id, filed_day, count) VALUES ({joined_placeholders(dialect, 3)}) "
            f"ON CONFLICT (unit_id, filed_day) DO UPDATE SET count = stats_subtree_stock.count + excluded.count",
            rows)


async def _lock() -> None:
    for name in CURSORS:
        await StatsCursor.get_or_create(name=name)
    await StatsCursor.filter(name__in=list(CURSORS)).select_for_update()


async def rebuild_subtree(unit_ids: Iterable[int]) -> int:
    """Recompute these units' subtree rows from the daily facts and their subtree stock
    from the pending stock (idempotent). Returns how many subtree-fact rows they now have."""
    ids = sorted(set(unit_ids))
    if not ids:
        return 0
    async with in_transaction() as conn:
        await _lock()
        dialect = conn.capabilities.dialect
        marks = joined_placeholders(dialect, len(ids))
        await conn.execute_query(f"DELETE FROM stats_subtree_fact WHERE unit_id IN ({marks})", ids)
        # The list of ids appears four times (offices and targets, in both arms of the
        # union); PostgreSQL numbers each copy apart.
        copies = [joined_placeholders(dialect, len(ids), start=1 + i * len(ids)) for i in range(4)]
        flows = _FLOWS.format(offices="WHERE " + _OFFICES.format(copies[0]), targets=f"WHERE a.id IN ({copies[1]})")
        others = _OTHERS.format(and_offices="AND " + _OFFICES.format(copies[2]),
                                targets=f"WHERE a.id IN ({copies[3]})")
        sql = _INSERT + flows + " UNION ALL " + others
        await conn.execute_query(sql, ids * 4)
        await conn.execute_query(f"DELETE FROM stats_subtree_stock WHERE unit_id IN ({marks})", ids)
        stock = _STOCK.format(and_offices="AND " + _OFFICES.format(copies[0]), targets=f"WHERE a.id IN ({copies[1]})")
        await conn.execute_query(stock, ids * 2)
        rows = await conn.execute_query_dict(
            f"SELECT COUNT(*) AS n FROM stats_subtree_fact WHERE unit_id IN ({marks})", ids)
    return int(rows[0]["n"])


async def rebuild_all() -> int:
    """Recompute every unit's subtree rows and subtree stock. Returns the subtree-fact
    row count."""
    async with in_transaction() as conn:
        await _lock()
        await conn.execute_query("DELETE FROM stats_subtree_fact")
        await conn.execute_query(FILL_ALL)
        await conn.execute_query("DELETE FROM stats_subtree_stock")
        await conn.execute_query(FILL_STOCK_ALL)
        rows = await conn.execute_query_dict("SELECT COUNT(*) AS n FROM stats_subtree_fact")
    return int(rows[0]["n"])


async def rebuild_others() -> int:
    """Recompute every unit's `others_received` after a category became or stopped being
    its department's "Others" (the daily facts keep the category; the subtree rows
    counted it under the flag it had then). Returns the row count of that metric."""
    async with in_transaction() as conn:
        await _lock()
        await conn.execute_query(f"DELETE FROM stats_subtree_fact WHERE metric = '{OTHERS_RECEIVED}'")
        await conn.execute_query(_INSERT + _OTHERS.format(targets="", and_offices=""))
        rows = await conn.execute_query_dict(
            f"SELECT COUNT(*) AS n FROM stats_subtree_fact WHERE metric = '{OTHERS_RECEIVED}'")
    return int(rows[0]["n"])


async def after_restructure(unit_ids: Sequence[int]) -> None:
    """The hook `backend.orgs.restructure_hooks` calls once a restructure has committed."""
    await rebuild_subtree(unit_ids)
