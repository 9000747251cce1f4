"""The citizen PWA in Chromium against the real `grievance demo` server: OTP sign-in
(the code read from the log-only SMS outbox), filing with a photo, the grievance ID,
and the open grievance updating live, without a reload, when the office acts."""

from __future__ import annotations

import asyncio
import base64
import re

import httpx
from playwright.async_api import FilePayload, Page, expect

from tests.e2e.support import LiveServer, PageErrors
from tests.e2e.test_live_api import STEP_TIMEOUT_S, gql, sms_to, staff_token

# A 1x1 PNG: a "photo from the camera" the server accepts by its bytes.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
ASK = """mutation($id: ID!, $q: String!) { grievanceRequestInfo(id: $id, question: $q) { __typename
  ... on OperationError { code message } } }"""


async def sign_in(page: Page, live_server: LiveServer, mobile: str) -> None:
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"#/sign-in$"))
    already = len(live_server.sms_messages())
    await page.get_by_label("Mobile number (10 digits)").fill(mobile)
    await page.get_by_role("button", name="Send code").click()
    otp = (await asyncio.wait_for(sms_to(live_server, mobile, skip=already), STEP_TIMEOUT_S))[-1]
    await page.get_by_label(re.compile("6-digit code")).fill(otp["text"].split()[0])
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My grievances")).to_be_visible()


async def test_citizen_files_with_a_photo_and_follows_it_live(page: Page, page_errors: PageErrors,
                                                              live_server: LiveServer, http: httpx.AsyncClient) -> None:
    await page.set_viewport_size({"width": 360, "height": 640})
    await sign_in(page, live_server, "9000000123")
    await expect(page.get_by_text("You have not filed a grievance yet.")).to_be_visible()

    await page.get_by_role("link", name="File a grievance").first.click()
    await page.get_by_label(re.compile("What is your grievance about")).fill("ration card")
    first_match = page.locator(".match input").first
    await expect(first_match).to_be_visible(timeout=STEP_TIMEOUT_S * 1000)
    await first_match.check()
    await expect(page.locator("#district option")).not_to_have_count(1)
    await page.select_option("#district", index=1)
    await page.get_by_label("Your name").fill("Sunita Devi")
    await page.get_by_label("Subject").fill("Ration card not issued")
    await page.get_by_label("What happened").fill("I applied for a ration card in June at the block office.")
    await page.get_by_label("What you want done").fill("Issue the ration card.")
    photo: FilePayload = {"name": "receipt.png", "mimeType": "image/png", "buffer": PNG}
    await page.set_input_files("#files", files=[photo])
    await page.get_by_role("button", name="Review").click()
    await expect(page.locator(".review")).to_contain_text("Ration card not issued")
    await page.screenshot(path=str(live_server.var_dir / "citizen-file-review-360.png"), full_page=True)
    await page.get_by_role("button", name="Submit grievance").click()
    number = page.locator("#filed-number")
    await expect(number).to_have_text(re.compile(r"^GOB/W/\d{4}/\d{7}$"))
    filed = await number.text_content()
    assert filed is not None
    await page.screenshot(path=str(live_server.var_dir / "citizen-filed-360.png"), full_page=True)

    # Open it; the office asks for information through the API; the page updates live.
    await page.get_by_role("link", name=filed).click()
    await expect(page.locator("#status-text")).to_be_visible()
    await page.evaluate("window.__notReloaded = true")
    cell = await staff_token(http, "cell.operator")
    found = await gql(http, "query($n: String!) { grievanceByNumber(number: $n) { id status } }", {"n": filed},
                      token=cell)
    gid = found["grievanceByNumber"]["id"]
    asked = await gql(http, ASK, {"id": gid, "q": "Which block office did you apply at?"}, token=cell)
    assert asked["grievanceRequestInfo"]["__typename"] == "GrievanceSuccess", asked
    await expect(page.locator("#status-text")).to_have_text("Waiting for your reply", timeout=5000)
    assert await page.evaluate("window.__notReloaded === true")
    await expect(page.locator("#timeline")).to_contain_text("Which block office did you apply at?")

    # The citizen replies in the page; the clock runs again.
    await page.get_by_label("Your reply").fill("At the Bihta block office, in June.")
    await page.get_by_role("button", name="Send reply").click()
    await expect(page.locator("#status-text")).not_to_have_text("Waiting for your reply", timeout=5000)
    await expect(page.locator("#timeline")).to_contain_text("At the Bihta block office")
    await page.screenshot(path=str(live_server.var_dir / "citizen-grievance-360.png"), full_page=True)
    assert page_errors.all == []


