"""The public page in Chromium: aggregate figures and the ranking for anyone, in English
and Hindi, accessible, and nothing personal on it (the citizens' names, numbers and
grievance texts the test itself filed are searched for in what the page shows)."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests.e2e.support import LiveServer, PageErrors
from tests.e2e.test_live_api import gql, staff_token
from tests.e2e.test_staff_console import FILE, SEARCH

SECRET_NAME, SECRET_MOBILE, SECRET_SUBJECT = "Parvati Kumari Secretname", "9000000199", "Leaking roof of the anganwadi"


async def test_the_public_page_shows_figures_and_nothing_personal(tool_page: Page, page_errors: PageErrors,
                                                                  live_server: LiveServer, http: httpx.AsyncClient) -> None:
    from tests.e2e.test_citizen_a11y import SHOTS, serious

    cell = await staff_token(http, "cell.operator")
    leaf = (await gql(http, SEARCH, {"t": "pension"}))["categorySearch"]["matches"][0]["leaf"]["id"]
    filed = (await gql(http, FILE, {"input": {
        "channel": "POST", "categoryId": leaf, "areaCode": "BR", "subject": SECRET_SUBJECT,
        "description": "Water drips on the children.", "reliefSought": "Repair it.", "citizenName": SECRET_NAME,
        "citizenMobile": SECRET_MOBILE}}, token=cell))["grievanceFile"]
    assert filed["__typename"] == "GrievanceFileSuccess"
    page = tool_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.set_viewport_size({"width": 360, "height": 740})
    await page.goto("/public/")
    await expect(page.locator("#public-figures")).to_contain_text("Received")
    await expect(page.locator("#public-unranked li, #public-ranking tr").first).to_be_visible()
    assert await serious(page, "public-en") == []
    await page.locator("#public-unranked button").first.click()
    await expect(page.get_by_role("button", name="Back to")).to_be_visible()
    shown = await page.content()
    await page.get_by_role("button", name="हिन्दी").click()
    await expect(page.locator("#public-figures")).to_contain_text("प्राप्त")
    assert await serious(page, "public-hi") == []
    shown += await page.content()
    for secret in (SECRET_NAME, SECRET_MOBILE, SECRET_SUBJECT, "Demo Citizen", "9000000001", "Water drips"):
        assert secret not in shown
