"""The staff console's administration in Chromium, against the real demo server: an org
admin creates an account whose one-time link sets its password, deactivates one with
the destination of its work previewed, adds a category, a routing rule, a time limit
and a holiday, imports CSV (the bad rows listed, nothing changed); the dashboard; and
an officer shown the server's refusal of an action it no longer allows."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import httpx
from playwright.async_api import Browser, Page, expect

from backend.core.clock import utcnow
from tests.e2e.support import LiveServer, PageErrors
from tests.e2e.test_live_api import gql, staff_token
from tests.e2e.test_staff_console import FILE, SEARCH, panel, sign_in

NEW_PASSWORD = "a-long-new-password-2026"


async def shot(page: Page, live_server: LiveServer, name: str) -> None:
    await page.screenshot(path=str(live_server.var_dir / f"{name}.png"), full_page=True)


async def choose_unit(page: Page, code: str, prefix: str) -> None:
    """Pick a unit by search in a screen's unit chooser."""
    await page.locator(f"#{prefix}-find").fill(code)
    found = page.locator(f"#{prefix}-found")
    await expect(found.locator("option")).not_to_have_count(1)
    await found.select_option(await found.locator("option", has_text=f"({code})").first.get_attribute("value"))


async def test_an_account_is_created_its_link_sets_the_password_and_it_is_deactivated(
        page: Page, page_errors: PageErrors, live_server: LiveServer, browser: Browser, base_url: str,
        http: httpx.AsyncClient) -> None:
    await page.set_viewport_size({"width": 360, "height": 740})
    await sign_in(page, "state.admin")
    await page.get_by_role("link", name="Administration").click()
    await page.get_by_role("link", name="Accounts").click()
    await choose_unit(page, "PAT-BIHTA", "acc-unit")
    await expect(page.locator("#members h2")).to_contain_text("(PAT-BIHTA)")
    await expect(page.locator("#members")).to_contain_text("bdo.bihta")
    # A bad mobile number is refused beside its field, and nothing typed is lost.
    await page.locator("#acc-username").fill("clerk.bihta")
    await page.locator("#acc-fullName").fill("Block Clerk")
    await page.locator("#acc-mobile").fill("12345")
    await page.locator("#acc-role").select_option("OFFICER")
    await page.get_by_role("button", name="Create an account").click()
    await expect(page.locator("#acc-mobile-error")).to_be_visible()
    await expect(page.locator("#acc-username")).to_have_value("clerk.bihta")
    await page.locator("#acc-mobile").fill("9812300001")
    await page.get_by_role("button", name="Create an account").click()
    link = page.locator("#set-password-url")
    await expect(link).to_have_value(re.compile(r"/staff/#/set-password/"))
    await shot(page, live_server, "staff-accounts-360")
    url = await link.input_value()
    await expect(page.locator("#members")).to_contain_text("clerk.bihta")

    # The new officer opens the link in their own browser and chooses a password.
    other = await browser.new_context(base_url=base_url)
    try:
        theirs = await other.new_page()
        await theirs.goto(re.sub(r"^https?://[^/]+", "", url))
        await theirs.locator("#new-password").fill(NEW_PASSWORD)
        await theirs.locator("#again-password").fill(NEW_PASSWORD + "x")
        await theirs.get_by_role("button", name="Save").click()
        await expect(theirs.locator("#again-password-error")).to_be_visible()
        await theirs.locator("#again-password").fill(NEW_PASSWORD)
        await theirs.get_by_role("button", name="Save").click()
        await expect(theirs.get_by_role("heading", name="Your password is set.")).to_be_visible()
        # The link worked once.
        await theirs.reload()
        await theirs.locator("#new-password").fill(NEW_PASSWORD)
        await theirs.locator("#again-password").fill(NEW_PASSWORD)
        await theirs.get_by_role("button", name="Save").click()
        await expect(theirs.locator(".form-error")).to_contain_text("already used")
        signed = await http.post("/graphql", json={"query": 'mutation { authSignInPassword(username: "clerk.bihta", '
                                                   f'password: "{NEW_PASSWORD}") {{ __typename }} }}'})
        assert signed.json()["data"]["authSignInPassword"]["__typename"] == "SignInSuccess"
    finally:
        await other.close()

    # Deactivating it: the preview says what happens; confirming does it.
    await page.reload()
    await choose_unit(page, "PAT-BIHTA", "acc-unit")
    await expect(page.locator("#members h2")).to_contain_text("(PAT-BIHTA)")
    card = page.locator("#members li.card").filter(has_text="clerk.bihta")
    await card.get_by_role("button", name="Deactivate").click()
    await page.get_by_role("button", name="Preview").click()
    await expect(page.locator("#deactivate-plan")).to_contain_text("0 pending grievances")
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.locator("#members li.card").filter(has_text="clerk.bihta")).to_contain_text("deactivated")
    refused = await http.post("/graphql", json={"query": 'mutation { authSignInPassword(username: "clerk.bihta", '
                                                f'password: "{NEW_PASSWORD}") {{ __typename '
                                                '... on OperationError { code } } }'})
    assert refused.json()["data"]["authSignInPassword"]["code"] == "ACCOUNT_INACTIVE"
    assert page_errors.all == []


