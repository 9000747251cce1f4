"""Sign-in and account administration: thin resolvers over the account services."""

from __future__ import annotations

from typing import Annotated

import strawberry
from starlette.responses import Response

from backend.accounts import services, sign_in, totp
from backend.accounts.models import StaffUser
from backend.accounts.roles import Role
from backend.api.accounts.types import (
    AccountCreated,
    AccountDeactivationPlan,
    OtpSent,
    PasswordSet,
    RoleGrant,
    RoleGrantSuccess,
    SetPasswordLinkIssued,
    SignInSuccess,
    SignOutSuccess,
    StaffAccount,
    TotpEnrolment,
    TotpStatus,
    Viewer,
)
from backend.api.context import SESSION_COOKIE, Context
from backend.api.errors import OperationError, as_data
from backend.api.ids import int_id
from backend.authz.policy import Permission, may

Info = strawberry.Info[Context, None]


def _set_cookie(info: Info, issued: sign_in.IssuedSession) -> None:
    response = info.context.response
    if isinstance(response, Response):
        response.set_cookie(
            SESSION_COOKIE, issued.token, max_age=int((issued.expires_at - info.context.now).total_seconds()),
            httponly=True,
            secure=info.context.settings.cookie_secure, samesite="lax", path="/",
        )


def _signed_in(info: Info, issued: sign_in.IssuedSession) -> SignInSuccess:
    _set_cookie(info, issued)
    return SignInSuccess(token=issued.token, expires_at=issued.expires_at, viewer=Viewer.from_actor(issued.actor))


@strawberry.input
class MembershipInput:
    unit_id: strawberry.ID
    role: Role


@strawberry.input
class AccountCreateInput:
    username: str
    full_name: str
    designation: str = ""
    mobile: str = ""
    email: str = ""
    language: str = "en"
    memberships: list[MembershipInput] = strawberry.field(default_factory=list)


