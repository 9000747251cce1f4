"""The outbox dispatcher: sends once, retries with back-off, dead-letters, never twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from backend.notifications.gateways import Delivery, Gateway, PermanentFailure, RecipientGone, SmsDeliveries
from backend.notifications.models import OutboxChannel, OutboxMessage, OutboxStatus
from backend.notifications.outbox import MAX_ATTEMPTS, dispatch_due, enqueue
from backend.notifications.sms import LogSmsGateway
from tests.conftest import NOW

pytestmark = pytest.mark.usefixtures("db")


def sms_only(gateway: Gateway | LogSmsGateway) -> dict[OutboxChannel, Gateway]:
    return {OutboxChannel.SMS: SmsDeliveries(gateway) if isinstance(gateway, LogSmsGateway) else gateway}


async def _queue(key: str = "grievance:1:filed:sms") -> None:
    await enqueue(key=key, channel=OutboxChannel.SMS, recipient="9876543210", template="grievance_filed",
                  language="hi", payload={"number": "GOB/W/2026/0000001"}, now=NOW)


async def test_enqueue_is_idempotent_and_dispatch_sends_once_in_the_recipients_language() -> None:
    await _queue()
    await _queue()
    assert await OutboxMessage.all().count() == 1
    sms = LogSmsGateway()
    assert await dispatch_due(sms_only(sms), NOW) == 1
    assert await dispatch_due(sms_only(sms), NOW + timedelta(minutes=5)) == 0
    assert len(sms.sent) == 1 and "GOB/W/2026/0000001" in sms.sent[0].text and "शिकायत" in sms.sent[0].text
    assert (await OutboxMessage.get()).status is OutboxStatus.SENT


async def test_concurrent_dispatchers_never_send_one_message_twice() -> None:
    for i in range(30):
        await _queue(f"grievance:{i}:filed:sms")
    sms = LogSmsGateway()
    sent = await asyncio.gather(*[dispatch_due(sms_only(sms), NOW) for _ in range(4)])
    assert sum(sent) == 30 and len(sms.sent) == 30


class FailingGateway:
    def __init__(self) -> None:
        self.calls = 0

    async def send(self, delivery: Delivery) -> None:
        self.calls += 1
        raise ConnectionError("gateway down")


async def test_failures_back_off_then_dead_letter() -> None:
    await _queue()
    gateway = FailingGateway()
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert await dispatch_due(sms_only(gateway), now) == 0
        row = await OutboxMessage.get()
        assert row.attempts == attempt and "gateway down" in row.last_error
        # Not retried before its back-off has passed.
        assert await dispatch_due(sms_only(gateway), now) == 0 and gateway.calls == attempt
        now = row.next_attempt_at
    assert (await OutboxMessage.get()).status is OutboxStatus.DEAD
    # Back online: a dead letter stays dead (an operator re-queues it), nothing else is lost.
    assert await dispatch_due(sms_only(LogSmsGateway()), now + timedelta(days=1)) == 0


async def test_rows_for_channels_without_a_gateway_wait_intact() -> None:
    await enqueue(key="grievance:1:event:9:email", channel=OutboxChannel.EMAIL, recipient="sita@example.in",
                  template="grievance_closed", language="en", payload={"number": "X"}, now=NOW)
    assert await dispatch_due(sms_only(LogSmsGateway()), NOW + timedelta(days=2)) == 0
    row = await OutboxMessage.get()
    assert row.status is OutboxStatus.PENDING and row.attempts == 0


class Refusing:
    def __init__(self, error: Exception) -> None:
        self.error = error

    async def send(self, delivery: Delivery) -> None:
        raise self.error


async def test_a_permanent_failure_is_dead_at_once_and_a_gone_recipient_is_skipped() -> None:
    await _queue("a")
    assert await dispatch_due(sms_only(Refusing(PermanentFailure("DLT template not registered"))), NOW) == 0
    row = await OutboxMessage.get(idempotency_key="a")
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.DEAD, 1, "DLT template not registered")
    await enqueue(key="b", channel=OutboxChannel.PUSH, recipient="citizen:7", template="grievance_filed",
                  language="en", payload={"number": "X"}, now=NOW)
    gone = {OutboxChannel.PUSH: Refusing(RecipientGone("no push subscription"))}
    assert await dispatch_due(gone, NOW) == 0  # type: ignore[arg-type]
    row = await OutboxMessage.get(idempotency_key="b")
    assert row.status is OutboxStatus.SKIPPED and "no push subscription" in row.last_error
    assert await dispatch_due(gone, NOW + timedelta(days=1)) == 0  # type: ignore[arg-type]


class Recording:
    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []

    async def send(self, delivery: Delivery) -> None:
        self.deliveries.append(delivery)


async def test_a_delivery_carries_the_rendered_text_subject_and_enriched_payload() -> None:
    await enqueue(key="c", channel=OutboxChannel.EMAIL, recipient="sita@example.in", template="grievance_closed",
                  language="hi", payload={"number": "BR/A/2026/0000001", "grievance_id": 5, "status": "closed"},
                  now=NOW)
    mail = Recording()
    sent = await dispatch_due({OutboxChannel.EMAIL: mail}, NOW, enrich=lambda p: {**p, "extra": "yes"})
    assert sent == 1
    d = mail.deliveries[0]
    assert d.subject == "शिकायत BR/A/2026/0000001 का निष्पादन" and "BR/A/2026/0000001" in d.text
    assert d.data == {"grievance_id": 5, "number": "BR/A/2026/0000001", "status": "closed"}
    assert d.params["extra"] == "yes" and d.message_id == (await OutboxMessage.get(idempotency_key="c")).id
