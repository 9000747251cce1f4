"""Expected failures of use cases, as data.

Services raise `DomainError`; the GraphQL layer turns it into an error type with a
machine-readable `code` (errors as data), so clients and fuzzers can tell an expected
refusal from a fault. Anything that is not a `DomainError` is a fault: masked for
clients and logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ErrorCode(StrEnum):
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    CHANGED_MEANWHILE = "CHANGED_MEANWHILE"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_INACTIVE = "ACCOUNT_INACTIVE"
    EXPIRED = "EXPIRED"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    RATE_LIMITED = "RATE_LIMITED"
    ALREADY_USED = "ALREADY_USED"
    TOTP_REQUIRED = "TOTP_REQUIRED"
    # The grievance is against this officer or unit (F13): it is decided one level up.
    CONFLICT_OF_INTEREST = "CONFLICT_OF_INTEREST"


@dataclass(frozen=True)
class FieldError:
    """One bad field: `field` is the input path (`rows[3].code`, `mobile`)."""

    field: str
    message: str


@dataclass
class DomainError(Exception):
    code: ErrorCode
    message: str
    field_errors: list[FieldError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)


def validation_error(errors: list[FieldError], message: str | None = None) -> DomainError:
    summary = message or "; ".join(f"{e.field}: {e.message}" for e in errors)
    return DomainError(ErrorCode.VALIDATION, summary, list(errors))


def not_found(what: str) -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, f"{what} not found")


def forbidden(message: str = "You may not do this") -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message)