REJECT = """mutation($id: ID!) { grievanceReject(id: $id, reason: SUGGESTION_ONLY, note: "A suggestion for the department") {
  __typename ... on OperationError { code message } } }"""


async def test_the_same_journey_in_hindi_with_feedback_and_appeal(page: Page, page_errors: PageErrors,
                                                                 live_server: LiveServer,
                                                                 http: httpx.AsyncClient) -> None:
    await page.set_viewport_size({"width": 360, "height": 640})
    await page.goto("/")
    await page.get_by_role("button", name="हिन्दी").click()
    await expect(page.get_by_role("heading", name="अपने मोबाइल नंबर से साइन इन करें")).to_be_visible()
    mobile = "9000000126"
    already = len(live_server.sms_messages())
    await page.get_by_label("मोबाइल नंबर (10 अंक)").fill(mobile)
    await page.get_by_role("button", name="कोड भेजें").click()
    otp = (await asyncio.wait_for(sms_to(live_server, mobile, skip=already), STEP_TIMEOUT_S))[-1]
    await page.get_by_label(re.compile("6 अंकों का कोड")).fill(otp["text"].split()[0])
    await page.get_by_role("button", name="साइन इन करें").click()
    await expect(page.get_by_role("heading", name="मेरी शिकायतें")).to_be_visible()

    await page.get_by_role("link", name="शिकायत दर्ज करें").first.click()
    await page.get_by_label(re.compile("आपकी शिकायत किस बारे में है")).fill("दाखिल खारिज")
    await page.locator(".match input").first.check()
    await expect(page.locator("#district option")).not_to_have_count(1)
    await page.select_option("#district", index=1)
    await page.get_by_label("आपका नाम").fill("रमेश कुमार")
    await page.get_by_label("विषय").fill("दाखिल खारिज लंबित")
    await page.get_by_label("क्या हुआ").fill("जनवरी में आवेदन किया था, अब तक दाखिल खारिज नहीं हुआ।")
    await page.get_by_label("आप क्या चाहते हैं").fill("दाखिल खारिज पूरा किया जाए।")
    await page.get_by_role("button", name="जाँचें").click()
    await page.get_by_role("button", name="शिकायत भेजें").click()
    number = await page.locator("#filed-number").text_content()
    assert number and number.startswith("GOB/W/")
    await page.get_by_role("link", name=number).click()
    await expect(page.locator("#status-text")).to_have_text("प्राप्त")

    cell = await staff_token(http, "cell.operator")
    gid = (await gql(http, "query($n: String!) { grievanceByNumber(number: $n) { id } }", {"n": number},
                     token=cell))["grievanceByNumber"]["id"]
    assert (await gql(http, REJECT, {"id": gid}, token=cell))["grievanceReject"]["__typename"] == "GrievanceSuccess"
    await expect(page.locator("#status-text")).to_have_text("स्वीकार नहीं की गई", timeout=5000)

    # Feedback on the rejection, then the appeal, both in Hindi.
    await page.get_by_label("रेटिंग (1 = बहुत खराब, 5 = बहुत अच्छा)").select_option("1")
    await page.get_by_label("क्या आपकी समस्या का समाधान हुआ?").select_option("no")
    await page.get_by_role("button", name="राय भेजें").click()
    await expect(page.get_by_text("धन्यवाद — आपकी राय दर्ज कर ली गई है।")).to_be_visible()
    await page.get_by_label("निर्णय गलत क्यों है").fill("यह सुझाव नहीं, मेरी भूमि का मामला है।")
    await page.screenshot(path=str(live_server.var_dir / "citizen-appeal-hi-360.png"), full_page=True)
    await page.get_by_role("button", name="अपील दर्ज करें").click()
    try:
        await expect(page.locator("#status-text")).to_have_text("अपील में", timeout=15000)
    except AssertionError as failed:
        shown = await page.locator(".form-error:not([hidden]), .field-error:not([hidden])").all_text_contents()
        raise AssertionError(f"the appeal did not go through; the page shows: {shown}") from failed
    assert page_errors.all == []
