"""Web Push subscriptions over GraphQL (thin): the PWA registers each device."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.notifications import push

Info = strawberry.Info[Context, None]


@strawberry.type(description="A device registered for push messages.")
class PushDevice:
    endpoint: str
    created_at: datetime


@strawberry.type
class PushUnsubscribed:
    removed: bool


@strawberry.type
class PushQueries:
    @strawberry.field(description="The VAPID public key: the PWA's applicationServerKey.")
    def push_public_key(self, info: Info) -> str:
        return info.context.settings.vapid_public_key


@strawberry.type
class PushMutations:
    @strawberry.mutation(description="Register this browser's PushSubscription (endpoint and keys) for the viewer.")
    async def push_subscribe(
        self, info: Info, endpoint: str, p256dh: str, auth: str,
    ) -> Annotated[PushDevice | OperationError, strawberry.union("PushSubscribeResult")]:
        async def run() -> PushDevice:
            agent = info.context.request.headers.get("user-agent", "") if info.context.request else ""
            row = await push.subscribe(info.context.settings, info.context.actor, endpoint=endpoint, p256dh=p256dh,
                                       auth=auth, user_agent=agent, now=info.context.now)
            return PushDevice(endpoint=row.endpoint, created_at=row.created_at)

        return await as_data(run)

    @strawberry.mutation(description="Stop push messages to this browser (only the viewer's own).")
    async def push_unsubscribe(
        self, info: Info, endpoint: str,
    ) -> Annotated[PushUnsubscribed | OperationError, strawberry.union("PushUnsubscribeResult")]:
        async def run() -> PushUnsubscribed:
            return PushUnsubscribed(removed=await push.unsubscribe(info.context.actor, endpoint=endpoint))

        return await as_data(run)
