"""Schema extensions of our own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from backend.grievances import live


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


class PublishLiveChanges(SchemaExtension):
    """Every grievance change an operation commits is broadcast once the operation has
    finished (its transactions committed): one place, so no resolver can forget it."""

    # on_execute, not on_operation: for a subscription it wraps only the creation of the
    # stream, so no scope is held open for the stream's whole life.
    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        context = self.execution_context.context
        runtime = getattr(context, "runtime", None)
        async with live.publishing(runtime.broadcast if runtime is not None else None):
            yield
