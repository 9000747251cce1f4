"""The organisation tree: units of any depth and their escalation ladders.

Subtree queries use a materialised path (`/1/7/42/`): "everything under unit X" is one
indexed prefix match instead of a recursive walk, which the inbox, the dashboard and
every authorisation check rely on.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from backend.orgs.kinds import UnitKind


class Unit(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    kind = fields.CharEnumField(UnitKind, max_length=32)
    parent: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    path = fields.CharField(max_length=1024, db_index=True)
    depth = fields.IntField(default=0)
    # {"en": "...", "hi": "..."}: English is required, others optional.
    names: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    area_codes: fields.Field[list[str]] = fields.JSONField(default=list)
    # Lower-cased code and names in every language, for plain substring search on
    # SQLite and PostgreSQL alike (JSON operators differ between them).
    search_text = fields.CharField(max_length=1000, default="")
    active = fields.BooleanField(default=True)
    appellate_authority: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # Set when this unit was merged into another: grievances and accounts follow it.
    merged_into: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "org_unit"

    @staticmethod
    def search_text_for(code: str, names: dict[str, str]) -> str:
        return " ".join([code, *names.values()]).lower()[:1000]

    def name(self, language: str = "en") -> str:
        names: dict[str, str] = self.names or {}
        return names.get(language) or names.get("en") or self.code


class EscalationLevel(Model):
    """Level N of a unit's escalation ladder names the unit that receives breaches."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="escalation_levels", on_delete=fields.CASCADE
    )
    level = fields.IntField()
    authority: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.RESTRICT
    )
    # How long this level has before the next one takes over (seed 004: 72 hours).
    window_hours = fields.FloatField(default=72)

    class Meta:
        table = "org_escalation_level"
        unique_together = (("unit", "level"),)
