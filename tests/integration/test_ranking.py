"""Rankings on generated data: the district that disposes on time and satisfies its
citizens ranks above the one that is late and disputed; below the minimum sample
units are listed apart, not ranked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.accounts.roles import Role
from backend.authz.actors import Actor, ActorKind
from backend.feedback.services import FeedbackInput, give_feedback, uphold
from backend.grievances import intake, reports, services
from backend.grievances.channels import Channel
from backend.settings import Settings
from backend.stats.ranking import Rules, ranking
from backend.stats.refresh import refresh_all
from tests.conftest import NOW
from tests.factories import LifecycleWorld, actor_for, lifecycle_world, staff

pytestmark = pytest.mark.usefixtures("db")


async def closures(settings: Settings, w: LifecycleWorld, block: str, count: int, *, days: int, satisfied: bool,
                   offset: int) -> None:
    cell, head = await actor_for(w.users["cell"]), await actor_for(w.users["head"])
    officer = await actor_for(w.users["officer_a" if block == "a" else "officer_b"])
    reviewer = await actor_for(w.users["reviewer_a" if block == "a" else "reviewer_b"])
    unit = w.tree.block_a if block == "a" else w.tree.block_b
    for i in range(count):
        at = NOW - timedelta(days=25) + timedelta(hours=i)
        g = (await intake.file_grievance(settings, cell, intake.FilingInput(
            channel=Channel.POST, category_id=w.leaf.id, area_code="BR", subject=f"{block} {i}",
            description="Generated.", relief_sought="Act.", citizen_name="Sita Devi",
            citizen_mobile=f"98{offset + i:08d}"), now=at)).grievance
        await services.allot(cell, g.id, unit_id=unit.id, now=at + timedelta(hours=1))
        done = at + timedelta(days=days)
        await reports.final_report(officer, g.id, reports.ReportInput(action_taken="Done", reply="Done."), now=done)
        await reports.review_approve(reviewer, g.id, now=done + timedelta(minutes=5))
        await reports.review_approve(await actor_for(w.users["dept_reviewer"]), g.id, now=done + timedelta(minutes=9))
        await reports.close(cell, g.id, now=done + timedelta(minutes=15))
        citizen = Actor(kind=ActorKind.CITIZEN, id=g.citizen_id)  # type: ignore[attr-defined]
        await give_feedback(settings, citizen, g.id, FeedbackInput(resolved=satisfied, rating=5 if satisfied else 1),
                            now=done + timedelta(hours=2))
        if not satisfied:
            await uphold(head, g.id, reason="The report stands.", now=done + timedelta(hours=4))


async def test_the_better_district_ranks_first_and_small_ones_stand_apart(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    w.users["reviewer_b"] = await staff(settings, "reviewer_b", (w.tree.district_b, Role.REVIEWER))
    await closures(settings, w, "a", 8, days=1, satisfied=True, offset=0)
    await closures(settings, w, "b", 8, days=12, satisfied=False, offset=100)
    await refresh_all(NOW + timedelta(days=1))
    nodal = await actor_for(w.users["head"])
    period = ((NOW - timedelta(days=30)).date(), (NOW + timedelta(days=1)).date())
    small = Rules(min_handled=5, min_disposed=3, min_answers=2)

    _, ranked = await ranking(nodal, w.tree.dept.id, *period, NOW.date(), small)
    assert [(s.unit.code, s.rank) for s in ranked] == [("BR-REV-A", 1), ("BR-REV-B", 2)]
    a, b = ranked
    assert a.score is not None and b.score is not None and a.score > b.score
    assert a.components and b.components and a.components.feedback is not None and b.components.feedback is not None
    assert a.components.feedback > b.components.feedback and a.components.efficiency > b.components.efficiency
    assert (a.figures.disposed, a.figures.resolved, b.figures.not_resolved) == (8, 8, 8)

    # With the real minimums (20 handled, 10 disposed) neither is ranked: both listed, with why.
    _, unranked = await ranking(nodal, w.tree.dept.id, *period, NOW.date())
    assert [(s.unit.code, s.rank, s.reason) for s in unranked] == [
        ("BR-REV-A", None, "fewer than 20 grievances handled"), ("BR-REV-B", None, "fewer than 20 grievances handled")]
