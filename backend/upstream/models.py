"""The upstream sync's state: which grievance came from which registration number, the
pull and push cursors, and the queue of updates to push back."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class UpstreamLink(Model):
    id = fields.BigIntField(primary_key=True)
    registration_number = fields.CharField(max_length=120, unique=True)
    grievance: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Grievance", related_name="upstream_links", on_delete=fields.CASCADE, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "upstream_link"


class UpstreamState(Model):
    """Cursors: `pull` (the upstream's opaque cursor), `events` (last event id queued)."""

    name = fields.CharField(max_length=32, primary_key=True)
    value = fields.CharField(max_length=500, default="")

    class Meta:
        table = "upstream_state"


class PushStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"


class UpstreamPush(Model):
    id = fields.BigIntField(primary_key=True)
    event_id = fields.BigIntField(unique=True)
    grievance_id = fields.BigIntField(db_index=True)
    registration_number = fields.CharField(max_length=120)
    body: fields.Field[dict[str, Any]] = fields.JSONField()
    status = fields.CharEnumField(PushStatus, max_length=16, default=PushStatus.PENDING, db_index=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "upstream_push"
