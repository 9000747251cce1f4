"""Writing to the outbox (inside a use case's transaction) and dispatching from it.

Writing: `enqueue` adds one message keyed by an idempotency key built from the event
that caused it, so replaying a use case cannot queue it twice. Dispatching: a row is
claimed by a compare-and-set from pending to sending, so two dispatchers never send
the same row; failures retry with exponential back-off and end as dead letters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from backend.core import bulk
from backend.notifications.gateways import Delivery, Gateway, PermanentFailure, RecipientGone
from backend.notifications.models import OutboxChannel, OutboxMessage, OutboxStatus
from backend.notifications.templates import TEMPLATES, render, subject

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A claim older than this belongs to a dispatcher that died mid-send.
STALE_CLAIM = timedelta(minutes=10)


async def enqueue(
    *, key: str, channel: OutboxChannel, recipient: str, template: str, language: str,
    payload: dict[str, object], now: datetime,
) -> None:
    await enqueue_many([{"key": key, "channel": channel, "recipient": recipient, "template": template,
                         "language": language, "payload": payload}], now)


async def enqueue_many(messages: list[dict[str, Any]], now: datetime) -> int:
    """`enqueue` for many messages (each as its keyword arguments, without `now`) in one
    insert; returns how many were queued. Inside the caller's transaction."""
    for m in messages:
        if m["template"] not in TEMPLATES:
            raise ValueError(f"unknown template {m['template']!r}")
    wanted = {m["key"]: m for m in messages if m["recipient"]}
    if not wanted:
        return 0
    rows = [{"idempotency_key": k, "channel": m["channel"], "recipient": m["recipient"], "template": m["template"],
             "language": m["language"], "payload": m["payload"], "next_attempt_at": now, "created_at": now}
            for k, m in wanted.items()]
    # A key already queued (a replayed sweep) is skipped by the unique index itself, also
    # when another transaction is queueing it right now.
    return await bulk.insert_values(OutboxMessage, rows, ignore_conflict_on=("idempotency_key",))


# Rows done with (sent, or skipped for a recipient gone) leave the outbox after this
# long: each grievance queues about five messages, a third of the database at 1 M
# grievances (tests/bench), while the audit trail keeps the record of what was decided.
# Dead letters stay until an operator has seen them.
PURGE_BATCH = 5000


async def purge_done(now: datetime, retention: timedelta, *, batch: int = PURGE_BATCH) -> int:
    """Delete sent and skipped rows older than `retention`, a batch per transaction, so a
    first run over years of rows holds no lock for long; returns how many. Idempotent."""
    cutoff = now - retention
    removed = 0
    while True:
        ids = await OutboxMessage.filter(status__in=[OutboxStatus.SENT, OutboxStatus.SKIPPED],
                                         next_attempt_at__lt=cutoff).limit(batch).values_list(
            "id", flat=True)
        if not ids:
            return removed
        removed += await OutboxMessage.filter(id__in=list(ids), status__in=[OutboxStatus.SENT, OutboxStatus.SKIPPED]
                                              ).delete()
        if len(ids) < batch:
            return removed


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


Enrich = Callable[[Mapping[str, object]], Mapping[str, object]]


async def dispatch_due(gateways: Mapping[OutboxChannel, Gateway], now: datetime, *, limit: int = 200,
                       enrich: Enrich | None = None) -> int:
    """Send what is due; returns how many were sent. Safe to run concurrently.

    `enrich` adds what only the dispatcher can compute to a payload before rendering
    (e.g. a signed link, which needs the secret key)."""
    await OutboxMessage.filter(status=OutboxStatus.SENDING, next_attempt_at__lt=now - STALE_CLAIM).update(
        status=OutboxStatus.PENDING
    )
    # Only channels with a gateway are claimed: rows of an unconfigured channel wait,
    # intact, for it to be configured instead of dying of retries.
    due = await OutboxMessage.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now,
                                     channel__in=sorted(gateways)).order_by("id").limit(limit)
    sent = 0
    for message in due:
        claimed = await OutboxMessage.filter(id=message.id, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.SENDING, next_attempt_at=now
        )
        if not claimed:
            continue  # another dispatcher has it
        try:
            await gateways[message.channel].send(delivery_of(message, now, enrich))
        except RecipientGone as gone:
            await _finish(message, OutboxStatus.SKIPPED, now, f"recipient gone: {gone}")
            continue
        except PermanentFailure as failure:
            log.warning("outbox %s rejected for good: %s", message.id, failure)
            await _finish(message, OutboxStatus.DEAD, now, str(failure))
            continue
        except Exception as error:  # any other gateway failure is retried, then dead-lettered
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


async def _finish(message: OutboxMessage, status: OutboxStatus, now: datetime, reason: str) -> None:
    await OutboxMessage.filter(id=message.id).update(status=status, attempts=message.attempts + 1, sent_at=None,
                                                    next_attempt_at=now, last_error=reason[:2000])


def delivery_of(message: OutboxMessage, now: datetime, enrich: Enrich | None = None) -> Delivery:
    payload: Mapping[str, object] = message.payload or {}
    if enrich is not None:
        payload = enrich(payload)
    return Delivery(
        channel=message.channel, recipient=message.recipient, template=message.template, language=message.language,
        text=render(message.template, message.language, payload),
        subject=subject(message.template, message.language, payload),
        params={k: str(v) for k, v in payload.items() if isinstance(v, str | int | float)},
        data={k: payload[k] for k in ("grievance_id", "number", "status") if k in payload},
        message_id=message.id, sent_at=now,
    )
