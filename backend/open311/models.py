"""Open311 clients: each has an API key (only its hash is kept) and a jurisdiction (a
unit code) it files into."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Open311Client(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    key_hash = fields.CharField(max_length=64, unique=True)
    jurisdiction = fields.CharField(max_length=64)  # a unit code
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "open311_client"


class Open311Request(Model):
    """Which client filed which grievance (a client reads only its own requests)."""

    id = fields.BigIntField(primary_key=True)
    client: fields.ForeignKeyRelation[Open311Client] = fields.ForeignKeyField(
        "models.Open311Client", related_name="requests", on_delete=fields.RESTRICT)
    grievance: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Grievance", related_name="open311_links", on_delete=fields.CASCADE, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "open311_request"
