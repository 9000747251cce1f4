"""Expected failures as data: every mutation returns `XSuccess | OperationError`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TypeVar

import strawberry

from backend.core.errors import DomainError
from backend.core.errors import ErrorCode as DomainErrorCode
from backend.core.messages import localise

ErrorCode = strawberry.enum(DomainErrorCode, name="ErrorCode", description="Machine-readable reason for a refusal.")


@strawberry.type(description="One bad input field: `field` is the input's path, e.g. `rows[3].code`.")
class FieldError:
    field: str
    message: str


@strawberry.type(description="An expected refusal or validation failure; nothing was changed.")
class OperationError:
    code: DomainErrorCode
    message: str
    fields: list[FieldError]

    @classmethod
    def from_domain(cls, error: DomainError) -> OperationError:
        noted = refusals.get()
        if noted is not None:
            noted.append(error.code.value)
        # In the language the client asked for (Accept-Language): citizens read these.
        return cls(
            code=error.code,
            message=localise(error.message),
            fields=[FieldError(field=e.field, message=localise(e.message)) for e in error.field_errors],
        )


T = TypeVar("T")

# The codes of the refusals an operation returned as data, for its metrics: set per
# operation by the OperationMetrics extension (a list shared with the resolvers' tasks).
refusals: ContextVar[list[str] | None] = ContextVar("graphql_refusals", default=None)


async def as_data(call: Callable[[], Awaitable[T]]) -> T | OperationError:
    """Run one service call; a DomainError becomes an OperationError value."""
    try:
        return await call()
    except DomainError as error:
        return OperationError.from_domain(error)
