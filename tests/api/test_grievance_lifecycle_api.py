"""Seed 004's whole flow and its variations, through GraphQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import httpx

from backend.audit.services import verify_chain
from backend.notifications.models import OutboxChannel, OutboxMessage
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, sign_in
from tests.api.grievance_ops import FINAL, PRELIMINARY, act, file, filed_year, filing, get, ok, refused, report
from tests.factories import PASSWORD, lifecycle_world


def actions(g: dict[str, object]) -> list[str]:
    return [e["action"] for e in g["timeline"]]  # type: ignore[attr-defined,index]


async def test_seed_004_flow_from_whatsapp_to_closure(client: httpx.AsyncClient, settings: Settings,
                                                       runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    t = w.tree
    cell = await sign_in(client, "cell_op", PASSWORD)
    nodal_a = await sign_in(client, "nodal_a", PASSWORD)
    officer = await sign_in(client, "officer_a", PASSWORD)
    dm = await sign_in(client, "reviewer_a", PASSWORD)
    dept = await sign_in(client, "dept_reviewer", PASSWORD)

    trail: list[str] = []

    def step(g: dict[str, object], action: str, status: str, unit: str) -> dict[str, object]:
        """Each step adds exactly its one event to the timeline, and lands where seed 004 says."""
        trail.append(action)
        assert actions(g) == trail, (actions(g), trail)
        assert (g["status"], g["unit"]["code"]) == (status, unit)  # type: ignore[index]
        last = g["timeline"][-1]  # type: ignore[index]
        assert last["toStatus"] == status.lower() and last["role"] and last["unitName"]
        return g

    # The cell registers a WhatsApp petition: numbered UNIT/CHANNEL/YYYY/NNNNNNN, acknowledged by SMS.
    filed = await file(client, cell, filing(w.leaf.id))
    g = step(ok(filed), "file", "FILED", "BR")
    assert filed["created"] is True
    number = f"BR/A/{await filed_year(str(g['number']))}/0000001"
    assert g["number"] == number and g["channel"] == "WHATSAPP" and g["stage"] == "REGISTRATION"
    gid = g["id"]

    step(ok(await act(client, cell, "grievanceRegister", {"id": gid, "note": "Called the citizen; genuine."})),
         "register", "REGISTERED", "BR")
    g = step(ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(t.district_a.id)})),
             "allot", "ALLOTTED", "BR-REV-A")
    assert g["stage"] == "PRELIMINARY_REPORT"

    # The district sends it down to the block office and names the officer.
    step(ok(await act(client, nodal_a, "grievanceTransfer", {"id": gid, "unitId": str(t.block_a.id)})),
         "transfer", "ALLOTTED", "BR-REV-A-1")
    g = step(ok(await act(client, nodal_a, "grievanceAssign", {"id": gid, "officerId": str(w.users["officer_a"].id)})),
             "assign", "ASSIGNED", "BR-REV-A-1")
    assert g["assignedOfficerName"] == "Officer_A"

    # Preliminary report within 24 h, then the ATR, which goes to the DM office.
    g = step(ok(await report(client, officer, gid, "PRELIMINARY", PRELIMINARY)), "preliminary_report",
             "IN_PROGRESS", "BR-REV-A-1")
    assert g["stage"] == "FINAL_REPORT"
    r = await report(client, officer, gid, "FINAL", FINAL)
    assert r["report"]["outcome"] == "SUBMITTED"
    g = step(ok(r), "final_report", "UNDER_REVIEW", "BR-REV-A")
    assert g["reviewLevel"] == 0 and g["stage"] == "REVIEW"

    dm_view = await get(client, dm, gid)
    assert dm_view is not None and "REVIEW_APPROVE" in dm_view["availableActions"]
    g = step(ok(await act(client, dm, "reviewApprove", {"id": gid, "note": "Verified with the circle officer."})),
             "review_approve", "UNDER_REVIEW", "BR-REV")
    assert g["reviewLevel"] == 1
    g = step(ok(await act(client, dept, "reviewApprove", {"id": gid})), "review_approve", "UNDER_REVIEW", "BR")
    assert g["reviewLevel"] == 2
    g = step(ok(await act(client, cell, "grievanceClose", {"id": gid, "note": "Satisfactory."})), "close", "CLOSED", "BR")
    assert g["stage"] is None and g["dueAt"] is None

    # The citizen is told at each step they care about, by SMS, in Hindi as filed.
    messages = await OutboxMessage.filter(recipient="9812345678").order_by("id")
    assert [m.template for m in messages] == ["grievance_filed", "grievance_allotted", "grievance_allotted",
                                              "grievance_taken_up", "final_report_submitted", "grievance_closed"]
    assert {m.language for m in messages} == {"hi"} and {m.channel for m in messages} == {OutboxChannel.SMS}
    await runtime.queue.drain()  # type: ignore[attr-defined]
    lines = [json.loads(x) for x in settings.sms_log_path.read_text().splitlines()]  # type: ignore[union-attr]
    texts = [x["text"] for x in lines if x["to"] == "9812345678"]
    assert any(number in x and "निष्पादन" in x for x in texts), texts

    # The citizen signs in and sees the trail without internal notes or staff names.
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    mine = await get(client, citizen, gid)
    assert mine is not None and mine["status"] == "CLOSED"
    assert all(e["actorName"] in ("", "Ramesh Kumar") for e in mine["timeline"])
    register_event = mine["timeline"][1]
    assert register_event["internal"] is True and register_event["note"] == ""
    assert mine["availableActions"] == ["APPEAL", "COMMENT"]
    staff_view = await get(client, dm, gid)
    assert staff_view is not None
    assert staff_view["timeline"][1]["note"] == "Called the citizen; genuine." and staff_view["timeline"][1]["actorName"]
    assert await verify_chain("grievance", gid)


async def test_not_ours_goes_back_to_the_allotter_and_is_re_routed(client: httpx.AsyncClient, settings: Settings) -> None:
    w = await lifecycle_world(settings)
    t = w.tree
    cell = await sign_in(client, "cell_op", PASSWORD)
    nodal_a = await sign_in(client, "nodal_a", PASSWORD)
    officer = await sign_in(client, "officer_a", PASSWORD)
    nodal_b = await sign_in(client, "nodal_b", PASSWORD)
    gid = ok(await file(client, cell, filing(w.leaf.id)))["id"]
    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(t.district_a.id)}))
    ok(await act(client, nodal_a, "grievanceTransfer", {"id": gid, "unitId": str(t.block_a.id)}))

    # The block answers seed 004's first question with "no": back to the district, authority named.
    missing = await report(client, officer, gid, "PRELIMINARY", {"concernsOffice": False})
    assert refused(missing, "VALIDATION")["fields"] == [{"field": "rightAuthority", "message":
                                                          "name the public authority the grievance concerns"}]
    g = ok(await report(client, officer, gid, "PRELIMINARY", {"concernsOffice": False,
                                                              "rightAuthority": "Circle office, district B"}))
    assert (g["status"], g["unit"]["code"]) == ("RETURNED", "BR-REV-A")
    # The officer no longer holds it (and still sees it: it was in their office).
    refused(await act(client, officer, "grievanceNotOurs", {"id": gid, "rightAuthority": "x"}), "FORBIDDEN")

    # The district passes it up again, the cell re-routes it to district B.
    g = ok(await act(client, nodal_a, "grievanceNotOurs", {"id": gid, "rightAuthority": "District B",
                                                           "suggestedUnitId": str(t.district_b.id)}))
    assert (g["status"], g["unit"]["code"]) == ("RETURNED", "BR")
    g = ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(t.district_b.id)}))
    assert (g["status"], g["unit"]["code"]) == ("ALLOTTED", "BR-REV-B")
    assert (await get(client, nodal_b, gid)) is not None
    assert actions(g) == ["file", "allot", "transfer", "not_ours", "not_ours", "allot"]
    staff = await get(client, nodal_b, gid)
    assert staff is not None and staff["timeline"][3]["note"] == ""


async def test_send_back_and_resubmission(client: httpx.AsyncClient, settings: Settings) -> None:
    w = await lifecycle_world(settings)
    cell = await sign_in(client, "cell_op", PASSWORD)
    officer = await sign_in(client, "officer_a", PASSWORD)
    dm = await sign_in(client, "reviewer_a", PASSWORD)
    dept = await sign_in(client, "dept_reviewer", PASSWORD)
    gid = ok(await file(client, cell, filing(w.leaf.id)))["id"]
    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    ok(await report(client, officer, gid, "FINAL", FINAL))
    ok(await act(client, dm, "reviewApprove", {"id": gid}))

    # The department wants more: a note is required, and the ATR goes back to the block.
    refused(await act(client, dept, "reviewSendBack", {"id": gid, "note": "  "}), "VALIDATION")
    g = ok(await act(client, dept, "reviewSendBack", {"id": gid, "note": "Attach the corrected jamabandi."}))
    assert (g["status"], g["unit"]["code"], g["reviewLevel"]) == ("SENT_BACK", "BR-REV-A-1", 0)
    # It climbs again from the first level.
    g = ok(await report(client, officer, gid, "INTERIM", {"reply": "Corrected record being prepared."}))
    assert g["status"] == "SENT_BACK"
    g = ok(await report(client, officer, gid, "FINAL", FINAL))
    assert (g["status"], g["unit"]["code"], g["reviewLevel"]) == ("UNDER_REVIEW", "BR-REV-A", 0)
    full = await get(client, dm, gid)
    assert full is not None
    finals = [r for r in full["reports"] if r["kind"] == "FINAL"]
    assert [s["decision"] for s in finals[0]["reviewSteps"]] == ["APPROVED", "SENT_BACK"]
    assert finals[0]["reviewSteps"][1]["note"] == "Attach the corrected jamabandi."
    assert finals[1]["reviewSteps"] == []
