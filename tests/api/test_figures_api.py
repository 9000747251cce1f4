"""grievanceFigures through GraphQL: typed figures for staff who cover the unit."""

from __future__ import annotations

from datetime import timedelta

import httpx

from backend.core.clock import utcnow
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.test_feedback_appeals_api import GIVE, closed_grievance
from tests.factories import PASSWORD, lifecycle_world

FIGURES = """query($u: ID!, $s: DateTime!, $t: DateTime!) { grievanceFigures(unitId: $u, since: $s, until: $t) {
  __typename ... on GrievanceFigures { received disposed resolved notResolved pending }
  ... on OperationError { code fields { field } } } }"""
_NOW = utcnow()
PERIOD = {"s": (_NOW - timedelta(days=365)).isoformat(), "t": (_NOW + timedelta(days=365)).isoformat()}


async def test_figures_show_disposed_and_resolved_apart(client: httpx.AsyncClient, settings: Settings,
                                                        runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, t = await closed_grievance(client, w)
    block = str(w.tree.block_a.id)
    before = (await gql(client, FIGURES, {"u": block, **PERIOD}, token=t["dm"]))["data"]["grievanceFigures"]
    assert before == {"__typename": "GrievanceFigures", "received": 1, "disposed": 1, "resolved": 0,
                      "notResolved": 0, "pending": 0}
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    await gql(client, GIVE, {"id": gid, "r": True, "rating": 4, "remarks": ""}, token=citizen)
    after = (await gql(client, FIGURES, {"u": block, **PERIOD}, token=t["dm"]))["data"]["grievanceFigures"]
    assert (after["disposed"], after["resolved"]) == (1, 1)

    other = await sign_in(client, "officer_b", PASSWORD)
    refused = (await gql(client, FIGURES, {"u": block, **PERIOD}, token=other))["data"]["grievanceFigures"]
    assert refused == {"__typename": "OperationError", "code": "FORBIDDEN", "fields": []}
    backwards = {"u": block, "s": PERIOD["t"], "t": PERIOD["s"]}
    bad = (await gql(client, FIGURES, backwards, token=t["dm"]))["data"]["grievanceFigures"]
    assert bad == {"__typename": "OperationError", "code": "VALIDATION", "fields": [{"field": "until"}]}
