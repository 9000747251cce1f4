"""Monthly reports: generated from the rollups as CSV and PDF, idempotent, and the same
when the month is generated again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.settings import Settings
from backend.stats import refresh as stats
from backend.stats.models import MonthlyReport
from backend.stats.reports import generate, generate_month, previous_month
from tests.conftest import NOW
from tests.factories import lifecycle_world
from tests.integration.test_stats_rollups import history

pytestmark = pytest.mark.usefixtures("db")


async def test_a_month_generated_twice_has_the_same_content(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    end = await history(settings, w, seed=11, count=30)
    await stats.refresh_all(end + timedelta(days=30))
    month = previous_month(NOW.date())  # October 2026: the history runs from mid-October
    first = await generate(w.tree.state, month, NOW)
    f = first.figures
    assert f["month"] == "2026-10-01" and f["received"] > 0 and f["disposed"] > 0
    assert f["disposed"] != f["resolved"] or f["resolved"] == 0
    assert first.csv.startswith("section,item,value\nfigures,received,")
    assert bytes(first.pdf).startswith(b"%PDF")
    assert [r["code"] for r in f["ranking"]] == ["BR-REV"]  # the state's one child, listed (too small to rank)
    assert f["top_categories"] and f["top_categories"][0]["received"] >= f["top_categories"][-1]["received"]
    assert all(set(p) == {"number", "age_days", "status"} for p in f["oldest_pending"])

    # Generating again without asking changes nothing; regenerating remakes the same content.
    assert (await generate(w.tree.state, month, NOW + timedelta(days=3))).id == first.id
    again = await generate(w.tree.state, month, NOW + timedelta(days=5), regenerate=True)
    assert again.figures == first.figures and again.csv == first.csv and bytes(again.pdf) == bytes(first.pdf)
    assert again.regenerated_at is not None


async def test_the_monthly_job_makes_one_report_per_unit_once(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    made = await generate_month(date(2026, 12, 1), NOW)
    units = await MonthlyReport.all().count()
    assert made == units and units >= 5  # IN, BR, BR-REV, the two districts (depth <= 3)
    assert await generate_month(date(2026, 12, 1), NOW) == 0
    assert await MonthlyReport.filter(unit_id=w.tree.block_a.id).count() == 0  # blocks get none
