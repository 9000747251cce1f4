"""GraphQL types of accounts, sessions and the viewer."""

from __future__ import annotations

from datetime import datetime

import strawberry

from backend.accounts.models import Membership as MembershipModel
from backend.accounts.models import StaffUser
from backend.accounts.roles import Role
from backend.api.orgs.types import Unit
from backend.authz.actors import Actor, ActorKind

RoleEnum = strawberry.enum(Role, name="Role")
ActorKindEnum = strawberry.enum(ActorKind, name="ActorKind")


@strawberry.type
class RoleGrant:
    id: strawberry.ID
    role: Role
    active: bool
    _unit_id: strawberry.Private[int]

    @strawberry.field
    async def unit(self, info: strawberry.Info) -> Unit | None:
        unit = await info.context.loaders.unit_by_id.load(self._unit_id)
        return Unit.from_model(unit) if unit else None

    @classmethod
    def from_model(cls, m: MembershipModel) -> RoleGrant:
        return cls(id=strawberry.ID(str(m.id)), role=m.role, active=m.active, _unit_id=m.unit_id)  # type: ignore[attr-defined]


@strawberry.type
class StaffAccount:
    id: strawberry.ID
    username: str
    full_name: str
    designation: str
    active: bool
    has_password: bool
    language: str
    created_at: datetime
    _id: strawberry.Private[int]

    @classmethod
    def from_model(cls, user: StaffUser) -> StaffAccount:
        return cls(
            id=strawberry.ID(str(user.id)), username=user.username, full_name=user.full_name,
            designation=user.designation, active=user.active, has_password=bool(user.password_hash),
            language=user.language, created_at=user.created_at, _id=user.id,
        )

    @strawberry.field
    async def roles(self) -> list[RoleGrant]:
        return [RoleGrant.from_model(m) for m in await MembershipModel.filter(user_id=self._id).order_by("id")]


@strawberry.type(description="A role the viewer holds in a unit (and its subtree, where the role reaches).")
class ViewerGrant:
    role: Role
    _unit_id: strawberry.Private[int]

    @strawberry.field
    async def unit(self, info: strawberry.Info) -> Unit | None:
        unit = await info.context.loaders.unit_by_id.load(self._unit_id)
        return Unit.from_model(unit) if unit else None


@strawberry.type(description="Who is signed in on this request.")
class Viewer:
    kind: ActorKind
    id: strawberry.ID | None
    name: str
    grants: list[ViewerGrant]

    @strawberry.field(description="Whether the viewer (staff) signs in with a code from an authenticator app too.")
    async def totp_enabled(self) -> bool:
        from backend.accounts.totp import is_enabled

        return self.kind is ActorKind.STAFF and self.id is not None and await is_enabled(int(self.id))

    @classmethod
    def from_actor(cls, actor: Actor) -> Viewer:
        return cls(
            kind=actor.kind, id=strawberry.ID(str(actor.id)) if actor.id is not None else None, name=actor.name,
            grants=[ViewerGrant(role=g.role, _unit_id=g.unit_id) for g in actor.grants],
        )


@strawberry.type
class SignInSuccess:
    token: str = strawberry.field(description="Bearer token for API clients; browsers also get an HttpOnly cookie.")
    expires_at: datetime
    viewer: Viewer


@strawberry.type(description="A new authenticator-app secret, shown once: type the key or open the link in the app.")
class TotpEnrolment:
    secret: str
    uri: str


@strawberry.type
class TotpStatus:
    enabled: bool


@strawberry.type
class OtpSent:
    mobile: str
    expires_at: datetime


@strawberry.type
class SignOutSuccess:
    signed_out: bool


@strawberry.type
class PasswordSet:
    account: StaffAccount


@strawberry.type(description="A new account and its one-time set-password link, shown only now.")
class AccountCreated:
    account: StaffAccount
    set_password_url: str
    expires_at: datetime


@strawberry.type
class SetPasswordLinkIssued:
    set_password_url: str
    expires_at: datetime


@strawberry.type
class RoleGrantSuccess:
    grant: RoleGrant


@strawberry.type
class AccountDeactivationPlan:
    dry_run: bool
    username: str
    sessions_revoked: int
    memberships_deactivated: int
    pending_items_moved: int
    successor_username: str
    pending_items: list[str] = strawberry.field(description="Numbers of the pending grievances that move (first 500).")
