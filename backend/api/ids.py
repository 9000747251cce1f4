"""GraphQL IDs to database keys."""

from __future__ import annotations

import strawberry


def int_id(value: strawberry.ID | str | None) -> int:
    """An ID that is not a number matches nothing (-1), so it reads as "not found"."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return -1
