"""Migration operations the framework lacks.

Tortoise's AlterField rebuilds the whole table on SQLite, dropping its indexes (partial
ones included). `AlterFieldState` moves the migration state forward and leaves the
database alone, for a change whose database side is none or the migration's own SQL;
`AlterEnumChoices` is that for a CharEnumField whose enum gained a member (only its
generated description changes: the column stays a VARCHAR of the same length).
"""

from __future__ import annotations

from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State


class AlterFieldState(ops.AlterField):
    """A field change in the migration state only (0021 drops indexes by its own SQL)."""

    def describe(self) -> str:
        return f"Alter {self.name} on {self.model_name} in the migration state (SQL alongside)"

    async def database_forward(self, app_label: str, old_state: State, new_state: State,
                               state_editor: BaseSchemaEditor | None = None) -> None:
        return None

    async def database_backward(self, app_label: str, old_state: State, new_state: State,
                                state_editor: BaseSchemaEditor | None = None) -> None:
        return None


class AlterEnumChoices(AlterFieldState):
    def describe(self) -> str:
        return f"Alter the choices of {self.name} on {self.model_name} (no schema change)"
