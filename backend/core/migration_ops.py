"""Migration operations the framework lacks.

`AlterEnumChoices`: a CharEnumField whose enum gained a member changes only its
generated description (the column stays a VARCHAR of the same length). Tortoise's
AlterField would rebuild the whole table on SQLite, dropping its indexes; this one
moves the migration state forward and leaves the database alone.
"""

from __future__ import annotations

from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State


class AlterEnumChoices(ops.AlterField):
    def describe(self) -> str:
        return f"Alter the choices of {self.name} on {self.model_name} (no schema change)"

    async def database_forward(self, app_label: str, old_state: State, new_state: State,
                               state_editor: BaseSchemaEditor | None = None) -> None:
        return None

    async def database_backward(self, app_label: str, old_state: State, new_state: State,
                                state_editor: BaseSchemaEditor | None = None) -> None:
        return None


class AlterFieldState(ops.AlterField):
    """A field option whose database side a migration does by its own SQL (dropping a
    field's single-column index, say): AlterField would rebuild the whole table on SQLite
    and lose every other index of it, partial ones included (seen with 0021)."""

    def describe(self) -> str:
        return f"Alter {self.name} on {self.model_name} in the migration state (SQL alongside)"

    async def database_forward(self, app_label: str, old_state: State, new_state: State,
                               state_editor: BaseSchemaEditor | None = None) -> None:
        return None

    async def database_backward(self, app_label: str, old_state: State, new_state: State,
                                state_editor: BaseSchemaEditor | None = None) -> None:
        return None
