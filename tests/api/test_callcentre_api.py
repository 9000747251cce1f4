"""The call-centre feedback queue through GraphQL: claim, record with a recording, dispute."""

from __future__ import annotations

import asyncio

import httpx

from backend.accounts.roles import Role
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.api.test_attachments_api import result_of, upload
from tests.api.test_feedback_appeals_api import closed_grievance
from tests.factories import PASSWORD, lifecycle_world, staff
from tests.unit.test_sniffing_audio import wav_bytes

QUEUE = """query($first: Int!) { feedbackCallQueue(first: $first) { __typename
  ... on FeedbackCallQueue { items { id status attempts sensitive grievance { id number citizenMobile } } }
  ... on OperationError { code } } }"""
CLAIM = """mutation($id: ID!) { feedbackCallClaim(id: $id) { __typename
  ... on FeedbackCallClaimSuccess { call { id status leaseUntil } } ... on OperationError { code message } } }"""
RECORD = """mutation($id: ID!, $reached: Boolean!, $resolved: Boolean, $rating: Int, $remarks: String!,
  $rec: ID) { feedbackCallRecord(id: $id, reached: $reached, resolved: $resolved, rating: $rating,
  remarks: $remarks, recordingId: $rec) { __typename
  ... on FeedbackCallRecordSuccess { call { status attempts } grievance { status unit { code } }
        feedback { source resolved rating } }
  ... on OperationError { code message fields { field message } } } }"""
FIGURES = """query($since: DateTime!, $until: DateTime!) { myCallFigures(since: $since, until: $until) {
  __typename ... on CallFigures { calls reached satisfied } ... on OperationError { code } } }"""
HEAD_VIEW = """query($id: ID!) { grievance(id: $id) { status attachments { contentType visibility } } }"""


async def test_agent_claims_records_with_a_recording_and_the_head_sees_the_dispute(
        client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, t = await closed_grievance(client, w)
    agent = await sign_in(client, "agent", PASSWORD)

    refused = (await gql(client, QUEUE, {"first": 10}, token=t["officer"]))["data"]["feedbackCallQueue"]
    assert refused == {"__typename": "OperationError", "code": "FORBIDDEN"}
    client.cookies.clear()  # sign-in set the session cookie; bearer tokens from here on
    anonymous = (await gql(client, QUEUE, {"first": 10}))["data"]["feedbackCallQueue"]
    assert anonymous == {"__typename": "OperationError", "code": "UNAUTHENTICATED"}

    items = (await gql(client, QUEUE, {"first": 10}, token=agent))["data"]["feedbackCallQueue"]["items"]
    assert [(i["grievance"]["id"], i["status"], i["attempts"]) for i in items] == [(gid, "QUEUED", 0)]
    call_id = items[0]["id"]
    # The queue shows the number masked; the agent on the call gets it in clear.
    assert items[0]["grievance"]["citizenMobile"] == "98XXXXXX78"
    assert (await gql(client, CLAIM, {"id": call_id}, token=t["cell"]))["data"]["feedbackCallClaim"]["code"] == \
        "FORBIDDEN"
    claimed = (await gql(client, CLAIM, {"id": call_id}, token=agent))["data"]["feedbackCallClaim"]
    assert claimed["__typename"] == "FeedbackCallClaimSuccess" and claimed["call"]["status"] == "CLAIMED"
    assert (await gql(client, QUEUE, {"first": 10}, token=agent))["data"]["feedbackCallQueue"]["items"] == []
    dialled = await gql(client, "query($id: ID!) { grievance(id: $id) { citizenMobile } }", {"id": gid}, token=agent)
    assert dialled["data"]["grievance"]["citizenMobile"] == "9812345678"

    # A PDF is not a recording; a WAV is.
    pdf = result_of(await upload(client, "notes.pdf", b"%PDF-1.4\n%%EOF\n", token=agent))
    wav = result_of(await upload(client, "call.wav", wav_bytes(), token=agent))
    assert wav["__typename"] == "AttachmentSuccess" and wav["attachment"]["contentType"] == "audio/wav"
    bad = (await gql(client, RECORD, {"id": call_id, "reached": True, "resolved": False, "remarks": "",
                                      "rec": pdf["attachment"]["id"]}, token=agent))["data"]["feedbackCallRecord"]
    assert bad["code"] == "VALIDATION" and bad["fields"][0]["field"] == "recordingId"

    said = (await gql(client, RECORD, {"id": call_id, "reached": True, "resolved": False, "rating": 1,
                                       "remarks": "Citizen says nothing was done.", "rec": wav["attachment"]["id"]},
                      token=agent))["data"]["feedbackCallRecord"]
    assert said["__typename"] == "FeedbackCallRecordSuccess", said
    assert said["call"] == {"status": "DONE", "attempts": 1}
    assert said["grievance"] == {"status": "DISPUTED", "unit": {"code": "BR-REV"}}
    assert said["feedback"] == {"source": "CALL_CENTRE", "resolved": False, "rating": 1}
    again = (await gql(client, RECORD, {"id": call_id, "reached": True, "resolved": True, "remarks": ""},
                       token=agent))["data"]["feedbackCallRecord"]
    assert again["code"] == "CONFLICT"

    seen = (await gql(client, HEAD_VIEW, {"id": gid}, token=t["head"]))["data"]["grievance"]
    assert seen == {"status": "DISPUTED", "attachments": [{"contentType": "audio/wav", "visibility": "INTERNAL"}]}

    figures = (await gql(client, FIGURES, {"since": "2000-01-01T00:00:00Z", "until": "2100-01-01T00:00:00Z"},
                         token=agent))["data"]["myCallFigures"]
    assert figures == {"__typename": "CallFigures", "calls": 1, "reached": 1, "satisfied": 0}


async def test_two_agents_claiming_the_same_call_at_once_one_wins(client: httpx.AsyncClient, settings: Settings,
                                                                  runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    await closed_grievance(client, w)
    await staff(settings, "agent_two", (w.tree.state, Role.CALL_CENTRE_AGENT))
    one, two = await sign_in(client, "agent", PASSWORD), await sign_in(client, "agent_two", PASSWORD)
    client.cookies.clear()
    call_id = (await gql(client, QUEUE, {"first": 1}, token=one))["data"]["feedbackCallQueue"]["items"][0]["id"]
    results = await asyncio.gather(*[gql(client, CLAIM, {"id": call_id}, token=tok) for tok in (one, two)])
    kinds = sorted(r["data"]["feedbackCallClaim"]["__typename"] for r in results)
    assert kinds == ["FeedbackCallClaimSuccess", "OperationError"]
    loser = next(r for r in results if r["data"]["feedbackCallClaim"]["__typename"] == "OperationError")
    assert loser["data"]["feedbackCallClaim"]["code"] in ("CHANGED_MEANWHILE", "CONFLICT")
