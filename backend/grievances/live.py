"""Live updates: every committed transition is announced to subscribers.

`transitions.commit` notes each change in the current *publishing scope*; the scope
(one GraphQL operation, one job run) publishes what it noted when it ends - after its
transactions have committed - to `grievance:<id>` and to `inbox`. A broadcast is only
a prompt: subscribers read the grievance again from the database, so a change noted in
a transaction that then rolled back costs a needless read, never a wrong answer, and a
lost broadcast is caught by the subscribers' periodic re-read.

Whether a change entered, left or stayed in a staff member's inbox is decided here, in
pure code that mirrors `access.current_scope_q` and the inbox's pending filter.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from backend.authz.actors import Actor, ActorKind
from backend.authz.policy import in_conflict
from backend.core.broadcast import Broadcast
from backend.grievances.models import Grievance
from backend.grievances.states import PENDING, State

log = logging.getLogger(__name__)

INBOX_CHANNEL = "inbox"


def grievance_channel(grievance_id: int) -> str:
    return f"grievance:{grievance_id}"


@dataclass(frozen=True)
class Placement:
    """Where a grievance sits, as far as inboxes are concerned."""

    status: str
    unit_id: int
    unit_path: str
    assigned_officer_id: int | None
    escalated_to_id: int | None
    # Whom it is against (F13): they are told nothing of it. Defaults: messages
    # published before these fields existed still parse.
    against_officer_id: int | None = None
    against_unit_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "unit_id": self.unit_id, "unit_path": self.unit_path,
                "assigned_officer_id": self.assigned_officer_id, "escalated_to_id": self.escalated_to_id,
                "against_officer_id": self.against_officer_id, "against_unit_id": self.against_unit_id}

    @classmethod
    def of(cls, g: Grievance) -> Placement:
        return cls(str(State(g.status).value) if g.status else "", int(g.unit_id),  # type: ignore[attr-defined]
                   g.unit_path, g.assigned_officer_id, g.escalated_to_id,  # type: ignore[attr-defined]
                   g.against_officer_id, g.against_unit_id)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Change:
    grievance_id: int
    version: int
    action: str
    before: Placement | None
    after: Placement

    def message(self) -> dict[str, Any]:
        # What `asdict` gives, built directly: `asdict` deep-copies recursively and was a
        # tenth of a 10,000-grievance sweep (tests/bench).
        return {"grievance_id": self.grievance_id, "version": self.version, "action": self.action,
                "before": self.before.as_dict() if self.before is not None else None, "after": self.after.as_dict()}

    @classmethod
    def from_message(cls, data: dict[str, Any]) -> Change:
        before = data.get("before")
        return cls(int(data["grievance_id"]), int(data["version"]), str(data["action"]),
                   Placement(**before) if before else None, Placement(**data["after"]))


_noted: ContextVar[list[Change] | None] = ContextVar("grievance_live_changes", default=None)


def note(change: Change) -> None:
    """Called by `transitions.commit`; outside a publishing scope it does nothing."""
    pending = _noted.get()
    if pending is not None:
        pending.append(change)


@asynccontextmanager
async def publishing(broadcast: Broadcast | None) -> AsyncIterator[None]:
    changes: list[Change] = []
    previous = _noted.get()
    _noted.set(changes)
    try:
        yield
    finally:
        # Restored by value, not by token: a subscription operation's scope may end in
        # another task (another context) than the one it began in.
        _noted.set(previous)
        if broadcast is not None:
            await publish(broadcast, changes)


async def publish(broadcast: Broadcast, changes: list[Change]) -> None:
    """Each change on its grievance's channel and on the inbox channel, in one batch."""
    if not changes:
        return
    items = []
    for change in changes:
        message = change.message()
        items += [(grievance_channel(change.grievance_id), message), (INBOX_CHANNEL, message)]
    try:
        await broadcast.publish_many(items)
    except Exception:  # a broadcast outage must not fail the use case that already committed
        log.warning("live updates for %d grievance changes not broadcast (first: grievance %s)", len(changes),
                    changes[0].grievance_id, exc_info=True)


