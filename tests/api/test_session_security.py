"""Sessions and sign-in codes against hostile use (issue 12), beyond tests/api/test_auth_api.py:
the cookie's flags per mode, the origin check on state-changing requests, bearer tokens
for API clients, revocation on deactivation, the per-address OTP limit, and the
constant-time code comparison."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
import pytest_asyncio

from backend.accounts.models import Session, StaffUser
from backend.app import create_app
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.api.test_auth_api import REQUEST_OTP, SIGN_IN, VERIFY_OTP, VIEWER
from tests.factories import PASSWORD, small_state

SIGN_OUT = "mutation { authSignOut { __typename ... on OperationError { code } } }"
EVIL = "https://evil.example"


@pytest_asyncio.fixture
async def production_client(settings: Settings, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """The app with production's cookie rules (its other settings as in the tests)."""
    prod = replace(settings, environment="production")
    app = create_app(prod, replace(runtime, settings=prod))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        yield c


def _cookie_flags(response: httpx.Response) -> set[str]:
    (cookie,) = response.headers.get_list("set-cookie")
    return {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}


async def test_the_session_cookie_is_secure_in_production_and_not_in_embedded_http(
    client: httpx.AsyncClient, production_client: httpx.AsyncClient, settings: Settings,
) -> None:
    await small_state(settings)
    variables = {"u": "nodal_a", "p": PASSWORD}
    embedded = await client.post("/graphql", json={"query": SIGN_IN, "variables": variables})
    assert _cookie_flags(embedded) == {"max-age", "path", "httponly", "samesite"}
    production = await production_client.post("/graphql", json={"query": SIGN_IN, "variables": variables})
    assert _cookie_flags(production) == {"max-age", "path", "httponly", "samesite", "secure"}
    assert "samesite=lax" in production.headers["set-cookie"].lower()


@pytest.mark.parametrize("origin", [EVIL, "null", "http://testserver.evil.example", "http://testserver:8443"])
async def test_a_cross_origin_mutation_with_the_cookie_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, settings: Settings, origin: str,
) -> None:
    await small_state(settings)
    token = await sign_in(client, "nodal_a", PASSWORD)
    client.cookies.set("gsession", token)
    response = await client.post("/graphql", json={"query": SIGN_OUT}, headers={"origin": origin})
    assert response.status_code == 403
    assert await Session.filter(revoked_at=None).count() == 1  # still signed in
    same_site = await client.post("/graphql", json={"query": SIGN_OUT}, headers={"origin": "http://testserver"})
    assert same_site.json()["data"]["authSignOut"] == {"__typename": "SignOutSuccess"}


async def test_bearer_tokens_serve_api_clients_from_any_origin(client: httpx.AsyncClient, settings: Settings) -> None:
    """A browser never attaches a bearer token by itself, so there is nothing to forge."""
    await small_state(settings)
    token = await sign_in(client, "nodal_a", PASSWORD)
    client.cookies.clear()
    body = await gql(client, VIEWER, token=token, headers={"origin": EVIL})
    assert body["data"]["viewer"]["kind"] == "STAFF"
    # A bearer token and a cookie together: the token decides, and the origin check is not needed.
    client.cookies.set("gsession", "not-a-session")
    assert (await gql(client, VIEWER, token=token, headers={"origin": EVIL}))["data"]["viewer"]["kind"] == "STAFF"


async def test_deactivating_an_account_revokes_its_sessions(client: httpx.AsyncClient, settings: Settings) -> None:
    await small_state(settings)
    victim = await sign_in(client, "officer_a", PASSWORD)
    admin = await sign_in(client, "stateadmin", PASSWORD)
    client.cookies.clear()
    user = await StaffUser.get(username="officer_a")
    result = (await gql(client, """mutation($a: ID!) { accountDeactivate(accountId: $a, dryRun: false) { __typename
        ... on AccountDeactivationPlan { sessionsRevoked } ... on OperationError { code message } } }""",
                        {"a": str(user.id)}, token=admin))["data"]["accountDeactivate"]
    assert result == {"__typename": "AccountDeactivationPlan", "sessionsRevoked": 1}, result
    assert (await gql(client, VIEWER, token=victim))["data"]["viewer"]["kind"] == "ANONYMOUS"
    assert not await Session.filter(staff_user_id=user.id, revoked_at=None).exists()
    # The admin's own session is untouched.
    assert (await gql(client, VIEWER, token=admin))["data"]["viewer"]["kind"] == "STAFF"


async def test_otp_requests_are_rate_limited_per_address(
    settings: Settings, runtime: Runtime,
) -> None:
    limited_settings = replace(settings, otp_per_address_per_hour=3)
    app = create_app(limited_settings, replace(runtime, settings=limited_settings))
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        for n in range(3):
            sent = (await gql(c, REQUEST_OTP, {"m": f"987650000{n}"}))["data"]["authRequestOtp"]
            assert sent["__typename"] == "OtpSent", sent
        limited = (await gql(c, REQUEST_OTP, {"m": "9876500009"}))["data"]["authRequestOtp"]
        assert limited["code"] == "RATE_LIMITED" and "address" in limited["message"]
    # Another address is not held back by that one.
    other = httpx.ASGITransport(app=app, client=("198.51.100.1", 4000))
    async with httpx.AsyncClient(transport=other, base_url="http://testserver") as c:
        assert (await gql(c, REQUEST_OTP, {"m": "9876500009"}))["data"]["authRequestOtp"]["__typename"] == "OtpSent"


async def test_sign_in_codes_are_compared_in_constant_time(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The stored code's keyed hash is compared with hmac.compare_digest (through
    `core.tokens.same`), so the time a wrong code takes says nothing about how close it was."""
    compared: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def recording(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    await gql(client, REQUEST_OTP, {"m": "9876543210"})
    code = runtime.sms.last_to("9876543210").text.split()[0]  # type: ignore[attr-defined]
    wrong = "000000" if code != "000000" else "111111"
    refused = (await gql(client, VERIFY_OTP, {"m": "9876543210", "c": wrong}))["data"]["authVerifyOtp"]
    assert refused["code"] == "INVALID_CREDENTIALS"
    # Two HMAC-SHA256 hex digests: the stored one and the one of the code typed.
    assert [(len(a), len(b)) for a, b in compared] == [(64, 64)] and compared[0][0] != compared[0][1]
