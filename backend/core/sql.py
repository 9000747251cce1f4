"""Parameter placeholders for the raw SQL the ORM cannot write: asyncpg numbers them
($1, $2, ...), SQLite takes them in order (?)."""

from __future__ import annotations


def placeholders(dialect: str, count: int, start: int = 1) -> list[str]:
    """`count` placeholders, PostgreSQL's numbered from `start`."""
    return [f"${i}" for i in range(start, start + count)] if dialect == "postgres" else ["?"] * count


def joined_placeholders(dialect: str, count: int, start: int = 1) -> str:
    """`placeholders` as a list inside a statement: `$1, $2, $3` or `?, ?, ?`."""
    return ", ".join(placeholders(dialect, count, start))
