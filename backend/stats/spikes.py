"""Spike detection (seed 001's "intelligent monitoring"): each week, the grievances
received per category x district are compared with the same pair's previous
BASELINE_WEEKS weeks. A week is unusual when its count is at least MIN_COUNT and more
than THRESHOLD Poisson standard deviations above the baseline mean:

    score = (count - mean) / sqrt(max(mean, 1))      alert when score > THRESHOLD

Counts come from the rollups (`received` facts), so a run costs one grouped query. An
alert is stored once per week x category x district (re-running changes nothing) and
sent to the heads of the category's department, with the numbers behind it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.authz.actors import Actor
from backend.authz.policy import Permission, require
from backend.categories.models import Category
from backend.core.errors import not_found
from backend.core.sql import placeholders
from backend.notifications.recipients import tell_staff
from backend.orgs.models import Unit
from backend.stats.models import SpikeAlert

BASELINE_WEEKS = 8
MIN_BASELINE_WEEKS = 4  # a pair newer than this has no baseline yet
MIN_COUNT = 5
THRESHOLD = 3.0


@dataclass(frozen=True)
class Spike:
    category_id: int
    district: str
    count: int
    mean: float
    weeks: int
    score: float


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def unusual(current: int, history: list[int]) -> Spike | None:
    """The test for one pair (`history`: the previous weeks' counts, zeros included)."""
    if len(history) < MIN_BASELINE_WEEKS or current < MIN_COUNT:
        return None
    mean = sum(history) / len(history)
    score = (current - mean) / math.sqrt(max(mean, 1.0))
    return Spike(0, "", current, round(mean, 2), len(history), round(score, 2)) if score > THRESHOLD else None


async def weekly_counts(first: date, last_start: date) -> dict[tuple[int, str], dict[date, int]]:
    conn = connections.get("default")
    marks = placeholders(conn.capabilities.dialect, 2)
    rows = await conn.execute_query_dict(
        f"SELECT category_id, district, day, SUM(count) AS n FROM stats_daily_fact WHERE metric = 'received' "
        f"AND day >= {marks[0]} AND day < {marks[1]} GROUP BY category_id, district, day",
        [first, last_start + timedelta(days=7)])
    counts: dict[tuple[int, str], dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        day = row["day"] if isinstance(row["day"], date) else date.fromisoformat(str(row["day"])[:10])
        counts[(int(row["category_id"]), str(row["district"]))][week_start(day)] += int(row["n"] or 0)
    return counts


async def detect(week: date) -> list[Spike]:
    """The unusual pairs of the week starting `week` (a Monday)."""
    first = week - timedelta(weeks=BASELINE_WEEKS)
    found: list[Spike] = []
    for (category_id, district), weeks in (await weekly_counts(first, week)).items():
        seen = sorted(w for w in weeks if w < week)
        if not seen:
            continue
        # The pair's baseline runs from its first week with any grievance (zeros count after that).
        span = [seen[0] + timedelta(weeks=i) for i in range((week - seen[0]).days // 7)]
        spike = unusual(weeks.get(week, 0), [weeks.get(w, 0) for w in span])
        if spike:
            found.append(Spike(category_id, district, spike.count, spike.mean, spike.weeks, spike.score))
    return sorted(found, key=lambda s: -s.score)


async def detect_and_alert(today: date, now: datetime) -> int:
    """Store and send the alerts of the last complete week; idempotent."""
    week = week_start(today) - timedelta(weeks=1)
    made = 0
    for spike in await detect(week):
        category = await Category.get_or_none(id=spike.category_id)
        if category is None:
            continue
        department_id = int(category.department_id)  # type: ignore[attr-defined]
        try:
            async with in_transaction():
                alert = await SpikeAlert.create(
                    week_start=week, category_id=spike.category_id, district=spike.district,
                    department_id=department_id, count=spike.count, baseline_mean=spike.mean,
                    baseline_weeks=spike.weeks, score=spike.score, created_at=now)
                heads: list[int] = await Membership.filter(  # type: ignore[assignment]
                    unit_id=department_id, role=Role.HEAD, active=True).values_list("user_id", flat=True)
                await tell_staff(heads, key=f"spike:{alert.id}", template="spike_alert", now=now, payload={
                    "number": category.code, "category": category.name("en"), "district": spike.district,
                    "count": spike.count, "mean": spike.mean, "week": week.isoformat()})
            made += 1
        except IntegrityError:
            continue  # already raised for this week
    return made


@dataclass(frozen=True)
class AlertView:
    alert: SpikeAlert
    category: Category


async def alerts_for(actor: Actor, unit_id: int, *, since: date) -> list[AlertView]:
    """Alerts since a week, for the departments below a unit or the districts it serves."""
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found("Unit")
    require(actor, Permission.VIEW_GRIEVANCES, unit.path)
    # The units below as a subquery: a state has hundreds, each a bound parameter otherwise.
    departments = Subquery(Unit.filter(path__startswith=unit.path).values("id"))
    districts = [str(code) for code in (unit.area_codes or [])]
    query = Q(department_id__in=departments)
    for code in districts:
        query |= Q(district=code) | Q(district__startswith=f"{code}-")
    alerts = await SpikeAlert.filter(query, week_start__gte=since).order_by("-week_start", "-score").limit(100)
    categories = {c.id: c for c in await Category.filter(id__in=sorted({a.category_id for a in alerts}))}
    return [AlertView(a, categories[a.category_id]) for a in alerts if a.category_id in categories]
