"""The call-centre feedback queue (F7): enqueue on disposal, order, claims, retries, disputes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from backend.accounts.roles import Role
from backend.authz.actors import Actor
from backend.callcentre import services as calls
from backend.callcentre.models import CallAttempt, CallStatus, FeedbackCall
from backend.core.errors import DomainError, ErrorCode
from backend.feedback.models import Feedback, FeedbackSource
from backend.grievances import intake, reports, services
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.grievances.states import RejectionReason, State
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import LifecycleWorld, actor_for, lifecycle_world, staff

pytestmark = pytest.mark.usefixtures("db")


def form(w: LifecycleWorld, mobile: str) -> intake.FilingInput:
    return intake.FilingInput(
        channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject="Ration card not issued",
        description=f"Applied for a new ration card in June at the block office; nothing since ({mobile}).",
        relief_sought="Issue the ration card.", citizen_name="Sita Devi", citizen_mobile=mobile,
    )


async def closed(settings: Settings, w: LifecycleWorld, mobile: str, *, at: timedelta = timedelta(0),
                 sensitive: bool = False) -> Grievance:
    cell = await actor_for(w.users["cell"])
    g = (await intake.file_grievance(settings, cell, form(w, mobile), now=NOW)).grievance
    if sensitive:
        await Grievance.filter(id=g.id).update(sensitive=True)
    await services.allot(cell, g.id, unit_id=w.tree.block_a.id, now=NOW)
    await reports.final_report(await actor_for(w.users["officer_a"]), g.id,
                               reports.ReportInput(action_taken="Card issued", reply="Issued"), now=NOW)
    for reviewer in ("reviewer_a", "dept_reviewer"):
        await reports.review_approve(await actor_for(w.users[reviewer]), g.id, now=NOW)
    return await reports.close(cell, g.id, now=NOW + at)


async def agent(w: LifecycleWorld) -> Actor:
    return await actor_for(w.users["agent"])


async def test_closing_or_rejecting_enqueues_one_call_and_enqueue_is_idempotent(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    g = await closed(settings, w, "9876500001")
    call = await FeedbackCall.get(grievance_id=g.id)
    assert (call.round, call.status, call.attempts, call.closed_at) == (g.escalation_round, CallStatus.QUEUED, 0,
                                                                        NOW)
    assert (await calls.enqueue_call(g, NOW + timedelta(hours=1))).id == call.id
    assert await FeedbackCall.filter(grievance_id=g.id).count() == 1

    cell = await actor_for(w.users["cell"])
    other = (await intake.file_grievance(settings, cell, form(w, "9876500002"), now=NOW)).grievance
    await services.reject(cell, other.id, reason=RejectionReason.SUGGESTION_ONLY, note="A suggestion", now=NOW)
    assert await FeedbackCall.filter(grievance_id=other.id, status=CallStatus.QUEUED).count() == 1


async def test_queue_is_sensitive_first_then_oldest_closure(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    later = await closed(settings, w, "9876500001", at=timedelta(hours=2))
    older = await closed(settings, w, "9876500002", at=timedelta(hours=1))
    sensitive = await closed(settings, w, "9876500003", at=timedelta(hours=3), sensitive=True)
    queue = await calls.queue(settings, await agent(w), now=NOW + timedelta(hours=4), limit=10)
    assert [c.grievance_id for c in queue] == [sensitive.id, older.id, later.id]  # type: ignore[attr-defined]
    # Not due before its closure, and capped by `limit`.
    assert await calls.queue(settings, await agent(w), now=NOW, limit=10) == []
    assert len(await calls.queue(settings, await agent(w), now=NOW + timedelta(hours=4), limit=1)) == 1


async def test_agents_outside_the_area_see_nothing_and_non_agents_are_refused(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    g = await closed(settings, w, "9876500001")
    call = await FeedbackCall.get(grievance_id=g.id)
    # A call centre whose unit covers only the other district's block.
    far = await staff(settings, "far_agent", (w.tree.block_b, Role.CALL_CENTRE_AGENT))
    far_actor = await actor_for(far)
    assert await calls.queue(settings, far_actor, now=NOW, limit=10) == []
    with pytest.raises(DomainError) as caught:
        await calls.claim(settings, far_actor, call.id, now=NOW)
    assert caught.value.code is ErrorCode.NOT_FOUND
    for name in ("officer_a", "cell", "head"):
        with pytest.raises(DomainError) as caught:
            await calls.queue(settings, await actor_for(w.users[name]), now=NOW, limit=10)
        assert caught.value.code is ErrorCode.FORBIDDEN
        with pytest.raises(DomainError) as caught:
            await calls.claim(settings, await actor_for(w.users[name]), call.id, now=NOW)
        assert caught.value.code is ErrorCode.FORBIDDEN


async def test_two_agents_claiming_at_once_exactly_one_wins(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    second = await staff(settings, "agent2", (w.tree.state, Role.CALL_CENTRE_AGENT))
    g = await closed(settings, w, "9876500001")
    call = await FeedbackCall.get(grievance_id=g.id)
    results = await asyncio.gather(calls.claim(settings, await agent(w), call.id, now=NOW),
                                   calls.claim(settings, await actor_for(second), call.id, now=NOW), return_exceptions=True)
    won = [r for r in results if isinstance(r, FeedbackCall)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code in (ErrorCode.CONFLICT, ErrorCode.CHANGED_MEANWHILE)
    row = await FeedbackCall.get(id=call.id)
    assert row.status is CallStatus.CLAIMED and row.claimed_by_id == won[0].claimed_by_id  # type: ignore[attr-defined]
    assert row.version == call.version + 1


async def test_an_expired_lease_returns_the_call_to_the_queue(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    second = await actor_for(await staff(settings, "agent2", (w.tree.state, Role.CALL_CENTRE_AGENT)))
    g = await closed(settings, w, "9876500001")
    call = await FeedbackCall.get(grievance_id=g.id)
    await calls.claim(settings, await agent(w), call.id, now=NOW)
    assert await calls.queue(settings, second, now=NOW + timedelta(minutes=10), limit=10) == []
    with pytest.raises(DomainError) as caught:
        await calls.claim(settings, second, call.id, now=NOW + timedelta(minutes=10))
    assert caught.value.code is ErrorCode.CONFLICT
    later = NOW + calls.LEASE + timedelta(minutes=1)
    assert [c.id for c in await calls.queue(settings, second, now=later, limit=10)] == [call.id]
    await calls.claim(settings, second, call.id, now=later)
    # The first agent's lease is gone: they cannot record any more.
    with pytest.raises(DomainError) as caught:
        await calls.record_outcome(settings, await agent(w), call.id, reached=True, resolved=True, now=later)
    assert caught.value.code is ErrorCode.CONFLICT


async def test_unreachable_after_three_attempts_two_hours_apart(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    me = await agent(w)
    g = await closed(settings, w, "9876500001")
    call = await FeedbackCall.get(grievance_id=g.id)
    now = NOW
    for attempt in range(1, calls.MAX_ATTEMPTS + 1):
        await calls.claim(settings, me, call.id, now=now)
        outcome = await calls.record_outcome(settings, me, call.id, reached=False, resolved=None,
                                             remarks="No answer", now=now)
        assert outcome.call.attempts == attempt and outcome.feedback is None
        if attempt < calls.MAX_ATTEMPTS:
            assert outcome.call.status is CallStatus.QUEUED
            assert outcome.call.next_attempt_at == now + calls.RETRY_AFTER
            assert await calls.queue(settings, me, now=now + timedelta(hours=1), limit=10) == []
            now += calls.RETRY_AFTER
    assert (await FeedbackCall.get(id=call.id)).status is CallStatus.UNREACHABLE
    assert await calls.queue(settings, me, now=now + timedelta(days=1), limit=10) == []
    figures = await calls.agent_figures(me, since=NOW, until=now + timedelta(seconds=1))
    assert (figures.calls, figures.reached, figures.satisfied) == (3, 0, 0)


async def test_a_reached_not_resolved_call_disputes_the_closure(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    me = await agent(w)
    g = await closed(settings, w, "9876500001")
    call = await FeedbackCall.get(grievance_id=g.id)
    with pytest.raises(DomainError) as caught:  # claim first
        await calls.record_outcome(settings, me, call.id, reached=True, resolved=False, now=NOW)
    assert caught.value.code is ErrorCode.CONFLICT
    await calls.claim(settings, me, call.id, now=NOW)
    with pytest.raises(DomainError) as caught:
        await calls.record_outcome(settings, me, call.id, reached=True, resolved=None, rating=7, now=NOW)
    assert {e.field for e in caught.value.field_errors} == {"resolved", "rating"}
    outcome = await calls.record_outcome(settings, me, call.id, reached=True, resolved=False, rating=1,
                                         remarks="Card still not issued", now=NOW + timedelta(minutes=5))
    assert outcome.call.status is CallStatus.DONE and outcome.grievance.status is State.DISPUTED
    assert (await Grievance.get(id=g.id)).status is State.DISPUTED
    feedback = await Feedback.get(grievance_id=g.id)
    assert (feedback.source, feedback.resolved, feedback.agent_id) == (  # type: ignore[attr-defined]
        FeedbackSource.CALL_CENTRE, False, me.id)
    assert await CallAttempt.filter(call_id=call.id, reached=True, resolved=False).count() == 1
    figures = await calls.agent_figures(me, since=NOW, until=NOW + timedelta(days=1))
    assert (figures.calls, figures.reached, figures.satisfied) == (1, 1, 0)
    # The disputed grievance is no longer waiting for a call.
    assert await calls.queue(settings, me, now=NOW + timedelta(days=1), limit=10) == []


async def test_a_satisfied_citizen_leaves_the_grievance_closed(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    me = await agent(w)
    g = await closed(settings, w, "9876500001")
    call = await FeedbackCall.get(grievance_id=g.id)
    await calls.claim(settings, me, call.id, now=NOW)
    outcome = await calls.record_outcome(settings, me, call.id, reached=True, resolved=True, rating=5, now=NOW)
    assert outcome.grievance.status is State.CLOSED and outcome.feedback is not None
    figures = await calls.agent_figures(me, since=NOW - timedelta(days=1), until=NOW + timedelta(days=1))
    assert (figures.calls, figures.reached, figures.satisfied) == (1, 1, 1)
    with pytest.raises(DomainError) as caught:
        await calls.agent_figures(me, since=NOW, until=NOW)
    assert caught.value.code is ErrorCode.VALIDATION



async def test_a_call_past_the_feedback_window_expires_and_stays_counted(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    g = await closed(settings, w, "9876500001")
    call = await FeedbackCall.get(grievance_id=g.id)
    me = await agent(w)
    window = timedelta(days=settings.feedback_window_days)
    # A call never claimed before the window closes is refused, and leaves the queue.
    with pytest.raises(DomainError) as late:
        await calls.claim(settings, me, call.id, now=NOW + window + timedelta(hours=1))
    assert late.value.code is ErrorCode.EXPIRED
    assert (await FeedbackCall.get(id=call.id)).status is CallStatus.EXPIRED
    assert await Feedback.all().count() == 0 and (await Grievance.get(id=g.id)).status is State.CLOSED
    assert await calls.queue(settings, me, now=NOW + window + timedelta(hours=1), limit=10) == []
    # Another call never claimed simply expires when the queue is next read.
    other = await closed(settings, w, "9876500002")
    await calls.queue(settings, me, now=NOW + window, limit=10)
    assert (await FeedbackCall.get(grievance_id=other.id)).status is CallStatus.EXPIRED


async def test_an_answer_on_a_call_that_crosses_the_window_counts(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    g = await closed(settings, w, "9876500001")
    call = await FeedbackCall.get(grievance_id=g.id)
    me = await agent(w)
    window = timedelta(days=settings.feedback_window_days)
    await calls.claim(settings, me, call.id, now=NOW + window - timedelta(minutes=5))
    # The queue is read by another agent as the window closes: the call in progress stays.
    await calls.queue(settings, me, now=NOW + window + timedelta(minutes=1), limit=10)
    assert (await FeedbackCall.get(id=call.id)).status is CallStatus.CLAIMED
    outcome = await calls.record_outcome(settings, me, call.id, reached=True, resolved=False,
                                         now=NOW + window + timedelta(minutes=2))
    assert outcome.feedback is not None and outcome.grievance.status is State.DISPUTED
    # The same agent cannot claim a fresh lease on another call past its window.
    other = await closed(settings, w, "9876500002")
    other_call = await FeedbackCall.get(grievance_id=other.id)
    await calls.claim(settings, me, other_call.id, now=NOW + window - timedelta(minutes=20))
    with pytest.raises(DomainError) as again:
        await calls.claim(settings, me, other_call.id, now=NOW + window + timedelta(minutes=1))
    assert again.value.code is ErrorCode.EXPIRED
    # Its lease runs out unanswered: the call expires rather than staying claimed.
    await calls.queue(settings, me, now=NOW + window + timedelta(hours=1), limit=10)
    assert (await FeedbackCall.get(id=other_call.id)).status is CallStatus.EXPIRED


async def test_no_call_after_the_head_upholds_nor_for_linked_duplicates(settings: Settings) -> None:
    from backend.feedback.services import FeedbackInput, give_feedback, uphold

    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    g = await closed(settings, w, "9876500003")
    # A duplicate linked to the closed master is told of the closure, but not called:
    # the master's call covers the matter.
    duplicate = (await intake.file_grievance(settings, cell, form(w, "9876500002"), now=NOW)).grievance
    await services.link_duplicate(cell, duplicate.id, master_id=g.id, now=NOW)
    # The citizen says "not resolved" in the app before the call centre calls: disputed;
    # calling about the closure is moot, and the head's upholding queues no new call.
    citizen = Actor(kind=calls.ActorKind.CITIZEN, id=g.citizen_id)  # type: ignore[attr-defined]
    await give_feedback(settings, citizen, g.id, FeedbackInput(resolved=False, rating=1), now=NOW)
    first = await FeedbackCall.get(grievance_id=g.id)
    assert first.status is CallStatus.MOOT
    await uphold(await actor_for(w.users["head"]), g.id, reason="The card was handed over on site.", now=NOW)
    assert (await Grievance.get(id=g.id)).status is State.CLOSED
    assert await FeedbackCall.filter(grievance_id=g.id).count() == 1
    assert await calls.queue(settings, await agent(w), now=NOW + timedelta(hours=1), limit=10) == []
    assert not await FeedbackCall.exists(grievance_id=duplicate.id)
