"""GraphQL IDs to database keys."""

from __future__ import annotations

import strawberry


def int_id(value: strawberry.ID | str | None) -> int:
    """An ID that is not a number matches nothing (-1), so it reads as "not found"."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return -1
    # Keys are positive 32-bit integers (grievances, 64-bit, will not pass two billion
    # for centuries at national rates); anything else matches nothing, and PostgreSQL
    # would reject it as a literal for an int4 column instead of finding no row.
    return number if 0 < number < 2**31 else -1