async def test_categories_routing_time_limits_and_holidays(page: Page, page_errors: PageErrors,
                                                           live_server: LiveServer, http: httpx.AsyncClient) -> None:
    await page.set_viewport_size({"width": 1366, "height": 900})
    await sign_in(page, "state.admin")

    # A sub-category, with names in both languages and keywords that then find it.
    await page.goto("/staff/#/categories")
    await choose_unit(page, "REV", "cat-unit")
    first = page.locator("#category-tree > li").first
    await first.get_by_role("button", name=re.compile("^Add a sub-category")).click()
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#cat-code-error")).to_be_visible()
    await page.locator("#cat-code").fill("E2E-MUTATION-DELAY")
    await page.locator("#cat-name-en").fill("Delay in mutation of inherited land")
    await page.locator("#cat-name-hi").fill("उत्तराधिकार भूमि के दाखिल-खारिज में विलंब")
    await page.locator("#cat-words-en").fill("inherited mutation, dakhil kharij delay")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Saved.")).to_be_visible()
    await shot(page, live_server, "staff-categories-1366")
    found = (await gql(http, SEARCH, {"t": "inherited mutation"}))["categorySearch"]["matches"]
    assert found, "the new category is found by its keywords"

    # A routing rule for it, and the preview of where a filing would go.
    await page.goto("/staff/#/routing")
    await page.locator("#search").fill("inherited mutation")
    await page.locator(".match").first.click()
    await page.locator("#rule-find").fill("PAT-BIHTA")
    await expect(page.locator("#rule-unit option")).not_to_have_count(1)
    await page.locator("#rule-unit").select_option(
        await page.locator("#rule-unit option", has_text="(PAT-BIHTA)").first.get_attribute("value"))
    await page.locator("#rule-area").fill("BR-PAT")
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#rule-rows")).to_contain_text("E2E-MUTATION-DELAY")
    await page.get_by_role("button", name="Where would it go now?").click()
    await expect(page.locator("#route-preview")).to_contain_text("PAT-BIHTA")
    await shot(page, live_server, "staff-routing-1366")

    # A time limit at the block office and a local holiday on its calendar.
    await page.goto("/staff/#/sla")
    await choose_unit(page, "PAT-BIHTA", "sla-unit")
    await expect(page.locator("#sla-unit-heading")).to_contain_text("(PAT-BIHTA)")
    await page.locator("#sla-stage").select_option("PRELIMINARY_REPORT")
    await page.locator("#sla-mode").select_option("WORKING_DAYS")
    await page.locator("#sla-amount").fill("2")
    await page.locator("#sla-limits").get_by_role("button", name="Save").click()
    row = page.locator("#sla-table tr").filter(has_text="preliminary report")
    await expect(row).to_contain_text("2 working days")
    await page.locator("#sla-calendar").get_by_role("button", name="Save").last.click()
    await expect(page.locator("#hol-day-error")).to_be_visible()
    # The page lists the current year's holidays (India's year on the server's real clock).
    year = utcnow().astimezone(ZoneInfo("Asia/Kolkata")).year
    await page.locator("#hol-day").fill(f"{year}-12-26")
    await page.locator("#hol-name").fill("Local fair")
    await page.locator("#sla-calendar").get_by_role("button", name="Save").last.click()
    await expect(page.locator("#holidays")).to_contain_text("Local fair")
    await shot(page, live_server, "staff-sla-1366")
    assert page_errors.all == []


