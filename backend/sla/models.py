"""SLA policies, business calendars and holidays per unit, and the records that make
reminders and escalations happen exactly once.

Policies and calendars are inherited down the tree: a grievance's limit for a stage
comes from the nearest unit above it (or the unit itself) that sets one, overridden by
a policy for its category subtree. `Escalation` and `Reminder` rows carry unique keys
so that a sweep that runs twice, or on several workers at once, acts once.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from backend.categories.models import Category
from backend.grievances.models import Grievance
from backend.grievances.states import Stage
from backend.orgs.models import Unit


def monday_to_saturday() -> list[int]:
    return [0, 1, 2, 3, 4, 5]


class SlaPolicy(Model):
    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.CASCADE
    )
    # Null: every category; set: this category's subtree (overrides the unit-wide one).
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name=False, null=True, on_delete=fields.CASCADE
    )
    stage = fields.CharEnumField(Stage, max_length=24)
    mode = fields.CharField(max_length=16)  # backend.sla.calendar.Mode
    amount = fields.FloatField()
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "sla_policy"
        unique_together = (("unit", "category", "stage"),)


class BusinessCalendar(Model):
    """Working days and hours of a unit (and its subtree, unless a unit below sets its own)."""

    id = fields.IntField(primary_key=True)
    unit: fields.OneToOneRelation[Unit] = fields.OneToOneField(
        "models.Unit", related_name=False, on_delete=fields.CASCADE
    )
    time_zone = fields.CharField(max_length=64, default="Asia/Kolkata")
    weekdays: fields.Field[list[int]] = fields.JSONField(default=monday_to_saturday)
    start_time = fields.CharField(max_length=5, default="10:00")
    end_time = fields.CharField(max_length=5, default="17:00")
    second_and_fourth_saturdays_off = fields.BooleanField(default=True)
    # Public holidays from the maintained `holidays` package: country and state code.
    holiday_country = fields.CharField(max_length=8, default="IN")
    holiday_subdivision = fields.CharField(max_length=8, default="")
    version = fields.IntField(default=1)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "sla_calendar"


class UnitHoliday(Model):
    """A unit's own holiday (a local festival, a district's closure): applies below it too."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.CASCADE
    )
    day = fields.DateField()
    name = fields.CharField(max_length=200)
    created_at = fields.DatetimeField()

    class Meta:
        table = "sla_unit_holiday"
        unique_together = (("unit", "day"),)


class Escalation(Model):
    """One rung climbed: unique per (grievance, round, level), so never twice."""

    id = fields.BigIntField(primary_key=True)
    grievance: fields.ForeignKeyRelation[Grievance] = fields.ForeignKeyField(
        "models.Grievance", related_name="escalations", on_delete=fields.CASCADE
    )
    # Reopening (remand, appeal) starts a new round of the ladder.
    round = fields.IntField(default=1)
    level = fields.IntField()
    authority: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.RESTRICT
    )
    stage = fields.CharField(max_length=24, default="")
    missed_due_at = fields.DatetimeField()
    escalated_at = fields.DatetimeField()

    class Meta:
        table = "sla_escalation"
        unique_together = (("grievance", "round", "level"),)


class Reminder(Model):
    """A reminder sent for one clock: unique per (grievance, clock, kind)."""

    id = fields.BigIntField(primary_key=True)
    grievance: fields.ForeignKeyRelation[Grievance] = fields.ForeignKeyField(
        "models.Grievance", related_name="reminders", on_delete=fields.CASCADE
    )
    clock_key = fields.CharField(max_length=64)  # "<stage>@<stage start, epoch seconds>"
    kind = fields.CharField(max_length=8)  # "before" | "due"
    sent_at = fields.DatetimeField()

    class Meta:
        table = "sla_reminder"
        unique_together = (("grievance", "clock_key", "kind"),)


class SlaConfigVersion(Model):
    """A token that changes whenever anything deadlines are computed from changes:
    policies, calendars, unit holidays, a category's SLA overrides. Database triggers
    set it (migration 0020), so every writer - a service, an operator's SQL, a restore -
    moves it, and each process can keep what it read (`policies.limits_for`) until it
    moves. A fresh random value each time, not a counter: a change rolled back must not
    leave its token to be reused by the next committed change."""

    id = fields.IntField(primary_key=True)
    token = fields.BigIntField(default=0)

    class Meta:
        table = "sla_config_version"
