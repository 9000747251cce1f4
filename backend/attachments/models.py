"""Uploaded files: evidence with a grievance or a report, scanned letters, photos.

The bytes live in a storage port (`backend.attachments.storage`) under a random key;
the row holds what was verified about them (type sniffed from content, size, hash).
An attachment is uploaded first and bound when the grievance or report is submitted,
so the PWA can show upload progress before the citizen confirms.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from backend.grievances.kinds import Visibility
from backend.grievances.models import Grievance, Report


class Attachment(Model):
    id = fields.BigIntField(primary_key=True)
    storage_key = fields.CharField(max_length=128, unique=True)
    filename = fields.CharField(max_length=160)
    content_type = fields.CharField(max_length=64)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    uploaded_by_kind = fields.CharField(max_length=16)
    uploaded_by_id = fields.IntField()
    grievance: fields.ForeignKeyNullableRelation[Grievance] = fields.ForeignKeyField(
        "models.Grievance", related_name="attachments", null=True, on_delete=fields.CASCADE
    )
    report: fields.ForeignKeyNullableRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="attachments", null=True, on_delete=fields.SET_NULL
    )
    visibility = fields.CharEnumField(Visibility, max_length=16, default=Visibility.CITIZEN)
    created_at = fields.DatetimeField()

    class Meta:
        table = "att_attachment"
