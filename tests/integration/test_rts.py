"""The Right-to-Service path against a real database (SQLite, or PostgreSQL in CI):
routing to the nodal officer, and the automatic appeal's edge cases."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from backend.accounts.roles import Role
from backend.appeals.services import decide_appeal, file_appeal
from backend.authz.actors import Actor, ActorKind
from backend.grievances import intake, reports, services
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.grievances.states import State
from backend.notifications.models import OutboxMessage
from backend.orgs.models import Unit
from backend.routing.models import RoutingRule
from backend.rts.models import RtsCase
from backend.rts.sweeps import auto_appeal_due
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import LifecycleWorld, actor_for, category, lifecycle_world, staff

pytestmark = pytest.mark.usefixtures("db")

LATER = NOW + timedelta(days=20)  # past a 7-working-day timeline


async def world(settings: Settings, *, authorities: bool = True) -> tuple[LifecycleWorld, int]:
    w = await lifecycle_world(settings)
    if authorities:
        await Unit.filter(id=w.tree.block_a.id).update(appellate_authority_id=w.tree.district_a.id)
        await Unit.filter(id=w.tree.district_a.id).update(appellate_authority_id=w.tree.dept.id)
        w.users["first"] = await staff(settings, "first_appellate", (w.tree.district_a, Role.APPELLATE_AUTHORITY))
    service = await category("REV-CERT", w.tree.dept, rts_days=7)
    leaf = await category("REV-CERT-INCOME", w.tree.dept, service)
    return w, leaf.id


async def file(settings: Settings, w: LifecycleWorld, category_id: int) -> Grievance:
    data = intake.FilingInput(
        channel=Channel.POST, category_id=category_id, area_code="BR-A-1", subject="Income certificate not issued",
        description="Applied for an income certificate at the RTPS counter; nothing since.",
        relief_sought="Issue the certificate.", citizen_name="Sita Devi", citizen_mobile="9876500001",
    )
    filed = await intake.file_grievance(settings, await actor_for(w.users["cell"]), data, now=NOW)
    return filed.grievance


async def allotted(settings: Settings, w: LifecycleWorld, category_id: int) -> Grievance:
    g = await file(settings, w, category_id)
    return await services.allot(await actor_for(w.users["cell"]), g.id, unit_id=w.tree.block_a.id, now=NOW)


async def test_a_routed_rts_grievance_waits_for_the_nodal_officer(settings: Settings) -> None:
    w, leaf_id = await world(settings)
    # A routing rule would assign its officer at once; for a notified service the nodal
    # officer forwards it to the designated officer instead, and is told.
    await RoutingRule.create(category_id=leaf_id, area_code="BR-A-1", unit=w.tree.block_a,
                             officer=w.users["officer_a"], created_at=NOW, updated_at=NOW)
    g = await file(settings, w, leaf_id)
    assert (g.status, g.unit_id, g.assigned_officer_id) == (State.ALLOTTED, w.tree.block_a.id, None)  # type: ignore[attr-defined]
    told = await OutboxMessage.filter(template="rts_received").values_list("recipient", flat=True)
    assert told == [f"staff:{w.users['nodal_a'].id}"]
    case = await RtsCase.get(grievance_id=g.id)
    assert case.service_days == 7 and case.due_at is not None and case.due_at > NOW + timedelta(days=7)


async def test_no_appeal_while_the_citizen_must_reply_then_it_goes(settings: Settings) -> None:
    w, leaf_id = await world(settings)
    g = await allotted(settings, w, leaf_id)
    await services.request_info(await actor_for(w.users["officer_a"]), g.id, question="Your application number?",
                                now=NOW)
    assert await auto_appeal_due(LATER) == 0
    assert (await Grievance.get(id=g.id)).status is State.AWAITING_CITIZEN
    citizen = Actor(kind=ActorKind.CITIZEN, id=g.citizen_id)  # type: ignore[attr-defined]
    await services.citizen_reply(citizen, g.id, text="I have none; I applied on paper.", now=LATER)
    assert await auto_appeal_due(LATER) == 1
    assert (await Grievance.get(id=g.id)).status is State.APPEALED


async def test_a_disposed_grievance_clears_its_deadline(settings: Settings) -> None:
    w, leaf_id = await world(settings)
    g = await allotted(settings, w, leaf_id)
    officer, dm = await actor_for(w.users["officer_a"]), await actor_for(w.users["reviewer_a"])
    await reports.final_report(officer, g.id, reports.ReportInput(action_taken="Issued", reply="Issued the "
                                                                   "certificate."), now=NOW)
    await reports.review_approve(dm, g.id, now=NOW)
    await reports.review_approve(await actor_for(w.users["dept_reviewer"]), g.id, now=NOW)
    await reports.close(await actor_for(w.users["cell"]), g.id, now=NOW)
    assert await auto_appeal_due(LATER) == 0
    assert (await RtsCase.get(grievance_id=g.id)).due_at is None
    assert (await Grievance.get(id=g.id)).status is State.CLOSED


async def test_the_citizens_own_appeal_counts_as_the_first(settings: Settings) -> None:
    w, leaf_id = await world(settings)
    await Unit.filter(id=w.tree.dept.id).update(appellate_authority_id=w.tree.state.id)
    g = await allotted(settings, w, leaf_id)
    await services.reject(await actor_for(w.users["head"]), g.id, reason=services.RejectionReason.SUB_JUDICE,
                          note="The matter is before the civil court.", now=NOW)
    citizen = Actor(kind=ActorKind.CITIZEN, id=g.citizen_id)  # type: ignore[attr-defined]
    appealed = await file_appeal(settings, citizen, g.id, grounds="There is no court case.", now=NOW)
    assert (appealed.status, appealed.unit_id) == (State.APPEALED, w.tree.district_a.id)  # type: ignore[attr-defined]
    # The service's deadline passes while the first appellate authority has it: adopted,
    # not appealed again; its own deadline passing files the second appeal.
    assert await auto_appeal_due(LATER) == 0
    case = await RtsCase.get(grievance_id=g.id)
    assert case.appeal_level == 1 and case.due_at == appealed.due_at
    assert await auto_appeal_due(NOW + timedelta(days=31)) == 1
    second = await Grievance.get(id=g.id)
    assert (second.status, second.unit_id) == (State.APPEALED, w.tree.dept.id)  # type: ignore[attr-defined]


async def test_without_an_appellate_authority_the_ladder_keeps_watch(settings: Settings) -> None:
    w, leaf_id = await world(settings, authorities=False)
    g = await allotted(settings, w, leaf_id)
    assert await auto_appeal_due(LATER) == 0
    assert (await Grievance.get(id=g.id)).status is State.ALLOTTED
    assert (await RtsCase.get(grievance_id=g.id)).due_at is None  # not read again and again


async def test_the_upheld_first_appeal_leaves_nothing_pending(settings: Settings) -> None:
    w, leaf_id = await world(settings)
    g = await allotted(settings, w, leaf_id)
    assert await auto_appeal_due(LATER) == 1
    await decide_appeal(await actor_for(w.users["first"]), g.id, reopen=False, text="Certificate was issued on time.",
                        now=LATER)
    assert (await RtsCase.get(grievance_id=g.id)).due_at is None
    assert await auto_appeal_due(LATER + timedelta(days=90)) == 0


async def test_concurrent_sweeps_file_each_appeal_once(settings: Settings) -> None:
    w, leaf_id = await world(settings)
    ids = [(await allotted(settings, w, leaf_id)).id for _ in range(4)]
    filed = await asyncio.gather(*[auto_appeal_due(LATER) for _ in range(3)], return_exceptions=True)
    assert sum(f for f in filed if isinstance(f, int)) == 4
    cases = await RtsCase.filter(grievance_id__in=ids).values_list("appeal_level", flat=True)
    assert list(cases) == [1, 1, 1, 1]
    grievances = await Grievance.filter(id__in=ids)
    assert {g.escalation_round for g in grievances} == {2}
    assert await OutboxMessage.filter(template="rts_appealed", channel="sms").count() == 4


async def test_filing_without_rts_makes_no_case(settings: Settings) -> None:
    w, _ = await world(settings)
    data = intake.FilingInput(
        channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject="Mutation pending",
        description="Pending since March.", relief_sought="Complete it.", citizen_name="Sita Devi",
        citizen_mobile="9876500001",
    )
    g = (await intake.file_grievance(settings, await actor_for(w.users["cell"]), replace(data), now=NOW)).grievance
    assert not g.right_to_service and not await RtsCase.exists(grievance_id=g.id)
