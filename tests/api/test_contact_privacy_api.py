"""The citizen's contact details: in clear for whoever handles the grievance now (each
view recorded), masked for other officials who may see it, revealed with a reason."""

from __future__ import annotations

import httpx

from backend.audit.models import AuditEvent
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.grievance_ops import act, file, filing, ok
from tests.factories import PASSWORD, lifecycle_world

CONTACT = """query($id: ID!) { grievance(id: $id) { citizenName citizenMobile citizenEmail citizenAddress
  contactMasked } }"""
REVEAL = """mutation($id: ID!, $r: String!) { grievanceRevealContact(id: $id, reason: $r) { __typename
  ... on GrievanceContact { name mobile address } ... on OperationError { code fields { field } } } }"""


async def views(gid: str, action: str) -> list[AuditEvent]:
    return await AuditEvent.filter(object_type="grievance_contact", object_id=gid, action=action).order_by("seq")


async def test_handlers_see_the_details_others_see_them_masked(client: httpx.AsyncClient, settings: Settings,
                                                               runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    cell = await sign_in(client, "cell_op", PASSWORD)
    gid = ok(await file(client, cell, filing(w.leaf.id, citizenEmail="ramesh@example.in",
                                             citizenAddress="Ward 4, Bihta")))["id"]
    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    officer = await sign_in(client, "officer_a", PASSWORD)
    before = len(await views(gid, "contact_viewed"))
    seen = (await gql(client, CONTACT, {"id": gid}, token=officer))["data"]["grievance"]
    assert seen == {"citizenName": "Ramesh Kumar", "citizenMobile": "9812345678", "citizenEmail": "ramesh@example.in",
                    "citizenAddress": "Ward 4, Bihta", "contactMasked": False}
    # One recorded view for the request, however many contact fields it asked for.
    assert len(await views(gid, "contact_viewed")) == before + 1

    # The department's head may see the grievance but is not handling it.
    head = await sign_in(client, "dept_head", PASSWORD)
    masked = (await gql(client, CONTACT, {"id": gid}, token=head))["data"]["grievance"]
    assert masked == {"citizenName": "Ramesh Kumar", "citizenMobile": "98XXXXXX78", "citizenEmail": "r***@example.in",
                      "citizenAddress": "(hidden)", "contactMasked": True}
    assert len(await views(gid, "contact_viewed")) == before + 1
    refused = (await gql(client, REVEAL, {"id": gid, "r": "  "}, token=head))["data"]["grievanceRevealContact"]
    assert refused == {"__typename": "OperationError", "code": "VALIDATION", "fields": [{"field": "reason"}]}
    shown = (await gql(client, REVEAL, {"id": gid, "r": "Calling the citizen about the delay"}, token=head))
    assert shown["data"]["grievanceRevealContact"]["mobile"] == "9812345678"
    revealed = await views(gid, "contact_revealed")
    assert [e.data["reason"] for e in revealed] == ["Calling the citizen about the delay"]

    # Someone who may not see the grievance learns nothing; nor does a citizen reveal.
    other = await sign_in(client, "officer_b", PASSWORD)
    nothing = (await gql(client, REVEAL, {"id": gid, "r": "curious"}, token=other))["data"]["grievanceRevealContact"]
    assert nothing["code"] == "NOT_FOUND"
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    own = (await gql(client, CONTACT, {"id": gid}, token=citizen))["data"]["grievance"]
    assert own["citizenMobile"] == "9812345678" and own["contactMasked"] is False
    assert (await gql(client, REVEAL, {"id": gid, "r": "x"}, token=citizen))["data"]["grievanceRevealContact"][
        "code"] == "FORBIDDEN"


async def test_a_sensitive_grievance_hides_the_name_too(client: httpx.AsyncClient, settings: Settings) -> None:
    from backend.categories.models import Category

    w = await lifecycle_world(settings)
    await Category.filter(id=w.leaf.id).update(sensitive=True)
    cell = await sign_in(client, "cell_op", PASSWORD)
    gid = ok(await file(client, cell, filing(w.leaf.id)))["id"]
    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    head = await sign_in(client, "dept_head", PASSWORD)
    masked = (await gql(client, CONTACT, {"id": gid}, token=head))["data"]["grievance"]
    assert masked["citizenName"] == "R. K." and masked["citizenMobile"] == "98XXXXXX78"