@strawberry.type
class AccountQueries:
    @strawberry.field
    def viewer(self, info: Info) -> Viewer:
        return Viewer.from_actor(info.context.actor)

    @strawberry.field(description="An account the viewer may see (has a role in their scope).")
    async def account(self, info: Info, id: strawberry.ID) -> StaffAccount | None:
        user = await StaffUser.get_or_none(id=int_id(id))
        if user is None:
            return None
        paths = await user.memberships.all().values_list("unit__path", flat=True)
        if any(may(info.context.actor, Permission.VIEW_ACCOUNTS, str(p)) for p in paths):
            return StaffAccount.from_model(user)
        return None


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Staff sign-in with username and password.")
    async def auth_sign_in_password(
        self, info: Info, username: str, password: str,
        totp_code: Annotated[str | None, strawberry.argument(
            description="The authenticator app's code, for accounts with two-step sign-in (else TOTP_REQUIRED).")] = None,
    ) -> Annotated[SignInSuccess | OperationError, strawberry.union("SignInResult")]:
        async def run() -> SignInSuccess:
            issued = await sign_in.sign_in_password(
                info.context.settings, username=username, password=password,
                client_address=info.context.client_address, now=info.context.now, totp_code=totp_code,
            )
            return _signed_in(info, issued)

        return await as_data(run)

    @strawberry.mutation(description="Start two-step sign-in for the viewer: a new secret, pending until confirmed.")
    async def auth_totp_begin(
        self, info: Info
    ) -> Annotated[TotpEnrolment | OperationError, strawberry.union("TotpBeginResult")]:
        async def run() -> TotpEnrolment:
            secret, uri = await totp.begin_enrolment(info.context.settings, info.context.actor, now=info.context.now)
            return TotpEnrolment(secret=secret, uri=uri)

        return await as_data(run)

    @strawberry.mutation(description="Turn two-step sign-in on with a first code from the app.")
    async def auth_totp_confirm(
        self, info: Info, code: str
    ) -> Annotated[TotpStatus | OperationError, strawberry.union("TotpConfirmResult")]:
        async def run() -> TotpStatus:
            await totp.confirm_enrolment(info.context.settings, info.context.actor, code, now=info.context.now)
            return TotpStatus(enabled=True)

        return await as_data(run)

    @strawberry.mutation(description="Turn two-step sign-in off, with a current code from the app.")
    async def auth_totp_disable(
        self, info: Info, code: str
    ) -> Annotated[TotpStatus | OperationError, strawberry.union("TotpDisableResult")]:
        async def run() -> TotpStatus:
            await totp.disable(info.context.settings, info.context.actor, code, now=info.context.now)
            return TotpStatus(enabled=False)

        return await as_data(run)

    @strawberry.mutation(description="Send a citizen a sign-in code by SMS.")
    async def auth_request_otp(
        self, info: Info, mobile: str
    ) -> Annotated[OtpSent | OperationError, strawberry.union("OtpRequestResult")]:
        async def run() -> OtpSent:
            expires = await sign_in.request_otp(
                info.context.settings, info.context.runtime.sms, mobile=mobile,
                client_address=info.context.client_address, now=info.context.now,
            )
            return OtpSent(mobile=mobile, expires_at=expires)

        return await as_data(run)

    @strawberry.mutation(description="Citizen sign-in with the code received by SMS.")
    async def auth_verify_otp(
        self, info: Info, mobile: str, code: str
    ) -> Annotated[SignInSuccess | OperationError, strawberry.union("OtpVerifyResult")]:
        async def run() -> SignInSuccess:
            issued = await sign_in.verify_otp(
                info.context.settings, mobile=mobile, code=code,
                client_address=info.context.client_address, now=info.context.now,
            )
            return _signed_in(info, issued)

        return await as_data(run)

    @strawberry.mutation(description="End this session (cookie or bearer token).")
    async def auth_sign_out(
        self, info: Info
    ) -> Annotated[SignOutSuccess | OperationError, strawberry.union("SignOutResult")]:
        async def run() -> SignOutSuccess:
            done = await sign_in.sign_out(info.context.actor, info.context.now)
            response = info.context.response
            if isinstance(response, Response):
                response.delete_cookie(SESSION_COOKIE, path="/")
            return SignOutSuccess(signed_out=done)

        return await as_data(run)

    @strawberry.mutation(description="Set a password through a one-time link's token.")
    async def auth_set_password(
        self, info: Info, token: str, password: str
    ) -> Annotated[PasswordSet | OperationError, strawberry.union("SetPasswordResult")]:
        async def run() -> PasswordSet:
            user = await services.set_password(info.context.settings, token=token, password=password,
                                               now=info.context.now)
            return PasswordSet(account=StaffAccount.from_model(user))

        return await as_data(run)

    @strawberry.mutation(description="Create a staff account in the viewer's subtree; returns its set-password link.")
    async def account_create(
        self, info: Info, input: AccountCreateInput
    ) -> Annotated[AccountCreated | OperationError, strawberry.union("AccountCreateResult")]:
        async def run() -> AccountCreated:
            data = services.AccountInput(
                username=input.username, full_name=input.full_name, designation=input.designation,
                mobile=input.mobile, email=input.email, language=input.language,
                memberships=tuple(services.MembershipInput(int_id(m.unit_id), m.role) for m in input.memberships),
            )
            created = await services.create_account(info.context.settings, info.context.actor, data,
                                                    now=info.context.now)
            return AccountCreated(account=StaffAccount.from_model(created.user),
                                  set_password_url=created.link.url, expires_at=created.link.expires_at)

        return await as_data(run)

    @strawberry.mutation(description="Issue a fresh set-password link; older links stop working.")
    async def account_reissue_link(
        self, info: Info, account_id: strawberry.ID
    ) -> Annotated[SetPasswordLinkIssued | OperationError, strawberry.union("AccountReissueLinkResult")]:
        async def run() -> SetPasswordLinkIssued:
            link = await services.reissue_set_password_link(
                info.context.settings, info.context.actor, user_id=int_id(account_id), now=info.context.now
            )
            return SetPasswordLinkIssued(set_password_url=link.url, expires_at=link.expires_at)

        return await as_data(run)

    @strawberry.mutation
    async def account_grant_role(
        self, info: Info, account_id: strawberry.ID, unit_id: strawberry.ID, role: Role
    ) -> Annotated[RoleGrantSuccess | OperationError, strawberry.union("AccountGrantRoleResult")]:
        async def run() -> RoleGrantSuccess:
            m = await services.grant_role(info.context.actor, user_id=int_id(account_id), unit_id=int_id(unit_id),
                                          role=role, now=info.context.now)
            return RoleGrantSuccess(grant=RoleGrant.from_model(m))

        return await as_data(run)

    @strawberry.mutation
    async def account_revoke_role(
        self, info: Info, grant_id: strawberry.ID
    ) -> Annotated[RoleGrantSuccess | OperationError, strawberry.union("AccountRevokeRoleResult")]:
        async def run() -> RoleGrantSuccess:
            m = await services.revoke_role(info.context.actor, membership_id=int_id(grant_id), now=info.context.now)
            return RoleGrantSuccess(grant=RoleGrant.from_model(m))

        return await as_data(run)

    @strawberry.mutation(description="Deactivate an account; with dryRun, only preview what would change.")
    async def account_deactivate(
        self, info: Info, account_id: strawberry.ID, dry_run: bool, successor_account_id: strawberry.ID | None = None
    ) -> Annotated[AccountDeactivationPlan | OperationError, strawberry.union("AccountDeactivateResult")]:
        async def run() -> AccountDeactivationPlan:
            plan = await services.deactivate_account(
                info.context.actor, user_id=int_id(account_id),
                successor_user_id=int_id(successor_account_id) if successor_account_id is not None else None,
                dry_run=dry_run, now=info.context.now,
            )
            return AccountDeactivationPlan(
                dry_run=dry_run, username=plan.username, sessions_revoked=plan.sessions_revoked,
                memberships_deactivated=plan.memberships_deactivated, pending_items_moved=plan.pending_items_moved,
                successor_username=plan.successor_username, pending_items=plan.pending_items,
            )

        return await as_data(run)
