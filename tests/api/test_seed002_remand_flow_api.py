"""Seed 002's remand flow end to end through GraphQL, as the Haryana SOP describes it
(SQLite and PostgreSQL): the ATR claims resolution -> the call centre hears "not
resolved" -> disputed -> the administrative secretary remands -> the official, having
seen the feedback, resubmits -> the review chain again -> closure."""

from __future__ import annotations

import httpx

from backend.feedback.models import FeedbackView
from backend.grievances.models import Grievance
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.api.grievance_ops import FINAL, GET, act, ok, refused, report
from tests.api.test_attachments_api import result_of, upload
from tests.api.test_callcentre_api import CLAIM, QUEUE, RECORD
from tests.api.test_feedback_appeals_api import VIEW, closed_grievance
from tests.factories import PASSWORD, lifecycle_world
from tests.unit.test_sniffing_audio import wav_bytes

FEEDBACK = """mutation($id: ID!) { feedbackView(id: $id) { __typename
  ... on FeedbackList { items { source resolved rating remarks } } } }"""


async def test_seed_002_remand_flow_through_the_call_centre(client: httpx.AsyncClient, settings: Settings,
                                                            runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, t = await closed_grievance(client, w)  # the ATR said "resolved" and the cell closed it
    agent = await sign_in(client, "agent", PASSWORD)
    client.cookies.clear()

    # The closure put a feedback call in the call centre's queue; the agent calls.
    items = (await gql(client, QUEUE, {"first": 10}, token=agent))["data"]["feedbackCallQueue"]["items"]
    assert [i["grievance"]["id"] for i in items] == [gid]
    call_id = items[0]["id"]
    ok_claim = (await gql(client, CLAIM, {"id": call_id}, token=agent))["data"]["feedbackCallClaim"]
    assert ok_claim["__typename"] == "FeedbackCallClaimSuccess"
    wav = result_of(await upload(client, "call.wav", wav_bytes(), token=agent))
    said = (await gql(client, RECORD, {"id": call_id, "reached": True, "resolved": False, "rating": 1,
                                       "remarks": "The mutation has still not been entered.",
                                       "rec": wav["attachment"]["id"]}, token=agent))["data"]["feedbackCallRecord"]
    # The contradiction is reconciled at once: disputed, with the department's head.
    assert said["grievance"] == {"status": "DISPUTED", "unit": {"code": "BR-REV"}}

    # The head sees both sides: the ATR that claimed resolution, and the call's feedback.
    case = (await gql(client, GET, {"id": gid}, token=t["head"]))["data"]["grievance"]
    atr = [r for r in case["reports"] if r["kind"] == "FINAL"]
    assert atr and atr[-1]["actionTaken"] == FINAL["actionTaken"]
    sides = (await gql(client, FEEDBACK, {"id": gid}, token=t["head"]))["data"]["feedbackView"]["items"]
    assert sides == [{"source": "CALL_CENTRE", "resolved": False, "rating": 1,
                      "remarks": "The mutation has still not been entered."}]

    g = ok(await act(client, t["head"], "disputeRemand",
                     {"id": gid, "directions": "Enter the mutation and send the corrected record."}))
    assert (g["status"], g["unit"]["code"], g["assignedOfficerName"]) == ("ASSIGNED", "BR-REV-A-1", "Officer_A")

    # The official may not send the ATR up before seeing the feedback; nothing changes.
    before = await Grievance.get(id=int(gid))
    unseen = refused(await report(client, t["officer"], gid, "FINAL", FINAL), "CONFLICT")
    assert unseen["message"] == "View the 1 feedback item(s) on this case before forwarding the report"
    after = await Grievance.get(id=int(gid))
    assert (after.status, after.version) == (before.status, before.version)
    seen = (await gql(client, VIEW, {"id": gid}, token=t["officer"]))["data"]["feedbackView"]
    assert seen["__typename"] == "FeedbackList"
    assert await FeedbackView.filter(user_id=w.users["officer_a"].id).count() == 1
    g = ok(await report(client, t["officer"], gid, "FINAL", FINAL))
    assert (g["status"], g["unit"]["code"]) == ("UNDER_REVIEW", "BR-REV-A")

    # Every official up the chain sees the feedback before forwarding.
    for reviewer in ("dm", "dept"):
        refused(await act(client, t[reviewer], "reviewApprove", {"id": gid}), "CONFLICT")
        await gql(client, VIEW, {"id": gid}, token=t[reviewer])
        ok(await act(client, t[reviewer], "reviewApprove", {"id": gid}))
    g = ok(await act(client, t["cell"], "grievanceClose", {"id": gid, "note": "Record corrected."}))
    assert g["status"] == "CLOSED"
    trail = [e["action"] for e in g["timeline"]]
    assert trail[-7:] == ["close", "dispute", "remand", "final_report", "review_approve", "review_approve", "close"]

    # The new closure queues a new feedback call (the earlier one is done).
    items = (await gql(client, QUEUE, {"first": 10}, token=agent))["data"]["feedbackCallQueue"]["items"]
    assert [(i["grievance"]["id"], i["status"], i["attempts"]) for i in items] == [(gid, "QUEUED", 0)]
    assert items[0]["id"] != call_id
