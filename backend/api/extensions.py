"""Schema extensions of our own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from backend.grievances import live

NOT_UNICODE = "The request contains text that is not valid Unicode"
HAS_NUL = "The request contains a NUL character, which no text may hold"


def malformed_text(value: Any) -> str | None:
    """Why `value` (a string, or JSON of them) holds text no field accepts, else None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return NOT_UNICODE
        return HAS_NUL if "\x00" in value else None
    if isinstance(value, dict):
        return next((r for k, v in value.items() if (r := malformed_text(k) or malformed_text(v))), None)
    if isinstance(value, list):
        return next((r for v in value if (r := malformed_text(v))), None)
    return None


class RejectMalformedText(SchemaExtension):
    """JSON can carry lone UTF-16 surrogates that no database or hash accepts, and NUL
    characters PostgreSQL cannot store (a query parameter holding one fails outright);
    refuse them once, at the boundary, as a client error rather than a fault in some
    service. A NUL written as a GraphQL escape (`"\\u0000"`) only exists once the
    document is parsed: `limits.RequestLimits` refuses that one."""

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        reason = malformed_text(ctx.query) or malformed_text(ctx.variables or {})
        if reason:
            raise GraphQLError(reason, extensions={"code": "BAD_USER_INPUT"})
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
