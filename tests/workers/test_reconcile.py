"""The reconciliation job: closed grievances whose current feedback says "not resolved"
are disputed once; upheld closures and resolved ones are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.feedback.models import Feedback, FeedbackSource
from backend.feedback.reconcile import reconcile_disputes
from backend.feedback.services import uphold
from backend.grievances import intake, reports, services
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.grievances.states import State
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import LifecycleWorld, actor_for, lifecycle_world

pytestmark = pytest.mark.usefixtures("db")


async def closed(settings: Settings, w: LifecycleWorld, mobile: str) -> Grievance:
    cell = await actor_for(w.users["cell"])
    g = (await intake.file_grievance(settings, cell, intake.FilingInput(
        channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject=f"Ration card for {mobile}",
        description="Applied in June; nothing since.", relief_sought="Issue it.", citizen_name="Sita Devi",
        citizen_mobile=mobile), now=NOW)).grievance
    await services.allot(cell, g.id, unit_id=w.tree.block_a.id, now=NOW)
    await reports.final_report(await actor_for(w.users["officer_a"]), g.id, reports.ReportInput(
        action_taken="Issued", reply="The card was issued."), now=NOW)
    await reports.review_approve(await actor_for(w.users["reviewer_a"]), g.id, now=NOW)
    await reports.review_approve(await actor_for(w.users["dept_reviewer"]), g.id, now=NOW)
    return await reports.close(cell, g.id, now=NOW)


async def imported(g: Grievance, *, resolved: bool, round_: int | None = None, minutes: int = 10) -> Feedback:
    """Feedback that reached the table by another road (an import), without the dispute."""
    return await Feedback.create(grievance=g, round=round_ or g.escalation_round, source=FeedbackSource.CALL_CENTRE,
                                 resolved=resolved, created_at=NOW + timedelta(minutes=minutes))


async def test_reconciliation_disputes_each_contradiction_once(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    contradicted = await closed(settings, w, "9876500001")
    confirmed = await closed(settings, w, "9876500002")
    changed_mind = await closed(settings, w, "9876500003")
    await imported(contradicted, resolved=False)
    await imported(confirmed, resolved=True)
    await imported(changed_mind, resolved=False, minutes=5)
    await Feedback.create(grievance=changed_mind, round=changed_mind.escalation_round, source=FeedbackSource.CITIZEN,
                          resolved=True, created_at=NOW + timedelta(minutes=20))  # the latest word: resolved

    later = NOW + timedelta(hours=1)
    assert await reconcile_disputes(later) == 1
    assert await reconcile_disputes(later) == 0  # idempotent
    statuses = {g.id: g.status for g in await Grievance.all()}
    assert statuses == {contradicted.id: State.DISPUTED, confirmed.id: State.CLOSED, changed_mind.id: State.CLOSED}

    # The head upholds the closure: its "not resolved" belongs to the earlier round now.
    await uphold(await actor_for(w.users["head"]), contradicted.id, reason="Site photos show the card issued.",
                 now=later)
    assert await reconcile_disputes(later + timedelta(hours=1)) == 0
    assert (await Grievance.get(id=contradicted.id)).status is State.CLOSED
