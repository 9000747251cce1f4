"""Sync with an upstream portal (seeds 001 and 003; the contract is CONTRACT.md here).

Pull: read pages after the stored cursor and file each registration number once,
through the same intake as every channel (channel UPSTREAM, by the system), with the
link written in the grievance's transaction; the cursor moves only after its page is
filed, so a failure anywhere is repaired by the next run. Push: every event of a linked
grievance is queued (in the transaction that reads it from the event log), then sent in
event order per grievance, retried with back-off until the upstream accepts it or says
it already has it (409).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

import aiohttp
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.audit.models import AuditEvent
from backend.authz.actors import SYSTEM
from backend.categories.models import Category
from backend.core.errors import DomainError, ErrorCode
from backend.grievances import intake
from backend.grievances.channels import Channel
from backend.grievances.models import Report
from backend.grievances.transitions import OBJECT_TYPE
from backend.orgs.models import Unit
from backend.settings import Settings
from backend.upstream.models import PushStatus, UpstreamLink, UpstreamPush, UpstreamState

log = logging.getLogger(__name__)
PULL, EVENTS = "pull", "events"
TIMEOUT_SECONDS = 10
SETTLE = timedelta(seconds=60)
MAX_BACKOFF = timedelta(hours=1)


class UpstreamUnavailable(Exception):
    """A timeout, a refused connection or a 5xx: try again later."""


class Upstream(Protocol):
    async def fetch(self, after: str, limit: int) -> tuple[list[Mapping[str, Any]], str]: ...
    async def push(self, registration_number: str, body: Mapping[str, Any]) -> None: ...


class HttpUpstream:
    def __init__(self, base_url: str, token: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self.base_url, self.token, self.timeout = base_url.rstrip("/"), token, timeout

    async def _call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session, \
                    session.request(method, self.base_url + path, headers=headers, **kwargs) as response:
                body = await response.json(content_type=None) if response.status < 300 else None
                return response.status, body
        except (TimeoutError, aiohttp.ClientError, ValueError) as failed:
            raise UpstreamUnavailable(f"{method} {path}: {type(failed).__name__}") from failed

    async def fetch(self, after: str, limit: int) -> tuple[list[Mapping[str, Any]], str]:
        status, body = await self._call("GET", "/grievances", params={"after": after, "limit": str(limit)})
        if status != 200 or not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise UpstreamUnavailable(f"GET /grievances answered {status}")
        return list(body["items"]), str(body.get("next_cursor") or after)

    async def push(self, registration_number: str, body: Mapping[str, Any]) -> None:
        from urllib.parse import quote

        status, _ = await self._call("POST", f"/grievances/{quote(registration_number, safe='')}/updates", json=body)
        if status not in (200, 201, 409):
            raise UpstreamUnavailable(f"POST updates answered {status}")


def upstream_for(settings: Settings) -> Upstream | None:
    return HttpUpstream(settings.upstream_url, settings.upstream_token) if settings.upstream_url else None


async def _state(name: str) -> str:
    row = await UpstreamState.get_or_none(name=name)
    return row.value if row else ""


async def _set_state(name: str, value: str) -> None:
    if not await UpstreamState.filter(name=name).update(value=value):
        try:
            await UpstreamState.create(name=name, value=value)
        except IntegrityError:
            await UpstreamState.filter(name=name).update(value=value)


async def _category_for(code: str) -> Category | None:
    found = await Category.get_or_none(code=code, active=True) if code else None
    if found is not None and not await Category.exists(parent_id=found.id, active=True):
        return found
    # Unknown or not a leaf: the "Others" category, for the cell to re-classify.
    return await Category.filter(is_others=True, active=True).order_by("id").first()


async def _default_area() -> str:
    """Where an item without an area is filed: the first state's area."""
    state = await Unit.filter(depth=1, active=True).order_by("id").first()
    return str((state.area_codes or [state.code])[0]) if state else ""


async def file_item(settings: Settings, item: Mapping[str, Any], now: datetime) -> bool:
    """File one upstream grievance unless its number already was; True when filed now."""
    number = str(item.get("registration_number") or "").strip()[:120]
    if not number or await UpstreamLink.exists(registration_number=number):
        return False
    category = await _category_for(str(item.get("category_code") or ""))
    if category is None:
        raise DomainError(ErrorCode.CONFLICT, "no active \"Others\" category to file an unknown category under")
    given = item.get("citizen")
    citizen: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    area = str(item.get("area_code") or "") or await _default_area()
    data = intake.FilingInput(
        channel=Channel.UPSTREAM, category_id=category.id, area_code=area,
        subject=str(item.get("subject") or "")[:200], description=str(item.get("description") or ""),
        relief_sought=str(item.get("relief_sought") or "") or "Redress of the grievance described.",
        citizen_name=str(citizen.get("name") or ""), citizen_mobile=str(citizen.get("mobile") or "")[-10:],
        citizen_email=str(citizen.get("email") or ""), citizen_address=str(citizen.get("address") or ""),
        language=str(item.get("language") or "en")[:8],
        # The intake's own retry key too (its alphabet is narrow: a digest of the number).
        idempotency_key="upstream-" + hashlib.sha256(number.encode()).hexdigest()[:40])
    try:
        async with in_transaction():
            filed = await intake.file_grievance(settings, SYSTEM, data, now=now)
            await UpstreamLink.create(registration_number=number, grievance_id=filed.grievance.id, created_at=now)
    except IntegrityError:
        return False  # another worker filed it at the same moment
    return True


