"""Markup typed into a grievance is shown as text, never run or parsed (issue 12).

A grievance is filed with HTML, <script>, <img onerror> and <svg onload> in its
subject, description, relief, the citizen's name and the place; the office asks a
question made of markup too. The citizen app and the staff console then show it: the
text is there literally, no element was made from it, no handler ran and no dialog
opened.

The pages are opened with the CSP bypassed: the policy would block an injected
handler anyway, and this test is about the rendering itself (textContent, never
innerHTML), so it must fail if a screen ever parses user text as HTML.
"""

from __future__ import annotations

import asyncio
import re

import httpx
from playwright.async_api import Dialog, Page, expect

from tests.e2e.support import LiveServer
from tests.e2e.test_live_api import STEP_TIMEOUT_S, gql, sms_to, staff_token
from tests.e2e.test_staff_console import FILE, SEARCH
from tests.e2e.test_staff_console import sign_in as staff_sign_in

MOBILE = "9000000141"
OTP = re.compile(r"^\d{6} is your grievance portal sign-in code")
# Each payload would set window.__xss (or open a dialog) if it were ever parsed as HTML.
SUBJECT = "<img src=x onerror=\"window.__xss='subject'\"><b>bold</b> & <i>x</i>"
DESCRIPTION = ("<script>window.__xss='description'</script><svg onload=\"window.__xss='svg'\"></svg>"
               "\"><iframe srcdoc=\"<script>parent.__xss='iframe'</script>\"></iframe>&lt;&amp;")
RELIEF = "<a href=\"javascript:alert('relief')\">click</a><img src=x onerror=alert('relief')>"
NAME = "Sita <img src=x onerror=alert('name')>"
PLACE = "<details open ontoggle=\"window.__xss='place'\">Ward 5</details>"
QUESTION = "<img src=x onerror=\"window.__xss='question'\">Which office?<script>alert('q')</script>"
ASK = """mutation($id: ID!, $q: String!) { grievanceRequestInfo(id: $id, question: $q) { __typename
  ... on OperationError { code message } } }"""

# Elements or attributes in the screen that could only have come from parsing the payloads.
INJECTED = """() => [...document.querySelectorAll("#app *")].filter((e) =>
  [...e.attributes].some((a) => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value) || a.name === "srcdoc")
  || (e.tagName === "IMG" && e.getAttribute("src") === "x") || (e.tagName === "SCRIPT") || e.tagName === "IFRAME"
  || e.tagName === "svg" || (e.tagName === "B" && e.textContent === "bold") || (e.tagName === "I" && e.textContent === "x")
  || (e.tagName === "DETAILS" && e.textContent.includes("Ward 5"))).map((e) => e.outerHTML.slice(0, 120))"""


async def citizen_sign_in(page: Page, live_server: LiveServer) -> None:
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"#/sign-in$"))
    already = len(live_server.sms_messages())
    await page.get_by_label("Mobile number (10 digits)").fill(MOBILE)
    await page.get_by_role("button", name="Send code").click()
    # The office's filing and its question are texted to this number too, and may be
    # dispatched meanwhile: wait for the sign-in code itself.
    deadline = asyncio.get_running_loop().time() + STEP_TIMEOUT_S
    while True:
        sent = await asyncio.wait_for(sms_to(live_server, MOBILE, skip=already), STEP_TIMEOUT_S)
        codes = [m["text"].split()[0] for m in sent if OTP.match(m["text"])]
        if codes:
            break
        assert asyncio.get_running_loop().time() < deadline, f"no sign-in code among {sent}"
        await asyncio.sleep(0.05)  # poll interval; the deadline bounds the wait
    await page.get_by_label(re.compile("6-digit code")).fill(codes[-1])
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My grievances")).to_be_visible()


async def assert_shown_as_text(page: Page, dialogs: list[str], *texts: str) -> None:
    app = page.locator("#app")
    for text in texts:
        await expect(app).to_contain_text(text)  # textContent holds the markup, character for character
    assert await page.evaluate(INJECTED) == []
    assert await page.evaluate("window.__xss === undefined && parent.__xss === undefined")
    assert dialogs == []


async def test_markup_in_a_grievance_is_shown_as_text_to_citizen_and_staff(
    tool_page: Page, live_server: LiveServer, http: httpx.AsyncClient,
) -> None:
    page = tool_page
    dialogs: list[str] = []

    async def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    cell = await staff_token(http, "cell.operator")
    leaf = (await gql(http, SEARCH, {"t": "ration card"}))["categorySearch"]["matches"][0]["leaf"]["id"]
    filed = (await gql(http, FILE, {"input": {
        "channel": "POST", "categoryId": leaf, "areaCode": "BR", "subject": SUBJECT, "description": DESCRIPTION,
        "reliefSought": RELIEF, "citizenName": NAME, "citizenMobile": MOBILE, "locationAddress": PLACE}},
        token=cell))["grievanceFile"]
    assert filed["__typename"] == "GrievanceFileSuccess", filed
    gid, number = filed["grievance"]["id"], filed["grievance"]["number"]
    asked = await gql(http, ASK, {"id": gid, "q": QUESTION}, token=cell)
    assert asked["grievanceRequestInfo"]["__typename"] == "GrievanceSuccess", asked

    # The citizen: the list of their grievances, then the grievance with its timeline.
    await citizen_sign_in(page, live_server)
    await expect(page.get_by_role("link", name=number)).to_be_visible()
    await assert_shown_as_text(page, dialogs, SUBJECT)
    await page.get_by_role("link", name=number).click()
    await expect(page.locator("#status-text")).to_have_text("Waiting for your reply")
    await assert_shown_as_text(page, dialogs, SUBJECT, QUESTION)

    # The staff console: the case page shows every field and the timeline.
    await staff_sign_in(page, "cell.operator")
    await page.goto(f"/staff/#/cases/{gid}")
    await expect(page.locator("#status-text")).to_be_visible()
    await assert_shown_as_text(page, dialogs, SUBJECT, DESCRIPTION, RELIEF, NAME, PLACE, QUESTION)
    # And the inbox row, found by its number.
    await page.goto("/staff/#/")
    await page.get_by_label("Search: number, mobile or words").fill(number)
    await page.get_by_role("button", name="Show").click()
    await expect(page.get_by_role("link", name=number)).to_be_visible()
    await assert_shown_as_text(page, dialogs, SUBJECT)
