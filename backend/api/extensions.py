"""Schema extensions of our own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import FieldNode, GraphQLError, get_operation_ast
from strawberry.extensions import SchemaExtension

from backend.api.errors import refusals
from backend.grievances import live
from backend.ops.metrics import GRAPHQL_OPERATIONS

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


class OperationMetrics(SchemaExtension):
    """Counts each operation by type, root field and result. The root field, not the
    client's operationName: that is free text (any value would be a new series), while
    field names are the schema's own, once the document has passed validation."""

    executed = False  # one instance per operation

    def on_operation(self) -> Iterator[None]:
        noted: list[str] = []
        # Set, never reset: a subscription ends this hook in another context than it
        # began in, and the next operation sets its own list anyway.
        refusals.set(noted)
        try:
            yield
        finally:
            self._count(noted)

    def on_execute(self) -> Iterator[None]:
        self.executed = True  # only a parsed and valid document gets here
        yield

    def _count(self, noted: list[str]) -> None:
        ctx = self.execution_context
        kind, operation = "unknown", "invalid"
        if self.executed and ctx.graphql_document is not None:
            ast = get_operation_ast(ctx.graphql_document, ctx.operation_name)
            if ast is not None:
                kind = ast.operation.value
                names = {s.name.value for s in ast.selection_set.selections if isinstance(s, FieldNode)}
                operation = next(iter(names)) if len(names) == 1 else "several"
        errors = ctx.result.errors if ctx.result is not None else ctx.pre_execution_errors
        result = "error" if errors or not self.executed else (noted[0] if noted else "success")
        GRAPHQL_OPERATIONS.labels(kind, operation, result).inc()
