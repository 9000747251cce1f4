"""Seed 002's dispute and remand, and appeals, through GraphQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import httpx

from backend.accounts.roles import Role
from backend.notifications.models import OutboxMessage
from backend.orgs.models import Unit
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.grievance_ops import FINAL, act, file, filing, ok, refused, report
from tests.factories import PASSWORD, LifecycleWorld, lifecycle_world, staff

GIVE = """mutation($id: ID!, $r: Boolean!, $rating: Int, $remarks: String!) {
  feedbackGive(id: $id, resolved: $r, rating: $rating, remarks: $remarks) { __typename
  ... on FeedbackSuccess { appealOffered grievance { status unit { code } } }
  ... on OperationError { code message fields { field message } } } }"""
VIEW = """mutation($id: ID!) { feedbackView(id: $id) { __typename ... on FeedbackList { items { resolved remarks } }
  ... on OperationError { code } } }"""


async def closed_grievance(client: httpx.AsyncClient, w: LifecycleWorld) -> tuple[str, dict[str, str]]:
    """Seed 004's flow up to closure: returns the grievance id and the staff tokens."""
    tokens = {name: await sign_in(client, user, PASSWORD) for name, user in
              [("cell", "cell_op"), ("officer", "officer_a"), ("dm", "reviewer_a"), ("dept", "dept_reviewer"),
               ("head", "dept_head")]}
    gid = ok(await file(client, tokens["cell"], filing(w.leaf.id)))["id"]
    ok(await act(client, tokens["cell"], "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    ok(await report(client, tokens["officer"], gid, "FINAL", FINAL))
    ok(await act(client, tokens["dm"], "reviewApprove", {"id": gid}))
    ok(await act(client, tokens["dept"], "reviewApprove", {"id": gid}))
    ok(await act(client, tokens["cell"], "grievanceClose", {"id": gid}))
    return gid, tokens


async def test_seed_002_dispute_remand_and_resubmission(client: httpx.AsyncClient, settings: Settings,
                                                         runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, t = await closed_grievance(client, w)
    citizen = await citizen_sign_in(client, runtime, "9812345678")

    bad = (await gql(client, GIVE, {"id": gid, "r": False, "rating": 9, "remarks": ""}, token=citizen))
    assert bad["data"]["feedbackGive"]["fields"] == [{"field": "rating", "message": "must be from 1 to 5"}]
    said = (await gql(client, GIVE, {"id": gid, "r": False, "rating": 1, "remarks": "Nothing was done."},
                      token=citizen))["data"]["feedbackGive"]
    # The ATR said resolved, the citizen says not: disputed at once, with the department's head
    # (whose decision comes before any appeal).
    assert said["__typename"] == "FeedbackSuccess" and said["appealOffered"] is False
    assert said["grievance"] == {"status": "DISPUTED", "unit": {"code": "BR-REV"}}
    again = (await gql(client, GIVE, {"id": gid, "r": True, "rating": 5, "remarks": ""}, token=citizen))
    assert again["data"]["feedbackGive"]["code"] == "CONFLICT"

    refused(await act(client, t["dept"], "disputeRemand", {"id": gid, "directions": "x"}), "FORBIDDEN")
    g = ok(await act(client, t["head"], "disputeRemand", {"id": gid, "directions": "Visit the site and report."}))
    assert (g["status"], g["unit"]["code"], g["assignedOfficerName"]) == ("ASSIGNED", "BR-REV-A-1", "Officer_A")
    # The head heard of the dispute, the officer of the remand, the citizen of the reopening.
    told = set(await OutboxMessage.filter(template__in=["dispute_to_decide", "remanded_to_you"]).values_list(
        "template", "recipient"))
    assert told == {("dispute_to_decide", f"staff:{w.users['head'].id}"),
                    ("remanded_to_you", f"staff:{w.users['officer_a'].id}")}
    assert await OutboxMessage.exists(template="grievance_reopened", recipient="9812345678")

    # Seed 002: the feedback is in front of the official before the ATR goes up.
    unseen = await report(client, t["officer"], gid, "FINAL", FINAL)
    assert refused(unseen, "CONFLICT")["message"].startswith("View the 1 feedback")
    seen = (await gql(client, VIEW, {"id": gid}, token=t["officer"]))["data"]["feedbackView"]
    assert seen["items"] == [{"resolved": False, "remarks": "Nothing was done."}]
    g = ok(await report(client, t["officer"], gid, "FINAL", FINAL))
    assert (g["status"], g["unit"]["code"]) == ("UNDER_REVIEW", "BR-REV-A")
    refused(await act(client, t["dm"], "reviewApprove", {"id": gid}), "CONFLICT")
    await gql(client, VIEW, {"id": gid}, token=t["dm"])
    ok(await act(client, t["dm"], "reviewApprove", {"id": gid}))
    await gql(client, VIEW, {"id": gid}, token=t["dept"])
    ok(await act(client, t["dept"], "reviewApprove", {"id": gid}))
    g = ok(await act(client, t["cell"], "grievanceClose", {"id": gid}))
    assert g["status"] == "CLOSED"
    trail = [e["action"] for e in g["timeline"]]
    assert trail[-7:] == ["close", "dispute", "remand", "final_report", "review_approve", "review_approve", "close"]


async def test_head_upholds_a_disputed_closure(client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, t = await closed_grievance(client, w)
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    await gql(client, GIVE, {"id": gid, "r": False, "rating": 2, "remarks": "Not done"}, token=citizen)
    refused(await act(client, t["head"], "disputeUphold", {"id": gid, "reason": " "}), "VALIDATION")
    g = ok(await act(client, t["head"], "disputeUphold", {"id": gid, "reason": "Site photos show the repair."}))
    assert g["status"] == "CLOSED"
    # The citizen is told the decision, with its reasons and the appeal window.
    told = await OutboxMessage.filter(template="dispute_upheld", recipient="9812345678").first()
    assert told is not None and told.payload["reasons"] == "Site photos show the repair."
    # The head has decided on the citizen's word: no second round of feedback and dispute,
    # the route is the appeal (which the app offers, and not the feedback form).
    seen = await gql(client, f'{{ grievance(id: "{gid}") {{ status feedbackOpen appealDeadline }} }}', token=citizen)
    assert seen["data"]["grievance"]["feedbackOpen"] is False and seen["data"]["grievance"]["appealDeadline"]
    again = await gql(client, GIVE, {"id": gid, "r": False, "rating": 1, "remarks": "Still not done"}, token=citizen)
    assert again["data"]["feedbackGive"]["code"] == "CONFLICT"
    assert "appeal" in again["data"]["feedbackGive"]["message"]
    after = await gql(client, f'{{ grievance(id: "{gid}") {{ status version }} }}', token=citizen)
    assert after["data"]["grievance"]["status"] == "CLOSED"
    await Unit.filter(id=w.tree.dept.id).update(appellate_authority_id=w.tree.state.id)
    assert (await _appeal(client, citizen, gid))["__typename"] != "OperationError"


async def _appeal(client: httpx.AsyncClient, token: str, gid: str) -> dict[str, Any]:
    return await act(client, token, "appealFile", {"id": gid, "grounds": "The land record is still wrong."})  # type: ignore[arg-type]


async def test_appeals_upheld_and_reopened(client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    await Unit.filter(id=w.tree.dept.id).update(appellate_authority_id=w.tree.state.id)
    await staff(settings, "appellate", (w.tree.state, Role.APPELLATE_AUTHORITY))
    appellate = await sign_in(client, "appellate", PASSWORD)
    citizen = await citizen_sign_in(client, runtime, "9812345678")

    gid, t = await closed_grievance(client, w)
    # "Resolved", but a poor rating: no dispute, and the appeal is offered at once.
    rated = (await gql(client, GIVE, {"id": gid, "r": True, "rating": 1, "remarks": "Slow"}, token=citizen))
    assert rated["data"]["feedbackGive"]["appealOffered"] is True
    assert rated["data"]["feedbackGive"]["grievance"]["status"] == "CLOSED"
    refused(await _appeal(client, t["cell"], gid), "FORBIDDEN")
    g = ok(await _appeal(client, citizen, gid))
    assert (g["status"], g["unit"]["code"]) == ("APPEALED", "BR") and g["stage"] == "APPEAL_DECISION"
    refused(await act(client, t["head"], "appealDecide", {"id": gid, "reopen": False, "text": "x"}), "FORBIDDEN")
    g = ok(await act(client, appellate, "appealDecide", {"id": gid, "reopen": False, "text": "The ATR is sound."}))
    assert g["status"] == "CLOSED"
    # The appellate authority's uphold is not re-opened by feedback either.
    late = await gql(client, GIVE, {"id": gid, "r": False, "rating": 1, "remarks": "No"}, token=citizen)
    assert late["data"]["feedbackGive"]["code"] == "CONFLICT"

    gid2, _ = await closed_grievance(client, w)
    ok(await _appeal(client, citizen, gid2))
    g = ok(await act(client, appellate, "appealDecide", {"id": gid2, "reopen": True,
                                                          "text": "Re-measure the plot with the amin."}))
    assert (g["status"], g["unit"]["code"], g["stage"]) == ("ASSIGNED", "BR-REV-A-1", "FINAL_REPORT")
