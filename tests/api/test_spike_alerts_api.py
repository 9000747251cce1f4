"""Spike alerts over GraphQL: the department's head sees the week's alert with its numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from backend.settings import Settings
from backend.stats.spikes import detect_and_alert
from tests.api.conftest import gql, sign_in
from tests.factories import PASSWORD, lifecycle_world
from tests.integration.test_spikes import TODAY, WEEK, plant

ALERTS = """query($u: ID!, $s: Date!) { spikeAlerts(unitId: $u, since: $s) { __typename
  ... on SpikeAlerts { alerts { weekStart categoryCode district count baselineMean baselineWeeks score } }
  ... on OperationError { code } } }"""


async def test_the_head_sees_the_alert(client: httpx.AsyncClient, settings: Settings) -> None:
    w = await lifecycle_world(settings)
    await plant(w.leaf.id, "BR-B", [2, 3, 2, 1, 3, 2, 2, 3, 25], w.tree.block_b.id)
    assert await detect_and_alert(TODAY, datetime(2026, 11, 25, 1, 15, tzinfo=UTC)) == 1
    head = await sign_in(client, "dept_head", PASSWORD)
    since = (WEEK - timedelta(weeks=4)).isoformat()
    found = (await gql(client, ALERTS, {"u": str(w.tree.dept.id), "s": since}, token=head))["data"]["spikeAlerts"]
    assert [(a["weekStart"], a["categoryCode"], a["district"], a["count"], a["baselineWeeks"])
            for a in found["alerts"]] == [(WEEK.isoformat(), "REV-LAND-MUTATION", "BR-B", 25, 8)]
    # The other district's nodal officer sees it through the area it serves; a block officer elsewhere does not.
    nodal_b = await sign_in(client, "nodal_b", PASSWORD)
    seen = (await gql(client, ALERTS, {"u": str(w.tree.district_b.id), "s": since}, token=nodal_b))["data"]["spikeAlerts"]
    assert len(seen["alerts"]) == 1
    # District A is neither the category's department (nor above it) nor serves BR-B.
    nodal_a = await sign_in(client, "nodal_a", PASSWORD)
    unseen = (await gql(client, ALERTS, {"u": str(w.tree.district_a.id), "s": since}, token=nodal_a))["data"]["spikeAlerts"]
    assert unseen == {"__typename": "SpikeAlerts", "alerts": []}
    officer = await sign_in(client, "officer_a", PASSWORD)
    refused = (await gql(client, ALERTS, {"u": str(w.tree.dept.id), "s": since}, token=officer))["data"]["spikeAlerts"]
    assert refused == {"__typename": "OperationError", "code": "FORBIDDEN"}
