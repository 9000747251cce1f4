"""Web Push (VAPID, RFC 8030/8291/8292): device subscriptions and the push gateway.

A signed-in citizen or official registers each browser's subscription. Our server then
POSTs encrypted messages to the subscription's endpoint - a URL chosen by the client -
so endpoints are accepted only on the known push services' hosts over HTTPS (never an
address inside our network); `push_allow_loopback` lets tests use a fake service on
127.0.0.1.

Delivery is at least once per subscription: a message goes to every subscription of
the recipient; if some fail with a retryable error the whole row is retried, and the
devices that already had it may show it twice (the service worker collapses repeats by
`tag`). A 404 or 410 means the browser dropped the subscription: it is deleted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import aiohttp
from py_vapid import Vapid02
from pywebpush import WebPusher
from tortoise.expressions import Q

from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.notifications.gateways import Delivery, PermanentFailure, RecipientGone
from backend.notifications.models import PushSubscription
from backend.settings import Settings

log = logging.getLogger(__name__)

# The browsers' push services (Chrome/Android, Firefox, Edge/Windows, Safari).
PUSH_HOSTS = ("fcm.googleapis.com", "updates.push.services.mozilla.com", "push.services.mozilla.com",
              "notify.windows.com", "push.apple.com")
TTL_SECONDS = 24 * 3600
URGENT = frozenset({"escalated_to_you", "dispute_to_decide", "rts_appeal_to_you", "reminder_due", "appeal_upheld",
                    "grievance_closed", "grievance_rejected", "info_requested"})
MAX_PER_PERSON = 10


def _b64(raw: str, length: int, field: str, errors: list[FieldError]) -> str:
    text = (raw or "").strip()
    try:
        decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != length or (field == "p256dh" and decoded[:1] != b"\x04"):
        errors.append(FieldError(field, "is not a valid key from the browser's PushSubscription"))
    return text


def _endpoint(settings: Settings, raw: str, errors: list[FieldError]) -> str:
    url = (raw or "").strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    known = parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in PUSH_HOSTS)
    loopback = settings.push_allow_loopback and parts.scheme in ("http", "https") and host in ("127.0.0.1",
                                                                                                 "localhost")
    if len(url) > 2000 or not (known or loopback):
        errors.append(FieldError("endpoint", "must be an https address of a browser push service"))
    return url


def _owner(actor: Actor) -> Q:
    if actor.kind is ActorKind.CITIZEN:
        return Q(citizen_id=actor.id)
    return Q(staff_user_id=actor.id)


def _signed_in(actor: Actor) -> None:
    if actor.kind not in (ActorKind.CITIZEN, ActorKind.STAFF) or actor.id is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")


async def subscribe(settings: Settings, actor: Actor, *, endpoint: str, p256dh: str, auth: str, user_agent: str = "",
                    now: datetime) -> PushSubscription:
    """Register (or move to this person) a browser's subscription."""
    _signed_in(actor)
    errors: list[FieldError] = []
    url = _endpoint(settings, endpoint, errors)
    key = _b64(p256dh, 65, "p256dh", errors)
    secret = _b64(auth, 16, "auth", errors)
    if errors:
        raise validation_error(errors)
    digest = hashlib.sha256(url.encode()).hexdigest()
    owner: dict[str, object] = {"citizen_id": actor.id if actor.kind is ActorKind.CITIZEN else None,
                                "staff_user_id": actor.id if actor.kind is ActorKind.STAFF else None}
    existing = await PushSubscription.get_or_none(endpoint_hash=digest)
    if existing is not None:
        # The same browser, signed in as someone else now: it follows its new owner.
        await PushSubscription.filter(id=existing.id).update(p256dh=key, auth=secret, user_agent=user_agent[:300],
                                                             **owner)
        return await PushSubscription.get(id=existing.id)
    if await PushSubscription.filter(_owner(actor)).count() >= MAX_PER_PERSON:
        oldest = await PushSubscription.filter(_owner(actor)).order_by("created_at", "id").first()
        if oldest is not None:
            await oldest.delete()
    return await PushSubscription.create(endpoint_hash=digest, endpoint=url, p256dh=key, auth=secret,
                                         user_agent=user_agent[:300], created_at=now,
                                         citizen_id=owner["citizen_id"], staff_user_id=owner["staff_user_id"])


