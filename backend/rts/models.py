"""The Right-to-Service side of a grievance about a notified service.

One row per such grievance, made at filing. `due_at` is the deadline whose passing
files the next appeal by itself: the service's own timeline while the office works on
it, then the first appellate authority's decision deadline. It is indexed so that the
sweep reads only what is due, and cleared whenever no automatic appeal is pending
(the citizen has not applied yet, the grievance is disposed of, or the second appeal
has been filed and the escalation ladder has taken over).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from backend.grievances.models import Grievance
from backend.orgs.models import Unit


class RtsCase(Model):
    id = fields.BigIntField(primary_key=True)
    grievance: fields.OneToOneRelation[Grievance] = fields.OneToOneField(
        "models.Grievance", related_name="rts_case", on_delete=fields.CASCADE
    )
    # The designated office, fixed when the first appeal is filed: an appellate order
    # to deliver the service sends the grievance back there.
    office: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # The first appellate authority the grievance went to: the second appeal lies with
    # the authority above it, wherever the grievance is by then.
    first_authority: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # The notified timeline of the service, in working days, as it was at filing.
    service_days = fields.IntField()
    due_at = fields.DatetimeField(null=True, db_index=True)
    # 0: with the designated officer; 1: with the first appellate authority; 2: with the second.
    appeal_level = fields.IntField(default=0)
    not_applied_at = fields.DatetimeField(null=True)
    application_number = fields.CharField(max_length=64, default="")
    applied_on = fields.DateField(null=True)
    application_recorded_at = fields.DatetimeField(null=True)
    # A compare-and-set guard: the sweep and an officer may write the row at once.
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "rts_case"
