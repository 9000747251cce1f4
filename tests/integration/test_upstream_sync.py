"""The upstream sync against a fake upstream portal over real HTTP (aiohttp on
localhost) that implements backend/upstream/CONTRACT.md, including its failures:
500s, timeouts, an item sent twice, an update it already has (409). Nothing is filed
twice, nothing is lost, and every update arrives in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from backend.grievances import reports, services
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.settings import Settings
from backend.upstream.models import PushStatus, UpstreamLink, UpstreamPush
from backend.upstream.sync import SETTLE, HttpUpstream, UpstreamUnavailable, pull, queue_updates, send_due
from tests.conftest import NOW
from tests.factories import actor_for, lifecycle_world

pytestmark = pytest.mark.usefixtures("db")
TOKEN = "upstream-test-token"


def item(n: int, **extra: Any) -> dict[str, Any]:
    return {"registration_number": f"DARPG/E/2026/{n:07d}", "received_at": "2026-11-20T10:15:00+05:30",
            "category_code": "REV-LAND-MUTATION", "area_code": "BR-A-1", "subject": f"Upstream {n}",
            "description": "Mutation pending for months.", "relief_sought": "Complete it.", "language": "hi",
            "citizen": {"name": "Sita Devi", "mobile": f"98765{n:05d}", "email": "", "address": "Bihta"}, **extra}


@dataclass
class FakeUpstream:
    """Pages of items by cursor, and a script of failures to play."""

    pages: dict[str, tuple[list[dict[str, Any]], str]] = field(default_factory=dict)
    pull_failures: list[str] = field(default_factory=list)   # "500" or "slow", consumed in order
    push_failures: list[str] = field(default_factory=list)
    updates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seen_update_ids: set[str] = field(default_factory=set)
    fetches: int = 0

    async def grievances(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": "token"}, status=401)
        self.fetches += 1
        if self.pull_failures:
            failure = self.pull_failures.pop(0)
            if failure == "slow":
                await asyncio.sleep(2)
            return web.json_response({"error": failure}, status=500)
        items, following = self.pages.get(request.query.get("after", ""), ([], request.query.get("after", "")))
        return web.json_response({"items": items, "next_cursor": following})

    async def update(self, request: web.Request) -> web.Response:
        if self.push_failures:
            failure = self.push_failures.pop(0)
            if failure == "slow":
                await asyncio.sleep(2)
            return web.json_response({"error": failure}, status=503)
        body = await request.json()
        if body["update_id"] in self.seen_update_ids:
            return web.json_response({"duplicate": True}, status=409)
        self.seen_update_ids.add(body["update_id"])
        self.updates.setdefault(request.match_info["number"], []).append(body)
        return web.json_response({"accepted": True})


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[tuple[FakeUpstream, HttpUpstream]]:
    state = FakeUpstream()
    app = web.Application()
    app.router.add_get("/grievances", state.grievances)
    app.router.add_post("/grievances/{number}/updates", state.update)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield state, HttpUpstream(f"http://127.0.0.1:{port}", TOKEN, timeout=0.5)
    await runner.cleanup()


async def test_pull_files_each_number_once_through_failures_and_duplicates(
        settings: Settings, fake: tuple[FakeUpstream, HttpUpstream]) -> None:
    state, upstream = fake
    w = await lifecycle_world(settings)
    assert w.leaf.code == "REV-LAND-MUTATION"
    state.pages = {"": ([item(1), item(2)], "c2"), "c2": ([item(2), item(3)], "c3"), "c3": ([], "c3")}
    state.pull_failures = ["500", "slow"]
    with pytest.raises(UpstreamUnavailable):
        await pull(settings, upstream, now=NOW)
    with pytest.raises(UpstreamUnavailable):
        await pull(settings, upstream, now=NOW)  # the timeout
    assert await Grievance.all().count() == 0
    assert await pull(settings, upstream, now=NOW) == 3  # item 2 came twice, filed once
    assert await pull(settings, upstream, now=NOW) == 0  # resumes from the stored cursor: nothing new
    filed = await Grievance.filter(channel=Channel.UPSTREAM).order_by("id")
    assert [g.subject for g in filed] == ["Upstream 1", "Upstream 2", "Upstream 3"]
    assert await UpstreamLink.all().count() == 3
    # An unknown category goes to "Others" rather than being lost.
    from backend.categories.models import Category

    others = await Category.create(code="REV-OTHERS", department_id=w.tree.dept.id, path="", depth=0,
                                   names={"en": "Others", "hi": "अन्य"}, is_others=True, created_at=NOW,
                                   updated_at=NOW)
    await Category.filter(id=others.id).update(path=f"/{others.id}/")
    state.pages["c3"] = ([item(4, category_code="NO-SUCH-CODE")], "c4")
    assert await pull(settings, upstream, now=NOW) == 1
    assert (await Grievance.get(subject="Upstream 4")).category_id == others.id  # type: ignore[attr-defined]


async def test_every_update_is_pushed_once_in_order_through_failures(
        settings: Settings, fake: tuple[FakeUpstream, HttpUpstream]) -> None:
    state, upstream = fake
    w = await lifecycle_world(settings)
    state.pages = {"": ([item(1)], "c1")}
    await pull(settings, upstream, now=NOW)
    g = await Grievance.get(subject="Upstream 1")
    cell = await actor_for(w.users["cell"])
    await services.allot(cell, g.id, unit_id=w.tree.block_a.id, now=NOW + timedelta(minutes=5))
    await services.comment(cell, g.id, text="Internal: check the file.", now=NOW + timedelta(minutes=6))
    await reports.final_report(await actor_for(w.users["officer_a"]), g.id, reports.ReportInput(
        action_taken="Mutation entered in the register.", reply="Your mutation is complete."),
        now=NOW + timedelta(minutes=7))

    later = NOW + timedelta(minutes=10)
    assert await queue_updates(now=NOW + timedelta(seconds=30)) == 0  # not settled yet
    assert await queue_updates(now=later) == 3  # filed, allotted, reported; the internal comment stays home
    assert await queue_updates(now=later) == 0
    state.push_failures = ["503", "slow"]
    assert await send_due(upstream, now=later) == 0  # the first fails; the second waits behind it
    pending = await UpstreamPush.filter(status=PushStatus.PENDING).order_by("id")
    assert [p.attempts for p in pending] == [1, 0, 0] and pending[0].next_attempt_at == later + timedelta(minutes=1)
    assert await send_due(upstream, now=later + timedelta(minutes=1)) == 0  # the timeout
    assert (await UpstreamPush.filter(status=PushStatus.PENDING).order_by("id").first()).attempts == 2  # type: ignore[union-attr]
    assert await send_due(upstream, now=later + timedelta(minutes=4)) == 3
    number = "DARPG/E/2026/0000001"
    assert [u["action"] for u in state.updates[number]] == ["file", "allot", "final_report"]
    assert state.updates[number][1]["status"] == "allotted" and state.updates[number][1]["reply"] == ""
    assert state.updates[number][2]["reply"] == "Your mutation is complete."

    # Sent again (a crash after the upstream accepted it, before we marked it): the 409 is success.
    await UpstreamPush.filter(event_id=int(state.updates[number][1]["update_id"].rsplit("-", 1)[1])).update(
        status=PushStatus.PENDING)
    assert await send_due(upstream, now=later + timedelta(minutes=5)) == 1
    assert len(state.updates[number]) == 3 and await UpstreamPush.filter(status=PushStatus.PENDING).count() == 0
    assert SETTLE == timedelta(seconds=60)
