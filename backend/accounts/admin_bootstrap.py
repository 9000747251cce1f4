"""Bootstrapping from the command line: the first system admin, and CLI actors."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from backend.accounts.models import Membership, StaffUser
from backend.accounts.roles import Role
from backend.accounts.services import AccountInput, MembershipInput, SetPasswordLink, create_account
from backend.accounts.sign_in import grants_of
from backend.authz.actors import SYSTEM, Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit
from backend.orgs.services import UnitInput, create_unit
from backend.settings import Settings


async def create_first_admin(
    settings: Settings, *, username: str, full_name: str, root_code: str, root_name: str, now: datetime
) -> SetPasswordLink:
    """Only while no system admin exists: afterwards admins create admins in the app."""
    if await Membership.exists(role=Role.SYSTEM_ADMIN, active=True, user__active=True):
        raise DomainError(ErrorCode.CONFLICT, "A system admin already exists; ask them to create more")
    async with in_transaction():
        root = await Unit.filter(parent_id=None, active=True).order_by("id").first()
        if root is None:
            root = await create_unit(
                SYSTEM, UnitInput(code=root_code, kind=UnitKind.NATIONAL_NODAL, names={"en": root_name}),
                parent_id=None, now=now,
            )
        created = await create_account(
            settings, SYSTEM,
            AccountInput(username=username, full_name=full_name,
                         memberships=(MembershipInput(root.id, Role.SYSTEM_ADMIN),)),
            now=now,
        )
    return created.link


async def actor_by_username(username: str | None) -> Actor:
    """The CLI acts as the system unless told to act as a named account."""
    if not username:
        return SYSTEM
    user = await StaffUser.get_or_none(username=username.lower())
    if user is None or not user.active:
        raise DomainError(ErrorCode.NOT_FOUND, f"No active account {username!r}")
    return Actor(ActorKind.STAFF, user.id, user.full_name, await grants_of(user.id))
