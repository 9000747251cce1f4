"""Feedback calls: one per disposal (grievance and round), worked by call-centre agents.

A call is leased, not locked: an agent claims it for LEASE minutes by a
compare-and-set on `version`, so two agents never work the same call, and a call
left by an agent who went away returns to the queue when its lease runs out.
`sensitive` and `closed_at` are copied from the grievance so the queue is read and
ordered from this one table.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from backend.accounts.models import StaffUser
from backend.attachments.models import Attachment
from backend.grievances.models import Grievance


class CallStatus(StrEnum):
    QUEUED = "queued"
    CLAIMED = "claimed"
    DONE = "done"
    UNREACHABLE = "unreachable"
    # Never made, and kept so that the call centre's figures show it: the feedback
    # window closed first, or the grievance moved on (disputed, appealed) before the call.
    EXPIRED = "expired"
    MOOT = "moot"


class FeedbackCall(Model):
    id = fields.BigIntField(primary_key=True)
    grievance: fields.ForeignKeyRelation[Grievance] = fields.ForeignKeyField(
        "models.Grievance", related_name="feedback_calls", on_delete=fields.CASCADE
    )
    round = fields.IntField()
    status = fields.CharEnumField(CallStatus, max_length=16, default=CallStatus.QUEUED)
    attempts = fields.IntField(default=0)
    claimed_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    lease_until = fields.DatetimeField(null=True)
    next_attempt_at = fields.DatetimeField()
    sensitive = fields.BooleanField(default=False)
    closed_at = fields.DatetimeField()
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    version = fields.IntField(default=1)

    class Meta:
        table = "cc_feedback_call"
        unique_together = (("grievance", "round"),)
        indexes = (("status", "next_attempt_at"),)


class CallAttempt(Model):
    id = fields.BigIntField(primary_key=True)
    call: fields.ForeignKeyRelation[FeedbackCall] = fields.ForeignKeyField(
        "models.FeedbackCall", related_name="attempt_rows", on_delete=fields.CASCADE
    )
    agent: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, on_delete=fields.RESTRICT
    )
    reached = fields.BooleanField()
    resolved = fields.BooleanField(null=True)
    rating = fields.IntField(null=True)
    remarks = fields.TextField(default="")
    recording: fields.ForeignKeyNullableRelation[Attachment] = fields.ForeignKeyField(
        "models.Attachment", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "cc_call_attempt"
