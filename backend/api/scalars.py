"""Scalars of our own, replacing strawberry's where its parsing is too lenient."""

from __future__ import annotations

import datetime as dt

from strawberry.schema.types.base_scalars import isoformat, wrap_parser
from strawberry.types.scalar import ScalarDefinition

from backend.core.validation import parse_moment

AwareDateTime = ScalarDefinition(
    name="DateTime",
    description="Date with time (isoformat), with its UTC offset",
    specified_by_url=None,
    serialize=isoformat,
    parse_value=wrap_parser(parse_moment, "DateTime"),
    parse_literal=None,
    origin=dt.datetime,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {dt.datetime: AwareDateTime}
