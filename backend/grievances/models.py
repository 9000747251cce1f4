"""Grievances, their reports and review steps, and the per-number sequences.

Where a grievance is (`unit`, with its materialised `unit_path`) and what it is about
(`category_path`) are denormalised onto the row so that the inbox, visibility checks
and dashboards are prefix matches on one table. `version` makes every update a
compare-and-set, so two officers acting at once cannot both win.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from backend.accounts.models import Citizen, StaffUser
from backend.categories.models import Category
from backend.grievances.channels import Channel
from backend.grievances.kinds import ReportKind, ReportOutcome, ReviewDecision
from backend.grievances.states import RejectionReason, Stage, State
from backend.orgs.models import Unit


class Grievance(Model):
    id = fields.BigIntField(primary_key=True)
    number = fields.CharField(max_length=96, unique=True)
    channel = fields.CharEnumField(Channel, max_length=16)
    status = fields.CharEnumField(State, max_length=24, db_index=True)

    citizen: fields.ForeignKeyRelation[Citizen] = fields.ForeignKeyField(
        "models.Citizen", related_name="grievances", on_delete=fields.RESTRICT
    )
    # The filer's details as given at filing (the citizen record may change later).
    citizen_name = fields.CharField(max_length=200)
    citizen_mobile = fields.CharField(max_length=15, db_index=True)
    citizen_email = fields.CharField(max_length=254, default="")
    citizen_address = fields.TextField(default="")
    language = fields.CharField(max_length=8, default="en")

    area_code = fields.CharField(max_length=128, db_index=True)
    location_address = fields.TextField(default="")
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)

    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name=False, on_delete=fields.RESTRICT
    )
    category_path = fields.CharField(max_length=512, db_index=True)
    subject = fields.CharField(max_length=200)
    description = fields.TextField()
    relief_sought = fields.TextField()

    # Where it is now, who must act there, and where it entered (the allotting
    # authority: the top of the review chain).
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.RESTRICT
    )
    unit_path = fields.CharField(max_length=1024)  # indexed with the status (Meta.indexes)
    intake_unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.RESTRICT
    )
    assigned_officer: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # Conflict of interest (F13): the officer or the unit the grievance is against, named
    # at filing. Neither ever holds or sees it; it is decided one level above them.
    against_officer: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    against_unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # Unit ids that handed the grievance on, innermost last: "not ours" returns it to
    # the last of them.
    route: fields.Field[list[int]] = fields.JSONField(default=list)
    # Every unit the grievance has been with: staff there keep seeing it (F13: "what is
    # or was in their subtree").
    visited: fields.Field[list[int]] = fields.JSONField(default=list)
    # The office whose final report is under review, the units that review it (lowest
    # first) and the position reached.
    acting_unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    review_chain: fields.Field[list[int]] = fields.JSONField(default=list)
    review_level = fields.IntField(default=0)

    stage = fields.CharEnumField(Stage, max_length=24, null=True)
    stage_started_at = fields.DatetimeField(null=True)
    due_at = fields.DatetimeField(null=True, db_index=True)
    paused_from = fields.CharEnumField(State, max_length=24, null=True)
    paused_stage = fields.CharEnumField(Stage, max_length=24, null=True)
    paused_remaining_seconds = fields.IntField(null=True)
    # How the running stage's limit is counted (backend.sla.calendar.Mode): a paused
    # clock's remaining time is kept in that measure.
    stage_mode = fields.CharField(max_length=16, null=True)
    disposal_due_at = fields.DatetimeField(null=True)
    # The escalation ladder: the level reached in this round, where it went, and when
    # the next rung is due (the sweeps read only rows whose time has come, by index).
    escalation_level = fields.IntField(default=0)
    escalation_round = fields.IntField(default=1)
    escalated_to: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    escalated_at = fields.DatetimeField(null=True)
    # Read only by the sweeps, through partial indexes of the swept states (migration 0021).
    escalation_due_at = fields.DatetimeField(null=True)
    reminder_at = fields.DatetimeField(null=True)

    rejection_reason = fields.CharEnumField(RejectionReason, max_length=32, null=True)
    master: fields.ForeignKeyNullableRelation[Grievance] = fields.ForeignKeyField(
        "models.Grievance", related_name="linked", null=True, on_delete=fields.SET_NULL
    )
    # Ids of grievances this one looks like, found at filing (for staff to decide).
    suspected_duplicates: fields.Field[list[int]] = fields.JSONField(default=list)
    right_to_service = fields.BooleanField(default=False)
    sensitive = fields.BooleanField(default=False)

    filed_by_kind = fields.CharField(max_length=16)
    filed_by_id = fields.IntField(null=True)
    # "<filer>:<client key>": a retried filing (the offline PWA) finds its grievance.
    idempotency_key = fields.CharField(max_length=160, null=True, unique=True)

    version = fields.IntField(default=1)
    filed_at = fields.DatetimeField(db_index=True)
    updated_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "grv_grievance"
        # The inbox reads "with a unit of mine, assigned to me, or escalated to me" (OR-ed,
        # so each needs its own index; tests/bench: an officer's first page at 1 M).
        indexes = (("unit_path", "status"), ("citizen_id", "filed_at"), ("unit_id", "status"),
                   ("assigned_officer_id", "status"), ("escalated_to_id", "status"),
                   # A duplicate's master finds its linked grievances.
                   ("master_id",))


class Report(Model):
    """A preliminary, interim or final report (ATR) with seed 004's structured answers."""

    id = fields.BigIntField(primary_key=True)
    grievance: fields.ForeignKeyRelation[Grievance] = fields.ForeignKeyField(
        "models.Grievance", related_name="reports", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(ReportKind, max_length=16)
    author: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, on_delete=fields.RESTRICT
    )
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.RESTRICT
    )
    concerns_office = fields.BooleanField(null=True)
    known_before = fields.BooleanField(null=True)
    action_taken = fields.TextField(default="")
    resolvable_in_72h = fields.BooleanField(null=True)
    reasons_if_not = fields.TextField(default="")
    # What the citizen is told; the structured answers are for the reviewers.
    reply = fields.TextField(default="")
    outcome = fields.CharEnumField(ReportOutcome, max_length=16, default=ReportOutcome.NONE)
    created_at = fields.DatetimeField()

    class Meta:
        table = "grv_report"
        # A grievance's reports are read on every view of it (tests/bench: without this a
        # review approval scanned 1.8 M reports at 1 M grievances).
        indexes = (("grievance_id", "kind"),)


class ReviewStep(Model):
    id = fields.BigIntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="review_steps", on_delete=fields.CASCADE
    )
    level = fields.IntField()
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.RESTRICT
    )
    decision = fields.CharEnumField(ReviewDecision, max_length=16)
    note = fields.TextField(default="")
    reviewer: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "grv_review_step"
        indexes = (("report_id", "level"),)


class NumberSequence(Model):
    """The last number issued per (unit code, channel, year): one row, bumped atomically."""

    id = fields.IntField(primary_key=True)
    unit_code = fields.CharField(max_length=64)
    channel = fields.CharField(max_length=16)
    year = fields.IntField()
    last_value = fields.BigIntField(default=0)

    class Meta:
        table = "grv_number_sequence"
        unique_together = (("unit_code", "channel", "year"),)
