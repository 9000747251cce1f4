"""Every refusal for a role or unit that may not act, and what each viewer may see."""

from __future__ import annotations

import httpx

from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.grievance_ops import FINAL, act, file, filed_year, filing, get, ok, refused, report
from tests.factories import PASSWORD, lifecycle_world

INBOX = """query($f: InboxFilterInput, $first: Int!, $after: String) { inbox(filter: $f, first: $first, after: $after) {
  __typename ... on GrievancePage { items { number status dueAt unit { code } } endCursor hasNextPage }
  ... on OperationError { code message fields { field message } } } }"""


async def test_refusals_by_role_and_unit(client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    t = w.tree
    cell = await sign_in(client, "cell_op", PASSWORD)
    nodal_a = await sign_in(client, "nodal_a", PASSWORD)
    nodal_b = await sign_in(client, "nodal_b", PASSWORD)
    officer_a = await sign_in(client, "officer_a", PASSWORD)
    officer_a2 = await sign_in(client, "officer_a2", PASSWORD)
    officer_b = await sign_in(client, "officer_b", PASSWORD)
    reviewer_a = await sign_in(client, "reviewer_a", PASSWORD)
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    stranger = await citizen_sign_in(client, runtime, "9812345679")

    gid = ok(await file(client, cell, filing(w.leaf.id)))["id"]
    # Anonymous: nothing. Another citizen, another district: it does not exist for them.
    client.cookies.clear()  # the sign-ins above left a session cookie behind
    refused(await act(client, None, "grievanceRegister", {"id": gid}), "UNAUTHENTICATED")
    assert await get(client, stranger, gid) is None
    assert await get(client, nodal_b, gid) is None
    refused(await act(client, nodal_b, "grievanceRegister", {"id": gid}), "NOT_FOUND")
    # The citizen sees it but may not triage it; an officer may not triage either.
    assert await get(client, citizen, gid) is not None
    refused(await act(client, citizen, "grievanceAllot", {"id": gid, "unitId": str(t.district_a.id)}), "FORBIDDEN")

    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(t.district_a.id)}))
    # District B still cannot see it; district A cannot transfer it sideways or up.
    assert await get(client, nodal_b, gid) is None
    bad = refused(await act(client, nodal_a, "grievanceTransfer", {"id": gid, "unitId": str(t.block_b.id)}), "VALIDATION")
    assert bad["fields"][0]["field"] == "unitId"
    refused(await act(client, nodal_a, "grievanceTransfer", {"id": gid, "unitId": str(t.dept.id)}), "VALIDATION")
    # Only officers of the holding office may be assigned.
    refused(await act(client, nodal_a, "grievanceAssign", {"id": gid, "officerId": str(w.users["officer_b"].id)}),
            "VALIDATION")
    ok(await act(client, nodal_a, "grievanceTransfer", {"id": gid, "unitId": str(t.block_a.id)}))
    ok(await act(client, nodal_a, "grievanceAssign", {"id": gid, "officerId": str(w.users["officer_a"].id)}))

    # Block B's officer cannot see it; block A's other officer may not report on a colleague's case.
    assert (await report(client, officer_b, gid, "FINAL", FINAL))["code"] == "NOT_FOUND"
    assert (await report(client, officer_a2, gid, "FINAL", FINAL))["code"] == "FORBIDDEN"
    assert (await report(client, citizen, gid, "FINAL", FINAL))["code"] == "FORBIDDEN"
    missing = await report(client, officer_a, gid, "FINAL", {"actionTaken": "", "reply": ""})
    assert {f["field"] for f in refused(missing, "VALIDATION")["fields"]} == {"actionTaken", "reply"}
    ok(await report(client, officer_a, gid, "FINAL", FINAL))

    # Review: the officer may not approve their own report; the first level may not close.
    refused(await act(client, officer_a, "reviewApprove", {"id": gid}), "FORBIDDEN")
    refused(await act(client, reviewer_a, "grievanceClose", {"id": gid}), "FORBIDDEN")
    assert "only the last level" in refused(await act(client, nodal_a, "grievanceClose", {"id": gid}),
                                            "CONFLICT")["message"].lower()
    refused(await act(client, nodal_b, "reviewApprove", {"id": gid}), "NOT_FOUND")
    # A stale version loses.
    current = await get(client, reviewer_a, gid)
    assert current is not None
    refused(await act(client, reviewer_a, "reviewApprove", {"id": gid, "expectedVersion": current["version"] - 1}),
            "CHANGED_MEANWHILE")
    ok(await act(client, reviewer_a, "reviewApprove", {"id": gid, "expectedVersion": current["version"]}))
    # The district reviewer's authority ends at the district: the department level is not theirs.
    refused(await act(client, reviewer_a, "reviewApprove", {"id": gid}), "FORBIDDEN")
    # Nothing moves a closed-out action: rejection is not possible under review.
    refused(await act(client, cell, "grievanceReject", {"id": gid, "reason": "RTI_MATTER", "note": "x"}), "CONFLICT")


