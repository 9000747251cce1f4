"""The live-update message a change is broadcast as, and the batch publish."""

from __future__ import annotations

import asyncio
import dataclasses

from backend.core.broadcast import InProcessBroadcast
from backend.grievances.live import INBOX_CHANNEL, Change, Placement, grievance_channel, publish


def _change(before: Placement | None) -> Change:
    after = Placement("escalated", 7, "/1/4/7/", None, 12, against_officer_id=None, against_unit_id=3)
    return Change(42, 5, "escalate", before, after)


def test_message_is_every_field_of_the_change() -> None:
    # Built by hand for speed: it must still carry every field, so a field added to
    # Change or Placement without adding it to the message fails here.
    for before in (None, Placement("allotted", 4, "/1/4/", 9, None, 2, None)):
        change = _change(before)
        assert change.message() == dataclasses.asdict(change)
        assert Change.from_message(change.message()) == change


def test_publish_sends_each_change_to_its_channel_and_the_inbox_in_order() -> None:
    async def run() -> list[tuple[str, dict[str, object]]]:
        broadcast = InProcessBroadcast()
        got: list[tuple[str, dict[str, object]]] = []
        ready = [asyncio.Event(), asyncio.Event(), asyncio.Event()]

        async def listen(channel: str, event: asyncio.Event, count: int) -> None:
            stream = broadcast.subscribe(channel, event)
            async for message in stream:
                got.append((channel, message))
                count -= 1
                if count == 0:
                    return

        tasks = [asyncio.create_task(listen(grievance_channel(42), ready[0], 1)),
                 asyncio.create_task(listen(grievance_channel(43), ready[1], 1)),
                 asyncio.create_task(listen(INBOX_CHANNEL, ready[2], 2))]
        await asyncio.gather(*(e.wait() for e in ready))
        first, second = _change(None), dataclasses.replace(_change(None), grievance_id=43)
        await publish(broadcast, [first, second])
        await asyncio.wait_for(asyncio.gather(*tasks), 5)
        return got

    got = asyncio.run(run())
    assert sorted(c for c, _ in got) == ["grievance:42", "grievance:43", INBOX_CHANNEL, INBOX_CHANNEL]
    assert [m["grievance_id"] for c, m in got if c == INBOX_CHANNEL] == [42, 43]
