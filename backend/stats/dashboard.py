"""The figures of any unit's subtree for any period, read from the rollups: a few
aggregate queries over `stats_daily_fact` and `stats_pending_stock`, whatever the
number of grievances. Filters narrow to a channel, a category's subtree or an area;
a breakdown splits the same figures by channel, category, district or child unit.

Without a filter, flows are read from the subtree rollups (`stats_subtree_fact`: one
row per unit x day x metric, the whole subtree summed) and pending from the subtree
stock (`stats_subtree_stock`: one row per unit x filing day), which give the same
numbers as joining every office's daily facts or stock below the unit by path, from far
fewer rows; several units' figures (a ranking's children) come from one grouped query
of each. A filter needs the dimensions only the daily facts and the stock keep, so it
takes the path join.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from tortoise import connections

from backend.authz.actors import Actor
from backend.authz.policy import Permission, require
from backend.categories.models import Category
from backend.core.errors import FieldError, not_found, validation_error
from backend.core.sql import placeholders
from backend.orgs.models import Unit
from backend.stats.facts import median_days
from backend.stats.subtree import ancestors

MAX_SPAN_DAYS = 3 * 366
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7", 0, 7), ("8-15", 8, 15), ("16-30", 16, 30), ("31-60", 31, 60), ("over 60", 61, None))


class Breakdown(StrEnum):
    CHANNEL = "channel"
    CATEGORY = "category"
    DISTRICT = "district"
    CHILD_UNIT = "child_unit"


@dataclass(frozen=True)
class Filters:
    channel: str | None = None
    category_id: int | None = None
    area_code: str = ""


NO_FILTER = Filters()


@dataclass
class Figures:
    received: int = 0
    disposed: int = 0
    closed: int = 0
    rejected: int = 0
    resolved: int = 0
    not_resolved: int = 0
    pending: int = 0
    ageing: dict[str, int] = field(default_factory=dict)
    average_disposal_days: float | None = None
    median_disposal_days: float | None = None
    sla: dict[str, tuple[int, int]] = field(default_factory=dict)  # stage -> (met, late)
    escalations: dict[int, int] = field(default_factory=dict)       # level -> count
    feedback: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # source -> (n, resolved, rated, sum)
    disputed: int = 0
    remanded: int = 0
    upheld: int = 0
    appealed: int = 0
    appeal_reopened: int = 0
    appeal_upheld: int = 0
    transferred: int = 0
    not_ours: int = 0
    others_received: int = 0


async def _where(dialect: str, unit_path: str, filters: Filters, alias: str) -> tuple[str, list[Any]]:
    """The subtree and filter conditions on a rollup row `alias` (joined to org_unit u)."""
    clauses, values = ["u.path LIKE {}"], [unit_path + "%"]
    if filters.channel:
        clauses.append(f"{alias}.channel = {{}}")
        values.append(filters.channel)
    if filters.category_id is not None:
        category = await Category.get_or_none(id=filters.category_id)
        if category is None:
            raise validation_error([FieldError("categoryId", "no such category")])
        clauses.append(f"{alias}.category_id IN (SELECT id FROM cat_category WHERE path LIKE {{}})")
        values.append(category.path + "%")
    if filters.area_code:
        clauses.append(f"({alias}.district = {{}} OR {alias}.district LIKE {{}})")
        values += [filters.area_code, filters.area_code + "-%"]
    return " AND ".join(clauses), values


def _fill(sql: str, dialect: str, count: int) -> str:
    return sql.format(*placeholders(dialect, count))


async def metric_rows(unit_path: str, since: date, until: date, filters: Filters,
                       group: str = "") -> list[dict[str, Any]]:
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    where, values = await _where(dialect, unit_path, filters, "f")
    select_group = f", {group} AS grp" if group else ""
    sql = (f"SELECT f.metric AS metric{select_group}, SUM(f.count) AS n, SUM(f.total) AS total "
           f"FROM stats_daily_fact f JOIN org_unit u ON u.id = f.unit_id "
           f"WHERE {where} AND f.day >= {{}} AND f.day < {{}} GROUP BY f.metric{', ' + group if group else ''}")
    rows: list[dict[str, Any]] = await conn.execute_query_dict(_fill(sql, dialect, len(values) + 2),
                                                                [*values, since, until])
    return rows


async def subtree_rows(unit_ids: list[int], since: date, until: date, group: str = "",
                       metrics: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """`metric_rows` without filters, from the subtree rollups: `group` is "", "day" or
    "unit_id" (the units given, each for its whole subtree); `metrics`, when given,
    the only metrics wanted."""
    if not unit_ids:
        return []
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    assert group in ("", "day", "unit_id")
    select_group = f", t.{group} AS grp" if group else ""
    marks = placeholders(dialect, len(unit_ids) + 2 + len(metrics))
    units, (start, end), wanted = marks[:len(unit_ids)], marks[len(unit_ids):len(unit_ids) + 2], marks[len(unit_ids) + 2:]
    only = f"AND t.metric IN ({', '.join(wanted)}) " if metrics else ""
    sql = (f"SELECT t.metric AS metric{select_group}, SUM(t.count) AS n, SUM(t.total) AS total "
           f"FROM stats_subtree_fact t WHERE t.unit_id IN ({', '.join(units)}) "
           f"AND t.day >= {start} AND t.day < {end} {only}GROUP BY t.metric{', t.' + group if group else ''}")
    rows: list[dict[str, Any]] = await conn.execute_query_dict(sql, [*unit_ids, since, until, *metrics])
    return rows


async def subtree_pending(unit_ids: list[int]) -> dict[int, int]:
    """Each unit's pending now (its whole subtree), from the subtree stock."""
    if not unit_ids:
        return {}
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    sql = (f"SELECT s.unit_id AS unit_id, SUM(s.count) AS n FROM stats_subtree_stock s "
           f"WHERE s.unit_id IN ({', '.join(placeholders(dialect, len(unit_ids)))}) GROUP BY s.unit_id")
    return {int(r["unit_id"]): int(r["n"] or 0) for r in await conn.execute_query_dict(sql, list(unit_ids))}


