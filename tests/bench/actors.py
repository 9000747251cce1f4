"""Who the load acts as, prepared before anything is timed.

Staff sign in through the API (the real argon2 path, once each); citizens get sessions
from the sign-in service directly, as if each had verified an OTP earlier (the SMS
round trip is not what is measured).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from backend.accounts import sign_in
from backend.accounts.models import Citizen
from backend.categories.models import Category
from backend.orgs.models import Unit
from backend.routing.selectors import match
from backend.settings import Settings

AREA = "BR-PAT-BIHTA"


@dataclass(frozen=True)
class World:
    category_id: int
    allot_unit_id: int
    state_unit_id: int
    citizens: list[tuple[str, str]]  # (mobile, bearer token)


async def category_without_rule() -> int:
    """A Revenue leaf that no routing rule sends anywhere in AREA, so the cell
    allots it by hand: the lifecycle the issue names (file -> allot -> ...)."""
    revenue = await Category.filter(code__startswith="REV-", active=True).order_by("id")
    parents = {c.parent_id for c in revenue}  # type: ignore[attr-defined]
    for leaf in revenue:
        # A plain grievance: no Right-to-Service timeline, not a sensitive subject.
        plain = not leaf.rts_days and not leaf.sensitive
        if leaf.id not in parents and plain and await match(leaf, AREA) is None:
            return leaf.id
    raise RuntimeError("every Revenue leaf has a routing rule for the area")


async def prepare(settings: Settings, citizens: int) -> World:
    now = datetime.now(UTC)
    mobiles = [f"7{n:09d}" for n in range(citizens)]
    existing = {c.mobile: c for c in await Citizen.filter(mobile__in=mobiles)}
    missing = [Citizen(mobile=m, name=f"Bench Citizen {m[-4:]}", language="en", created_at=now)
               for m in mobiles if m not in existing]
    await Citizen.bulk_create(missing, batch_size=1000)
    rows = {c.mobile: c for c in await Citizen.filter(mobile__in=mobiles)}
    tokens = []
    for m in mobiles:
        issued = await sign_in._open_session(settings, citizen=rows[m], now=now, client_address="127.0.0.1",
                                             ttl=timedelta(hours=12))
        tokens.append((m, issued.token))
    return World(category_id=await category_without_rule(), allot_unit_id=(await Unit.get(code="REV-DLRS")).id,
                 state_unit_id=(await Unit.get(code="GOB")).id, citizens=tokens)
