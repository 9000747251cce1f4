"""A subscriber's mailbox and `prompts` over the in-process broadcast: bounded, timed
waits that cancel nothing, errors passed on, every mailbox given back."""

from __future__ import annotations

import asyncio

import pytest

from backend.core.broadcast import RESUBSCRIBED, InProcessBroadcast, Mailbox, prompts


async def test_a_full_mailbox_drops_its_oldest_message() -> None:
    box = Mailbox(2)
    for n in range(3):
        box.put({"n": n})
    assert [await box.get(0), await box.get(0), await box.get(0)] == [{"n": 1}, {"n": 2}, None]


async def test_a_timed_wait_returns_none_and_a_later_message_still_arrives() -> None:
    box = Mailbox(10)
    assert await box.get(0.01) is None
    waiting = asyncio.ensure_future(box.get(5))
    await asyncio.sleep(0)
    box.put({"n": 1})
    assert await asyncio.wait_for(waiting, 1) == {"n": 1}


async def test_a_cancelled_wait_loses_no_message() -> None:
    box = Mailbox(10)
    waiting = asyncio.ensure_future(box.get())
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    box.put({"n": 1})
    assert await box.get(0) == {"n": 1}


async def test_a_failed_mailbox_raises_to_its_waiting_reader() -> None:
    box = Mailbox(10)
    waiting = asyncio.ensure_future(box.get())
    await asyncio.sleep(0)
    box.fail(ConnectionError("gone"))
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(waiting, 1)


async def test_prompts_first_prompt_comes_subscribed_then_messages_silences_and_resubscriptions() -> None:
    broadcast = InProcessBroadcast()
    stream = prompts(broadcast, "c", every=0.05)
    assert await anext(stream) is None  # subscribed: what is published now is delivered
    await broadcast.publish("c", {"version": 2})
    assert await anext(stream) == {"version": 2}
    assert await asyncio.wait_for(anext(stream), 1) is None  # a silence prompts a re-read
    await broadcast.publish("c", RESUBSCRIBED)
    assert await anext(stream) is None
    await stream.aclose()
    assert not broadcast._subscribers  # the mailbox was given back


async def test_subscribe_iterates_messages_and_gives_its_mailbox_back() -> None:
    broadcast = InProcessBroadcast()
    ready = asyncio.Event()
    stream = broadcast.subscribe("c", ready)
    first = asyncio.ensure_future(anext(stream))
    await asyncio.wait_for(ready.wait(), 1)
    await broadcast.publish("c", {"x": 1})
    assert await asyncio.wait_for(first, 1) == {"x": 1}
    await stream.aclose()
    assert not broadcast._subscribers