async def subtree_ageing_rows(unit_ids: list[int], today: date) -> list[dict[str, Any]]:
    """Each unit's pending stock summed per age band (`band`, "" for a filing day after
    `today`) in SQL: a few rows per unit instead of one per filing day. The bands are
    turned into filing-day bounds here, so the database compares dates only."""
    if not unit_ids:
        return []
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    cases, bounds = [], []
    for name, low, high in AGE_BANDS:
        if high is None:
            cases.append("WHEN s.filed_day <= {} THEN '" + name + "'")
            bounds.append(today - timedelta(days=low))
        else:
            cases.append("WHEN s.filed_day <= {} AND s.filed_day >= {} THEN '" + name + "'")
            bounds += [today - timedelta(days=low), today - timedelta(days=high)]
    marks = placeholders(dialect, len(bounds) + len(unit_ids))
    band = f"CASE {' '.join(cases)} ELSE '' END".format(*marks[:len(bounds)])
    sql = (f"SELECT b.unit_id AS unit_id, b.band AS band, SUM(b.n) AS n FROM "
           f"(SELECT s.unit_id AS unit_id, {band} AS band, s.count AS n FROM stats_subtree_stock s "
           f"WHERE s.unit_id IN ({', '.join(marks[len(bounds):])}) AND s.count <> 0) b GROUP BY b.unit_id, b.band")
    rows: list[dict[str, Any]] = await conn.execute_query_dict(sql, [*bounds, *unit_ids])
    return rows


def unit_id_of(unit_path: str) -> int:
    return ancestors(unit_path)[-1]


