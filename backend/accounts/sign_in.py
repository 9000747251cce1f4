"""Sign-in use cases: citizen OTP, staff password, sessions, sign-out.

OTPs: stored hashed, expire (5 min), allow a few attempts, and are rate-limited per
mobile number and per client address, counted in the database so the limits hold
across API processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from backend.accounts import totp
from backend.accounts.models import Citizen, Membership, OtpChallenge, OtpPurpose, Session, StaffUser
from backend.accounts.passwords import verify_password
from backend.audit.services import record
from backend.authz.actors import ANONYMOUS, Actor, ActorKind, Grant
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.tokens import new_otp, new_token, same, token_hash
from backend.core.validation import MAX_USERNAME, check_mobile
from backend.notifications.sms import SmsGateway, SmsMessage
from backend.settings import Settings


@dataclass(frozen=True)
class IssuedSession:
    token: str
    expires_at: datetime
    actor: Actor


async def request_otp(
    settings: Settings, sms: SmsGateway, *, mobile: str, client_address: str, now: datetime
) -> datetime:
    """Send a sign-in code; returns when it expires."""
    errors: list[FieldError] = []
    mobile = check_mobile("mobile", mobile, errors)
    if errors:
        raise validation_error(errors)
    hour_ago = now - timedelta(hours=1)
    if await OtpChallenge.filter(mobile=mobile, created_at__gte=hour_ago).count() >= settings.otp_per_mobile_per_hour:
        raise DomainError(ErrorCode.RATE_LIMITED, "Too many codes requested for this number; try again later")
    if (
        client_address
        and await OtpChallenge.filter(client_address=client_address, created_at__gte=hour_ago).count()
        >= settings.otp_per_address_per_hour
    ):
        raise DomainError(ErrorCode.RATE_LIMITED, "Too many codes requested from this address; try again later")
    code = new_otp()
    expires_at = now + timedelta(seconds=settings.otp_ttl_seconds)
    async with in_transaction():
        # A new code supersedes any older one still open for the number.
        await OtpChallenge.filter(mobile=mobile, consumed_at=None).update(consumed_at=now)
        await OtpChallenge.create(
            mobile=mobile,
            purpose=OtpPurpose.CITIZEN_SIGN_IN,
            code_hash=token_hash(settings.secret_key, f"{mobile}:{code}"),
            client_address=client_address[:64],
            created_at=now,
            expires_at=expires_at,
        )
    minutes = settings.otp_ttl_seconds // 60
    await sms.send(
        SmsMessage(mobile, f"{code} is your grievance portal sign-in code. Valid {minutes} min. Do not share it.", now)
    )
    return expires_at


async def verify_otp(
    settings: Settings, *, mobile: str, code: str, client_address: str, now: datetime
) -> IssuedSession:
    errors: list[FieldError] = []
    mobile = check_mobile("mobile", mobile, errors)
    code = (code or "").strip()
    if not (code.isdigit() and len(code) == 6):
        errors.append(FieldError("code", "must be the 6-digit code sent by SMS"))
    if errors:
        raise validation_error(errors)
    challenge = await OtpChallenge.filter(mobile=mobile, consumed_at=None).order_by("-created_at").first()
    if challenge is None:
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "No open code for this number; request a new one")
    if challenge.expires_at <= now:
        raise DomainError(ErrorCode.EXPIRED, "The code has expired; request a new one")
    if challenge.attempts >= settings.otp_max_attempts:
        raise DomainError(ErrorCode.TOO_MANY_ATTEMPTS, "Too many wrong codes; request a new one")
    # Count the attempt before comparing, with a compare-and-set on the old count, so
    # parallel guesses cannot each get a free try.
    counted = await OtpChallenge.filter(id=challenge.id, attempts=challenge.attempts, consumed_at=None).update(
        attempts=challenge.attempts + 1
    )
    if not counted:
        raise DomainError(ErrorCode.CHANGED_MEANWHILE, "Another attempt was made at the same time; try again")
    if not same(challenge.code_hash, token_hash(settings.secret_key, f"{mobile}:{code}")):
        left = settings.otp_max_attempts - challenge.attempts - 1
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, f"Wrong code; {max(left, 0)} attempts left")
    async with in_transaction():
        if not await OtpChallenge.filter(id=challenge.id, consumed_at=None).update(consumed_at=now):
            raise DomainError(ErrorCode.ALREADY_USED, "This code was already used")
        citizen = await Citizen.get_or_none(mobile=mobile)
        if citizen is None:
            citizen = await Citizen.create(mobile=mobile, created_at=now)
            await record(object_type="citizen", object_id=citizen.id, action="citizen_registered",
                         actor=Actor(ActorKind.CITIZEN, citizen.id), now=now)
        return await _open_session(
            settings, citizen=citizen, now=now, client_address=client_address,
            ttl=timedelta(hours=settings.citizen_session_ttl_hours),
        )


async def sign_in_password(
    settings: Settings, *, username: str, password: str, client_address: str, now: datetime,
    totp_code: str | None = None,
) -> IssuedSession:
    name = (username or "").strip().lower()
    # No account has a name longer than the column; looking one up would fail the query.
    user = await StaffUser.get_or_none(username=name) if len(name) <= MAX_USERNAME else None
    # verify_password runs even for unknown users, so timing does not reveal them.
    ok = verify_password(user.password_hash if user else "", password or "")
    if user is None or not ok:
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "Wrong username or password")
    if not user.active:
        raise DomainError(ErrorCode.ACCOUNT_INACTIVE, "This account has been deactivated")
    # Only after the password: a wrong password never reveals whether a second step exists.
    await totp.check_sign_in_code(settings, user, totp_code, now=now)
    async with in_transaction():
        issued = await _open_session(
            settings, staff=user, now=now, client_address=client_address,
            ttl=timedelta(hours=settings.session_ttl_hours),
        )
        await record(object_type="staff_user", object_id=user.id, action="signed_in", actor=issued.actor,
                     now=now, data={"client_address": client_address[:64]})
    return issued


async def _open_session(
    settings: Settings,
    *,
    now: datetime,
    client_address: str,
    ttl: timedelta,
    staff: StaffUser | None = None,
    citizen: Citizen | None = None,
) -> IssuedSession:
    token = new_token()
    session = await Session.create(
        token_hash=token_hash(settings.secret_key, token),
        staff_user=staff,
        citizen=citizen,
        created_at=now,
        expires_at=now + ttl,
        client_address=client_address[:64],
    )
    actor = await _actor_for(session, staff, citizen)
    return IssuedSession(token, session.expires_at, actor)


async def _actor_for(session: Session, staff: StaffUser | None, citizen: Citizen | None) -> Actor:
    if citizen is not None:
        return Actor(ActorKind.CITIZEN, citizen.id, citizen.name or citizen.mobile, session_id=session.id)
    assert staff is not None
    return Actor(ActorKind.STAFF, staff.id, staff.full_name, await grants_of(staff.id), session.id)


async def grants_of(user_id: int) -> tuple[Grant, ...]:
    rows = await Membership.filter(user_id=user_id, active=True, unit__active=True).values_list(
        "unit_id", "unit__path", "role"
    )
    return tuple(Grant(unit_id, path, role) for unit_id, path, role in rows)


async def resolve_session(settings: Settings, token: str | None, now: datetime) -> Actor:
    """The actor behind a session token; anonymous when it is unknown, expired,
    revoked, or its account has been deactivated since."""
    if not token or len(token) > 200:
        return ANONYMOUS
    # One query with its account joined: every request resolves its session.
    session = await Session.filter(token_hash=token_hash(settings.secret_key, token)).select_related(
        "staff_user", "citizen"
    ).first()
    if session is None or session.revoked_at is not None or session.expires_at <= now:
        return ANONYMOUS
    staff = session.staff_user
    if staff is not None and not staff.active:
        return ANONYMOUS
    return await _actor_for(session, staff, session.citizen)


async def sign_out(actor: Actor, now: datetime) -> bool:
    if actor.session_id is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Not signed in")
    return bool(await Session.filter(id=actor.session_id, revoked_at=None).update(revoked_at=now))


async def purge_expired(now: datetime) -> int:
    """Delete credentials nobody can use any more (housekeeping cron)."""
    day_ago = now - timedelta(days=1)
    removed = await OtpChallenge.filter(expires_at__lt=day_ago).delete()
    removed += await Session.filter(expires_at__lt=day_ago).delete()
    return int(removed)
