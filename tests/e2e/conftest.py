"""End-to-end fixtures: the real `grievance demo` server in a subprocess, and Chromium.

The server runs once per session on a free local port with its own var dir (SQLite
database, generated secrets, SMS outbox). Browser tests get a fresh incognito context
each, so service workers, caches and localStorage never leak between tests.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from tests.e2e.support import LiveServer, PageErrors

REPO_ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent

STARTUP_TIMEOUT_S = 60.0
SHUTDOWN_TIMEOUT_S = 15.0
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Environment the server must not inherit from the developer's shell or CI: it would
# point the demo at a shared database or Redis, or change its mode.
_SCRUBBED_ENV = ("DATABASE_URL", "REDIS_URL", "GRIEVANCE_")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is an e2e test (hooks here see the whole session's items)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _server_command(host: str, port: int) -> list[str]:
    script = Path(sys.executable).parent / "grievance"
    if script.exists():
        return [str(script), "demo", "--host", host, "--port", str(port)]
    return [sys.executable, "-m", "backend.cli", "demo", "--host", host, "--port", str(port)]


def _server_env(var_dir: Path, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_ENV)}
    env.update(
        GRIEVANCE_VAR_DIR=str(var_dir),
        GRIEVANCE_PUBLIC_URL=base_url,
        PYTHONUNBUFFERED="1",
    )
    return env


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=SHUTDOWN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=SHUTDOWN_TIMEOUT_S)


def _wait_healthy(proc: subprocess.Popen[bytes], base_url: str, output_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = "no attempt made"
    with httpx.Client(base_url=base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(
                    f"server exited with code {proc.returncode} before becoming healthy; output:\n"
                    + output_path.read_text(encoding="utf-8", errors="replace"),
                    pytrace=False,
                )
            try:
                response = client.get("/healthz")
                if response.status_code == 200 and response.text == "ok":
                    return
                last_error = f"HTTP {response.status_code}: {response.text[:200]}"
            except httpx.TransportError as exc:
                last_error = repr(exc)
            # Poll interval, not a synchronisation sleep: the deadline bounds the loop.
            time.sleep(0.1)
    pytest.fail(
        f"server not healthy at {base_url}/healthz within {STARTUP_TIMEOUT_S:.0f}s (last: {last_error}); output:\n"
        + output_path.read_text(encoding="utf-8", errors="replace"),
        pytrace=False,
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`grievance demo` on a free port; yields once /healthz answers, SIGTERMs at the end."""
    root = tmp_path_factory.mktemp("e2e-server")
    var_dir = root / "var"
    output_path = root / "server.log"
    host = "127.0.0.1"
    port = _free_port()
    base_url = f"http://{host}:{port}"
    with output_path.open("wb") as output:
        proc = subprocess.Popen(
            _server_command(host, port),
            cwd=REPO_ROOT,
            env=_server_env(var_dir, base_url),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(proc, base_url, output_path)
        yield LiveServer(base_url=base_url, var_dir=var_dir, output_path=output_path)
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.base_url


# --- Chromium -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (or set E2E_CHROMIUM)")
    return CHROMIUM


@pytest_asyncio.fixture(scope="session")
async def browser(chromium_executable: str) -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest_asyncio.fixture
async def context(browser: Browser, base_url: str) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(base_url=base_url, locale="en-IN", service_workers="allow")
    ctx.set_default_timeout(15_000)
    ctx.set_default_navigation_timeout(30_000)
    try:
        yield ctx
    finally:
        await ctx.close()


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest_asyncio.fixture
async def page(context: BrowserContext, page_errors: PageErrors) -> AsyncIterator[Page]:
    pg = await context.new_page()
    pg.on("console", page_errors.on_console)
    pg.on("pageerror", page_errors.on_pageerror)
    yield pg
    await pg.close()


@pytest_asyncio.fixture
async def http(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the live server (10 s per step)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as client:
        yield client


@pytest_asyncio.fixture
async def tool_context(browser: Browser, base_url: str) -> AsyncIterator[BrowserContext]:
    """A context whose pages accept test tooling the CSP would refuse (axe-core's
    injected script, evaluated predicates); only for tests that need such tooling."""
    ctx = await browser.new_context(base_url=base_url, locale="en-IN", service_workers="allow", bypass_csp=True)
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        await ctx.close()


@pytest_asyncio.fixture
async def tool_page(tool_context: BrowserContext) -> AsyncIterator[Page]:
    pg = await tool_context.new_page()
    yield pg
    await pg.close()
