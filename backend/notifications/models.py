"""The durable outbox: every message someone must receive, written with the change.

A use case writes its outbox rows in its own transaction; a dispatcher sends them
after commit. The idempotency key (event + recipient + channel) makes writing the same
message twice impossible, and the status compare-and-set makes sending it twice so.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class OutboxChannel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    PUSH = "push"
    WHATSAPP = "whatsapp"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"        # failed for good, or after every retry: an operator looks at it
    SKIPPED = "skipped"  # nobody to send to any more (e.g. every push subscription gone)


class OutboxMessage(Model):
    id = fields.BigIntField(primary_key=True)
    idempotency_key = fields.CharField(max_length=200, unique=True)
    channel = fields.CharEnumField(OutboxChannel, max_length=16)
    recipient = fields.CharField(max_length=254)
    template = fields.CharField(max_length=64)
    language = fields.CharField(max_length=8, default="en")
    payload: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    status = fields.CharEnumField(OutboxStatus, max_length=16, default=OutboxStatus.PENDING, db_index=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    sent_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "ntf_outbox"
