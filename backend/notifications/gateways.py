"""The port every delivery channel implements, and how a failure is classified.

The dispatcher renders an outbox row into a `Delivery` and hands it to the gateway of
its channel. A gateway returns normally when the message was accepted, raises
`RecipientGone` when the recipient no longer exists (a push subscription the browser
dropped: nothing to retry, nothing to send), `PermanentFailure` when retrying cannot
help (an invalid number, a template the operator rejected), and any other exception
for a failure worth retrying with back-off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from backend.notifications.models import OutboxChannel
from backend.notifications.sms import SmsGateway, SmsMessage


@dataclass(frozen=True)
class Delivery:
    channel: OutboxChannel
    recipient: str          # a mobile number, an e-mail address, or "citizen:<id>" / "staff:<id>" for push
    template: str           # the template key (operators' DLT / WhatsApp template ids are looked up by it)
    language: str
    text: str               # the rendered plain text (SMS, WhatsApp fallback, push body, e-mail text part)
    subject: str = ""       # e-mail subject and push title
    html: str = ""          # e-mail HTML part
    params: Mapping[str, str] = field(default_factory=dict)  # the template's variables, rendered as text
    data: Mapping[str, object] = field(default_factory=dict)  # small structured payload (push: grievance id, status)
    message_id: int = 0     # the outbox row, for idempotency keys at providers that take one
    sent_at: datetime | None = None


class Gateway(Protocol):
    async def send(self, delivery: Delivery) -> None: ...


class PermanentFailure(Exception):
    """Retrying cannot help: the row is dead-lettered at once, with this reason."""


class RecipientGone(Exception):
    """The recipient no longer exists (e.g. a push subscription answered 404 or 410)."""


class SmsDeliveries:
    """Any `SmsGateway` (the one OTPs use too) as the SMS channel's `Gateway`."""

    def __init__(self, sms: SmsGateway) -> None:
        self.sms = sms

    async def send(self, delivery: Delivery) -> None:
        await self.sms.send(SmsMessage(to=delivery.recipient, text=delivery.text,
                                       sent_at=delivery.sent_at or datetime.now().astimezone()))
