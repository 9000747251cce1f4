"""Writing to the outbox (inside a use case's transaction) and dispatching from it.

Writing: `enqueue` adds one message keyed by an idempotency key built from the event
that caused it, so replaying a use case cannot queue it twice. Dispatching: a row is
claimed by a compare-and-set from pending to sending, so two dispatchers never send
the same row; failures retry with exponential back-off and end as dead letters.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from backend.notifications.models import OutboxChannel, OutboxMessage, OutboxStatus
from backend.notifications.sms import SmsGateway, SmsMessage
from backend.notifications.templates import TEMPLATES, render

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
GATEWAY_CHANNELS = frozenset({OutboxChannel.SMS})
# A claim older than this belongs to a dispatcher that died mid-send.
STALE_CLAIM = timedelta(minutes=10)


async def enqueue(
    *, key: str, channel: OutboxChannel, recipient: str, template: str, language: str,
    payload: dict[str, object], now: datetime,
) -> None:
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}")
    if not recipient or await OutboxMessage.exists(idempotency_key=key):
        return
    await OutboxMessage.create(
        idempotency_key=key, channel=channel, recipient=recipient, template=template, language=language,
        payload=payload, next_attempt_at=now, created_at=now,
    )


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


async def dispatch_due(sms: SmsGateway, now: datetime, *, limit: int = 200) -> int:
    """Send what is due; returns how many were sent. Safe to run concurrently."""
    await OutboxMessage.filter(status=OutboxStatus.SENDING, next_attempt_at__lt=now - STALE_CLAIM).update(
        status=OutboxStatus.PENDING
    )
    # Only channels with a gateway are claimed: e-mail, WhatsApp and push rows wait,
    # intact, for their gateways (the notifications issue) instead of dying of retries.
    due = await OutboxMessage.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now,
                                     channel__in=sorted(GATEWAY_CHANNELS)).order_by("id").limit(limit)
    sent = 0
    for message in due:
        claimed = await OutboxMessage.filter(id=message.id, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.SENDING, next_attempt_at=now
        )
        if not claimed:
            continue  # another dispatcher has it
        try:
            await _send(sms, message, now)
        except Exception as error:  # any gateway failure is retried, then dead-lettered
            attempts = message.attempts + 1
            dead = attempts >= MAX_ATTEMPTS
            log.warning("outbox %s failed (attempt %d): %s", message.id, attempts, error)
            await OutboxMessage.filter(id=message.id).update(
                status=OutboxStatus.DEAD if dead else OutboxStatus.PENDING, attempts=attempts,
                next_attempt_at=now + backoff(attempts), last_error=str(error)[:2000],
            )
            continue
        await OutboxMessage.filter(id=message.id).update(status=OutboxStatus.SENT, sent_at=now,
                                                        attempts=message.attempts + 1)
        sent += 1
    return sent


async def _send(sms: SmsGateway, message: OutboxMessage, now: datetime) -> None:
    text = render(message.template, message.language, message.payload)
    if message.channel is OutboxChannel.SMS:
        await sms.send(SmsMessage(to=message.recipient, text=text, sent_at=now))
        return
    raise RuntimeError(f"no gateway for {message.channel.value}")  # pragma: no cover - not claimed
