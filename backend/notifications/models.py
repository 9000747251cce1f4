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


class PushSubscription(Model):
    """One browser's Web Push subscription (the PWA registers it after sign-in).

    `endpoint_hash` (SHA-256 of the endpoint) is the unique key: endpoints run to
    hundreds of characters, too long for a portable unique index."""

    id = fields.BigIntField(primary_key=True)
    endpoint_hash = fields.CharField(max_length=64, unique=True)
    endpoint = fields.TextField()
    p256dh = fields.CharField(max_length=128)
    auth = fields.CharField(max_length=64)
    citizen_id = fields.IntField(null=True, db_index=True)
    staff_user_id = fields.IntField(null=True, db_index=True)
    user_agent = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField()
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "ntf_push_subscription"
