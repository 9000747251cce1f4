"""The PWA shell in real Chromium against the real server: manifest, service worker,
live status line, language switch, offline reload from the service worker cache."""

from __future__ import annotations

import asyncio

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.support import STAFF_PASSWORD, LiveServer, PageErrors

CONNECTED_EN = "Connected — service version {version}"
CONNECTED_HI = "सेवा से जुड़े हुए हैं — संस्करण {version}"
OFFLINE_EN = "You are offline. Please check your internet connection."
OFFLINE_HI = "आप ऑफ़लाइन हैं। कृपया अपना इंटरनेट कनेक्शन जाँचें।"
BRAND_RGB = "rgb(11, 61, 145)"  # --brand: #0b3d91 in css/app.css
SW_TIMEOUT_MS = 20_000
WS_TIMEOUT_S = 15.0


async def _server_version(base_url: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        response = await client.post("/graphql", json={"query": "{ health { status version } }"})
    assert response.status_code == 200, response.text
    health = response.json()["data"]["health"]
    assert health["status"] == "ok"
    version: str = health["version"]
    return version


async def _wait_for_service_worker(page: Page) -> None:
    """The worker is installed, activated and controls this page (clients.claim)."""
    # A synchronous predicate, polled: an async one returns a Promise, which is truthy at
    # once, so the wait could end before the worker took control.
    await page.wait_for_function(
        """() => {
            const controller = navigator.serviceWorker.controller;
            return controller !== null && controller.state === "activated";
        }""",
        timeout=SW_TIMEOUT_MS,
        polling=100,
    )


def _shell_requests(live_server: LiveServer) -> int:
    """How many `GET /` the server has answered (from its access log)."""
    return live_server.output().count('"GET / HTTP/1.1"')


async def test_shell_headers(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_pwa_shell_end_to_end(
    page: Page, context: BrowserContext, page_errors: PageErrors, live_server: LiveServer
) -> None:
    version = await _server_version(live_server.base_url)

    # First load: the document, its manifest link and its headers.
    response = await page.goto("/", wait_until="load")
    assert response is not None and response.status == 200
    headers = await response.all_headers()
    assert headers["cache-control"] == "no-cache"
    assert "content-security-policy" in headers
    await expect(page.locator('link[rel="manifest"]')).to_have_attribute("href", "/manifest.webmanifest")
    manifest = await page.evaluate(
        """async () => {
            const href = document.querySelector('link[rel="manifest"]').href;
            const r = await fetch(href);
            return { type: r.headers.get("content-type"), body: await r.json() };
        }"""
    )
    assert manifest["type"].startswith("application/manifest+json")
    assert manifest["body"]["start_url"] == "/"
    await expect(page.locator("html")).to_have_attribute("lang", "en")

    # The status line reports the version the health query returns.
    await expect(page.locator("#status")).to_have_text(CONNECTED_EN.format(version=version))
    await expect(page.locator("#status")).to_have_attribute("data-state", "ok")

    # The service worker installs, activates and takes control of the page.
    await _wait_for_service_worker(page)
    assert await page.evaluate("navigator.serviceWorker.controller.scriptURL") == f"{live_server.base_url}/sw.js"

    # Hindi: <html lang>, the strings and the status line change, and survive a reload.
    await page.get_by_role("button", name="हिन्दी").click()
    await expect(page.locator("html")).to_have_attribute("lang", "hi")
    await expect(page.locator("#status")).to_have_text(CONNECTED_HI.format(version=version))
    await expect(page.get_by_role("button", name="हिन्दी")).to_have_attribute("aria-pressed", "true")
    await page.reload(wait_until="load")
    await expect(page.locator("html")).to_have_attribute("lang", "hi")
    await expect(page.locator("h1")).to_have_text("जन शिकायत पोर्टल पर आपका स्वागत है")
    await expect(page.locator("#status")).to_have_text(CONNECTED_HI.format(version=version))
    await expect(page).to_have_title("जन शिकायत — लोक शिकायत पोर्टल")

    # Offline: the reload is answered by the service worker from its cache, not the server.
    await _wait_for_service_worker(page)
    served_before = _shell_requests(live_server)
    await context.set_offline(True)
    try:
        assert await page.evaluate("navigator.onLine") is False
        offline = await page.reload(wait_until="load")
        assert offline is not None and offline.status == 200
        assert offline.from_service_worker
        await expect(page.locator("h1")).to_have_text("जन शिकायत पोर्टल पर आपका स्वागत है")
        await expect(page.locator("html")).to_have_attribute("lang", "hi")
        await expect(page.locator("#status")).to_have_text(OFFLINE_HI)
        await expect(page.locator("#status")).to_have_attribute("data-state", "offline")
        # The stylesheet came from the cache too: the header has the brand colour, not the default.
        header_bg = await page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        assert header_bg == BRAND_RGB
        assert _shell_requests(live_server) == served_before, "offline reload reached the server"

        # Switching language still works offline (the module graph is cached).
        await page.get_by_role("button", name="English").click()
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        await expect(page.locator("#status")).to_have_text(OFFLINE_EN)
    finally:
        await context.set_offline(False)

    assert page_errors.all == []


async def test_language_defaults_from_browser_locale(browser: Browser, base_url: str) -> None:
    errors = PageErrors()
    ctx = await browser.new_context(base_url=base_url, locale="hi-IN")
    try:
        page = await ctx.new_page()
        page.on("console", errors.on_console)
        page.on("pageerror", errors.on_pageerror)
        await page.goto("/", wait_until="load")
        await expect(page.locator("html")).to_have_attribute("lang", "hi")
        await expect(page.get_by_role("button", name="हिन्दी")).to_have_attribute("aria-pressed", "true")
        await expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "false")
        await expect(page.locator("#status")).to_have_attribute("data-state", "ok")
    finally:
        await ctx.close()
    assert errors.all == []


async def test_page_opens_the_live_channel_with_its_session_cookie(
    page: Page, context: BrowserContext, page_errors: PageErrors, live_server: LiveServer
) -> None:
    """What the PWA will do: sign in with fetch (HttpOnly cookie), then open
    graphql-transport-ws from the page, within the page's CSP (connect-src 'self')."""
    await page.goto("/", wait_until="load")
    signed_in = await page.evaluate(
        """async ([username, password]) => {
            const response = await fetch("/graphql", {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({
                    query: `mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) {
                        __typename ... on SignInSuccess { viewer { kind } } } }`,
                    variables: { u: username, p: password },
                }),
            });
            return (await response.json()).data.authSignInPassword;
        }""",
        ["nodal.patna", STAFF_PASSWORD],
    )
    assert signed_in == {"__typename": "SignInSuccess", "viewer": {"kind": "STAFF"}}
    cookies = {c["name"]: c for c in await context.cookies()}
    assert cookies["gsession"]["httpOnly"] is True
    assert await page.evaluate("document.cookie") == ""  # not readable from script

    received = await asyncio.wait_for(
        page.evaluate(
            """(url) => new Promise((resolve, reject) => {
                const ws = new WebSocket(url, "graphql-transport-ws");
                const seen = [];
                ws.onopen = () => ws.send(JSON.stringify({ type: "connection_init", payload: {} }));
                ws.onerror = () => reject(new Error("websocket error"));
                ws.onclose = (e) => resolve({ seen, close: e.code, protocol: ws.protocol });
                ws.onmessage = (e) => {
                    const msg = JSON.parse(e.data);
                    seen.push(msg);
                    if (msg.type === "connection_ack") {
                        ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: {
                            query: "subscription { heartbeat(intervalSeconds: 0.1, count: 2) { sequence } }" } }));
                    } else if (msg.type === "complete") {
                        ws.close(1000);
                    }
                };
            })""",
            live_server.ws_url,
        ),
        WS_TIMEOUT_S,
    )
    assert received["protocol"] == "graphql-transport-ws"
    assert received["seen"] == [
        {"type": "connection_ack", "payload": {"viewer": "staff"}},
        {"id": "1", "type": "next", "payload": {"data": {"heartbeat": {"sequence": 1}}}},
        {"id": "1", "type": "next", "payload": {"data": {"heartbeat": {"sequence": 2}}}},
        {"id": "1", "type": "complete"},
    ]
    assert received["close"] == 1000
    assert page_errors.all == []
