"""Time travel through the clocks: policies, calendars, pause, reminders and the ladder.

Services are given `now`; nothing here waits for the wall clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from backend.accounts.roles import Role
from backend.audit.models import AuditEvent
from backend.authz.actors import Actor, ActorKind
from backend.grievances import intake, services
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.grievances.selectors import InboxFilter, inbox
from backend.grievances.states import RejectionReason, Stage, State
from backend.notifications.models import OutboxMessage
from backend.orgs.kinds import UnitKind
from backend.orgs.models import EscalationLevel, Unit
from backend.settings import Settings
from backend.sla.models import BusinessCalendar, Escalation, Reminder, SlaPolicy, UnitHoliday
from backend.sla.policies import limits_for
from backend.sla.sweeps import escalate_due, remind_due
from tests.conftest import NOW
from tests.factories import LifecycleWorld, actor_for, lifecycle_world, staff, unit

pytestmark = pytest.mark.usefixtures("db")
H = timedelta(hours=1)


async def world_with_ladder(settings: Settings) -> tuple[LifecycleWorld, Unit, Unit]:
    """Seed 004: a missed deadline goes to the OSD; 72 hours later to the Chief Secretary."""
    w = await lifecycle_world(settings)
    osd = await unit("BR-OSD", UnitKind.OFFICE, w.tree.state)
    cs = await unit("BR-CS", UnitKind.OFFICE, w.tree.state)
    for holder in (w.tree.state, w.tree.dept):  # the cell's own queue escalates too
        await EscalationLevel.create(unit=holder, level=1, authority=osd, window_hours=72)
        await EscalationLevel.create(unit=holder, level=2, authority=cs, window_hours=72)
    w.users["osd"] = await staff(settings, "osd_user", (osd, Role.ESCALATION_AUTHORITY))
    return w, osd, cs


async def file_and_allot(w: LifecycleWorld, settings: Settings, at: datetime, to: Unit) -> Grievance:
    cell = await actor_for(w.users["cell"])
    g = (await intake.file_grievance(settings, cell, intake.FilingInput(
        channel=Channel.COUNTER, category_id=w.leaf.id, area_code="BR-A-1", subject="Handpump broken",
        description="The handpump near the school has been broken for a month.", relief_sought="Repair it.",
        citizen_name="Sita Devi", citizen_mobile="9876500001"), now=at)).grievance
    return await services.allot(cell, g.id, unit_id=to.id, now=at)


async def test_seed_004_ladder_osd_then_chief_secretary(settings: Settings) -> None:
    w, osd, cs = await world_with_ladder(settings)
    g = await file_and_allot(w, settings, NOW, w.tree.block_a)
    assert g.stage is Stage.PRELIMINARY_REPORT and g.due_at == NOW + 24 * H and g.escalation_due_at == NOW + 24 * H
    assert g.disposal_due_at == NOW + 21 * 24 * H

    assert await escalate_due(NOW + 23 * H) == 0
    assert await escalate_due(NOW + 25 * H) == 1
    g = await Grievance.get(id=g.id)
    assert (g.escalation_level, g.escalated_to_id, g.escalation_due_at) == (1, osd.id, NOW + 97 * H)  # type: ignore[attr-defined]
    assert await escalate_due(NOW + 26 * H) == 0  # exactly once
    # The OSD sees it in "escalated to me"; the citizen sees the escalation on the timeline.
    osd_actor = await actor_for(w.users["osd"])
    page = await inbox(osd_actor, InboxFilter(escalated_to_me=True), now=NOW + 26 * H)
    assert [x.id for x in page.items] == [g.id]
    await services.comment(osd_actor, g.id, text="DM, report by tomorrow.", now=NOW + 27 * H)
    event = await AuditEvent.filter(object_id=str(g.id), action="escalate").get()
    assert event.data["visibility"] == "citizen" and event.data["authority"] == "BR-OSD"
    pushes = await OutboxMessage.filter(template="escalated_to_you").values_list("recipient", flat=True)
    assert f"staff:{w.users['osd'].id}" in pushes

    # Still not disposed 72 hours later: the Chief Secretary.
    assert await escalate_due(NOW + 96 * H) == 0
    assert await escalate_due(NOW + 98 * H) == 1
    g = await Grievance.get(id=g.id)
    assert (g.escalation_level, g.escalated_to_id) == (2, cs.id)  # type: ignore[attr-defined]
    # The top of the ladder: nothing further, ever.
    assert await escalate_due(NOW + 400 * H) == 0
    assert (await Grievance.get(id=g.id)).escalation_due_at is None
    assert await Escalation.filter(grievance_id=g.id).count() == 2


async def test_unregistered_grievance_escalates_too(settings: Settings) -> None:
    w, osd, _ = await world_with_ladder(settings)
    cell = await actor_for(w.users["cell"])
    g = (await intake.file_grievance(settings, cell, intake.FilingInput(
        channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject="Road", description="Potholes.",
        relief_sought="Repair.", citizen_name="Ram", citizen_mobile="9876500002"), now=NOW)).grievance
    assert g.status is State.FILED and g.due_at == NOW + H
    assert await escalate_due(NOW + 2 * H) == 1
    assert (await Grievance.get(id=g.id)).escalated_to_id == osd.id  # type: ignore[attr-defined]


async def test_closing_stops_the_ladder_and_reminders(settings: Settings) -> None:
    w, _, _ = await world_with_ladder(settings)
    g = await file_and_allot(w, settings, NOW, w.tree.block_a)
    await services.reject(await actor_for(w.users["nodal_a"]), g.id, reason=RejectionReason.SUB_JUDICE,
                          note="In court", now=NOW + H)
    g = await Grievance.get(id=g.id)
    assert g.escalation_due_at is None and g.reminder_at is None and g.due_at is None
    assert await escalate_due(NOW + 100 * H) == 0 and await remind_due(NOW + 100 * H) == 0


async def test_working_days_skip_the_holiday_and_the_evening(settings: Settings) -> None:
    """1 working day (7 h, 10:00-17:00 IST) from Monday 15:30 IST: 1.5 h on Monday,
    Tuesday 24 Nov 2026 is Guru Nanak's birthday (a Bihar holiday), 5.5 h on Wednesday."""
    w, _, _ = await world_with_ladder(settings)
    await BusinessCalendar.create(unit=w.tree.state, holiday_subdivision="BR", updated_at=NOW)
    await SlaPolicy.create(unit=w.tree.dept, stage=Stage.PRELIMINARY_REPORT, mode="working_days", amount=1,
                           created_at=NOW, updated_at=NOW)
    g = await file_and_allot(w, settings, NOW, w.tree.block_a)
    assert NOW.hour == 10  # 15:30 IST
    assert g.due_at == datetime(2026, 11, 25, 10, 0, tzinfo=NOW.tzinfo)
    assert g.stage_mode == "working_days"
    # A unit's own holiday on Wednesday moves it to Thursday.
    await UnitHoliday.create(unit=w.tree.district_a, day=date(2026, 11, 25), name="Local fair", created_at=NOW)
    g2 = await file_and_allot(w, settings, NOW, w.tree.block_a)
    assert g2.due_at == datetime(2026, 11, 26, 10, 0, tzinfo=NOW.tzinfo)


