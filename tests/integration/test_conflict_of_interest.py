"""Conflict of interest (F13) in the services: disputes and reports do not bring a
grievance back before whom it is against, and the call queue never offers it to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from backend.accounts.models import Citizen
from backend.accounts.roles import Role
from backend.authz.actors import SYSTEM, Actor, ActorKind
from backend.callcentre import services as calls
from backend.callcentre.models import FeedbackCall
from backend.core.errors import DomainError, ErrorCode
from backend.feedback.services import FeedbackInput, give_feedback
from backend.grievances import access, intake, services
from backend.grievances.models import Grievance
from backend.grievances.pending import GrievanceWork
from backend.grievances.states import State
from backend.notifications.models import OutboxMessage
from backend.notifications.recipients import tell_staff
from backend.orgs.models import EscalationLevel, Unit
from backend.settings import Settings
from backend.sla.sweeps import escalate_due
from backend.stats.reports import generate, previous_month
from tests.conftest import NOW
from tests.factories import actor_for, lifecycle_world, staff
from tests.integration.test_callcentre import closed, form

pytestmark = pytest.mark.usefixtures("db")


async def test_a_call_on_a_grievance_against_the_agent_is_never_theirs(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    plain = await closed(settings, w, "9876500001")
    against = await closed(settings, w, "9876500002")
    await Grievance.filter(id=against.id).update(against_officer_id=w.users["agent"].id)
    named = await actor_for(w.users["agent"])
    colleague = await actor_for(await staff(settings, "agent2", (w.tree.state, Role.CALL_CENTRE_AGENT)))
    now = NOW + timedelta(days=1)
    assert [c.grievance_id for c in await calls.queue(settings, named, now=now)] == [plain.id]
    assert {c.grievance_id for c in await calls.queue(settings, colleague, now=now)} == {plain.id, against.id}
    hidden = await FeedbackCall.get(grievance_id=against.id)
    with pytest.raises(DomainError) as refused:
        await calls.claim(settings, named, hidden.id, now=now)
    assert refused.value.code is ErrorCode.NOT_FOUND


async def test_a_dispute_goes_above_the_head_it_is_against(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    g = await closed(settings, w, "9876500003")
    await Grievance.filter(id=g.id).update(against_officer_id=w.users["head"].id)
    citizen = await Citizen.get(mobile="9876500003")
    me = Actor(ActorKind.CITIZEN, citizen.id, citizen.name)
    disputed, _ = await give_feedback(settings, me, g.id, FeedbackInput(resolved=False, rating=1), now=NOW)
    # A dispute goes to the department's head; this one is against the head, so the state above decides.
    assert (disputed.status, disputed.unit_id) == (State.DISPUTED, w.tree.state.id)  # type: ignore[attr-defined]
    assert not await access.may_view(await actor_for(w.users["head"]), disputed)
    assert await access.may_view(await actor_for(w.users["stateadmin"]), disputed)


async def test_escalation_steps_over_whom_it_is_against_and_tells_them_nothing(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    # Missed deadlines at district A climb to the department, then to the state.
    await EscalationLevel.create(unit=w.tree.district_a, level=1, authority=w.tree.dept, window_hours=72)
    await EscalationLevel.create(unit=w.tree.district_a, level=2, authority=w.tree.state, window_hours=72)
    cell = await actor_for(w.users["cell"])
    plain = (await intake.file_grievance(settings, cell, form(w, "9876500006"), now=NOW)).grievance
    against = (await intake.file_grievance(settings, cell, replace(
        form(w, "9876500007"), against_officer_id=w.users["head"].id), now=NOW)).grievance
    for g in (plain, against):
        await services.allot(cell, g.id, unit_id=w.tree.block_a.id, now=NOW)
    assert await escalate_due(NOW + timedelta(days=30)) == 2
    # The department's head is the one it is against: it goes straight to the state.
    rungs = {g.id: (g.escalation_level, g.escalated_to_id)  # type: ignore[attr-defined]
             for g in await Grievance.filter(id__in=[plain.id, against.id])}
    assert rungs == {plain.id: (1, w.tree.dept.id), against.id: (2, w.tree.state.id)}

    async def told(g: Grievance) -> set[str]:
        rows = await OutboxMessage.filter(template="escalated_to_you")
        return {m.recipient for m in rows if m.payload["grievance_id"] == g.id}

    assert f"staff:{w.users['head'].id}" in await told(plain)
    assert f"staff:{w.users['stateadmin'].id}" in await told(against)
    # Nor is the head told as one of the holding office's nodal officers, or any other way.
    head = await OutboxMessage.filter(recipient=f"staff:{w.users['head'].id}")
    assert [m.template for m in head if m.payload.get("grievance_id") == against.id] == []


async def test_a_message_about_it_skips_whom_it_is_against(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    g = (await intake.file_grievance(settings, cell, replace(
        form(w, "9876500010"), against_unit_id=w.tree.district_a.id, against_officer_id=w.users["head"].id),
        now=NOW)).grievance
    people = [w.users[u].id for u in ("head", "nodal_a", "officer_a", "reviewer_a", "dept_reviewer", "officer_b")]
    await tell_staff(people, key="test", template="escalated_to_you", now=NOW,
                     payload={"number": g.number, "grievance_id": g.id, "level": 1, "event": 0})
    told = {m.recipient for m in await OutboxMessage.filter(template="escalated_to_you")}
    # Not the head it names; nobody at district A or its block; the others, yes.
    assert told == {f"staff:{w.users[u].id}" for u in ("dept_reviewer", "officer_b")}


async def test_restructuring_carries_it_past_whom_it_is_against(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    against_b = (await intake.file_grievance(settings, cell, replace(
        form(w, "9876500008"), against_unit_id=w.tree.block_b.id), now=NOW)).grievance
    plain = (await intake.file_grievance(settings, cell, form(w, "9876500009"), now=NOW)).grievance
    for g in (against_b, plain):
        await services.allot(cell, g.id, unit_id=w.tree.block_a.id, now=NOW)
        await services.assign(await actor_for(w.users["nodal_a"]), g.id, officer_id=w.users["officer_a"].id, now=NOW)
    work = GrievanceWork()
    # Block A's work merged into block B: the grievance against block B stops above it, at district B.
    assert await work.move_unit_work([w.tree.block_a.id], w.tree.block_b.id, actor=SYSTEM, now=NOW) == 2
    assert {g.id: g.unit_id for g in await Grievance.filter(id__in=[against_b.id, plain.id])} == {  # type: ignore[attr-defined]
        against_b.id: w.tree.district_b.id, plain.id: w.tree.block_b.id}
    # Officer A's cases handed to their successor - but not to the one a case is against.
    await Grievance.filter(id=plain.id).update(against_officer_id=w.users["officer_b"].id)
    await work.move_user_work(w.users["officer_a"].id, w.users["officer_b"].id, actor=SYSTEM, now=NOW)
    assert (await Grievance.get(id=plain.id)).assigned_officer_id is None  # type: ignore[attr-defined]
    assert (await Grievance.get(id=against_b.id)).assigned_officer_id == w.users["officer_b"].id  # type: ignore[attr-defined]


async def test_the_monthly_report_lists_no_number_of_a_grievance_against_someone(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    plain = (await intake.file_grievance(settings, cell, form(w, "9876500004"), now=NOW)).grievance
    against = (await intake.file_grievance(
        settings, cell, replace(form(w, "9876500005"), against_unit_id=w.tree.block_a.id), now=NOW)).grievance
    report = await generate(await Unit.get(id=w.tree.state.id), previous_month(NOW.date()), NOW)
    listed = {p["number"] for p in report.figures["oldest_pending"]}
    assert plain.number in listed and against.number not in listed
