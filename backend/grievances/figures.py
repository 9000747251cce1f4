"""Counts for a unit's subtree and a period, with "disposed" and "resolved" apart (F7).

A grievance is answerable to the office that acted on it: the office whose final
report was accepted (`acting_unit`), else the office holding it now. *Disposed* is a
closure or a rejection in the period; *resolved* is a closure the citizen confirmed -
their feedback (or the call centre's) on that same disposal says it was resolved.
Portals that report only "disposed" overstate what was fixed; every query that reports
counts uses these two figures side by side.

Each figure is one aggregate query (an indexed range and a prefix match), so the cost
does not grow with the number of rows returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise import connections

from backend.authz.actors import Actor
from backend.authz.policy import Permission, require
from backend.core.errors import FieldError, not_found, validation_error
from backend.core.sql import placeholders
from backend.grievances.states import PENDING, State
from backend.orgs.models import Unit

MAX_SPAN_DAYS = 3 * 366


@dataclass(frozen=True)
class Figures:
    received: int        # filed in the period
    disposed: int        # closed or rejected in the period
    closed: int          # of which closed (the ATR accepted)
    rejected: int        # of which rejected
    resolved: int        # closures in the period the citizen confirmed as resolved
    not_resolved: int    # closures in the period whose feedback says "not resolved" (since upheld)
    pending: int         # not disposed now
    disputed: int        # with the department's head now
    appealed: int        # with an appellate authority now


_FROM = "FROM grv_grievance g LEFT JOIN org_unit a ON a.id = g.acting_unit_id"


async def figures_for(unit_path: str, since: datetime, until: datetime) -> Figures:
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    like = unit_path + "%"  # paths are digits and slashes: nothing to escape

    async def count(where: str, *values: object, join_feedback: str = "") -> int:
        marks = placeholders(dialect, 2 + len(values))
        scope = f"(a.path LIKE {marks[0]} OR (g.acting_unit_id IS NULL AND g.unit_path LIKE {marks[1]}))"
        condition = where.format(*marks[2:])
        sql = f"SELECT COUNT(DISTINCT g.id) AS n {_FROM} {join_feedback} WHERE {scope} AND {condition}"
        rows = await conn.execute_query_dict(sql, [like, like, *values])
        return int(rows[0]["n"])

    disposed = "g.status IN ('closed', 'rejected') AND g.closed_at >= {0} AND g.closed_at < {1}"
    closed = "g.status = 'closed' AND g.closed_at >= {0} AND g.closed_at < {1}"
    # The feedback of the disposal itself: a dispute or an appeal starts a new round.
    said = ("JOIN fb_feedback f ON f.grievance_id = g.id AND f.round = g.escalation_round "
            "AND f.resolved = {verdict}")
    true, false = ("TRUE", "FALSE") if dialect == "postgres" else ("1", "0")
    pending = ", ".join(f"'{s.value}'" for s in sorted(PENDING))
    return Figures(
        received=await count("g.filed_at >= {0} AND g.filed_at < {1}", since, until),
        disposed=await count(disposed, since, until),
        closed=await count(closed, since, until),
        rejected=await count("g.status = 'rejected' AND g.closed_at >= {0} AND g.closed_at < {1}", since, until),
        resolved=await count(closed, since, until, join_feedback=said.format(verdict=true)),
        not_resolved=await count(closed, since, until, join_feedback=_upheld(false)),
        pending=await count(f"g.status IN ({pending})"),
        disputed=await count(f"g.status = '{State.DISPUTED.value}'"),
        appealed=await count(f"g.status = '{State.APPEALED.value}'"),
    )


def _upheld(false: str) -> str:
    """A closure upheld over the citizen's "not resolved": that feedback is one round back."""
    return f"JOIN fb_feedback f ON f.grievance_id = g.id AND f.round = g.escalation_round - 1 AND f.resolved = {false}"


async def figures(actor: Actor, unit_id: int, since: datetime, until: datetime) -> Figures:
    """The figures of a unit's subtree for staff whose roles cover that unit."""
    errors: list[FieldError] = []
    if until <= since:
        errors.append(FieldError("until", "must be after since"))
    elif (until - since).days > MAX_SPAN_DAYS:
        errors.append(FieldError("until", "a period is at most three years"))
    if errors:
        raise validation_error(errors)
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found("Unit")
    require(actor, Permission.VIEW_GRIEVANCES, unit.path)
    return await figures_for(unit.path, since, until)