async def test_category_policy_beats_unit_policy_beats_default(settings: Settings) -> None:
    w, _, _ = await world_with_ladder(settings)
    stage = Stage.FINAL_REPORT
    path = w.tree.block_a.path
    assert (await limits_for(path, w.leaf.path, [stage], NOW))[stage].amount == 72
    await SlaPolicy.create(unit=w.tree.state, stage=stage, mode="wall_hours", amount=96, created_at=NOW, updated_at=NOW)
    assert (await limits_for(path, w.leaf.path, [stage], NOW))[stage].amount == 96
    await SlaPolicy.create(unit=w.tree.dept, stage=stage, mode="wall_hours", amount=48, created_at=NOW, updated_at=NOW)
    assert (await limits_for(path, w.leaf.path, [stage], NOW))[stage].amount == 48
    parent = await w.leaf.parent  # type: ignore[misc]
    await SlaPolicy.create(unit=w.tree.state, category=parent, stage=stage, mode="wall_hours", amount=24,
                           created_at=NOW, updated_at=NOW)
    assert (await limits_for(path, w.leaf.path, [stage], NOW))[stage].amount == 24
    # Other categories keep the unit's.
    assert (await limits_for(path, f"/{w.other_leaf.id}/", [stage], NOW))[stage].amount == 48


