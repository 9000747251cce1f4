"""Monthly reports over HTTP: listed for staff covering the unit, downloaded as PDF and
CSV with their session; 404 for anyone else."""

from __future__ import annotations

from datetime import date

import httpx

from backend.core.clock import utcnow
from backend.settings import Settings
from backend.stats.reports import generate
from tests.api.conftest import gql, sign_in
from tests.factories import PASSWORD, lifecycle_world

LIST = """query($u: ID!) { monthlyReports(unitId: $u) { __typename ... on MonthlyReports { reports { id month pdfUrl
  csvUrl } } ... on OperationError { code } } }"""


async def test_reports_are_listed_and_downloaded_by_those_allowed(client: httpx.AsyncClient, settings: Settings) -> None:
    w = await lifecycle_world(settings)
    await generate(w.tree.dept, date(2026, 10, 1), utcnow())
    head = await sign_in(client, "dept_head", PASSWORD)
    listed = (await gql(client, LIST, {"u": str(w.tree.dept.id)}, token=head))["data"]["monthlyReports"]["reports"]
    assert [r["month"] for r in listed] == ["2026-10-01"]
    bearer = {"Authorization": f"Bearer {head}"}
    pdf = await client.get(listed[0]["pdfUrl"], headers=bearer)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert "BR-REV-2026-10.pdf" in pdf.headers["content-disposition"]
    body = await client.get(listed[0]["csvUrl"], headers=bearer)
    assert body.status_code == 200 and body.text.startswith("section,item,value")

    officer = await sign_in(client, "officer_b", PASSWORD)
    client.cookies.clear()
    assert (await client.get(listed[0]["pdfUrl"], headers={"Authorization": f"Bearer {officer}"})).status_code == 404
    assert (await client.get(listed[0]["pdfUrl"])).status_code == 404
    assert (await client.get(f"/reports/{listed[0]['id']}/exe", headers=bearer)).status_code == 404
    refused = (await gql(client, LIST, {"u": str(w.tree.dept.id)}, token=officer))["data"]["monthlyReports"]
    assert refused["code"] == "FORBIDDEN"
