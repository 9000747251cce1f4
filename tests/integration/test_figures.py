"""Figures for a subtree and a period: "disposed" and "resolved" are different counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode
from backend.feedback.services import FeedbackInput, give_feedback, uphold
from backend.grievances import intake, services
from backend.grievances.channels import Channel
from backend.grievances.figures import Figures, figures, figures_for
from backend.grievances.states import RejectionReason
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import actor_for, lifecycle_world
from tests.workers.test_reconcile import closed

pytestmark = pytest.mark.usefixtures("db")
PERIOD = (NOW - timedelta(days=1), NOW + timedelta(days=1))


async def test_disposed_and_resolved_are_counted_apart(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    cell, head = await actor_for(w.users["cell"]), await actor_for(w.users["head"])

    def citizen(g: object) -> Actor:
        return Actor(kind=ActorKind.CITIZEN, id=g.citizen_id)  # type: ignore[attr-defined]

    confirmed = await closed(settings, w, "9876500001")
    await give_feedback(settings, citizen(confirmed), confirmed.id, FeedbackInput(resolved=True, rating=5), now=NOW)
    await closed(settings, w, "9876500002")  # disposed, the citizen has not said
    upheld = await closed(settings, w, "9876500003")
    await give_feedback(settings, citizen(upheld), upheld.id, FeedbackInput(resolved=False, rating=1), now=NOW)
    await uphold(head, upheld.id, reason="Photos show the card handed over.", now=NOW)
    disputed = await closed(settings, w, "9876500004")
    await give_feedback(settings, citizen(disputed), disputed.id, FeedbackInput(resolved=False), now=NOW)
    form = intake.FilingInput(channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject="A suggestion",
                              description="Open the office on Saturdays.", relief_sought="Consider it.",
                              citizen_name="Sita Devi", citizen_mobile="9876500005")
    suggestion = (await intake.file_grievance(settings, cell, form, now=NOW)).grievance
    await services.reject(cell, suggestion.id, reason=RejectionReason.SUGGESTION_ONLY, note="A suggestion", now=NOW)
    pending = (await intake.file_grievance(settings, cell, intake.FilingInput(
        **{**vars(form), "citizen_mobile": "9876500006", "subject": "Pension not paid",
           "description": "Three months of pension are due."}), now=NOW)).grievance
    await services.allot(cell, pending.id, unit_id=w.tree.block_a.id, now=NOW)

    # The block office answers for what its ATRs closed and for what it holds.
    assert await figures_for(w.tree.block_a.path, *PERIOD) == Figures(
        received=5, disposed=3, closed=3, rejected=0, resolved=1, not_resolved=1, pending=2, disputed=1, appealed=0)
    # The state sees everything, the rejection at its cell too.
    state = await figures_for(w.tree.state.path, *PERIOD)
    assert (state.received, state.disposed, state.rejected, state.resolved) == (6, 4, 1, 1)
    # Another district answers for nothing; an earlier period holds nothing.
    assert await figures_for(w.tree.district_b.path, *PERIOD) == Figures(0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert (await figures_for(w.tree.state.path, NOW - timedelta(days=9), NOW - timedelta(days=8))).received == 0


async def test_only_staff_covering_the_unit_see_its_figures(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    found = await figures(await actor_for(w.users["nodal_a"]), w.tree.block_a.id, *PERIOD)
    assert found.received == 0
    for actor, code in ((await actor_for(w.users["officer_b"]), ErrorCode.FORBIDDEN),
                        (Actor(kind=ActorKind.CITIZEN, id=1), ErrorCode.FORBIDDEN),
                        (Actor(kind=ActorKind.ANONYMOUS), ErrorCode.UNAUTHENTICATED)):
        with pytest.raises(DomainError) as refused:
            await figures(actor, w.tree.block_a.id, *PERIOD)
        assert refused.value.code is code
    with pytest.raises(DomainError) as bad:
        await figures(await actor_for(w.users["nodal_a"]), w.tree.block_a.id, PERIOD[1], PERIOD[0])
    assert bad.value.field_errors[0].field == "until"