async def test_the_clock_pauses_for_the_citizen_and_resumes_with_what_was_left(settings: Settings) -> None:
    w, _, _ = await world_with_ladder(settings)
    g = await file_and_allot(w, settings, NOW, w.tree.block_a)
    officer = await actor_for(w.users["officer_a"])
    g = await services.request_info(officer, g.id, question="Which school?", now=NOW + 4 * H)
    assert g.status is State.AWAITING_CITIZEN and g.paused_remaining_seconds == 20 * 3600 and g.reminder_at is None
    event = await AuditEvent.filter(object_id=str(g.id), action="request_info").get()
    assert event.data["clock_paused"] == "waiting for the citizen's reply"
    # Nothing escalates or reminds while the citizen is asked, even past the old deadline.
    assert await escalate_due(NOW + 30 * H) == 0 and await remind_due(NOW + 30 * H) == 0
    citizen = Actor(ActorKind.CITIZEN, g.citizen_id)  # type: ignore[attr-defined]
    g = await services.citizen_reply(citizen, g.id, text="The primary school, ward 3", now=NOW + 52 * H)
    assert g.due_at == NOW + 72 * H and g.escalation_due_at == NOW + 72 * H
    assert g.disposal_due_at == NOW + (21 * 24 + 48) * H


async def test_reminders_before_and_at_the_deadline_once_each(settings: Settings) -> None:
    w, _, _ = await world_with_ladder(settings)
    g = await file_and_allot(w, settings, NOW, w.tree.block_a)
    await services.assign(await actor_for(w.users["nodal_a"]), g.id, officer_id=w.users["officer_a"].id, now=NOW)
    g = await Grievance.get(id=g.id)
    assert g.reminder_at == NOW + 18 * H  # a quarter of 24 h before the deadline
    assert await remind_due(NOW + 17 * H) == 0
    assert await remind_due(NOW + 18 * H) == 1
    assert await remind_due(NOW + 19 * H) == 0
    assert await remind_due(NOW + 24 * H) == 1
    assert await remind_due(NOW + 30 * H) == 0
    kinds = await Reminder.filter(grievance_id=g.id).order_by("id").values_list("kind", flat=True)
    assert list(kinds) == ["before", "due"]
    told = set(await OutboxMessage.filter(template__startswith="reminder_").values_list("recipient", flat=True))
    # The officer who must act, and the nodal officer answerable for the block (the district's).
    assert told == {f"staff:{w.users['officer_a'].id}", f"staff:{w.users['nodal_a'].id}"}


async def test_an_inactive_rung_is_stepped_over(settings: Settings) -> None:
    w, osd, cs = await world_with_ladder(settings)
    await Unit.filter(id=osd.id).update(active=False)
    g = await file_and_allot(w, settings, NOW, w.tree.block_a)
    assert await escalate_due(NOW + 25 * H) == 1
    g = await Grievance.get(id=g.id)
    assert (g.escalation_level, g.escalated_to_id) == (2, cs.id)  # type: ignore[attr-defined]