class InboxEventKind(StrEnum):
    ENTERED = "entered"
    LEFT = "left"
    CHANGED = "changed"
    ESCALATED_TO_YOU = "escalated_to_you"


def in_inbox(actor: Actor, place: Placement) -> bool:
    if actor.kind is not ActorKind.STAFF or place.status not in PENDING:
        return False
    if place.assigned_officer_id is not None and place.assigned_officer_id == actor.id:
        return True
    if place.escalated_to_id is not None and any(g.unit_id == place.escalated_to_id for g in actor.grants):
        return True
    return any(g.covers(place.unit_path) for g in actor.grants)


def inbox_event(actor: Actor, change: Change) -> InboxEventKind | None:
    """What the change means for the actor's inbox (None: nothing)."""
    if in_conflict(actor, change.after.against_officer_id, change.after.against_unit_id):
        return None
    was = change.before is not None and in_inbox(actor, change.before)
    now = in_inbox(actor, change.after)
    escalated_here = (change.action == "escalate" and change.after.escalated_to_id is not None
                      and any(g.unit_id == change.after.escalated_to_id for g in actor.grants))
    if escalated_here:
        return InboxEventKind.ESCALATED_TO_YOU
    if now and not was:
        return InboxEventKind.ENTERED
    if was and not now:
        return InboxEventKind.LEFT
    return InboxEventKind.CHANGED if now else None


class SharedReads:
    """One database read per grievance and version for all of a process's subscribers.

    A broadcast says which version was committed; every subscriber of that grievance
    then needs a row at least that new. The first to ask reads it, the others wait for
    that same read, and a row already read that is new enough is reused - so 5,000
    subscribers of one grievance cost one query per change, not 5,000. Access is still
    checked for each subscriber on the row it gets. Bounded in size, and a row is kept
    only for a burst's length (KEEP_SECONDS), so nothing old is ever served.
    """

    KEEP_SECONDS = 2.0

    def __init__(self, size: int = 10_000) -> None:
        self._rows: dict[int, tuple[float, Grievance | None]] = {}
        self._reading: dict[int, asyncio.Future[Grievance | None]] = {}
        self._size = size

    def clear(self) -> None:
        self._rows.clear()

    async def get(self, grievance_id: int, at_least: int | None) -> Grievance | None:
        """The grievance at `at_least` or newer (None: read it anew, e.g. a periodic check)."""
        read_at, known = self._rows.get(grievance_id, (0.0, None))
        fresh_enough = time.monotonic() - read_at < self.KEEP_SECONDS
        if at_least is not None and known is not None and fresh_enough and known.version >= at_least:
            return known
        reading = self._reading.get(grievance_id)
        if reading is not None:
            row = await asyncio.shield(reading)
            if at_least is not None and (row is None or row.version >= at_least):
                return row
        return await self._read(grievance_id)

    async def _read(self, grievance_id: int) -> Grievance | None:
        future: asyncio.Future[Grievance | None] = asyncio.get_running_loop().create_future()
        self._reading[grievance_id] = future
        try:
            row = await Grievance.get_or_none(id=grievance_id)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved here, so an unawaited failure is not reported twice
            raise
        finally:
            if self._reading.get(grievance_id) is future:
                del self._reading[grievance_id]
        future.set_result(row)
        self._rows.pop(grievance_id, None)
        now = time.monotonic()
        self._rows[grievance_id] = (now, row)
        # Oldest first (a row read again moves to the end): drop what can no longer be
        # served, so that rows are not held until 10,000 others push them out.
        while self._rows:
            oldest = next(iter(self._rows))
            if len(self._rows) <= self._size and now - self._rows[oldest][0] < self.KEEP_SECONDS:
                break
            del self._rows[oldest]
        return row


shared_reads = SharedReads()