async def test_csv_import_lists_bad_rows_and_changes_nothing(page: Page, page_errors: PageErrors,
                                                              live_server: LiveServer, http: httpx.AsyncClient) -> None:
    await page.set_viewport_size({"width": 360, "height": 740})
    await sign_in(page, "state.admin")
    await page.goto("/staff/#/import")
    header = "code,parent_code,kind,name_en,name_hi,area_codes,appellate_authority_code,escalation_authority_codes,active"
    await page.locator("#units-csv").fill(f"{header}\nE2E-DESK,NO-SUCH-PARENT,OFFICE,E2E desk,,,,,yes\n"
                                          "E2E-DESK2,PAT-DM,NOT-A-KIND,Second desk,,,,,yes\n")
    await page.get_by_role("button", name="Check (nothing is changed)").click()
    errors = page.locator("#import-errors tbody tr")
    await expect(errors).to_have_count(2)
    await expect(page.locator("#import-errors")).to_contain_text("units.csv:2")
    await expect(page.locator("#import-errors")).to_contain_text("units.csv:3")
    await expect(page.get_by_role("button", name="Apply the import")).to_be_hidden()
    await shot(page, live_server, "staff-import-errors-360")
    await page.locator("#units-csv").fill(f"{header}\nE2E-DESK,PAT-DM,OFFICE,E2E desk,ई2ई डेस्क,,,,yes\n")
    await page.get_by_role("button", name="Check (nothing is changed)").click()
    await expect(page.locator("#import-result")).to_contain_text("The import would do this")
    admin = await staff_token(http, "state.admin")
    assert (await gql(http, '{ units(search: "E2E-DESK") { code } }', token=admin))["units"] == []
    await page.get_by_role("button", name="Apply the import").click()
    await expect(page.locator("#import-result")).to_contain_text("Imported")
    assert (await gql(http, '{ units(search: "E2E-DESK") { code } }', token=admin))["units"] == [{"code": "E2E-DESK"}]
    assert page_errors.all == []


async def test_the_dashboard_shows_figures_and_drills_down(page: Page, page_errors: PageErrors,
                                                           live_server: LiveServer) -> None:
    await page.set_viewport_size({"width": 360, "height": 740})
    await sign_in(page, "state.admin")
    await page.get_by_role("link", name="Dashboard").click()
    await expect(page.locator("#headline")).to_contain_text("Received")
    await expect(page.locator("#headline")).to_contain_text("Resolved (citizen says)")
    await shot(page, live_server, "staff-dashboard-360")
    await expect(page.locator("#ageing")).to_contain_text("over 60")
    await expect(page.locator("#trend caption")).to_have_text("Received and disposed of, by week")
    # The units below are listed in the ranking; the demo's are too small to be ranked.
    await expect(page.locator("#not-ranked li").first).to_contain_text("fewer than 20 grievances handled")
    child = page.locator("#children-figures tbody th button").first
    code = await child.text_content()
    await child.click()
    await expect(page.locator("#dashboard h2").first).to_contain_text(f"({code})")
    assert page_errors.all == []


REVOKE = """mutation($g: ID!) { accountRevokeRole(grantId: $g) { __typename ... on OperationError { code message } } }"""
GRANT = """mutation($a: ID!, $u: ID!) { accountGrantRole(accountId: $a, unitId: $u, role: OFFICER) { __typename
  ... on OperationError { code message } } }"""
ALLOT = """mutation($id: ID!, $u: ID!) { grievanceAllot(id: $id, unitId: $u) { __typename } }"""


async def test_an_officer_sees_the_refusal_when_the_server_forbids_the_action(
        page: Page, page_errors: PageErrors, live_server: LiveServer, http: httpx.AsyncClient) -> None:
    cell = await staff_token(http, "cell.operator")
    admin = await staff_token(http, "state.admin")
    leaf = (await gql(http, SEARCH, {"t": "ration card"}))["categorySearch"]["matches"][0]["leaf"]["id"]
    g = (await gql(http, FILE, {"input": {
        "channel": "POST", "categoryId": leaf, "areaCode": "BR", "subject": "Ration card not issued",
        "description": "Applied in March, nothing since.", "reliefSought": "Issue the card.",
        "citizenName": "Demo", "citizenMobile": "9000000131"}}, token=cell))["grievanceFile"]["grievance"]
    bihta = (await gql(http, '{ units(search: "PAT-BIHTA") { id code members { id username '
                       'roles { id role active unit { code } } } } }', token=admin))["units"][0]
    assert (await gql(http, ALLOT, {"id": g["id"], "u": bihta["id"]}, token=cell))["grievanceAllot"]["__typename"] \
        == "GrievanceSuccess"

    await page.set_viewport_size({"width": 1366, "height": 900})
    await sign_in(page, "bdo.bihta")
    await page.goto(f"/staff/#/cases/{g['id']}")
    await panel(page, "Final report (ATR)").click()
    form = page.locator("details[open] form")
    await form.get_by_label("Action taken").fill("The card was printed and handed over at the block.")
    await form.get_by_label("Reply for the citizen").fill("Your card is ready at the block office.")
    # Meanwhile the officer's role at the block is withdrawn by the org admin.
    officer = next(m for m in bihta["members"] if m["username"] == "bdo.bihta")
    grant = next(r for r in officer["roles"] if r["active"] and r["unit"]["code"] == "PAT-BIHTA" and r["role"] == "OFFICER")
    assert (await gql(http, REVOKE, {"g": grant["id"]}, token=admin))["accountRevokeRole"]["__typename"] != "OperationError"
    try:
        await form.get_by_role("button", name="Final report (ATR)").click()
        # The server refuses; the console says so and keeps what was typed.
        await expect(form.locator(".form-error")).to_be_visible()
        await expect(form.locator(".form-error")).not_to_be_empty()
        await expect(form.get_by_label("Action taken")).to_have_value("The card was printed and handed over at the block.")
        await shot(page, live_server, "staff-refusal-1366")
        still = await gql(http, "query($id: ID!) { grievance(id: $id) { status reports { kind } } }", {"id": g["id"]}, token=cell)
        assert still["grievance"]["reports"] == [] and still["grievance"]["status"] == "ALLOTTED"
    finally:
        made = await gql(http, GRANT, {"a": officer["id"], "u": bihta["id"]}, token=admin)
        assert made["accountGrantRole"]["__typename"] != "OperationError", made
    assert [e for e in page_errors.all if "403" not in e] == []


