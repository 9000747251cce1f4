"""Open311 GeoReport v2 over the grievance services: the service list is the category
tree's leaves, a service request is a grievance filed through the same intake as every
other channel (channel OPEN311, by the system on the client's behalf), and its status is
open or closed with a status note.

Grievances are private (a complaint against an official can endanger the citizen), so
unlike a public street-fault tracker, reading requests needs the client's API key and
shows only the requests that client filed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from backend.authz.actors import SYSTEM
from backend.categories.models import Category
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.tokens import new_token, token_hash
from backend.grievances import intake
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.grievances.states import TERMINAL
from backend.open311.models import Open311Client, Open311Request
from backend.orgs.models import Unit
from backend.settings import Settings

MAX_REQUESTS = 200


async def issue_key(settings: Settings, name: str, jurisdiction: str, now: datetime) -> tuple[Open311Client, str]:
    """A new client and its key (shown once)."""
    unit = await Unit.get_or_none(code=jurisdiction.strip().upper(), active=True)
    if unit is None:
        raise validation_error([FieldError("jurisdiction", "no such unit")])
    key = new_token()
    client = await Open311Client.create(name=name.strip()[:200] or "Open311 client", jurisdiction=unit.code,
                                        key_hash=token_hash(settings.secret_key, f"open311:{key}"), created_at=now)
    return client, key


async def client_for(settings: Settings, api_key: str | None) -> Open311Client:
    if not api_key or len(api_key) > 200:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "api_key is required")
    client = await Open311Client.get_or_none(key_hash=token_hash(settings.secret_key, f"open311:{api_key}"), active=True)
    if client is None:
        raise DomainError(ErrorCode.FORBIDDEN, "api_key is not valid")
    return client


async def jurisdiction_unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = await Unit.get_or_none(code=code.strip().upper(), active=True)
    if unit is None:
        raise DomainError(ErrorCode.NOT_FOUND, "jurisdiction_id not found")
    return unit


async def leaf_services(jurisdiction: Unit | None) -> list[tuple[Category, str, str]]:
    """(leaf, group, description) for every active leaf category (of departments within
    the jurisdiction, when given)."""
    query = Category.filter(active=True)
    if jurisdiction is not None:
        query = query.filter(department__path__startswith=jurisdiction.path)
    categories = await query.prefetch_related("department").order_by("path")
    parents = {c.parent_id for c in categories if c.parent_id is not None}  # type: ignore[attr-defined]
    by_id = {c.id: c for c in categories}
    found = []
    for c in categories:
        if c.id in parents:
            continue
        trail = [by_id[i].name("en") for i in c.ancestor_ids() if i in by_id]
        found.append((c, c.department.name("en"), " > ".join(trail)))
    return found


async def service(code: str) -> Category:
    category = await Category.get_or_none(code=code, active=True)
    if category is None or await Category.exists(parent_id=category.id, active=True):
        raise DomainError(ErrorCode.NOT_FOUND, "service_code not found")
    return category


@dataclass(frozen=True)
class NewRequest:
    service_code: str
    description: str
    phone: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    address_string: str = ""
    lat: float | None = None
    long: float | None = None
    relief: str = ""


def _float(params: dict[str, str], name: str, errors: list[FieldError]) -> float | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        errors.append(FieldError(name, "must be a number"))
        return None


def parse_new(params: dict[str, str]) -> NewRequest:
    errors: list[FieldError] = []
    for required in ("service_code", "description", "phone"):
        if not params.get(required, "").strip():
            errors.append(FieldError(required, "is required"))
    lat, long = _float(params, "lat", errors), _float(params, "long", errors)
    if errors:
        raise validation_error(errors)
    return NewRequest(
        service_code=params["service_code"].strip(), description=params["description"].strip(),
        phone=params["phone"].strip()[-10:], first_name=params.get("first_name", "").strip(),
        last_name=params.get("last_name", "").strip(), email=params.get("email", "").strip(),
        address_string=params.get("address_string", "").strip(), lat=lat, long=long,
        relief=params.get("attribute[relief]", "").strip())


async def create(settings: Settings, client: Open311Client, data: NewRequest, *, now: datetime) -> Grievance:
    category = await service(data.service_code)
    unit = await Unit.get(code=client.jurisdiction)
    area = str((unit.area_codes or [unit.code])[0])
    name = " ".join(p for p in (data.first_name, data.last_name) if p) or "Open311 caller"
    async with in_transaction():
        filed = await intake.file_grievance(settings, SYSTEM, intake.FilingInput(
            channel=Channel.OPEN311, category_id=category.id, area_code=area, subject=data.description[:120],
            description=data.description, relief_sought=data.relief or "Redress of the grievance described.",
            citizen_name=name, citizen_mobile=data.phone, citizen_email=data.email,
            location_address=data.address_string, latitude=data.lat, longitude=data.long), now=now)
        await Open311Request.create(client=client, grievance_id=filed.grievance.id, created_at=now)
    return filed.grievance


def _mine(client: Open311Client) -> dict[str, Any]:
    return {"open311_links__client_id": client.id}


async def requests(client: Open311Client, *, ids: list[int], service_code: str, status: str,
                   start: datetime | None, end: datetime | None) -> list[Grievance]:
    query = Grievance.filter(**_mine(client))
    if ids:
        query = query.filter(id__in=ids)
    if service_code:
        query = query.filter(category__code=service_code)
    if status in ("open", "closed"):
        query = query.filter(status__not_in=sorted(TERMINAL)) if status == "open" else query.filter(
            status__in=sorted(TERMINAL))
    if start:
        query = query.filter(filed_at__gte=start)
    if end:
        query = query.filter(filed_at__lt=end)
    return await query.order_by("-filed_at").limit(MAX_REQUESTS).prefetch_related("category", "unit")


async def one(client: Open311Client, grievance_id: int) -> Grievance:
    g = await Grievance.filter(id=grievance_id, **_mine(client)).prefetch_related("category", "unit").first()
    if g is None:
        raise DomainError(ErrorCode.NOT_FOUND, "service_request_id not found")
    return g
