from __future__ import annotations

import httpx
import pytest

from backend.accounts.models import StaffUser
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.factories import PASSWORD, small_state

SIGN_IN = """mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) {
  __typename ... on SignInSuccess { token viewer { kind name grants { role unit { code } } } }
  ... on OperationError { code message fields { field message } } } }"""
VIEWER = "{ viewer { kind id name grants { role unit { code } } } }"
REQUEST_OTP = """mutation($m: String!) { authRequestOtp(mobile: $m) { __typename
  ... on OtpSent { expiresAt } ... on OperationError { code message fields { field message } } } }"""
VERIFY_OTP = """mutation($m: String!, $c: String!) { authVerifyOtp(mobile: $m, code: $c) { __typename
  ... on SignInSuccess { token viewer { kind } } ... on OperationError { code message } } }"""


async def test_staff_sign_in_sets_cookie_and_bearer_works(client: httpx.AsyncClient, settings: Settings) -> None:
    await small_state(settings)
    response = await client.post("/graphql", json={"query": SIGN_IN, "variables": {"u": "nodal_a", "p": PASSWORD}})
    result = response.json()["data"]["authSignInPassword"]
    assert result["__typename"] == "SignInSuccess"
    assert result["viewer"]["grants"] == [{"role": "NODAL_OFFICER", "unit": {"code": "BR-REV-A"}}]
    cookie = response.headers["set-cookie"]
    assert "gsession=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    via_bearer = await gql(client, VIEWER, token=result["token"])
    assert via_bearer["data"]["viewer"]["kind"] == "STAFF"
    client.cookies.set("gsession", result["token"])
    via_cookie = await gql(client, VIEWER)
    assert via_cookie["data"]["viewer"]["name"] == "Nodal_A"


async def test_wrong_password_and_deactivated_account_are_refused(client: httpx.AsyncClient, settings: Settings) -> None:
    await small_state(settings)
    wrong = (await gql(client, SIGN_IN, {"u": "nodal_a", "p": "not-the-password"}))["data"]["authSignInPassword"]
    assert wrong == {"__typename": "OperationError", "code": "INVALID_CREDENTIALS",
                     "message": "Wrong username or password", "fields": []}
    unknown = (await gql(client, SIGN_IN, {"u": "nobody", "p": PASSWORD}))["data"]["authSignInPassword"]
    assert unknown["code"] == "INVALID_CREDENTIALS"
    await StaffUser.filter(username="nodal_a").update(active=False)
    inactive = (await gql(client, SIGN_IN, {"u": "nodal_a", "p": PASSWORD}))["data"]["authSignInPassword"]
    assert inactive["code"] == "ACCOUNT_INACTIVE"


async def test_deactivating_an_account_ends_its_sessions(client: httpx.AsyncClient, settings: Settings) -> None:
    await small_state(settings)
    token = await sign_in(client, "nodal_a", PASSWORD)
    await StaffUser.filter(username="nodal_a").update(active=False)
    assert (await gql(client, VIEWER, token=token))["data"]["viewer"]["kind"] == "ANONYMOUS"


async def test_sign_out_revokes_the_session(client: httpx.AsyncClient, settings: Settings) -> None:
    await small_state(settings)
    token = await sign_in(client, "nodal_a", PASSWORD)
    out = await gql(client, "mutation { authSignOut { __typename ... on SignOutSuccess { signedOut } } }", token=token)
    assert out["data"]["authSignOut"] == {"__typename": "SignOutSuccess", "signedOut": True}
    assert (await gql(client, VIEWER, token=token))["data"]["viewer"]["kind"] == "ANONYMOUS"
    again = await gql(client, "mutation { authSignOut { __typename ... on OperationError { code } } }", token=token)
    assert again["data"]["authSignOut"]["code"] == "UNAUTHENTICATED"


async def test_citizen_otp_sign_in(client: httpx.AsyncClient, runtime: Runtime) -> None:
    sent = (await gql(client, REQUEST_OTP, {"m": "+91 98765-43210"}))["data"]["authRequestOtp"]
    assert sent["__typename"] == "OtpSent"
    sms = runtime.sms.last_to("9876543210")  # type: ignore[attr-defined]
    assert sms is not None
    code = sms.text.split()[0]
    wrong = "000000" if code != "000000" else "111111"
    bad = (await gql(client, VERIFY_OTP, {"m": "9876543210", "c": wrong}))["data"]["authVerifyOtp"]
    assert bad["code"] == "INVALID_CREDENTIALS" and "4 attempts left" in bad["message"]
    ok = (await gql(client, VERIFY_OTP, {"m": "9876543210", "c": code}))["data"]["authVerifyOtp"]
    assert ok["__typename"] == "SignInSuccess" and ok["viewer"]["kind"] == "CITIZEN"
    reused = (await gql(client, VERIFY_OTP, {"m": "9876543210", "c": code}))["data"]["authVerifyOtp"]
    assert reused["code"] == "INVALID_CREDENTIALS"


async def test_otp_attempts_are_limited(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await gql(client, REQUEST_OTP, {"m": "9876543210"})
    code = runtime.sms.last_to("9876543210").text.split()[0]  # type: ignore[attr-defined]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        await gql(client, VERIFY_OTP, {"m": "9876543210", "c": wrong})
    locked = (await gql(client, VERIFY_OTP, {"m": "9876543210", "c": code}))["data"]["authVerifyOtp"]
    assert locked["code"] == "TOO_MANY_ATTEMPTS"


async def test_otp_requests_are_rate_limited_per_number(client: httpx.AsyncClient, settings: Settings) -> None:
    for _ in range(settings.otp_per_mobile_per_hour):
        assert (await gql(client, REQUEST_OTP, {"m": "9876543210"}))["data"]["authRequestOtp"]["__typename"] == "OtpSent"
    limited = (await gql(client, REQUEST_OTP, {"m": "9876543210"}))["data"]["authRequestOtp"]
    assert limited["code"] == "RATE_LIMITED"


@pytest.mark.parametrize("mobile", ["12345", "5876543210", "98765432100", "abcdefghij", ""])
async def test_bad_mobile_numbers_are_named(client: httpx.AsyncClient, mobile: str) -> None:
    result = (await gql(client, REQUEST_OTP, {"m": mobile}))["data"]["authRequestOtp"]
    assert result["code"] == "VALIDATION" and result["fields"][0]["field"] == "mobile"


async def test_cross_site_cookie_request_is_refused(client: httpx.AsyncClient, settings: Settings) -> None:
    await small_state(settings)
    token = await sign_in(client, "nodal_a", PASSWORD)
    client.cookies.set("gsession", token)
    response = await client.post("/graphql", json={"query": VIEWER}, headers={"origin": "https://evil.example"})
    assert response.status_code == 403