async def test_inbox_shows_only_what_the_viewer_covers_due_first(client: httpx.AsyncClient, settings: Settings) -> None:
    w = await lifecycle_world(settings)
    t = w.tree
    cell = await sign_in(client, "cell_op", PASSWORD)
    numbers = []
    for i, unit in enumerate([t.district_a, t.district_b, t.district_a, t.block_a]):
        g = ok(await file(client, cell, filing(w.leaf.id, citizenMobile=f"981234500{i}")))
        numbers.append(g["number"])
        ok(await act(client, cell, "grievanceAllot", {"id": g["id"], "unitId": str(unit.id)}))
    nodal_a = await sign_in(client, "nodal_a", PASSWORD)
    page = (await gql(client, INBOX, {"first": 2}, token=nodal_a))["data"]["inbox"]
    assert page["__typename"] == "GrievancePage" and page["hasNextPage"] is True
    rest = (await gql(client, INBOX, {"first": 2, "after": page["endCursor"]}, token=nodal_a))["data"]["inbox"]
    seen = [i["number"] for i in page["items"] + rest["items"]]
    assert sorted(seen) == sorted([numbers[0], numbers[2], numbers[3]]) and rest["hasNextPage"] is False
    dues = [i["dueAt"] for i in page["items"] + rest["items"]]
    assert dues == sorted(dues)
    only_block = (await gql(client, INBOX, {"first": 10, "f": {"unitId": str(t.block_a.id)}}, token=nodal_a))
    assert [i["number"] for i in only_block["data"]["inbox"]["items"]] == [numbers[3]]
    by_number = (await gql(client, INBOX, {"first": 10, "f": {"search": numbers[1]}}, token=nodal_a))
    assert by_number["data"]["inbox"]["items"] == []
    bad = (await gql(client, INBOX, {"first": 500}, token=nodal_a))["data"]["inbox"]
    assert bad["code"] == "VALIDATION"
    garbage = (await gql(client, INBOX, {"first": 5, "after": "not-a-cursor"}, token=nodal_a))["data"]["inbox"]
    assert garbage["code"] == "VALIDATION"
    client.cookies.clear()
    citizen_inbox = (await gql(client, INBOX, {"first": 5}))["data"]["inbox"]
    assert citizen_inbox["code"] == "UNAUTHENTICATED"


async def test_citizen_files_on_the_web_and_an_idempotent_retry_returns_the_same(
        client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    data = filing(w.leaf.id, channel="WEB", citizenMobile="", idempotencyKey="pwa-draft-abcdef12")
    first = await file(client, citizen, data)
    again = await file(client, citizen, data)
    assert first["created"] is True and again["created"] is False
    assert first["grievance"]["id"] == again["grievance"]["id"]
    number = first["grievance"]["number"]
    assert number.startswith(f"BR/W/{await filed_year(number)}/")
    assert first["grievance"]["citizenMobile"] == "9812345678"
    # Citizens file on the web only.
    phone = await file(client, citizen, filing(w.leaf.id, channel="PHONE"))
    assert phone["code"] == "VALIDATION" and phone["fields"][0]["field"] == "channel"
    mine = await gql(client, "{ myGrievances(first: 5) { ... on GrievancePage { items { number } } } }", token=citizen)
    assert [i["number"] for i in mine["data"]["myGrievances"]["items"]] == [first["grievance"]["number"]]
