"""Scalars of our own, replacing strawberry's where its parsing is too lenient."""

from __future__ import annotations

import datetime as dt

from strawberry.schema.types.base_scalars import isoformat, wrap_parser
from strawberry.types.scalar import ScalarDefinition


def _aware(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    # A moment without an offset is ambiguous (IST? UTC?), and comparing it with the
    # stored, aware times would fail in the service rather than here.
    if parsed.utcoffset() is None:
        raise ValueError("It needs a UTC offset, e.g. 2026-11-23T10:00:00+05:30 or 2026-11-23T04:30:00Z.")
    try:
        parsed.astimezone(dt.UTC)  # 0001-01-01T00:00+14:00 is before year 1 in UTC
    except OverflowError:
        raise ValueError("It is outside the years 1 to 9999 in UTC.") from None
    return parsed


AwareDateTime = ScalarDefinition(
    name="DateTime",
    description="Date with time (isoformat), with its UTC offset",
    specified_by_url=None,
    serialize=isoformat,
    parse_value=wrap_parser(_aware, "DateTime"),
    parse_literal=None,
    origin=dt.datetime,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {dt.datetime: AwareDateTime}
