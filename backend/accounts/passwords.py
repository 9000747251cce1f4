"""Staff passwords: argon2id hashes and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from backend.core.errors import FieldError

_hasher = PasswordHasher()
# Verifying against this keeps a sign-in for an unknown user as slow as for a known one,
# so response times do not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")

MIN_LENGTH = 10
MAX_LENGTH = 128


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, username: str) -> list[FieldError]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(FieldError("password", f"must be at least {MIN_LENGTH} characters"))
    if len(password) > MAX_LENGTH:
        problems.append(FieldError("password", f"must be at most {MAX_LENGTH} characters"))
    if len(set(password)) < 4:
        problems.append(FieldError("password", "is too repetitive"))
    if username and username.lower() in password.lower():
        problems.append(FieldError("password", "must not contain the username"))
    return problems