async def unsubscribe(actor: Actor, *, endpoint: str) -> bool:
    """Remove one of the actor's own subscriptions; another person's is left alone."""
    _signed_in(actor)
    digest = hashlib.sha256((endpoint or "").strip().encode()).hexdigest()
    return bool(await PushSubscription.filter(_owner(actor), endpoint_hash=digest).delete())


def _recipient_q(recipient: str) -> Q:
    kind, _, raw = recipient.partition(":")
    if not raw.isdigit() or kind not in ("citizen", "staff"):
        raise PermanentFailure(f"not a push recipient: {recipient!r}")
    return Q(citizen_id=int(raw)) if kind == "citizen" else Q(staff_user_id=int(raw))


@dataclass(frozen=True)
class PushResult:
    delivered: int
    removed: int


class WebPushGateway:
    """The push channel's gateway: one encrypted message to each of the recipient's devices."""

    def __init__(self, settings: Settings, timeout_seconds: float = 10) -> None:
        self.settings = settings
        self.vapid = Vapid02.from_string(settings.vapid_private_key)
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    def payload(self, delivery: Delivery) -> bytes:
        data = delivery.data
        body = {
            "grievanceId": str(data.get("grievance_id", "")), "number": str(data.get("number", "")),
            "status": str(data.get("status", "")), "title": delivery.subject or "Grievance update",
            "body": delivery.text[:1000], "tag": f"grievance-{data.get('grievance_id', '')}",
            "url": f"/#/grievances/{data['grievance_id']}" if data.get("grievance_id") else "/",
        }
        return json.dumps(body, ensure_ascii=False).encode()

    def _headers(self, endpoint: str, delivery: Delivery) -> dict[str, str]:
        parts = urlsplit(endpoint)
        now = int((delivery.sent_at or datetime.now().astimezone()).timestamp())
        claims = {"aud": f"{parts.scheme}://{parts.netloc}", "exp": now + 12 * 3600, "sub": self.settings.vapid_subject}
        headers: dict[str, str] = self.vapid.sign(claims)
        headers["Urgency"] = "high" if delivery.template in URGENT else "normal"
        return headers

    async def send(self, delivery: Delivery) -> None:
        subscriptions = await PushSubscription.filter(_recipient_q(delivery.recipient)).order_by("id")
        if not subscriptions:
            raise RecipientGone("no push subscription")
        body = self.payload(delivery)
        failures: list[str] = []
        removed = 0
        async with aiohttp.ClientSession(timeout=self.timeout) as session:
            for sub in subscriptions:
                info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
                try:
                    response = await WebPusher(info, aiohttp_session=session).send_async(
                        data=body, headers=self._headers(sub.endpoint, delivery), ttl=TTL_SECONDS,
                        timeout=self.timeout)
                except (aiohttp.ClientError, TimeoutError) as error:
                    failures.append(f"{urlsplit(sub.endpoint).hostname}: {error!r}")
                    continue
                status = response.status if isinstance(response, aiohttp.ClientResponse) else 0
                if status in (404, 410):
                    await sub.delete()
                    removed += 1
                elif 200 <= status < 300:
                    await PushSubscription.filter(id=sub.id).update(last_used_at=delivery.sent_at)
                elif status == 429 or status >= 500:
                    failures.append(f"{urlsplit(sub.endpoint).hostname}: HTTP {status}")
                else:  # 400, 401, 403, 413: our request is wrong for this service; log it, do not retry
                    log.warning("push service refused a message (HTTP %s) for subscription %s", status, sub.id)
        if removed == len(subscriptions):
            raise RecipientGone("every push subscription of the recipient has expired")
        if failures:
            raise ConnectionError("push failed for " + "; ".join(failures))
