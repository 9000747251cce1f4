"""Account administration: create, grant roles, set-password links, deactivate.

A new account never gets a password chosen by someone else: its creator receives a
one-time, expiring set-password link to hand over, shown once (only its hash is kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from backend.accounts.models import Membership, Session, SetPasswordToken, StaffUser
from backend.accounts.passwords import hash_password, password_problems
from backend.accounts.roles import Role
from backend.audit.services import record
from backend.authz.actors import Actor, ActorKind
from backend.authz.policy import Permission, require, require_may_grant
from backend.core.errors import DomainError, ErrorCode, FieldError, not_found, validation_error
from backend.core.tokens import new_token, token_hash
from backend.core.validation import check_email, check_language, check_mobile, check_text, check_username
from backend.orgs import pending_work
from backend.orgs.models import Unit
from backend.settings import Settings


@dataclass(frozen=True)
class MembershipInput:
    unit_id: int
    role: Role


@dataclass(frozen=True)
class AccountInput:
    username: str
    full_name: str
    designation: str = ""
    mobile: str = ""
    email: str = ""
    language: str = "en"
    memberships: tuple[MembershipInput, ...] = ()


@dataclass(frozen=True)
class SetPasswordLink:
    url: str
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class CreatedAccount:
    user: StaffUser
    link: SetPasswordLink


def clean_account(data: AccountInput, prefix: str = "") -> tuple[AccountInput, list[FieldError]]:
    errors: list[FieldError] = []
    cleaned = AccountInput(
        username=check_username(f"{prefix}username", data.username, errors),
        full_name=check_text(f"{prefix}fullName", data.full_name, errors, max_length=200),
        designation=check_text(f"{prefix}designation", data.designation, errors, max_length=200, required=False),
        mobile=check_mobile(f"{prefix}mobile", data.mobile, errors, required=False),
        email=check_email(f"{prefix}email", data.email, errors),
        language=check_language(f"{prefix}language", data.language, errors),
        memberships=data.memberships,
    )
    return cleaned, errors


async def _units_for(memberships: tuple[MembershipInput, ...], errors: list[FieldError]) -> dict[int, Unit]:
    ids = {m.unit_id for m in memberships}
    units = {u.id: u for u in await Unit.filter(id__in=ids)}
    for i, m in enumerate(memberships):
        unit = units.get(m.unit_id)
        if unit is None:
            errors.append(FieldError(f"memberships[{i}].unitId", "no such unit"))
        elif not unit.active:
            errors.append(FieldError(f"memberships[{i}].unitId", "the unit is inactive"))
    return units


async def create_account(
    settings: Settings, actor: Actor, data: AccountInput, *, now: datetime
) -> CreatedAccount:
    cleaned, errors = clean_account(data)
    if not cleaned.memberships:
        errors.append(FieldError("memberships", "give the account at least one role in a unit"))
    units = await _units_for(cleaned.memberships, errors)
    # Looked up only once well-formed: an overlong name would fail the query itself.
    if not any(e.field == "username" for e in errors) and await StaffUser.exists(username=cleaned.username):
        errors.append(FieldError("username", "is already taken"))
    if errors:
        raise validation_error(errors)
    for m in cleaned.memberships:
        require_may_grant(actor, m.role, units[m.unit_id].path)
    async with in_transaction():
        user = await StaffUser.create(
            username=cleaned.username, full_name=cleaned.full_name, designation=cleaned.designation,
            mobile=cleaned.mobile, email=cleaned.email, language=cleaned.language,
            created_at=now, updated_at=now,
        )
        for m in dict.fromkeys(cleaned.memberships):
            await Membership.create(user=user, unit_id=m.unit_id, role=m.role, created_at=now)
        await record(
            object_type="staff_user", object_id=user.id, action="account_created", actor=actor, now=now,
            unit_id=cleaned.memberships[0].unit_id,
            data={"username": user.username, "memberships": [[m.unit_id, m.role.value] for m in cleaned.memberships]},
        )
        link = await _issue_link(settings, actor, user, now)
    return CreatedAccount(user, link)


async def _issue_link(settings: Settings, actor: Actor, user: StaffUser, now: datetime) -> SetPasswordLink:
    # Any older link stops working: only the newest one handed over is valid.
    await SetPasswordToken.filter(user=user, used_at=None).update(used_at=now)
    token = new_token()
    expires_at = now + timedelta(hours=settings.set_password_ttl_hours)
    await SetPasswordToken.create(
        token_hash=token_hash(settings.secret_key, token), user=user,
        created_by_id=actor.id if actor.kind is ActorKind.STAFF else None,
        created_at=now, expires_at=expires_at,
    )
    return SetPasswordLink(f"{settings.public_url}/staff/#/set-password/{token}", token, expires_at)


async def _require_manage_user(actor: Actor, user: StaffUser) -> None:
    """Managing an account needs authority over every unit it holds a role in."""
    paths = await Membership.filter(user=user).values_list("unit__path", flat=True)
    if not paths:
        raise DomainError(ErrorCode.FORBIDDEN, "Only a system admin may manage an account without roles")
    for path in paths:
        require(actor, Permission.MANAGE_ACCOUNTS, str(path))


async def reissue_set_password_link(
    settings: Settings, actor: Actor, *, user_id: int, now: datetime
) -> SetPasswordLink:
    user = await StaffUser.get_or_none(id=user_id)
    if user is None:
        raise not_found("Account")
    await _require_manage_user(actor, user)
    if not user.active:
        raise DomainError(ErrorCode.ACCOUNT_INACTIVE, "The account is deactivated")
    async with in_transaction():
        link = await _issue_link(settings, actor, user, now)
        await record(object_type="staff_user", object_id=user.id, action="set_password_link_issued",
                     actor=actor, now=now)
    return link


async def set_password(settings: Settings, *, token: str, password: str, now: datetime) -> StaffUser:
    row = await SetPasswordToken.get_or_none(token_hash=token_hash(settings.secret_key, token or "")).prefetch_related(
        "user"
    )
    if row is None:
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "This set-password link is not valid")
    if row.used_at is not None:
        raise DomainError(ErrorCode.ALREADY_USED, "This set-password link was already used")
    if row.expires_at <= now:
        raise DomainError(ErrorCode.EXPIRED, "This set-password link has expired; ask for a new one")
    user = row.user
    if not user.active:
        raise DomainError(ErrorCode.ACCOUNT_INACTIVE, "This account has been deactivated")
    problems = password_problems(password or "", user.username)
    if problems:
        raise validation_error(problems)
    async with in_transaction():
        if not await SetPasswordToken.filter(id=row.id, used_at=None).update(used_at=now):
            raise DomainError(ErrorCode.ALREADY_USED, "This set-password link was already used")
        await StaffUser.filter(id=user.id).update(
            password_hash=hash_password(password), updated_at=now, version=user.version + 1
        )
        # A new password ends every session opened with the old one.
        await Session.filter(staff_user_id=user.id, revoked_at=None).update(revoked_at=now)
        await record(object_type="staff_user", object_id=user.id, action="password_set",
                     actor=Actor(ActorKind.STAFF, user.id, user.full_name), now=now)
    await user.refresh_from_db()
    return user


async def grant_role(actor: Actor, *, user_id: int, unit_id: int, role: Role, now: datetime) -> Membership:
    user = await StaffUser.get_or_none(id=user_id)
    unit = await Unit.get_or_none(id=unit_id)
    if user is None:
        raise not_found("Account")
    if unit is None:
        raise not_found("Unit")
    require_may_grant(actor, role, unit.path)
    if not unit.active:
        raise validation_error([FieldError("unitId", "the unit is inactive")])
    async with in_transaction():
        membership, created = await Membership.get_or_create(
            user=user, unit=unit, role=role, defaults={"created_at": now}
        )
        if not created and membership.active:
            raise DomainError(ErrorCode.CONFLICT, "The account already holds this role here")
        if not created:
            membership.active = True
            await membership.save(update_fields=["active"])
        await record(object_type="staff_user", object_id=user.id, action="role_granted", actor=actor, now=now,
                     unit_id=unit.id, data={"role": role.value})
    return membership


async def revoke_role(actor: Actor, *, membership_id: int, now: datetime) -> Membership:
    membership = await Membership.get_or_none(id=membership_id).prefetch_related("unit")
    if membership is None:
        raise not_found("Role")
    unit: Unit = membership.unit  # type: ignore[assignment]
    require_may_grant(actor, membership.role, unit.path)
    async with in_transaction():
        if not await Membership.filter(id=membership.id, active=True).update(active=False):
            raise DomainError(ErrorCode.CONFLICT, "The role is already revoked")
        await record(object_type="staff_user", object_id=membership.user_id, action="role_revoked",  # type: ignore[attr-defined]
                     actor=actor, now=now, unit_id=unit.id, data={"role": membership.role.value})
    membership.active = False
    return membership


@dataclass
class AccountDeactivationPlan:
    user_id: int
    username: str
    sessions_revoked: int = 0
    memberships_deactivated: int = 0
    pending_items_moved: int = 0
    successor_username: str = ""
    notes: list[str] = field(default_factory=list)
    pending_items: list[str] = field(default_factory=list)


async def deactivate_account(
    actor: Actor, *, user_id: int, successor_user_id: int | None, dry_run: bool, now: datetime
) -> AccountDeactivationPlan:
    """Deactivate an account; its pending work moves to `successor_user_id` (seed 000:
    redundant accounts' backlog moves in bulk to the right accounts)."""
    user = await StaffUser.get_or_none(id=user_id)
    if user is None:
        raise not_found("Account")
    await _require_manage_user(actor, user)
    if actor.kind is ActorKind.STAFF and actor.id == user.id:
        raise DomainError(ErrorCode.FORBIDDEN, "You may not deactivate your own account")
    if not user.active:
        raise DomainError(ErrorCode.CONFLICT, "The account is already deactivated")
    successor: StaffUser | None = None
    if successor_user_id is not None:
        successor = await StaffUser.get_or_none(id=successor_user_id)
        if successor is None or not successor.active or successor.id == user.id:
            raise validation_error([FieldError("successorUserId", "must be another active account")])
        await _require_manage_user(actor, successor)
    pending = await pending_work.count_for_users([user.id])
    if pending and successor is None:
        raise validation_error(
            [FieldError("successorUserId", f"the account has {pending} pending items: name who takes them over")]
        )
    plan = AccountDeactivationPlan(
        user_id=user.id,
        username=user.username,
        sessions_revoked=await Session.filter(staff_user_id=user.id, revoked_at=None, expires_at__gt=now).count(),
        memberships_deactivated=await Membership.filter(user_id=user.id, active=True).count(),
        pending_items_moved=pending,
        successor_username=successor.username if successor else "",
        pending_items=await pending_work.list_for_users([user.id]) if pending else [],
    )
    if dry_run:
        return plan
    async with in_transaction():
        if not await StaffUser.filter(id=user.id, version=user.version, active=True).update(
            active=False, deactivated_at=now, updated_at=now, version=user.version + 1
        ):
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The account changed meanwhile; preview again")
        await Session.filter(staff_user_id=user.id, revoked_at=None).update(revoked_at=now)
        await Membership.filter(user_id=user.id, active=True).update(active=False)
        await SetPasswordToken.filter(user_id=user.id, used_at=None).update(used_at=now)
        if successor is not None and pending:
            await pending_work.move_user_work(user.id, successor.id, actor=actor, now=now)
        await record(object_type="staff_user", object_id=user.id, action="account_deactivated", actor=actor,
                     now=now, from_state="active", to_state="inactive",
                     data={"successor": plan.successor_username, "pending_moved": pending})
    return plan
