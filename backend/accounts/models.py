"""Staff accounts, citizens, memberships, sessions and one-time credentials.

Secrets are never stored in the clear: passwords as argon2 hashes, session tokens,
set-password tokens and OTPs as keyed SHA-256 (see `backend.core.tokens`).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from backend.accounts.roles import Role
from backend.orgs.models import Unit


class StaffUser(Model):
    memberships: fields.ReverseRelation[Membership]
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    full_name = fields.CharField(max_length=200)
    designation = fields.CharField(max_length=200, default="")
    mobile = fields.CharField(max_length=15, default="")
    email = fields.CharField(max_length=254, default="")
    language = fields.CharField(max_length=8, default="en")
    # Channels this person wants messages on (`OutboxChannel` values); empty: the defaults
    # of `backend.notifications.preferences`.
    notify_channels: fields.Field[list[str]] = fields.JSONField(default=list)
    # Empty until the person sets it through their one-time link.
    password_hash = fields.CharField(max_length=255, default="")
    active = fields.BooleanField(default=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    deactivated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "acct_staff_user"


class Membership(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="memberships", on_delete=fields.CASCADE
    )
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="memberships", on_delete=fields.RESTRICT
    )
    role = fields.CharEnumField(Role, max_length=32)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "acct_membership"
        unique_together = (("user", "unit", "role"),)


class Citizen(Model):
    id = fields.IntField(primary_key=True)
    mobile = fields.CharField(max_length=15, unique=True)
    name = fields.CharField(max_length=200, default="")
    email = fields.CharField(max_length=254, default="")
    language = fields.CharField(max_length=8, default="en")
    # Channels this person wants messages on (`OutboxChannel` values); empty: the defaults
    # of `backend.notifications.preferences`.
    notify_channels: fields.Field[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField()

    class Meta:
        table = "acct_citizen"


class Session(Model):
    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    staff_user: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="sessions", null=True, on_delete=fields.CASCADE
    )
    citizen: fields.ForeignKeyNullableRelation[Citizen] = fields.ForeignKeyField(
        "models.Citizen", related_name="sessions", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    client_address = fields.CharField(max_length=64, default="")

    class Meta:
        table = "acct_session"


class SetPasswordToken(Model):
    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="set_password_tokens", on_delete=fields.CASCADE
    )
    created_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "acct_set_password_token"


class OtpPurpose(StrEnum):
    CITIZEN_SIGN_IN = "citizen_sign_in"


class OtpChallenge(Model):
    id = fields.IntField(primary_key=True)
    mobile = fields.CharField(max_length=15, db_index=True)
    purpose = fields.CharEnumField(OtpPurpose, max_length=32)
    code_hash = fields.CharField(max_length=64)
    client_address = fields.CharField(max_length=64, default="", db_index=True)
    created_at = fields.DatetimeField(db_index=True)
    expires_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    consumed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "acct_otp_challenge"


class StaffTotp(Model):
    """A staff account's authenticator-app secret (RFC 6238). Pending until the first
    code confirms it; the secret is stored encrypted (`backend.accounts.totp`)."""

    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[StaffUser] = fields.OneToOneField(
        "models.StaffUser", related_name="totp", on_delete=fields.CASCADE
    )
    secret_encrypted = fields.CharField(max_length=255)
    enabled_at = fields.DatetimeField(null=True)
    # The last accepted 30-second step: a code is never accepted twice.
    last_step = fields.BigIntField(null=True)
    # Wrong codes in a row, for the lockout; reset by a right one.
    failures = fields.IntField(default=0)
    failed_at = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()

    class Meta:
        table = "acct_staff_totp"
