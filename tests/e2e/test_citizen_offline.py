"""Offline: a grievance filed without a connection is kept on the phone, shown as
queued, and sent exactly once when the connection returns; and the service worker
shows a pushed message as a notification (through CDP, as a push service would)."""

from __future__ import annotations

import json
import re

from playwright.async_api import BrowserContext, Page, expect

from tests.e2e.support import LiveServer
from tests.e2e.test_citizen_app import sign_in

MINE = "{ myGrievances(first: 50) { ... on GrievancePage { items { number subject } } } }"


async def mine_in_page(page: Page) -> list[dict[str, str]]:
    body = await page.evaluate("""async (query) => (await (await fetch('/graphql', {method: 'POST',
        headers: {'content-type': 'application/json'}, body: JSON.stringify({query})})).json())""", MINE)
    items: list[dict[str, str]] = body["data"]["myGrievances"]["items"]
    return items


async def test_offline_filing_is_queued_and_sent_once(page: Page, context: BrowserContext,
                                                      live_server: LiveServer) -> None:
    await sign_in(page, live_server, "9000000125")
    await page.goto("/#/file")
    await page.get_by_label(re.compile("What is your grievance about")).fill("ration card")
    await page.locator(".match input").first.check()
    await expect(page.locator("#district option")).not_to_have_count(1)
    await page.select_option("#district", index=1)
    await page.get_by_label("Your name").fill("Meena Kumari")
    await page.get_by_label("Subject").fill("Filed with no signal")
    await page.get_by_label("What happened").fill("The village has no signal most of the day.")
    await page.get_by_label("What you want done").fill("Issue the ration card.")
    await page.get_by_role("button", name="Review").click()
    await context.set_offline(True)
    await page.get_by_role("button", name="Submit grievance").click()
    await expect(page.get_by_role("heading", name="Saved on this phone")).to_be_visible()
    await page.evaluate("location.hash = '#/'")  # in-app navigation: no network needed
    await expect(page.get_by_text("Waiting to be sent (offline)")).to_be_visible()
    await expect(page.locator(".notice")).to_contain_text("Offline")

    await context.set_offline(False)
    await expect(page.get_by_text("Filed with no signal")).to_be_visible()
    await expect(page.get_by_text("Waiting to be sent (offline)")).to_have_count(0)
    # A reload (which flushes the queue again) files nothing more.
    await page.reload()
    await expect(page.get_by_role("heading", name="My grievances")).to_be_visible()
    filed = [g for g in await mine_in_page(page) if g["subject"] == "Filed with no signal"]
    assert len(filed) == 1 and filed[0]["number"].startswith("GOB/W/")


async def test_the_service_worker_shows_a_pushed_message(tool_page: Page, tool_context: BrowserContext,
                                                         base_url: str) -> None:
    page, context = tool_page, tool_context
    await page.goto("/")
    await page.wait_for_function("navigator.serviceWorker.controller !== null")
    cdp = await context.new_cdp_session(page)
    registrations: list[dict[str, str]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    await cdp.send("ServiceWorker.enable")  # reports the current registrations at once
    for _ in range(50):
        if registrations:
            break
        await page.wait_for_timeout(100)
    registration = next(r for r in registrations if r["scopeURL"].startswith(base_url))
    payload = {"grievanceId": "7", "number": "GOB/W/2026/0000007", "status": "closed", "title": "शिकायत GOB/W/2026/0000007",
               "body": "निष्पादन कर दिया गया है।", "tag": "grievance-7", "url": "/#/grievances/7"}
    await context.grant_permissions(["notifications"], origin=base_url)
    await cdp.send("ServiceWorker.deliverPushMessage", {"origin": base_url, "registrationId":
                                                        registration["registrationId"], "data": json.dumps(payload)})
    shown: list[dict[str, str]] = []
    for _ in range(50):  # an async predicate's Promise is truthy at once: poll from here instead
        shown = await page.evaluate("""async () => (await (await navigator.serviceWorker.ready).getNotifications())
            .map((n) => ({title: n.title, body: n.body, tag: n.tag}))""")
        if shown:
            break
        await page.wait_for_timeout(100)
    assert shown == [{"title": payload["title"], "body": payload["body"], "tag": "grievance-7"}]
