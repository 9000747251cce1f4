"""Live status over the websocket: one grievance, and a staff member's inbox.

Both are fed by `backend.grievances.live` through the runtime's broadcast (Redis
pub/sub across API processes, in-process in the embedded default). Each broadcast only
prompts a fresh read, and access is checked on every read, so a subscriber never sees
more than the queries would show them.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from backend.api.context import Context
from backend.api.grievances.types import Grievance
from backend.api.ids import int_id
from backend.authz.actors import ActorKind
from backend.core.broadcast import prompts
from backend.core.errors import DomainError, ErrorCode
from backend.grievances import access, live
from backend.grievances.models import Grievance as GrievanceModel

Info = strawberry.Info[Context, None]
InboxEventKindEnum = strawberry.enum(live.InboxEventKind, name="InboxEventKind")
# Silence this long makes the grievance subscription re-read the row anyway: a lost
# broadcast (Redis restarted) delays an update by at most this much.
RECHECK_SECONDS = 30.0


def _spent(event: object) -> None:
    """Empty an event once it has been sent. graphql-core keeps the last event it mapped
    until the next one comes - for a held subscription, hours - and a Grievance view
    holds its row (a few KB, more with a long description) for each of thousands of
    subscribers. This generator is resumed only after that event was executed and its
    result sent, so nothing reads it any more."""
    vars(event).clear()


@strawberry.type(description="Something happened in the viewer's inbox.")
class InboxEvent:
    kind: live.InboxEventKind
    grievance_id: strawberry.ID
    version: int
    grievance: Grievance | None = strawberry.field(description="Null when it has left the inbox and the viewer "
                                                               "may no longer see it.")


@strawberry.type
class GrievanceSubscriptions:
    @strawberry.subscription(description="The grievance now, then again after every change (the citizen's own; "
                                         "staff who may see it). Refused when the viewer may not see it.")
    async def grievance_updated(self, info: Info, id: strawberry.ID) -> AsyncGenerator[Grievance, None]:
        actor = info.context.actor
        grievance_id = int_id(id)
        await access.get_visible(actor, grievance_id)  # NOT_FOUND before anything is streamed
        version = -1
        async for message in prompts(info.context.runtime.broadcast, live.grievance_channel(grievance_id),
                                     RECHECK_SECONDS):
            # A broadcast names the committed version: a row that new, read once for all
            # of this process's subscribers; a silence or the first round reads anew.
            wanted = int(message["version"]) if message and "version" in message else None
            fresh = await live.shared_reads.get(grievance_id, wanted)
            if fresh is None or not await access.may_view(actor, fresh):
                return  # it moved out of the viewer's sight: the stream ends
            if fresh.version != version:
                version = fresh.version
                # Each update is a new view: whether the viewer handles it (clear contact
                # details, recorded) is decided again, not remembered from the first.
                info.context.contacts.pop(grievance_id, None)
                view = Grievance.from_model(fresh)
                yield view
                _spent(view)
            # Nothing of the row is held while waiting for the next change: thousands of
            # subscriptions wait here, and a row (with its view) is a few KB each.
            fresh = None

    @strawberry.subscription(description="Grievances entering, leaving or changing in the signed-in official's "
                                         "inbox, and escalations to their units.")
    async def inbox_changed(self, info: Info) -> AsyncGenerator[InboxEvent, None]:
        actor = info.context.actor
        if actor.kind is ActorKind.ANONYMOUS:
            raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
        if actor.kind is not ActorKind.STAFF:
            raise DomainError(ErrorCode.FORBIDDEN, "The inbox is for staff")
        async for message in prompts(info.context.runtime.broadcast, live.INBOX_CHANNEL):
            if message is None:
                continue
            change = live.Change.from_message(message)
            kind = live.inbox_event(actor, change)
            if kind is None:
                continue
            fresh = await GrievanceModel.get_or_none(id=change.grievance_id)
            shown = fresh is not None and await access.may_view(actor, fresh)
            info.context.contacts.pop(change.grievance_id, None)  # decided afresh, as above
            event = InboxEvent(kind=kind, grievance_id=strawberry.ID(str(change.grievance_id)), version=change.version,
                               grievance=Grievance.from_model(fresh) if shown and fresh is not None else None)
            fresh = None
            yield event
            _spent(event)

