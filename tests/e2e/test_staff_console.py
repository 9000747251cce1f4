"""The staff console in Chromium: seed 004's flow done in the browser by the cell, the
block office, the DM office, the department and the cell again; and a refusal shown
when the server forbids an action."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import FilePayload, Page, expect

from tests.e2e.support import DEMO_CITIZEN_MOBILE, STAFF_PASSWORD, LiveServer, PageErrors
from tests.e2e.test_live_api import gql, staff_token

SEARCH = """query($t: String!) { categorySearch(text: $t, language: "en", limit: 1) {
  ... on CategorySearchResults { matches { leaf { id } } } } }"""
FILE = """mutation($input: GrievanceFileInput!) { grievanceFile(input: $input) { __typename
  ... on GrievanceFileSuccess { grievance { id number status } } ... on OperationError { code message } } }"""


async def sign_in(page: Page, username: str) -> None:
    await page.goto("/staff/#/sign-in")
    await page.locator("#username").fill(username)
    await page.locator("#password").fill(STAFF_PASSWORD)
    await page.locator("form button[type=submit]").click()
    await expect(page.locator("#inbox-rows")).to_be_visible()


def panel(page: Page, action: str):  # type: ignore[no-untyped-def]
    """The collapsed panel of one action on the case page."""
    return page.locator("summary").filter(has_text=re.compile(f"^{re.escape(action)}$"))


async def test_seed_004_flow_in_the_browser(page: Page, page_errors: PageErrors, live_server: LiveServer,
                                            http: httpx.AsyncClient) -> None:
    cell = await staff_token(http, "cell.operator")
    leaf = (await gql(http, SEARCH, {"t": "electricity bill"}))["categorySearch"]["matches"][0]["leaf"]["id"]
    filed = (await gql(http, FILE, {"input": {
        "channel": "POST", "categoryId": leaf, "areaCode": "BR", "subject": "Inflated electricity bill",
        "description": "The bill for October is ten times the usual.", "reliefSought": "Correct the bill.",
        "citizenName": "Demo Citizen", "citizenMobile": DEMO_CITIZEN_MOBILE}}, token=cell))["grievanceFile"]
    assert filed["__typename"] == "GrievanceFileSuccess", filed
    gid, number = filed["grievance"]["id"], filed["grievance"]["number"]

    # The cell finds it in its inbox and allots it to the block office.
    await page.set_viewport_size({"width": 1366, "height": 900})
    await sign_in(page, "cell.operator")
    await page.get_by_label("Search: number, mobile or words").fill(number)
    await page.get_by_role("button", name="Show").click()
    await expect(page.get_by_role("link", name=number)).to_be_visible()
    await page.screenshot(path=str(live_server.var_dir / "staff-inbox-1366.png"), full_page=True)
    await page.get_by_role("link", name=number).click()
    await panel(page, "Allot").click()
    await page.get_by_label("Search: number, mobile or words").last.fill("Bihta")
    await expect(page.get_by_label("Office").last.locator("option")).not_to_have_count(1)
    await page.get_by_label("Office").last.select_option(index=1)
    await page.get_by_role("button", name="Allot").click()
    await expect(page.locator("#status-text")).to_have_text("Sent to the office")
    await page.screenshot(path=str(live_server.var_dir / "staff-case-1366.png"), full_page=True)

    # The block office reports; a report without its required answers is refused.
    await sign_in(page, "bdo.bihta")
    await page.goto(f"/staff/#/cases/{gid}")
    await panel(page, "Final report (ATR)").click()
    await page.get_by_role("button", name="Final report (ATR)").click()
    await expect(page.locator(".field-error:not([hidden])").first).to_be_visible()
    await page.locator(f"#final_report-{gid}-action").fill("Meter re-read; the bill corrected to Rs 1,240.")
    await page.locator(f"#final_report-{gid}-reply").fill("Your bill has been corrected.")
    await page.get_by_role("button", name="Final report (ATR)").click()
    await expect(page.locator("#status-text")).to_have_text("Report under review")

    # Up the review chain: the DM office, then the department for its levels, then the cell closes.
    for reviewer in ("dm.patna", "nodal.revenue"):
        await sign_in(page, reviewer)
        while True:
            await page.goto(f"/staff/#/cases/{gid}")
            await expect(page.locator("#status-text")).to_be_visible()
            approve = panel(page, "Approve upward")
            if not await approve.count():
                break
            before = await page.locator("#timeline li").count()
            await approve.click()
            await page.get_by_role("button", name="Approve upward").click()
            await expect(page.locator("#timeline li")).to_have_count(before + 1)
    await sign_in(page, "cell.operator")
    await page.goto(f"/staff/#/cases/{gid}")
    await panel(page, "Close").click()
    await page.get_by_role("button", name="Close").click()
    await expect(page.locator("#status-text")).to_have_text("Disposed of")
    actions = [re.sub(r"\s+", " ", t) for t in await page.locator("#timeline li strong").all_text_contents()]
    assert actions[0] == "file" and actions[-1] == "close" and "final report" in actions
    assert page_errors.all == []


ALLOT = """mutation($id: ID!, $u: ID!) { grievanceAllot(id: $id, unitId: $u) { __typename ... on OperationError { message } } }"""
UNITS = """query($s: String!) { units(search: $s, first: 5) { id code } }"""
FINAL = """mutation($id: ID!) { reportSubmit(id: $id, kind: FINAL, input: {actionTaken: "Mutation entered", reply: "Done."}) {
  __typename ... on OperationError { message } } }"""
APPROVE = """mutation($id: ID!) { reviewApprove(id: $id) { __typename ... on OperationError { code message } } }"""
CLOSE = """mutation($id: ID!) { grievanceClose(id: $id) { __typename ... on OperationError { code message } } }"""


async def closed_through_the_api(http: httpx.AsyncClient, subject: str) -> tuple[str, str]:
    cell = await staff_token(http, "cell.operator")
    # A Revenue category: a dispute goes to the Revenue department's secretary.
    leaf = (await gql(http, SEARCH, {"t": "dakhil kharij"}))["categorySearch"]["matches"][0]["leaf"]["id"]
    g = (await gql(http, FILE, {"input": {
        "channel": "POST", "categoryId": leaf, "areaCode": "BR", "subject": subject, "description": "Ten times the usual.",
        "reliefSought": "Correct it.", "citizenName": "Demo Citizen", "citizenMobile": "9000000127"}}, token=cell))[
        "grievanceFile"]["grievance"]
    block = next(u for u in (await gql(http, UNITS, {"s": "Bihta"}, token=cell))["units"] if u["code"] == "PAT-BIHTA")
    assert (await gql(http, ALLOT, {"id": g["id"], "u": block["id"]}, token=cell))["grievanceAllot"]["__typename"] == \
        "GrievanceSuccess"
    bdo = await staff_token(http, "bdo.bihta")
    assert (await gql(http, FINAL, {"id": g["id"]}, token=bdo))["reportSubmit"]["__typename"] == "ReportSuccess"
    for reviewer in ("dm.patna", "nodal.revenue", "nodal.revenue", "nodal.revenue"):
        token = await staff_token(http, reviewer)
        await gql(http, APPROVE, {"id": g["id"]}, token=token)
    assert (await gql(http, CLOSE, {"id": g["id"]}, token=cell))["grievanceClose"]["__typename"] == "GrievanceSuccess"
    return g["id"], g["number"]


async def test_seed_002_dispute_and_remand_in_the_browser(page: Page, page_errors: PageErrors,
                                                          live_server: LiveServer, http: httpx.AsyncClient) -> None:
    gid, number = await closed_through_the_api(http, "Mutation still not entered after closure")
    await page.set_viewport_size({"width": 1366, "height": 900})
    # The call-centre agent calls the citizen, who says it is not resolved.
    await sign_in(page, "agent")
    await page.goto("/staff/#/calls")
    call = page.locator("#call-queue li").filter(has_text=number)
    await expect(call).to_be_visible()
    await call.get_by_role("button", name="Call now").click()
    await page.get_by_label("Did you reach the citizen?").select_option("yes")
    await page.get_by_label("Was your grievance resolved?").select_option("no")
    await page.get_by_label("Rating (1 = very poor, 5 = very good)").select_option("1")
    await page.get_by_label("Remarks (optional)").fill("The record still shows the old owner.")
    await page.get_by_role("button", name="Record the call").click()
    await expect(page.get_by_text("Done.")).to_be_visible()
    await page.screenshot(path=str(live_server.var_dir / "staff-calls-1366.png"), full_page=True)

    # The administrative secretary sees the ATR and the feedback side by side, and remands.
    await sign_in(page, "secretary.revenue")
    await page.goto(f"/staff/#/cases/{gid}")
    sides = page.locator("#dispute-sides")
    await expect(sides).to_contain_text("Mutation entered")
    await expect(sides).to_contain_text("The record still shows the old owner.")
    await page.screenshot(path=str(live_server.var_dir / "staff-dispute-1366.png"), full_page=True)
    await panel(page, "Remand").click()
    await page.get_by_role("button", name="Remand").click()  # no directions: refused, shown by the field
    await expect(page.locator(".field-error:not([hidden])").first).to_be_visible()
    await page.get_by_label("Directions").fill("Re-read the meter with the citizen present.")
    await page.get_by_role("button", name="Remand").click()
    await expect(page.locator("#status-text")).to_have_text("With an officer")
    assert page_errors.all == []


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_the_cell_files_a_postal_petition_with_its_scan(page: Page, page_errors: PageErrors) -> None:
    await sign_in(page, "cell.operator")
    await page.goto("/staff/#/file")
    await page.get_by_label("Received by").select_option("POST")
    await page.get_by_label("Citizen's name").fill("Kamla Devi")
    await page.get_by_label("Mobile number (10 digits)").fill("9000000128")
    await page.get_by_label(re.compile("What is your grievance about")).fill("pension")
    await page.locator(".match input").first.check()
    await expect(page.locator("#district option")).not_to_have_count(1)
    await page.select_option("#district", index=1)
    await page.get_by_label("Subject").fill("Widow pension stopped")
    await page.get_by_label("What happened").fill("The pension stopped in August without notice.")
    await page.get_by_label("What you want done").fill("Restore the pension with arrears.")
    scan: FilePayload = {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF}
    await page.set_input_files("#files", files=[scan])
    await page.get_by_role("button", name="Submit grievance").click()
    await expect(page.locator("#filed-number")).to_have_text(re.compile(r"^GOB/L/\d{4}/\d{7}$"))
    await page.locator("#filed-number + p a").click()
    await expect(page.get_by_role("link", name="letter.pdf")).to_be_visible()
    assert page_errors.all == []


async def test_staff_screens_pass_axe_in_both_languages(tool_page: Page, live_server: LiveServer) -> None:
    from tests.e2e.test_citizen_a11y import SHOTS, serious

    page = tool_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    await sign_in(page, "cell.operator")
    assert await serious(page, "staff-inbox") == [], "inbox"
    await page.goto("/staff/#/file")
    await expect(page.get_by_label("Received by")).to_be_visible()
    assert await serious(page, "staff-file") == [], "filing for a citizen"
    await page.goto("/staff/#/")
    first = page.locator("#inbox-rows a").first
    await expect(first).to_be_visible()
    await first.click()
    await expect(page.locator("#status-text")).to_be_visible()
    assert await serious(page, "staff-case") == [], "a case"
    await page.get_by_role("button", name="हिन्दी").click()
    await expect(page.locator("#status-text")).to_be_visible()
    assert await serious(page, "staff-case-hi") == [], "a case in Hindi"
    await sign_in(page, "agent")
    await page.goto("/staff/#/calls")
    await expect(page.locator("#call-queue")).to_be_visible()
    assert await serious(page, "staff-calls-hi") == [], "the call desk"


CREATE_UNIT = """mutation($p: ID!, $code: String!) { unitCreate(parentId: $p, input: {code: $code, kind: OFFICE,
  names: [{language: "en", text: "Redundant grievance desk"}]}) { __typename ... on UnitSuccess { unit { id } }
  ... on OperationError { code message } } }"""


async def test_seed_000_restructure_by_an_org_admin_with_the_preview(page: Page, page_errors: PageErrors,
                                                                     http: httpx.AsyncClient) -> None:
    admin = await staff_token(http, "state.admin")
    state = (await gql(http, "{ myUnits { id code } }", token=admin))["myUnits"][0]
    made = (await gql(http, CREATE_UNIT, {"p": state["id"], "code": "GOB-REDUNDANT"}, token=admin))["unitCreate"]
    assert made["__typename"] == "UnitSuccess", made
    cell = await staff_token(http, "cell.operator")
    leaf = (await gql(http, SEARCH, {"t": "pension"}))["categorySearch"]["matches"][0]["leaf"]["id"]
    g = (await gql(http, FILE, {"input": {
        "channel": "POST", "categoryId": leaf, "areaCode": "BR", "subject": "Stuck on a redundant desk",
        "description": "Allotted to a desk that nobody reads.", "reliefSought": "Move it.", "citizenName": "Demo",
        "citizenMobile": "9000000129"}}, token=cell))["grievanceFile"]["grievance"]
    assert (await gql(http, ALLOT, {"id": g["id"], "u": made["unit"]["id"]}, token=cell))["grievanceAllot"][
        "__typename"] == "GrievanceSuccess"

    await sign_in(page, "state.admin")
    await page.goto("/staff/#/org")
    await page.locator("#org-tree > li > button[aria-expanded]").first.click()
    await page.get_by_role("button", name=re.compile(r"GOB-REDUNDANT")).click()
    await page.get_by_label("Search: number, mobile or words").fill("PAT-DM")
    await expect(page.get_by_label("The other unit").locator("option")).not_to_have_count(1)
    await page.get_by_label("The other unit").select_option(index=1)
    await page.get_by_role("button", name="Preview").click()
    # The dry run shows what would move, including the stuck grievance; nothing has moved yet.
    await expect(page.locator("#org-plan")).to_contain_text("1 pending grievance(s)")
    await expect(page.locator(".preview")).to_contain_text(g["number"])
    still = await gql(http, "query($id: ID!) { grievance(id: $id) { unit { code } } }", {"id": g["id"]}, token=cell)
    assert still["grievance"]["unit"]["code"] == "GOB-REDUNDANT"
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.get_by_text("Done.")).to_be_visible()
    moved = await gql(http, "query($id: ID!) { grievance(id: $id) { unit { code } } }", {"id": g["id"]}, token=cell)
    assert moved["grievance"]["unit"]["code"] == "PAT-DM"
    assert page_errors.all == []


async def test_preset_inboxes_and_the_unit_picker_at_360px(page: Page, page_errors: PageErrors,
                                                           live_server: LiveServer) -> None:
    await page.set_viewport_size({"width": 360, "height": 640})
    await sign_in(page, "nodal.revenue")
    await page.get_by_role("link", name="Escalated to me").click()
    await expect(page.locator("#escalated")).to_be_checked()
    await page.get_by_role("link", name="Appeals").click()
    await expect(page.get_by_label("Status")).to_have_value("APPEALED")
    unit = page.get_by_label("Working as")
    await expect(unit.locator("option")).not_to_have_count(1)
    await unit.select_option(index=1)
    await page.get_by_role("button", name="Show").click()
    await expect(page.locator("#inbox-rows tr").first).to_be_visible()
    await page.screenshot(path=str(live_server.var_dir / "staff-inbox-360.png"), full_page=True)
    assert page_errors.all == []
