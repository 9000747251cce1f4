"""Staff two-step sign-in (TOTP): enrolment, the code at sign-in, replay, lockout, off."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
import pytest

from backend.accounts import sign_in, totp
from backend.accounts.models import StaffTotp
from backend.accounts.roles import Role
from backend.audit.models import AuditEvent
from backend.authz.actors import ANONYMOUS, Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode
from backend.orgs.models import UnitKind
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import PASSWORD, actor_for, staff, unit

pytestmark = pytest.mark.usefixtures("db")


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


async def enrolled(settings: Settings) -> tuple[Actor, str]:
    office = await unit("TOTP-OFFICE", UnitKind.OFFICE, None)
    user = await staff(settings, "two.step", (office, Role.OFFICER))
    me = await actor_for(user)
    secret, uri = await totp.begin_enrolment(settings, me, now=NOW)
    assert uri.startswith("otpauth://totp/") and "two.step" in uri and f"secret={secret}" in uri
    await totp.confirm_enrolment(settings, me, code_at(secret, NOW), now=NOW)
    return me, secret


async def password_sign_in(settings: Settings, code: str | None, now: datetime) -> sign_in.IssuedSession:
    return await sign_in.sign_in_password(settings, username="two.step", password=PASSWORD, client_address="10.0.0.1",
                                          now=now, totp_code=code)


async def test_enrolment_needs_a_right_first_code_and_the_secret_is_not_stored_in_clear(settings: Settings) -> None:
    office = await unit("TOTP-OFFICE", UnitKind.OFFICE, None)
    me = await actor_for(await staff(settings, "two.step", (office, Role.OFFICER)))
    secret, _ = await totp.begin_enrolment(settings, me, now=NOW)
    row = await StaffTotp.get(user_id=me.id)
    assert secret not in row.secret_encrypted and row.enabled_at is None
    with pytest.raises(DomainError) as wrong:
        await totp.confirm_enrolment(settings, me, "000000" if code_at(secret, NOW) != "000000" else "111111", now=NOW)
    assert wrong.value.code is ErrorCode.INVALID_CREDENTIALS
    with pytest.raises(DomainError) as malformed:
        await totp.confirm_enrolment(settings, me, "12ab", now=NOW)
    assert malformed.value.code is ErrorCode.VALIDATION
    assert not await totp.is_enabled(me.id or 0)
    # Until it is confirmed, signing in needs only the password.
    assert (await password_sign_in(settings, None, NOW)).actor.id == me.id
    await totp.confirm_enrolment(settings, me, code_at(secret, NOW + timedelta(seconds=30)), now=NOW + timedelta(seconds=30))
    assert await totp.is_enabled(me.id or 0)
    assert await AuditEvent.exists(object_type="staff_user", object_id=str(me.id), action="totp_enabled")
    with pytest.raises(DomainError) as again:
        await totp.begin_enrolment(settings, me, now=NOW)
    assert again.value.code is ErrorCode.CONFLICT
    with pytest.raises(DomainError) as citizen:
        await totp.begin_enrolment(settings, Actor(ActorKind.CITIZEN, 1), now=NOW)
    assert citizen.value.code is ErrorCode.FORBIDDEN
    with pytest.raises(DomainError) as nobody:
        await totp.begin_enrolment(settings, ANONYMOUS, now=NOW)
    assert nobody.value.code is ErrorCode.UNAUTHENTICATED


async def test_sign_in_asks_for_the_code_and_never_accepts_one_twice(settings: Settings) -> None:
    me, secret = await enrolled(settings)
    later = NOW + timedelta(minutes=5)
    with pytest.raises(DomainError) as missing:
        await password_sign_in(settings, None, later)
    assert missing.value.code is ErrorCode.TOTP_REQUIRED and missing.value.field_errors[0].field == "totpCode"
    # A wrong password says nothing about the second step.
    with pytest.raises(DomainError) as bad_password:
        await sign_in.sign_in_password(settings, username="two.step", password="wrong-password!", client_address="",
                                       now=later, totp_code=None)
    assert bad_password.value.code is ErrorCode.INVALID_CREDENTIALS
    issued = await password_sign_in(settings, code_at(secret, later), later)
    assert issued.actor.id == me.id
    with pytest.raises(DomainError) as replay:
        await password_sign_in(settings, code_at(secret, later), later + timedelta(seconds=5))
    assert replay.value.code is ErrorCode.INVALID_CREDENTIALS and "already used" in replay.value.message
    # The previous step's code (clock drift) is accepted once, if not older than the last used.
    drift = later + timedelta(seconds=60)
    assert (await password_sign_in(settings, code_at(secret, drift - timedelta(seconds=30)), drift)).actor.id == me.id


async def test_five_wrong_codes_lock_the_second_step_for_fifteen_minutes(settings: Settings) -> None:
    _, secret = await enrolled(settings)
    start = NOW + timedelta(hours=1)
    right = code_at(secret, start)
    wrong = "123456" if right != "123456" else "654321"
    for attempt in range(5):
        with pytest.raises(DomainError) as caught:
            await password_sign_in(settings, wrong, start + timedelta(seconds=attempt))
        assert caught.value.code is ErrorCode.INVALID_CREDENTIALS
    with pytest.raises(DomainError) as locked:
        await password_sign_in(settings, code_at(secret, start + timedelta(seconds=10)), start + timedelta(seconds=10))
    assert locked.value.code is ErrorCode.TOO_MANY_ATTEMPTS
    released = start + timedelta(minutes=16)
    assert (await password_sign_in(settings, code_at(secret, released), released)).actor is not None
    assert (await StaffTotp.get(user__username="two.step")).failures == 0


async def test_turning_it_off_needs_a_current_code(settings: Settings) -> None:
    me, secret = await enrolled(settings)
    later = NOW + timedelta(minutes=2)
    with pytest.raises(DomainError) as wrong:
        await totp.disable(settings, me, "000000" if code_at(secret, later) != "000000" else "111111", now=later)
    assert wrong.value.code is ErrorCode.INVALID_CREDENTIALS and await totp.is_enabled(me.id or 0)
    await totp.disable(settings, me, code_at(secret, later), now=later)
    assert not await totp.is_enabled(me.id or 0)
    assert (await password_sign_in(settings, None, later)).actor.id == me.id
    assert await AuditEvent.exists(object_type="staff_user", object_id=str(me.id), action="totp_disabled")
