"""Expected failures as data: every mutation returns `XSuccess | OperationError`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
        # In the language the client asked for (Accept-Language): citizens read these.
        return cls(
            code=error.code,
            message=localise(error.message),
            fields=[FieldError(field=e.field, message=localise(e.message)) for e in error.field_errors],
        )


T = TypeVar("T")


async def as_data(call: Callable[[], Awaitable[T]]) -> T | OperationError:
    """Run one service call; a DomainError becomes an OperationError value."""
    try:
        return await call()
    except DomainError as error:
        return OperationError.from_domain(error)
