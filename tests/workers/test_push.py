"""Web Push against a fake push service on 127.0.0.1 that does what a browser vendor's
does: checks the VAPID JWT and headers, and - holding the browser's keys - decrypts the
aes128gcm payload."""

from __future__ import annotations

import base64
import json
import os
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import http_ece
import jwt
import pytest
import pytest_asyncio
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError
from backend.notifications.gateways import Delivery, RecipientGone
from backend.notifications.models import OutboxChannel, PushSubscription
from backend.notifications.push import TTL_SECONDS, WebPushGateway, subscribe, unsubscribe
from backend.settings import Settings
from tests.conftest import NOW

pytestmark = pytest.mark.usefixtures("db")
CITIZEN = Actor(kind=ActorKind.CITIZEN, id=42)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Browser:
    """A device's push keys, as a browser's PushManager makes them."""

    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64(self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                      serialization.PublicFormat.UncompressedPoint))


@dataclass
class FakePushService:
    base: str
    answers: dict[str, int] = field(default_factory=dict)  # path -> status to answer
    received: list[dict[str, Any]] = field(default_factory=list)

    def endpoint(self, name: str) -> str:
        return f"{self.base}/push/{name}"


@pytest_asyncio.fixture
async def push_service() -> AsyncIterator[FakePushService]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    service = FakePushService(f"http://127.0.0.1:{port}")

    async def receive(request: web.Request) -> web.Response:
        service.received.append({"path": request.path, "headers": {k.lower(): v for k, v in request.headers.items()},
                                 "body": await request.read()})
        return web.Response(status=service.answers.get(request.path, 201))

    app = web.Application()
    app.router.add_post("/push/{name}", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield service
    await runner.cleanup()


@pytest.fixture
def push_settings(settings: Settings) -> Settings:
    return replace(settings, push_allow_loopback=True)


def delivery(template: str = "escalated_to_you") -> Delivery:
    return Delivery(channel=OutboxChannel.PUSH, recipient="citizen:42", template=template, language="hi",
                    text="शिकायत BR/W/2026/0000007 का निष्पादन कर दिया गया है।", subject="शिकायत BR/W/2026/0000007",
                    data={"grievance_id": 7, "number": "BR/W/2026/0000007", "status": "closed"}, sent_at=NOW)


def opened(browser: Browser, body: bytes) -> dict[str, Any]:
    plain = http_ece.decrypt(body, private_key=browser.key, auth_secret=browser.auth, version="aes128gcm")
    data: dict[str, Any] = json.loads(plain)
    return data


def check_vapid(settings: Settings, headers: dict[str, str], endpoint_origin: str) -> dict[str, Any]:
    scheme, _, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(p.split("=", 1) for p in params.split(","))
    assert parts["k"] == settings.vapid_public_key
    raw = base64.urlsafe_b64decode(parts["k"] + "=" * (-len(parts["k"]) % 4))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    claims: dict[str, Any] = jwt.decode(parts["t"], key=public, algorithms=["ES256"], audience=endpoint_origin,
                                        options={"verify_exp": False})
    return claims


async def test_a_message_reaches_every_device_encrypted_and_signed(push_settings: Settings,
                                                                   push_service: FakePushService) -> None:
    phone, laptop = Browser(), Browser()
    for name, browser in (("phone", phone), ("laptop", laptop)):
        await subscribe(push_settings, CITIZEN, endpoint=push_service.endpoint(name), p256dh=browser.p256dh,
                        auth=b64(browser.auth), now=NOW)
    gateway = WebPushGateway(push_settings)
    await gateway.send(delivery())
    assert [r["path"] for r in push_service.received] == ["/push/phone", "/push/laptop"]
    for request, browser in zip(push_service.received, (phone, laptop), strict=True):
        headers = request["headers"]
        assert headers["content-encoding"] == "aes128gcm" and headers["ttl"] == str(TTL_SECONDS)
        assert headers["urgency"] == "high"
        claims = check_vapid(push_settings, headers, push_service.base)
        assert claims["sub"] == "mailto:test@localhost"
        assert NOW.timestamp() < claims["exp"] <= (NOW + timedelta(hours=24)).timestamp()
        message = opened(browser, request["body"])
        assert message == {"grievanceId": "7", "number": "BR/W/2026/0000007", "status": "closed",
                           "title": "शिकायत BR/W/2026/0000007", "body": delivery().text, "tag": "grievance-7",
                           "url": "/#/grievances/7"}
    assert await PushSubscription.filter(last_used_at=NOW).count() == 2


async def test_a_gone_subscription_is_deleted_and_a_server_error_retried(push_settings: Settings,
                                                                         push_service: FakePushService) -> None:
    browser = Browser()
    await subscribe(push_settings, CITIZEN, endpoint=push_service.endpoint("old"), p256dh=browser.p256dh,
                    auth=b64(browser.auth), now=NOW)
    push_service.answers["/push/old"] = 410
    with pytest.raises(RecipientGone):
        await WebPushGateway(push_settings).send(delivery("grievance_allotted"))
    assert await PushSubscription.all().count() == 0
    with pytest.raises(RecipientGone):  # nobody left to push to
        await WebPushGateway(push_settings).send(delivery())

    await subscribe(push_settings, CITIZEN, endpoint=push_service.endpoint("busy"), p256dh=browser.p256dh,
                    auth=b64(browser.auth), now=NOW)
    push_service.answers["/push/busy"] = 503
    with pytest.raises(ConnectionError):
        await WebPushGateway(push_settings).send(delivery("grievance_allotted"))
    assert push_service.received[-1]["headers"]["urgency"] == "normal"
    assert await PushSubscription.all().count() == 1


async def test_subscriptions_are_checked_and_owned(settings: Settings, push_settings: Settings) -> None:
    browser = Browser()
    with pytest.raises(DomainError) as bad:
        await subscribe(settings, CITIZEN, endpoint="http://127.0.0.1:9/push/x", p256dh="abc", auth="", now=NOW)
    assert {e.field for e in bad.value.field_errors} == {"endpoint", "p256dh", "auth"}
    # An internal address is never a push service in production settings.
    for endpoint in ("https://10.0.0.5/push", "https://fcm.googleapis.com.evil.example/x", "ftp://fcm.googleapis.com/"):
        with pytest.raises(DomainError):
            await subscribe(settings, CITIZEN, endpoint=endpoint, p256dh=browser.p256dh, auth=b64(browser.auth),
                            now=NOW)
    row = await subscribe(settings, CITIZEN, endpoint="https://fcm.googleapis.com/fcm/send/abc",
                          p256dh=browser.p256dh, auth=b64(browser.auth), now=NOW)
    assert row.citizen_id == 42
    with pytest.raises(DomainError):
        await subscribe(settings, Actor(kind=ActorKind.ANONYMOUS), endpoint=row.endpoint, p256dh=browser.p256dh,
                        auth=b64(browser.auth), now=NOW)
    # Someone else cannot remove it; the owner can.
    assert await unsubscribe(Actor(kind=ActorKind.CITIZEN, id=43), endpoint=row.endpoint) is False
    assert await unsubscribe(CITIZEN, endpoint=row.endpoint) is True
    assert await PushSubscription.all().count() == 0
