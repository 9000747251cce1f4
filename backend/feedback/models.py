"""Feedback on a disposed grievance, and who has seen it.

Feedback belongs to one round of the grievance (`Grievance.escalation_round`: a remand
or an appeal starts a new one), so a citizen rates each disposal once. Seed 002: the
feedback is in front of every official before they send an ATR upward; `FeedbackView`
records who has seen which feedback, and the report services refuse to forward while
some of it is unseen by the actor.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from backend.accounts.models import StaffUser
from backend.grievances.models import Grievance


class FeedbackSource(StrEnum):
    CITIZEN = "citizen"          # the PWA (or the signed SMS link)
    CALL_CENTRE = "call_centre"  # an agent's feedback call


class Feedback(Model):
    id = fields.BigIntField(primary_key=True)
    grievance: fields.ForeignKeyRelation[Grievance] = fields.ForeignKeyField(
        "models.Grievance", related_name="feedback", on_delete=fields.CASCADE
    )
    round = fields.IntField()
    source = fields.CharEnumField(FeedbackSource, max_length=16)
    resolved = fields.BooleanField()
    rating = fields.IntField(null=True)  # 1-5
    remarks = fields.TextField(default="")
    agent: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "fb_feedback"
        unique_together = (("grievance", "round", "source"),)


class FeedbackView(Model):
    id = fields.BigIntField(primary_key=True)
    feedback: fields.ForeignKeyRelation[Feedback] = fields.ForeignKeyField(
        "models.Feedback", related_name="views", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, on_delete=fields.CASCADE
    )
    viewed_at = fields.DatetimeField()

    class Meta:
        table = "fb_feedback_view"
        unique_together = (("feedback", "user"),)