async def test_the_admin_screens_pass_axe_in_both_languages(tool_page: Page, live_server: LiveServer) -> None:
    from tests.e2e.test_citizen_a11y import SHOTS, serious

    page = tool_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.set_viewport_size({"width": 360, "height": 640})
    await sign_in(page, "state.admin")
    screens = {"admin": "#admin-hub", "accounts": "#members h2", "categories": "#category-desk button",
               "routing": "#rule-rows tr", "sla": "#sla-unit-heading", "import": "#units-csv",
               "dashboard": "#headline", "me": "#my-roles li"}
    for language in ("en", "hi"):
        if language == "hi":
            await page.get_by_role("button", name="हिन्दी").click()
        for screen, ready in screens.items():
            await page.goto(f"/staff/#/{screen}")
            await expect(page.locator(ready).first).to_be_visible()
            assert await serious(page, f"staff-{screen}-{language}") == [], f"{screen} in {language}"


CREATE_ACCOUNT = """mutation($u: ID!) { accountCreate(input: {username: "totp.user", fullName: "Two Step",
  memberships: [{unitId: $u, role: OFFICER}]}) { __typename ... on AccountCreated { setPasswordUrl }
  ... on OperationError { code message } } }"""


async def test_two_step_sign_in_is_turned_on_and_then_asked_for(page: Page, page_errors: PageErrors,
                                                                 live_server: LiveServer, http: httpx.AsyncClient) -> None:
    import asyncio
    import time

    import pyotp

    admin = await staff_token(http, "state.admin")
    bihta = (await gql(http, '{ units(search: "PAT-BIHTA") { id } }', token=admin))["units"][0]
    made = (await gql(http, CREATE_ACCOUNT, {"u": bihta["id"]}, token=admin))["accountCreate"]
    token = made["setPasswordUrl"].rsplit("/", 1)[1]
    done = await gql(http, 'mutation($t: String!, $p: String!) { authSetPassword(token: $t, password: $p) { __typename } }',
                     {"t": token, "p": NEW_PASSWORD})
    assert done["authSetPassword"]["__typename"] == "PasswordSet", done

    await page.set_viewport_size({"width": 360, "height": 740})
    await page.goto("/staff/#/sign-in")
    await page.locator("#username").fill("totp.user")
    await page.locator("#password").fill(NEW_PASSWORD)
    await page.locator("form button[type=submit]").click()
    await expect(page.locator("#inbox-rows")).to_be_visible()
    await page.get_by_role("link", name="My account").click()
    await expect(page.locator("#totp-state")).to_contain_text("Off")
    await page.get_by_role("button", name="Turn on two-step sign-in").click()
    secret = await page.locator("#totp-secret").input_value()
    await page.locator("#totp-code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    await page.get_by_role("button", name="Confirm and turn on").click()
    await expect(page.locator("#totp-code-error")).to_be_visible()
    await page.locator("#totp-code").fill(pyotp.TOTP(secret).now())
    await page.get_by_role("button", name="Confirm and turn on").click()
    await expect(page.locator("#totp-state")).to_contain_text("On")
    await shot(page, live_server, "staff-me-totp-360")

    # Signing in again: the password alone is not enough; the next code is.
    await page.get_by_role("button", name="Sign out").click()
    await page.locator("#username").fill("totp.user")
    await page.locator("#password").fill(NEW_PASSWORD)
    await page.locator("form button[type=submit]").click()
    await expect(page.locator("#totpCode")).to_be_visible()
    await asyncio.sleep(30.5 - time.time() % 30)  # the code used to enrol is never accepted twice
    await page.locator("#totpCode").fill(pyotp.TOTP(secret).now())
    await page.locator("form button[type=submit]").click()
    await expect(page.locator("#inbox-rows")).to_be_visible()
    assert page_errors.all == []


async def test_an_official_not_handling_the_case_sees_the_contact_masked_until_revealed(
        page: Page, page_errors: PageErrors, live_server: LiveServer, http: httpx.AsyncClient) -> None:
    cell = await staff_token(http, "cell.operator")
    leaf = (await gql(http, SEARCH, {"t": "pension"}))["categorySearch"]["matches"][0]["leaf"]["id"]
    g = (await gql(http, FILE, {"input": {
        "channel": "POST", "categoryId": leaf, "areaCode": "BR", "subject": "Pension stopped",
        "description": "Stopped in August.", "reliefSought": "Restore it.", "citizenName": "Kamla Devi",
        "citizenMobile": "9000000177"}}, token=cell))["grievanceFile"]["grievance"]
    await page.set_viewport_size({"width": 360, "height": 740})
    await sign_in(page, "state.admin")
    await page.goto(f"/staff/#/cases/{g['id']}")
    await expect(page.locator("#citizen-contact")).to_contain_text("90XXXXXX77")
    await page.locator("summary", has_text="Show the contact details").click()
    await page.get_by_role("button", name="Show the contact details").click()
    await expect(page.locator("#reveal-reason-error")).to_be_visible()
    await page.locator("#reveal-reason").fill("Checking a complaint about the cell's handling")
    await page.get_by_role("button", name="Show the contact details").click()
    await expect(page.locator("#citizen-contact")).to_contain_text("9000000177")
    await shot(page, live_server, "staff-contact-revealed-360")
    assert page_errors.all == []


async def test_a_department_head_keeps_their_own_categories(page: Page, page_errors: PageErrors,
                                                            live_server: LiveServer) -> None:
    await page.set_viewport_size({"width": 360, "height": 740})
    await sign_in(page, "secretary.revenue")
    await expect(page.get_by_role("link", name="Administration")).to_be_hidden()
    await page.get_by_role("link", name="Categories").click()
    first = page.locator("#category-tree > li").first
    await expect(first).to_be_visible()
    await first.get_by_role("button", name=re.compile("^Add a sub-category")).click()
    await page.locator("#cat-code").fill("E2E-HEAD-CATEGORY")
    await page.locator("#cat-name-en").fill("Delay in land measurement")
    await page.locator("#cat-name-hi").fill("भूमि मापी में विलंब")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Saved.")).to_be_visible()
    await shot(page, live_server, "staff-categories-head-360")
    assert page_errors.all == []


async def test_the_inbox_filters_by_category_channel_and_stage(page: Page, page_errors: PageErrors,
                                                               http: httpx.AsyncClient) -> None:
    cell = await staff_token(http, "cell.operator")
    leaf = (await gql(http, SEARCH, {"t": "ration card"}))["categorySearch"]["matches"][0]["leaf"]["id"]
    g = (await gql(http, FILE, {"input": {
        "channel": "EMAIL", "categoryId": leaf, "areaCode": "BR", "subject": "Ration card name misspelt",
        "description": "My name is misspelt on the card.", "reliefSought": "Correct it.", "citizenName": "Demo",
        "citizenMobile": "9000000188"}}, token=cell))["grievanceFile"]["grievance"]
    await page.set_viewport_size({"width": 1366, "height": 900})
    await sign_in(page, "cell.operator")
    await page.get_by_text("More filters").click()
    await page.locator("#f-catsearch").fill("ration card")
    await page.locator(".match").first.click()
    await page.locator("#f-channel").select_option("EMAIL")
    await page.locator("#f-stage").select_option("REGISTRATION")
    await page.get_by_role("button", name="Show").click()
    await expect(page.get_by_role("link", name=g["number"])).to_be_visible()
    # Another channel leaves it out.
    await page.locator("#f-channel").select_option("POST")
    await page.get_by_role("button", name="Show").click()
    await expect(page.get_by_role("link", name=g["number"])).to_be_hidden()
    assert page_errors.all == []