async def stock_rows(unit_path: str, filters: Filters, group: str = "") -> list[dict[str, Any]]:
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    where, values = await _where(dialect, unit_path, filters, "s")
    select_group = f", {group} AS grp" if group else ""
    sql = (f"SELECT s.filed_day AS filed_day{select_group}, SUM(s.count) AS n FROM stats_pending_stock s "
           f"JOIN org_unit u ON u.id = s.unit_id WHERE {where} AND s.count <> 0 "
           f"GROUP BY s.filed_day{', ' + group if group else ''}")
    rows: list[dict[str, Any]] = await conn.execute_query_dict(_fill(sql, dialect, len(values)), values)
    return rows


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _apply(fig: Figures, rows: list[dict[str, Any]]) -> None:
    histogram: dict[int, int] = defaultdict(int)
    disposal_seconds = 0
    feedback: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        metric, n, total = str(row["metric"]), int(row["n"] or 0), int(row["total"] or 0)
        name, _, part = metric.partition(":")
        if name == "disposed":
            fig.disposed += n
            disposal_seconds += total
        elif name == "disposal_day":
            histogram[int(part)] += n
        elif name in ("sla_met", "sla_late"):
            met, late = fig.sla.get(part, (0, 0))
            fig.sla[part] = (met + n, late) if name == "sla_met" else (met, late + n)
        elif name == "escalated":
            fig.escalations[int(part)] = fig.escalations.get(int(part), 0) + n
        elif name == "feedback":
            feedback[part][0] += n
        elif name == "feedback_resolved":
            feedback[part][1] += n
        elif name == "rating":
            feedback[part][2] += n
            feedback[part][3] += total
        elif hasattr(fig, name) and isinstance(getattr(fig, name), int):
            setattr(fig, name, getattr(fig, name) + n)
    fig.feedback = {k: (v[0], v[1], v[2], v[3]) for k, v in feedback.items()}
    if fig.disposed:
        fig.average_disposal_days = round(disposal_seconds / fig.disposed / 86400, 1)
    fig.median_disposal_days = median_days(histogram)


def _add_stock(fig: Figures, rows: list[dict[str, Any]], today: date) -> None:
    """Pending and its ageing from stock rows (filing day, count)."""
    for row in rows:
        n = int(row["n"] or 0)
        fig.pending += n
        age = (today - _as_date(row["filed_day"])).days
        for name, low, high in AGE_BANDS:
            if age >= low and (high is None or age <= high):
                fig.ageing[name] += n
                break


async def subtree_figures(unit_ids: list[int], since: date, until: date, today: date) -> dict[int, Figures]:
    """Each of these units' unfiltered figures (its whole subtree), from one grouped
    query of the subtree rollups and one of the subtree stock, however many units."""
    figures = {unit_id: Figures(ageing={name: 0 for name, _, _ in AGE_BANDS}) for unit_id in unit_ids}
    if not unit_ids:
        return figures
    ids = sorted(set(unit_ids))
    # The subtree rows carry the share of "Others" as a metric of its own
    # (`others_received`), which `_apply` adds up like any count.
    if len(ids) == 1:
        flows: dict[int, list[dict[str, Any]]] = {ids[0]: await subtree_rows(ids, since, until)}
    else:
        flows = defaultdict(list)
        for row in await subtree_rows(ids, since, until, group="unit_id"):
            flows[int(row["grp"])].append(row)
    for unit_id, fig in figures.items():
        _apply(fig, flows.get(unit_id, []))
    for row in await subtree_ageing_rows(ids, today):
        fig, n, band = figures[int(row["unit_id"])], int(row["n"] or 0), str(row["band"])
        fig.pending += n
        if band:
            fig.ageing[band] += n
    return figures


async def figures_for(unit_path: str, since: date, until: date, filters: Filters, today: date) -> Figures:
    if filters == NO_FILTER:
        unit_id = unit_id_of(unit_path)
        return (await subtree_figures([unit_id], since, until, today))[unit_id]
    fig = Figures()
    _apply(fig, await metric_rows(unit_path, since, until, filters))
    # The share of "Others": received in categories marked as a department's "Others".
    others = await metric_rows(unit_path, since, until, filters,
                                group="(SELECT CASE WHEN c.is_others THEN 1 ELSE 0 END FROM cat_category c "
                                      "WHERE c.id = f.category_id)")
    fig.others_received = sum(int(r["n"] or 0) for r in others
                              if r["metric"] == "received" and int(r["grp"] or 0))
    fig.ageing = {name: 0 for name, _, _ in AGE_BANDS}
    _add_stock(fig, await stock_rows(unit_path, filters), today)
    return fig


