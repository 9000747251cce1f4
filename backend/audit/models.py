"""The append-only audit trail (F12), hash-chained per audited object.

Each object (a unit, an account, later a grievance) has its own chain: `seq` counts
from 1 and `prev_hash` is the previous event's `hash`. Chaining per object rather than
globally keeps appends concurrent across objects, while the unique (object, seq) pair
makes two writers racing on one object fail instead of forking its chain.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditEvent(Model):
    id = fields.BigIntField(primary_key=True)
    object_type = fields.CharField(max_length=32)
    object_id = fields.CharField(max_length=64)
    seq = fields.IntField()
    action = fields.CharField(max_length=64)
    occurred_at = fields.DatetimeField()
    actor_kind = fields.CharField(max_length=16)
    actor_id = fields.CharField(max_length=64, default="")
    actor_role = fields.CharField(max_length=32, default="")
    unit_id = fields.IntField(null=True)
    from_state = fields.CharField(max_length=32, default="")
    to_state = fields.CharField(max_length=32, default="")
    note = fields.TextField(default="")
    data: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    prev_hash = fields.CharField(max_length=64, default="")
    hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_event"
        unique_together = (("object_type", "object_id", "seq"),)
