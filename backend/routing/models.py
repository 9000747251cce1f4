"""Routing rules (F4): (category subtree, area) -> the unit and, optionally, the officer.

A grievance filed under a category and an area code takes the most specific matching
rule (see `backend.routing.selectors.match`); with none it waits at its intake unit.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from backend.accounts.models import StaffUser
from backend.categories.models import Category
from backend.orgs.models import Unit


class RoutingRule(Model):
    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name=False, on_delete=fields.CASCADE
    )
    # "" matches every area; "BR-PAT" matches BR-PAT and every area below it.
    area_code = fields.CharField(max_length=64, default="")
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.CASCADE
    )
    officer: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "routing_rule"
        unique_together = (("category", "area_code"),)

