"""Clocks and escalations as the API shows them: countdown fields and "escalated to me"."""

from __future__ import annotations

from datetime import timedelta

import httpx

from backend.accounts.roles import Role
from backend.core.clock import utcnow
from backend.orgs.kinds import UnitKind
from backend.orgs.models import EscalationLevel
from backend.settings import Settings
from backend.sla.sweeps import escalate_due
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.grievance_ops import act, file, filing, ok
from tests.factories import PASSWORD, lifecycle_world, staff, unit

CLOCK = """query($id: ID!) { grievance(id: $id) { escalationLevel escalatedTo { code } escalationDueAt
  clock { stage dueAt secondsLeft overdue paused pausedStage mode disposalDueAt }
  timeline { action toStatus unitName } } }"""
ESCALATED = """{ inbox(filter: {escalatedToMe: true}, first: 10) { ... on GrievancePage { items { number } } } }"""


async def test_escalation_reaches_the_osd_inbox_and_the_citizen_timeline(
        client: httpx.AsyncClient, settings: Settings, runtime: object) -> None:
    w = await lifecycle_world(settings)
    osd = await unit("BR-OSD", UnitKind.OFFICE, w.tree.state)
    await EscalationLevel.create(unit=w.tree.dept, level=1, authority=osd, window_hours=72)
    await staff(settings, "osd_user", (osd, Role.ESCALATION_AUTHORITY))
    cell = await sign_in(client, "cell_op", PASSWORD)
    g = ok(await file(client, cell, filing(w.leaf.id)))
    ok(await act(client, cell, "grievanceAllot", {"id": g["id"], "unitId": str(w.tree.block_a.id)}))

    before = (await gql(client, CLOCK, {"id": g["id"]}, token=cell))["data"]["grievance"]
    assert before["clock"]["stage"] == "PRELIMINARY_REPORT" and before["clock"]["mode"] == "wall_hours"
    assert before["clock"]["paused"] is False and before["escalationLevel"] == 0
    assert isinstance(before["clock"]["secondsLeft"], int) and before["clock"]["disposalDueAt"]

    osd_token = await sign_in(client, "osd_user", PASSWORD)
    assert (await gql(client, ESCALATED, token=osd_token))["data"]["inbox"]["items"] == []
    assert await escalate_due(utcnow() + timedelta(hours=25)) == 1  # the API filed it at the real time
    seen = (await gql(client, ESCALATED, token=osd_token))["data"]["inbox"]["items"]
    assert [i["number"] for i in seen] == [g["number"]]
    after = (await gql(client, CLOCK, {"id": g["id"]}, token=osd_token))["data"]["grievance"]
    assert after["escalationLevel"] == 1 and after["escalatedTo"]["code"] == "BR-OSD"

    # The OSD may comment (direct) on it; the citizen sees that it was escalated, and where.
    directed = await act(client, osd_token, "grievanceComment", {"id": g["id"], "text": "Report by tomorrow.",
                                                                 "visibility": "CITIZEN"})
    assert directed["__typename"] == "GrievanceSuccess"
    citizen = await citizen_sign_in(client, runtime, "9812345678")  # type: ignore[arg-type]
    mine = (await gql(client, CLOCK, {"id": g["id"]}, token=citizen))["data"]["grievance"]
    assert [e["action"] for e in mine["timeline"]][-2:] == ["escalate", "comment"]
    assert mine["timeline"][-2]["unitName"] == "BR-OSD office"
