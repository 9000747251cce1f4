from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio

from backend.app import create_app
from backend.core.broadcast import InProcessBroadcast, RedisBroadcast
from backend.core.clock import utcnow
from backend.core.queue import InProcessQueue
from backend.notifications.sms import LogSmsGateway
from backend.runtime import Runtime
from backend.settings import Settings
from workers.settings import CRON_JOBS, FUNCTIONS


@pytest_asyncio.fixture
async def runtime(settings: Settings, db: str) -> AsyncIterator[Runtime]:
    sms = LogSmsGateway(settings.sms_log_path)
    broadcast = RedisBroadcast.from_url(settings.redis_url) if settings.redis_url else InProcessBroadcast()
    queue = InProcessQueue(FUNCTIONS, CRON_JOBS, {"settings": settings, "sms": sms, "broadcast": broadcast}, utcnow)
    rt = Runtime(settings, queue, broadcast, sms, owns_database=False)
    yield rt
    await queue.close()
    await broadcast.close()


@pytest_asyncio.fixture
async def client(settings: Settings, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, runtime)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        yield c


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    h = dict(headers or {})
    if token:
        h["authorization"] = f"Bearer {token}"
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=h)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def sign_in(client: httpx.AsyncClient, username: str, password: str) -> str:
    body = await gql(client, """mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) {
        __typename ... on SignInSuccess { token } ... on OperationError { code message } } }""",
                     {"u": username, "p": password})
    result = body["data"]["authSignInPassword"]
    assert result["__typename"] == "SignInSuccess", result
    token: str = result["token"]
    return token


async def citizen_sign_in(client: httpx.AsyncClient, runtime: Runtime, mobile: str) -> str:
    """OTP sign-in as a real citizen would: request, read the SMS, verify."""
    sent = await gql(client, 'mutation($m: String!) { authRequestOtp(mobile: $m) { __typename } }', {"m": mobile})
    assert sent["data"]["authRequestOtp"]["__typename"] == "OtpSent", sent
    sms = runtime.sms.last_to(mobile)  # type: ignore[attr-defined]
    assert sms is not None
    body = await gql(client, """mutation($m: String!, $c: String!) { authVerifyOtp(mobile: $m, code: $c) {
        __typename ... on SignInSuccess { token } } }""", {"m": mobile, "c": sms.text.split()[0]})
    token: str = body["data"]["authVerifyOtp"]["token"]
    return token
