"""Two-step sign-in for staff with an authenticator app (TOTP, RFC 6238, via pyotp).

An official turns it on in two steps: `begin_enrolment` makes a secret (shown once, as a
key and an otpauth:// link), `confirm_enrolment` switches it on when a first code from
the app matches. From then on `check_sign_in_code` is asked for at every password
sign-in. Codes are 6 digits for 30-second steps; one step either side is accepted for
clock drift; a step once used is never accepted again (replay); five wrong codes lock
the second step for fifteen minutes, counted with a compare-and-set so that parallel
guesses gain nothing. The secret is stored encrypted with a key derived from the
installation's secret key.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from tortoise.transactions import in_transaction

from backend.accounts.models import StaffTotp, StaffUser
from backend.audit.services import record
from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode, FieldError
from backend.settings import Settings

ISSUER = "Jan Shikayat"
STEP_SECONDS = 30
DRIFT_STEPS = 1
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)


def _fernet(settings: Settings) -> Fernet:
    key = hashlib.sha256(b"staff-totp-secret:" + settings.secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _secret(settings: Settings, row: StaffTotp) -> str:
    try:
        return _fernet(settings).decrypt(row.secret_encrypted.encode()).decode()
    except InvalidToken:
        # The installation's secret key changed: the app's secret cannot be read back.
        raise DomainError(ErrorCode.CONFLICT, "Two-step sign-in cannot be checked on this installation; "
                                              "ask an administrator to reset it") from None


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The 30-second step whose code `code` is, within the drift allowed; else None."""
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    step = int(now.timestamp()) // STEP_SECONDS
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(candidate), code):
            return candidate
    return None


def _clean_code(code: str | None) -> str:
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        raise DomainError(ErrorCode.VALIDATION, "Enter the 6-digit code from your authenticator app",
                          [FieldError("totpCode", "must be the 6 digits your authenticator app shows")])
    return code


async def _staff(actor: Actor) -> StaffUser:
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    if actor.kind is not ActorKind.STAFF or actor.id is None:
        raise DomainError(ErrorCode.FORBIDDEN, "Two-step sign-in is for staff accounts")
    return await StaffUser.get(id=actor.id)


async def is_enabled(user_id: int) -> bool:
    return await StaffTotp.exists(user_id=user_id, enabled_at__isnull=False)


async def begin_enrolment(settings: Settings, actor: Actor, *, now: datetime) -> tuple[str, str]:
    """A fresh secret for the viewer's account, pending until confirmed: (key, otpauth URI)."""
    user = await _staff(actor)
    existing = await StaffTotp.get_or_none(user_id=user.id)
    if existing is not None and existing.enabled_at is not None:
        raise DomainError(ErrorCode.CONFLICT, "Two-step sign-in is already on; turn it off first to change the app")
    secret = pyotp.random_base32()
    encrypted = _fernet(settings).encrypt(secret.encode()).decode()
    async with in_transaction():
        if existing is None:
            await StaffTotp.create(user_id=user.id, secret_encrypted=encrypted, created_at=now)
        else:
            await StaffTotp.filter(id=existing.id).update(secret_encrypted=encrypted, failures=0, failed_at=None,
                                                          last_step=None, created_at=now,
                                                          version=existing.version + 1)
    uri = pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return secret, uri


async def _verify(settings: Settings, row: StaffTotp, code: str, now: datetime) -> None:
    """Accept `code` for `row` once, or count the failure; raises on anything but success."""
    if row.failures >= MAX_FAILURES and row.failed_at is not None and now < row.failed_at + LOCKOUT:
        raise DomainError(ErrorCode.TOO_MANY_ATTEMPTS, "Too many wrong codes; try again in 15 minutes")
    failures = row.failures if row.failed_at is not None and now < row.failed_at + LOCKOUT else 0
    step = _matching_step(_secret(settings, row), code, now)
    if step is None or (row.last_step is not None and step <= row.last_step):
        # Count before answering, against the version read, so parallel guesses each count.
        if not await StaffTotp.filter(id=row.id, version=row.version).update(
                failures=failures + 1, failed_at=now, version=row.version + 1):
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "Another attempt was made at the same time; try again")
        message = ("This code was already used; wait for the next one" if step is not None
                   else "Wrong code from the authenticator app")
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, message, [FieldError("totpCode", message)])
    if not await StaffTotp.filter(id=row.id, version=row.version).update(
            last_step=step, failures=0, failed_at=None, version=row.version + 1):
        raise DomainError(ErrorCode.CHANGED_MEANWHILE, "Another attempt was made at the same time; try again")


async def confirm_enrolment(settings: Settings, actor: Actor, code: str, *, now: datetime) -> None:
    user = await _staff(actor)
    code = _clean_code(code)
    row = await StaffTotp.get_or_none(user_id=user.id)
    if row is None or row.enabled_at is not None:
        raise DomainError(ErrorCode.CONFLICT, "Start turning on two-step sign-in first")
    await _verify(settings, row, code, now)  # outside the transaction: a wrong code stays counted
    async with in_transaction():
        await StaffTotp.filter(id=row.id).update(enabled_at=now)
        await record(object_type="staff_user", object_id=user.id, action="totp_enabled", actor=actor, now=now)


async def disable(settings: Settings, actor: Actor, code: str, *, now: datetime) -> None:
    """Off, with a current code (a stolen session alone cannot remove the second step)."""
    user = await _staff(actor)
    code = _clean_code(code)
    row = await StaffTotp.get_or_none(user_id=user.id)
    if row is None or row.enabled_at is None:
        raise DomainError(ErrorCode.CONFLICT, "Two-step sign-in is not on")
    await _verify(settings, row, code, now)
    async with in_transaction():
        await StaffTotp.filter(id=row.id).delete()
        await record(object_type="staff_user", object_id=user.id, action="totp_disabled", actor=actor, now=now)


async def check_sign_in_code(settings: Settings, user: StaffUser, code: str | None, *, now: datetime) -> None:
    """The second step of a password sign-in (called once the password is right)."""
    row = await StaffTotp.get_or_none(user_id=user.id, enabled_at__isnull=False)
    if row is None:
        return
    if not (code or "").strip():
        raise DomainError(ErrorCode.TOTP_REQUIRED, "Enter the 6-digit code from your authenticator app",
                          [FieldError("totpCode", "enter the code your authenticator app shows")])
    # A failure must stay counted although the sign-in fails: _verify commits on its own.
    await _verify(settings, row, _clean_code(code), now)
