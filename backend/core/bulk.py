"""Many rows in one statement, for the sweeps that write thousands of rows at once.

On PostgreSQL a batch of rows is sent as one array per column and unpacked with
`unnest`: one INSERT or UPDATE statement for the whole batch, instead of one execution
per row (Tortoise's `bulk_create` and asyncpg's `executemany` still execute the
statement once per row: at 10,000 escalations the per-row executions were a third of
the sweep, tests/bench). SQLite runs in the process and has no arrays: there the rows
go one statement each, which costs little without a network between.

Values are database values (what a field's `to_db_value` gives). Call inside the use
case's transaction, with `conn` its connection (`Model._choose_db(for_write=True)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

# (table -> column -> its PostgreSQL type as written in a cast); the schema changes only
# with a migration, which a deployment applies before the processes start.
_TYPES: dict[str, dict[str, str]] = {}


def _check_width(width: int, rows: Sequence[Sequence[Any]]) -> None:
    for row in rows:
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} values for {width} columns")


def _postgres(conn: BaseDBAsyncClient) -> bool:
    return conn.capabilities.dialect == "postgres"


async def _types(conn: BaseDBAsyncClient, table: str) -> dict[str, str]:
    if table not in _TYPES:
        rows = await conn.execute_query_dict(
            "SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a "
            "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped", [table])
        _TYPES[table] = {str(r["name"]): str(r["type"]) for r in rows}
    return _TYPES[table]


async def _unnest(conn: BaseDBAsyncClient, table: str, columns: Sequence[str],
                  rows: Sequence[Sequence[Any]]) -> tuple[str, list[list[Any]]]:
    types = await _types(conn, table)
    missing = [c for c in columns if c not in types]
    if missing:
        raise ValueError(f"{table} has no column {', '.join(missing)}")
    arrays = [list(values) for values in zip(*rows, strict=True)]  # one array per column
    marks = ", ".join(f"${i}::{types[c]}[]" for i, c in enumerate(columns, start=1))
    return f"unnest({marks})", arrays


async def insert_rows(conn: BaseDBAsyncClient, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                      returning: Sequence[str] = (), ignore_conflict_on: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Insert `rows`; returns the `returning` columns of each row inserted (in no set
    order: match them by a key). `ignore_conflict_on` (a unique key's columns) skips a
    row whose key is already present instead of failing."""
    if not rows:
        return []
    _check_width(len(columns), rows)
    names = ", ".join(columns)
    conflict = f" ON CONFLICT ({', '.join(ignore_conflict_on)}) DO NOTHING" if ignore_conflict_on else ""
    back = f" RETURNING {', '.join(returning)}" if returning else ""
    if _postgres(conn):
        source, arrays = await _unnest(conn, table, columns, rows)
        sql = f"INSERT INTO {table} ({names}) SELECT * FROM {source}{conflict}{back}"
        if returning:
            return await conn.execute_query_dict(sql, arrays)
        await conn.execute_query(sql, arrays)
        return []
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)}){conflict}{back}"
    if not returning:
        await conn.execute_many(sql, [list(r) for r in rows])
        return []
    out: list[dict[str, Any]] = []
    for row in rows:
        out += await conn.execute_query_dict(sql, list(row))
    return out


async def update_rows(conn: BaseDBAsyncClient, table: str, key: str, columns: Sequence[str],
                      rows: Sequence[Sequence[Any]]) -> int:
    """Set `columns` on each row identified by its first value (the `key` column); the
    rest of each row are the new values, in `columns` order. Returns rows updated."""
    if not rows:
        return 0
    _check_width(1 + len(columns), rows)
    if _postgres(conn):
        source, arrays = await _unnest(conn, table, [key, *columns], rows)
        sets = ", ".join(f"{c} = v.{c}" for c in columns)
        sql = f"UPDATE {table} AS t SET {sets} FROM {source} AS v({key}, {', '.join(columns)}) WHERE t.{key} = v.{key}"
        count, _ = await conn.execute_query(sql, arrays)
        return int(count)
    sql = f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE {key} = ?"
    await conn.execute_many(sql, [[*r[1:], r[0]] for r in rows])
    return len(rows)


def _stored_fields(model: type[Model]) -> list[str]:
    """The fields a row is inserted with: every one but the generated id."""
    meta = model._meta
    return [n for n in meta.fields_db_projection if n not in meta.generated_db_fields]


async def insert_models(instances: Sequence[Model], *, key: Sequence[str] = ()) -> int:
    """Insert model instances (their defaults already applied by the constructor);
    returns how many were inserted. With `key` (field names unique together) each
    inserted instance gets its id, matched by that key."""
    if not instances:
        return 0
    model = type(instances[0])
    meta = model._meta
    names = _stored_fields(model)
    rows = [[meta.fields_map[n].to_db_value(getattr(i, n), i) for n in names] for i in instances]
    returning = (meta.db_pk_column, *(meta.fields_db_projection[k] for k in key)) if key else ("1",)
    stored = await insert_rows(model._choose_db(for_write=True), meta.db_table,
                               [meta.fields_db_projection[n] for n in names], rows, returning=returning)
    if key:
        by_key = {tuple(str(r[meta.fields_db_projection[k]]) for k in key): r[meta.db_pk_column] for r in stored}
        for instance in instances:
            found = by_key.get(tuple(str(getattr(instance, k)) for k in key))
            if found is not None:
                setattr(instance, meta.pk_attr, found)
                instance._saved_in_db = True
    return len(stored)


async def insert_values(model: type[Model], values: Sequence[dict[str, Any]], *,
                        ignore_conflict_on: Sequence[str] = ()) -> int:
    """`insert_models` from plain field values, without building a model instance per row
    (the ORM's constructor and validation were a fifth of a large sweep's time): a field
    left out takes its default, or NULL where it may; one with neither is refused."""
    if not values:
        return 0
    meta = model._meta
    names = _stored_fields(model)
    fields = [meta.fields_map[n] for n in names]
    unknown = sorted({k for v in values for k in v} - set(names))
    if unknown:
        raise ValueError(f"{meta.db_table} has no field {', '.join(unknown)}")
    rows = []
    for given in values:
        row = []
        for name, field in zip(names, fields, strict=True):
            if name in given:
                value = given[name]
            elif field.default is not None:
                value = field.default() if callable(field.default) else field.default
            elif field.null:
                value = None
            else:
                raise ValueError(f"{meta.db_table}.{name} needs a value")
            row.append(field.to_db_value(value, model))  # the class: no instance to update
        rows.append(row)
    stored = await insert_rows(model._choose_db(for_write=True), meta.db_table,
                               [meta.fields_db_projection[n] for n in names], rows, returning=("1",),
                               ignore_conflict_on=ignore_conflict_on)
    return len(stored)
