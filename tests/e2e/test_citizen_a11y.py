"""Accessibility of every citizen screen at 360 x 640: axe-core (pinned in
package.json, installed by `make node`) reports no serious or critical violation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from tests.e2e.support import LiveServer
from tests.e2e.test_citizen_app import sign_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screens"


async def serious(page: Page, shot: str = "") -> list[dict[str, Any]]:
    if shot:  # every screen is looked at, as well as checked
        await page.screenshot(path=str(SHOTS / f"{shot}-360.png"), full_page=True)
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


async def test_every_citizen_screen_passes_axe(tool_page: Page, live_server: LiveServer) -> None:
    page = tool_page
    await page.set_viewport_size({"width": 360, "height": 640})
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"#/sign-in$"))
    assert await serious(page, "sign-in") == [], "sign-in"
    await sign_in(page, live_server, "9000000124")
    assert await serious(page, "mine") == [], "my grievances"
    await page.goto("/#/file")
    await expect(page.get_by_role("heading", name="File a grievance")).to_be_visible()
    await page.get_by_label(re.compile("What is your grievance about")).fill("pension")
    await expect(page.locator(".match").first).to_be_visible()
    assert await serious(page, "file") == [], "filing form"
    await page.get_by_role("button", name="Review").click()
    await page.get_by_role("button", name="Submit grievance").click()  # nothing chosen: errors by the fields
    await expect(page.locator(".field-error:not([hidden])").first).to_be_visible()
    assert await serious(page, "file-errors") == [], "filing form with errors"
    # Hindi too.
    await page.get_by_role("button", name="हिन्दी").click()
    await expect(page.get_by_role("heading", name="शिकायत दर्ज करें")).to_be_visible()
    assert await serious(page, "file-hi") == [], "filing form in Hindi"
    # One grievance of the citizen's own, filed through the page's own session.
    gid = await page.evaluate("""async () => {
      const q = async (query, variables) => (await (await fetch('/graphql', {method: 'POST',
        headers: {'content-type': 'application/json'}, body: JSON.stringify({query, variables})})).json()).data;
      const found = await q(`{ categorySearch(text: "pension", limit: 1) {
        ... on CategorySearchResults { matches { leaf { id } } } } }`);
      const areas = await q('{ filingAreas { code } }');
      const filed = await q(`mutation($i: GrievanceFileInput!) { grievanceFile(input: $i) {
        ... on GrievanceFileSuccess { grievance { id } } } }`, {i: {channel: 'WEB',
        categoryId: found.categorySearch.matches[0].leaf.id, areaCode: areas.filingAreas[0].code,
        subject: 'Pension not paid', description: 'Three months are due.', reliefSought: 'Pay it.', citizenName: 'Asha'}});
      return filed.grievanceFile.grievance.id; }""")
    await page.goto(f"/#/grievances/{gid}")
    await expect(page.locator("#timeline li").first).to_be_visible()
    assert await serious(page, "grievance-hi") == [], "a grievance"
