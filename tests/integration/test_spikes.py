"""Spike detection: a rise planted in generated weekly data is found (and told to the
department's head once); flat data raises nothing."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from backend.notifications.models import OutboxMessage
from backend.settings import Settings
from backend.stats.models import DailyFact, SpikeAlert
from backend.stats.spikes import detect, detect_and_alert, unusual, week_start
from tests.factories import lifecycle_world

pytestmark = pytest.mark.usefixtures("db")
TODAY = date(2026, 11, 25)           # a Wednesday
WEEK = week_start(TODAY) - timedelta(weeks=1)  # the last complete week


async def plant(category_id: int, district: str, weekly: list[int], unit_id: int) -> None:
    """Daily `received` facts spreading each week's count over its days (oldest first,
    the last entry being WEEK)."""
    rng = random.Random(category_id * 31 + len(district))
    for i, total in enumerate(weekly):
        start = WEEK - timedelta(weeks=len(weekly) - 1 - i)
        days = [0] * 7
        for _ in range(total):
            days[rng.randrange(7)] += 1
        for d, n in enumerate(days):
            if n:
                await DailyFact.create(day=start + timedelta(days=d), unit_id=unit_id, category_id=category_id,
                                       channel="web", district=district, metric="received", count=n)


def test_the_statistic() -> None:
    assert unusual(30, [10, 9, 11, 10, 12, 8, 10, 10]) is not None
    assert unusual(14, [10, 9, 11, 10, 12, 8, 10, 10]) is None          # within the noise
    assert unusual(4, [0, 0, 0, 0]) is None                             # too few to matter
    assert unusual(30, [10, 10]) is None                                 # too short a baseline


async def test_a_planted_spike_is_found_and_flat_data_raises_nothing(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    rng = random.Random(7)
    flat = [rng.randint(8, 12) for _ in range(9)]
    await plant(w.leaf.id, "BR-A", flat, w.tree.block_a.id)
    await plant(w.other_leaf.id, "BR-A", [rng.randint(3, 6) for _ in range(8)] + [5], w.tree.block_a.id)
    assert await detect(WEEK) == []

    # The same category in another district: quiet for eight weeks, then a burst.
    await plant(w.leaf.id, "BR-B", [2, 3, 2, 1, 3, 2, 2, 3, 25], w.tree.block_b.id)
    found = await detect(WEEK)
    assert [(s.category_id, s.district, s.count) for s in found] == [(w.leaf.id, "BR-B", 25)]
    assert found[0].mean == 2.25 and found[0].weeks == 8 and found[0].score > 10

    now = datetime(2026, 11, 25, 1, 15, tzinfo=UTC)
    assert await detect_and_alert(TODAY, now) == 1
    assert await detect_and_alert(TODAY, now) == 0  # once per week and pair
    alert = await SpikeAlert.get()
    assert (alert.week_start, alert.department_id, alert.count) == (WEEK, w.tree.dept.id, 25)
    told = await OutboxMessage.filter(template="spike_alert")
    assert told and all(m.payload["district"] == "BR-B" and m.payload["count"] == 25 for m in told)