async def pull(settings: Settings, upstream: Upstream, *, now: datetime, limit: int = 100, pages: int = 10) -> int:
    """Pull up to `pages` pages; returns how many grievances were filed."""
    filed = 0
    for _ in range(pages):
        cursor = await _state(PULL)
        items, following = await upstream.fetch(cursor, limit)
        for item in items:
            try:
                filed += await file_item(settings, item, now)
            except DomainError as refused:
                # An item the intake refuses (no mobile, say) must not block the rest.
                log.error("upstream item %s not filed: %s", item.get("registration_number"), refused.message)
        await _set_state(PULL, following)
        if not items or following == cursor:
            break
    return filed


async def queue_updates(*, now: datetime, batch: int = 1000) -> int:
    """Queue a push for every settled event of a linked grievance past the cursor."""
    async with in_transaction():
        await UpstreamState.get_or_create(name=EVENTS, defaults={"value": "0"})
        state = await UpstreamState.filter(name=EVENTS).select_for_update().first()
        after = int(state.value or 0) if state else 0
        events = await AuditEvent.filter(object_type=OBJECT_TYPE, id__gt=after).order_by("id").limit(batch)
        settled = []
        for e in events:
            if e.occurred_at > now - SETTLE:
                break  # the cursor never passes an event not yet visible to every reader
            settled.append(e)
        if not settled:
            return 0
        links = {link.grievance_id: link.registration_number  # type: ignore[attr-defined]
                 for link in await UpstreamLink.filter(grievance_id__in={int(e.object_id) for e in settled})}
        queued = 0
        for e in settled:
            number = links.get(int(e.object_id))
            if number is None or e.data.get("visibility") == "internal":
                continue
            await UpstreamPush.get_or_create(event_id=e.id, defaults={
                "grievance_id": int(e.object_id), "registration_number": number, "created_at": now,
                "next_attempt_at": now, "body": {
                    "update_id": f"grievance-event-{e.id}", "at": e.occurred_at.isoformat(), "status": e.to_state,
                    "action": e.action, "office": await _office_name(e), "note": e.note,
                    "reply": await _reply(e)}})
            queued += 1
        await UpstreamState.filter(name=EVENTS).update(value=str(settled[-1].id))
    return queued


# Events that carry a reply to the citizen (a report, or the disposal it led to).
REPLYING = frozenset({"preliminary_report", "interim_reply", "final_report", "close", "reject"})


async def _reply(event: AuditEvent) -> str:
    """The latest reply to the citizen as of the event (the ATR's, on a closure)."""
    if event.action not in REPLYING:
        return ""
    report = await (Report.filter(grievance_id=int(event.object_id), created_at__lte=event.occurred_at)
                    .exclude(reply="").order_by("-id").first())
    return report.reply if report else ""


async def _office_name(event: AuditEvent) -> str:
    office = event.data.get("office")
    unit_id = office if isinstance(office, int) else event.unit_id
    unit = await Unit.get_or_none(id=unit_id) if unit_id else None
    return unit.name("en") if unit else ""


async def send_due(upstream: Upstream, *, now: datetime, batch: int = 200) -> int:
    """Send due pushes in event order per grievance; returns how many were accepted."""
    due = await UpstreamPush.filter(status=PushStatus.PENDING).order_by("id").limit(batch)
    blocked: set[int] = set()
    sent = 0
    for push in due:
        if push.grievance_id in blocked:
            continue
        if push.next_attempt_at > now:
            blocked.add(push.grievance_id)  # an earlier update waits: the later ones wait behind it
            continue
        try:
            await upstream.push(push.registration_number, push.body)
        except UpstreamUnavailable as failed:
            delay = min(timedelta(minutes=2 ** push.attempts), MAX_BACKOFF)
            await UpstreamPush.filter(id=push.id).update(attempts=push.attempts + 1, next_attempt_at=now + delay,
                                                         last_error=str(failed)[:500])
            blocked.add(push.grievance_id)
            continue
        await UpstreamPush.filter(id=push.id).update(status=PushStatus.SENT, sent_at=now, attempts=push.attempts + 1)
        sent += 1
    return sent
