"""Seed 002's Right-to-Service Auto Appeal path through GraphQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from backend.accounts.roles import Role
from backend.core.clock import utcnow
from backend.notifications.models import OutboxMessage
from backend.orgs.models import Unit
from backend.rts.services import INDIA
from backend.rts.sweeps import auto_appeal_due
from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.api.grievance_ops import FIELDS, act, file, filing, get, ok, refused, report
from tests.factories import PASSWORD, LifecycleWorld, category, lifecycle_world, staff

CASE = "rightToServiceCase { serviceDays dueAt appealLevel notAppliedAt applicationNumber appliedOn }"
RESULT = f"""__typename ... on GrievanceSuccess {{ grievance {{ {FIELDS} {CASE} }} }}
  ... on OperationError {{ code message fields {{ field message }} }}"""
NOT_APPLIED = f"""mutation($id: ID!, $note: String!) {{ rtsRecordNotApplied(id: $id, note: $note) {{ {RESULT} }} }}"""
APPLICATION = f"""mutation($id: ID!, $n: String!, $on: Date, $reply: String!) {{
  rtsRecordApplication(id: $id, applicationNumber: $n, appliedOn: $on, reply: $reply) {{ {RESULT} }} }}"""
CASE_OF = f"query($id: ID!) {{ grievance(id: $id) {{ status unit {{ code }} stage {CASE} }} }}"


async def rts_world(settings: Settings) -> tuple[LifecycleWorld, Any]:
    """The lifecycle world with a notified service (7 working days) and the appellate
    authorities of the Act: block -> district (first) -> department (second)."""
    w = await lifecycle_world(settings)
    tree = w.tree
    await Unit.filter(id=tree.block_a.id).update(appellate_authority_id=tree.district_a.id)
    await Unit.filter(id=tree.district_a.id).update(appellate_authority_id=tree.dept.id)
    await staff(settings, "first_appellate", (tree.district_a, Role.APPELLATE_AUTHORITY))
    await staff(settings, "second_appellate", (tree.dept, Role.APPELLATE_AUTHORITY))
    service = await category("REV-CERT", tree.dept, rts_days=7)
    leaf = await category("REV-CERT-CASTE", tree.dept, service)
    return w, leaf


async def _rts_grievance(client: httpx.AsyncClient, w: LifecycleWorld, leaf: Any) -> tuple[str, dict[str, str]]:
    t = {name: await sign_in(client, user, PASSWORD) for name, user in
         [("cell", "cell_op"), ("nodal", "nodal_a"), ("officer", "officer_a"), ("first", "first_appellate"),
          ("second", "second_appellate")]}
    g = ok(await file(client, t["cell"], filing(leaf.id, subject="Caste certificate not issued",
                                                description="Applied for a caste certificate, nothing since.")))
    return g["id"], t


async def _case(client: httpx.AsyncClient, token: str, gid: str) -> dict[str, Any]:
    body = await gql(client, CASE_OF, {"id": gid}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["grievance"]
    return result


async def test_an_rts_grievance_is_auto_appealed_twice(client: httpx.AsyncClient, settings: Settings) -> None:
    w, leaf = await rts_world(settings)
    gid, t = await _rts_grievance(client, w, leaf)
    case = await _case(client, t["cell"], gid)
    assert case["rightToServiceCase"]["serviceDays"] == 7 and case["rightToServiceCase"]["appealLevel"] == 0
    assert case["rightToServiceCase"]["dueAt"] is not None
    ok(await act(client, t["cell"], "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    # The nodal officer forwards it to the designated officer of the service.
    officer = w.users["officer_a"]
    g = ok(await act(client, t["nodal"], "grievanceAssign", {"id": gid, "officerId": str(officer.id)}))
    assert g["status"] == "ASSIGNED"

    # Nobody delivers the service: its timeline passes and the appeal files itself.
    now = utcnow()
    assert await auto_appeal_due(now) == 0
    assert await auto_appeal_due(now + timedelta(days=20)) == 1
    assert await auto_appeal_due(now + timedelta(days=20)) == 0  # a rerun does nothing more
    first = await _case(client, t["first"], gid)
    assert (first["status"], first["unit"]["code"], first["stage"]) == ("APPEALED", "BR-REV-A", "APPEAL_DECISION")
    assert first["rightToServiceCase"]["appealLevel"] == 1
    g = await get(client, t["first"], gid)
    assert g is not None and g["timeline"][-1]["action"] == "rts_appeal" and g["timeline"][-1]["role"] == "system"
    assert g["availableActions"] == ["APPEAL_REOPEN", "APPEAL_UPHOLD", "COMMENT"]
    # The first appellate authority lets its own 30 days pass: the second appeal.
    assert await auto_appeal_due(now + timedelta(days=40)) == 0
    assert await auto_appeal_due(now + timedelta(days=60)) == 1
    second = await _case(client, t["second"], gid)
    assert (second["status"], second["unit"]["code"]) == ("APPEALED", "BR-REV")
    assert second["rightToServiceCase"] == {**second["rightToServiceCase"], "appealLevel": 2, "dueAt": None}
    # After the second appeal no automatic appeal is left (the escalation ladder watches).
    assert await auto_appeal_due(now + timedelta(days=400)) == 0
    refused(await act(client, t["first"], "appealDecide", {"id": gid, "reopen": True, "text": "x"}), "FORBIDDEN")
    g = ok(await act(client, t["second"], "appealDecide",
                     {"id": gid, "reopen": True, "text": "Issue the certificate within 7 days."}))
    # Back to the service's designated office and officer, on a fresh clock.
    assert (g["status"], g["unit"]["code"], g["assignedOfficerName"]) == ("ASSIGNED", "BR-REV-A-1", "Officer_A")
    actions = [e["action"] for e in g["timeline"]]
    assert actions.count("rts_appeal") == 2
    citizen_sms = await OutboxMessage.filter(template="rts_appealed", channel="sms").order_by("id").values_list(
        "payload", flat=True)
    assert [p["level"] for p in citizen_sms] == [1, 2]  # type: ignore[index]
    staff_push = await OutboxMessage.filter(template="rts_appeal_to_you").values_list("recipient", flat=True)
    assert f"staff:{w.users['nodal_a'].id}" in staff_push  # the district's nodal officer hears of the first appeal


async def test_a_reopening_first_appeal_restarts_the_service_timeline(client: httpx.AsyncClient,
                                                                      settings: Settings) -> None:
    w, leaf = await rts_world(settings)
    gid, t = await _rts_grievance(client, w, leaf)
    ok(await act(client, t["cell"], "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    now = utcnow()
    assert await auto_appeal_due(now + timedelta(days=20)) == 1
    g = ok(await act(client, t["first"], "appealDecide", {"id": gid, "reopen": True, "text": "Deliver it."}))
    assert (g["status"], g["unit"]["code"]) == ("ASSIGNED", "BR-REV-A-1")
    case = (await _case(client, t["cell"], gid))["rightToServiceCase"]
    assert case["appealLevel"] == 1 and case["dueAt"] is not None
    # The order is not obeyed within the timeline: the second appeal.
    assert await auto_appeal_due(now + timedelta(days=5)) == 0
    assert await auto_appeal_due(now + timedelta(days=60)) == 1
    assert (await _case(client, t["second"], gid))["unit"]["code"] == "BR-REV"


async def test_not_applied_then_application_and_the_refusals(client: httpx.AsyncClient, settings: Settings) -> None:
    w, leaf = await rts_world(settings)
    gid, t = await _rts_grievance(client, w, leaf)
    ok(await act(client, t["cell"], "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    ok(await act(client, t["nodal"], "grievanceAssign", {"id": gid, "officerId": str(w.users["officer_a"].id)}))

    # Seed 002: never rejected because the citizen did not apply.
    refusal = await act(client, t["nodal"], "grievanceReject", {"id": gid, "reason": "INCOMPLETE", "note": "Not applied"})
    assert refusal["code"] == "VALIDATION" and refusal["fields"][0]["field"] == "reason"
    # Only the designated officer records "not applied"; the note is required.
    other = await sign_in(client, "officer_a2", PASSWORD)
    bad = (await gql(client, NOT_APPLIED, {"id": gid, "note": "x"}, token=other))["data"]["rtsRecordNotApplied"]
    assert bad["code"] == "FORBIDDEN"
    blank = (await gql(client, NOT_APPLIED, {"id": gid, "note": " "}, token=t["officer"]))["data"]
    assert blank["rtsRecordNotApplied"]["code"] == "VALIDATION"
    said = (await gql(client, NOT_APPLIED, {"id": gid, "note": "Will call the citizen to apply at the RTPS counter."},
                      token=t["officer"]))["data"]["rtsRecordNotApplied"]
    g = said["grievance"]
    assert (g["status"], g["stage"]) == ("IN_PROGRESS", "HELP_TO_APPLY")
    assert g["rightToServiceCase"]["notAppliedAt"] is not None and g["rightToServiceCase"]["dueAt"] is None
    again = (await gql(client, NOT_APPLIED, {"id": gid, "note": "again"}, token=t["officer"]))["data"]
    assert again["rtsRecordNotApplied"]["code"] == "CONFLICT"
    # While the office helps the citizen apply, no appeal is filed by itself...
    assert await auto_appeal_due(utcnow() + timedelta(days=25)) == 0
    # ...and the office may not send it back as "not ours" either.
    back = await act(client, t["officer"], "grievanceNotOurs", {"id": gid, "rightAuthority": "Circle office"})
    assert back["code"] == "CONFLICT"
    assert (await _case(client, t["cell"], gid))["status"] == "IN_PROGRESS"

    today = utcnow().astimezone(INDIA).date()  # dates are India's
    future = (await gql(client, APPLICATION, {"id": gid, "n": "RTPS/2026/11", "on": str(today + timedelta(days=3)),
                                              "reply": "Applied"}, token=t["officer"]))["data"]
    assert future["rtsRecordApplication"]["fields"] == [{"field": "appliedOn", "message": "cannot be in the future"}]
    garbled = (await gql(client, APPLICATION, {"id": gid, "n": "<script>", "on": str(today), "reply": ""},
                         token=t["officer"]))["data"]["rtsRecordApplication"]
    assert sorted(f["field"] for f in garbled["fields"]) == ["applicationNumber", "reply"]
    assert (await _case(client, t["cell"], gid))["rightToServiceCase"]["applicationNumber"] == ""
    done = (await gql(client, APPLICATION, {"id": gid, "n": "RTPS/2026/11", "on": str(today),
                                            "reply": "Your application RTPS/2026/11 was filed with our help."},
                      token=t["officer"]))["data"]["rtsRecordApplication"]
    assert done["__typename"] == "GrievanceSuccess", done
    g = done["grievance"]
    assert (g["status"], g["stage"]) == ("IN_PROGRESS", "FINAL_REPORT")
    assert g["rightToServiceCase"]["applicationNumber"] == "RTPS/2026/11"
    assert g["rightToServiceCase"]["appliedOn"] == str(today) and g["rightToServiceCase"]["dueAt"] is not None
    full = await get(client, t["cell"], gid)
    assert full is not None
    interim = [r for r in full["reports"] if r["kind"] == "INTERIM"]
    assert interim and interim[-1]["actionTaken"] == f"Application RTPS/2026/11 made on {today.isoformat()}"
    # The service's timeline now runs from the application: missed, the appeal files itself.
    assert await auto_appeal_due(utcnow() + timedelta(days=30)) == 1
    ok(await act(client, t["first"], "appealDecide", {"id": gid, "reopen": True, "text": "Issue it now."}))
    # Back with the office, which acknowledged the service as its own: it may not pass
    # the grievance on as "not ours", by report or by action.
    back = await act(client, t["officer"], "grievanceNotOurs", {"id": gid, "rightAuthority": "Circle office"})
    assert back["code"] == "CONFLICT" and "never returned" in back["message"]
    prelim = await report(client, t["officer"], gid, "PRELIMINARY", {"concernsOffice": False,
                                                                    "rightAuthority": "Circle office"})
    assert prelim["code"] == "CONFLICT" and "never returned" in prelim["message"]
    assert (await _case(client, t["cell"], gid))["status"] == "ASSIGNED"


async def test_a_grievance_not_about_a_service_has_no_rts_actions(client: httpx.AsyncClient,
                                                                  settings: Settings) -> None:
    w, _ = await rts_world(settings)
    t = {"cell": await sign_in(client, "cell_op", PASSWORD), "officer": await sign_in(client, "officer_a", PASSWORD)}
    gid = ok(await file(client, t["cell"], filing(w.leaf.id)))["id"]
    ok(await act(client, t["cell"], "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    said = (await gql(client, NOT_APPLIED, {"id": gid, "note": "Not applied"}, token=t["officer"]))["data"]
    assert said["rtsRecordNotApplied"]["code"] == "CONFLICT"
    assert (await _case(client, t["cell"], gid))["rightToServiceCase"] is None
