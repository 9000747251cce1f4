"""Schema extensions of our own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class RejectMalformedText(SchemaExtension):
    """JSON can carry lone UTF-16 surrogates that no database or hash accepts; refuse
    them once, at the boundary, as a client error rather than a fault in some service."""

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        if _has_lone_surrogate(ctx.query) or _has_lone_surrogate(ctx.variables or {}):
            raise GraphQLError("The request contains text that is not valid Unicode")
        yield