def check_period(since: date, until: date) -> None:
    errors: list[FieldError] = []
    if until <= since:
        errors.append(FieldError("until", "must be after since"))
    elif (until - since).days > MAX_SPAN_DAYS:
        errors.append(FieldError("until", "a period is at most three years"))
    if errors:
        raise validation_error(errors)


async def unit_for(actor: Actor, unit_id: int) -> Unit:
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found("Unit")
    require(actor, Permission.VIEW_GRIEVANCES, unit.path)
    return unit


async def dashboard(actor: Actor, unit_id: int, since: date, until: date, filters: Filters,
                    today: date) -> Figures:
    """A unit's subtree's figures, for staff whose roles cover the unit. `until` is
    exclusive; pending and its ageing are as of the last refresh."""
    check_period(since, until)
    unit = await unit_for(actor, unit_id)
    return await figures_for(unit.path, since, until, filters, today)


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    unit_id: int | None
    received: int
    disposed: int
    resolved: int
    pending: int


async def breakdown(actor: Actor, unit_id: int, since: date, until: date, by: Breakdown, filters: Filters,
                    ) -> list[BreakdownRow]:
    """The headline figures split by channel, category, district or child unit."""
    check_period(since, until)
    unit = await unit_for(actor, unit_id)
    group = {Breakdown.CHANNEL: "{a}.channel", Breakdown.CATEGORY: "{a}.category_id",
             Breakdown.DISTRICT: "{a}.district", Breakdown.CHILD_UNIT: "u.path"}[by]
    children: dict[str, Unit] = {}
    if by is Breakdown.CHILD_UNIT:
        children = {c.path: c for c in await Unit.filter(parent_id=unit.id)}
    if by is Breakdown.CHILD_UNIT and filters == NO_FILTER:
        # Each child's own subtree rows and subtree stock; `grp` is then the child's id,
        # mapped back to its path.
        paths = {c.id: path for path, c in children.items()}
        flows = [{**r, "grp": paths[int(r["grp"])]}
                 for r in await subtree_rows(sorted(paths), since, until, group="unit_id",
                                             metrics=("received", "disposed", "resolved"))]
        stock: list[dict[str, Any]] = [{"n": n, "grp": paths[unit_id]}
                                       for unit_id, n in (await subtree_pending(sorted(paths))).items()]
    else:
        flows = await metric_rows(unit.path, since, until, filters, group=group.format(a="f"))
        stock = await stock_rows(unit.path, filters, group=group.format(a="s"))

    def key_of(value: Any) -> str | None:
        if by is not Breakdown.CHILD_UNIT:
            return str(value)
        path = str(value)
        return next((p for p in children if path.startswith(p)), None)

    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in flows:
        key = key_of(row["grp"])
        if key is None:
            continue
        column = {"received": 0, "disposed": 1, "resolved": 2}.get(str(row["metric"]))
        if column is not None:
            table[key][column] += int(row["n"] or 0)
    for row in stock:
        key = key_of(row["grp"])
        if key is not None:
            table[key][3] += int(row["n"] or 0)
    if by is Breakdown.CHILD_UNIT:
        for path in children:
            table.setdefault(path, [0, 0, 0, 0])
    rows = [BreakdownRow(children[k].code if by is Breakdown.CHILD_UNIT else k,
                         children[k].id if by is Breakdown.CHILD_UNIT else None, *v) for k, v in table.items()]
    return sorted(rows, key=lambda r: (-r.received, r.key))


@dataclass(frozen=True)
class TrendPoint:
    day: date
    received: int
    disposed: int
    resolved: int


async def trend(actor: Actor, unit_id: int, since: date, until: date, filters: Filters) -> list[TrendPoint]:
    """Received, disposed and resolved per day over the period (days with none omitted)."""
    check_period(since, until)
    unit = await unit_for(actor, unit_id)
    rows = (await subtree_rows([unit.id], since, until, group="day", metrics=("received", "disposed", "resolved"))
            if filters == NO_FILTER
            else await metric_rows(unit.path, since, until, filters, group="f.day"))
    days: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        column = {"received": 0, "disposed": 1, "resolved": 2}.get(str(row["metric"]))
        if column is not None:
            days[_as_date(row["grp"])][column] += int(row["n"] or 0)
    return [TrendPoint(day, *values) for day, values in sorted(days.items())]
