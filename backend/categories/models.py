"""The category tree (F3): department -> service / scheme -> category -> sub-category.

Each category belongs to one department unit (its owner, who alone may add to it) and
carries a materialised path of category ids (`/3/17/42/`), so "this category and
everything under it" is a prefix match: routing rules and dashboards rely on that.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from backend.orgs.models import Unit


class Category(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    department: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, on_delete=fields.RESTRICT
    )
    parent: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    path = fields.CharField(max_length=512, db_index=True)
    depth = fields.IntField(default=0)
    names: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    # {"en": ["mutation", "dakhil kharij"], "hi": ["दाखिल खारिज"]}
    keywords: fields.Field[dict[str, list[str]]] = fields.JSONField(default=dict)
    # Lower-cased names and keywords in every language, for substring matching that
    # works the same on SQLite and PostgreSQL.
    search_text = fields.TextField(default="")
    is_others = fields.BooleanField(default=False)
    # Right-to-Service: the notified delivery time in days; inherited by the subtree.
    rts_days = fields.IntField(null=True)
    sensitive = fields.BooleanField(default=False)
    # Stage name -> hours, overriding the unit's SLA policy for this subtree.
    sla_overrides: fields.Field[dict[str, float]] = fields.JSONField(default=dict)
    active = fields.BooleanField(default=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "cat_category"

    def name(self, language: str = "en") -> str:
        names: dict[str, str] = self.names or {}
        return names.get(language) or names.get("en") or self.code

    @staticmethod
    def search_text_for(code: str, names: dict[str, str], keywords: dict[str, list[str]]) -> str:
        words = [code, *names.values(), *(w for ws in keywords.values() for w in ws)]
        return " | ".join(words).lower()

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

