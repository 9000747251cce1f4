"""GraphQL over HTTP and graphql-transport-ws against the real `grievance demo` server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin, Subprotocol

from tests.e2e.support import DEMO_CITIZEN_MOBILE, STAFF_PASSWORD, LiveServer

STEP_TIMEOUT_S = 10.0
SUBPROTOCOL = "graphql-transport-ws"

SIGN_IN = """mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) {
  __typename ... on SignInSuccess { token viewer { kind name } } ... on OperationError { code message } } }"""
REQUEST_OTP = """mutation($m: String!) { authRequestOtp(mobile: $m) { __typename
  ... on OtpSent { mobile expiresAt } ... on OperationError { code message } } }"""
VERIFY_OTP = """mutation($m: String!, $c: String!) { authVerifyOtp(mobile: $m, code: $c) { __typename
  ... on SignInSuccess { token viewer { kind } } ... on OperationError { code message } } }"""
VIEWER = "{ viewer { kind } }"
HEARTBEAT = "subscription { heartbeat(intervalSeconds: 0.1, count: 3) { sequence at serverId } }"


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def staff_token(client: httpx.AsyncClient, username: str = "nodal.patna") -> str:
    result = (await gql(client, SIGN_IN, {"u": username, "p": STAFF_PASSWORD}))["authSignInPassword"]
    assert result["__typename"] == "SignInSuccess", result
    token: str = result["token"]
    return token


async def send(ws: ClientConnection, message: dict[str, Any]) -> None:
    await asyncio.wait_for(ws.send(json.dumps(message)), STEP_TIMEOUT_S)


async def receive(ws: ClientConnection) -> dict[str, Any]:
    raw = await asyncio.wait_for(ws.recv(), STEP_TIMEOUT_S)
    message: dict[str, Any] = json.loads(raw)
    return message


async def sms_to(live_server: LiveServer, mobile: str, *, skip: int) -> list[dict[str, Any]]:
    """The SMS to `mobile` logged after the first `skip` lines; polls until there is one
    (callers bound this with asyncio.wait_for)."""
    while True:
        ours = [m for m in live_server.sms_messages()[skip:] if m["to"] == mobile]
        if ours:
            return ours
        await asyncio.sleep(0.05)


def ws_connect(live_server: LiveServer, origin: str | None = None) -> connect:
    return connect(
        live_server.ws_url,
        subprotocols=[Subprotocol(SUBPROTOCOL)],
        origin=Origin(origin or live_server.base_url),
        open_timeout=STEP_TIMEOUT_S,
        close_timeout=STEP_TIMEOUT_S,
    )


# --- HTTP ---------------------------------------------------------------------------


async def test_staff_sign_in_returns_a_token(http: httpx.AsyncClient) -> None:
    result = (await gql(http, SIGN_IN, {"u": "dm.gaya", "p": STAFF_PASSWORD}))["authSignInPassword"]
    assert result["__typename"] == "SignInSuccess", result
    assert len(result["token"]) >= 20
    assert result["viewer"]["kind"] == "STAFF"
    assert (await gql(http, VIEWER, token=result["token"]))["viewer"]["kind"] == "STAFF"

    wrong = (await gql(http, SIGN_IN, {"u": "dm.gaya", "p": "not-the-password"}))["authSignInPassword"]
    assert wrong["__typename"] == "OperationError" and wrong["code"] == "INVALID_CREDENTIALS"


async def test_citizen_otp_sign_in_via_the_sms_log(http: httpx.AsyncClient, live_server: LiveServer) -> None:
    already_sent = len(live_server.sms_messages())
    sent = (await gql(http, REQUEST_OTP, {"m": DEMO_CITIZEN_MOBILE}))["authRequestOtp"]
    assert sent["__typename"] == "OtpSent", sent

    # The log gateway appends before the mutation answers; the deadline only guards
    # against a slow filesystem, not a race the server is supposed to have.
    ours = await asyncio.wait_for(sms_to(live_server, DEMO_CITIZEN_MOBILE, skip=already_sent), STEP_TIMEOUT_S)
    sms = ours[-1]
    assert set(sms) == {"to", "text", "sent_at"}
    code = sms["text"].split()[0]
    assert code.isdigit() and len(code) == 6, sms

    signed_in = (await gql(http, VERIFY_OTP, {"m": DEMO_CITIZEN_MOBILE, "c": code}))["authVerifyOtp"]
    assert signed_in["__typename"] == "SignInSuccess", signed_in
    assert signed_in["viewer"]["kind"] == "CITIZEN"
    assert (await gql(http, VIEWER, token=signed_in["token"]))["viewer"]["kind"] == "CITIZEN"

    reused = (await gql(http, VERIFY_OTP, {"m": DEMO_CITIZEN_MOBILE, "c": code}))["authVerifyOtp"]
    assert reused["__typename"] == "OperationError"


# --- graphql-transport-ws -----------------------------------------------------------


async def test_heartbeat_subscription_as_staff(http: httpx.AsyncClient, live_server: LiveServer) -> None:
    token = await staff_token(http)
    async with ws_connect(live_server) as ws:
        assert ws.subprotocol == SUBPROTOCOL
        await send(ws, {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        assert await receive(ws) == {"type": "connection_ack", "payload": {"viewer": "staff"}}

        await send(ws, {"id": "hb", "type": "subscribe", "payload": {"query": HEARTBEAT}})
        ticks = []
        for _ in range(3):
            message = await receive(ws)
            assert message["type"] == "next" and message["id"] == "hb", message
            assert "errors" not in message["payload"], message
            ticks.append(message["payload"]["data"]["heartbeat"])
        assert await receive(ws) == {"id": "hb", "type": "complete"}

        assert [t["sequence"] for t in ticks] == [1, 2, 3]
        assert len({t["serverId"] for t in ticks}) == 1
        assert [t["at"] for t in ticks] == sorted(t["at"] for t in ticks)

        # The connection stays usable after the subscription completes.
        await send(ws, {"type": "ping"})
        assert (await receive(ws))["type"] == "pong"


async def test_anonymous_connection_is_acknowledged_as_anonymous(live_server: LiveServer) -> None:
    async with ws_connect(live_server) as ws:
        await send(ws, {"type": "connection_init", "payload": {}})
        assert await receive(ws) == {"type": "connection_ack", "payload": {"viewer": "anonymous"}}


async def test_invalid_bearer_token_is_closed_with_4403(live_server: LiveServer) -> None:
    async with ws_connect(live_server) as ws:
        await send(ws, {"type": "connection_init", "payload": {"authorization": "Bearer not-a-real-token"}})
        with pytest.raises(ConnectionClosed):
            await receive(ws)
        assert ws.close_code == 4403, (ws.close_code, ws.close_reason)


async def test_foreign_origin_handshake_is_refused(live_server: LiveServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with ws_connect(live_server, origin="https://evil.example"):
            pass
    assert refused.value.response.status_code == 403
