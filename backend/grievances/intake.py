"""Filing a grievance (F2) on every channel: one use case, whoever files.

The citizen files on the PWA; a call-centre agent by phone on a citizen's behalf; the
grievance cell for post, e-mail, WhatsApp, counter and in-person petitions; the system
for the upstream portal and Open311. Every bad field is named at once; nothing is
written unless everything is valid. A client idempotency key makes a retried filing
(the offline PWA) return the grievance it already created.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.accounts.models import Citizen, StaffUser
from backend.accounts.roles import Role
from backend.attachments import services as attachments
from backend.authz.actors import SYSTEM, Actor, ActorKind
from backend.categories.models import Category
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.validation import check_area_codes, check_email, check_language, check_mobile, check_text
from backend.grievances import conflicts, services, similarity
from backend.grievances.channels import AGENT_CHANNELS, CELL_CHANNELS, CITIZEN_CHANNELS, SYSTEM_CHANNELS, Channel
from backend.grievances.models import Grievance
from backend.grievances.numbers import next_number
from backend.grievances.states import Action, Party, State, transition
from backend.grievances.transitions import Decision, commit, decide
from backend.notifications.recipients import tell_citizen, tell_staff
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit
from backend.routing.selectors import match
from backend.rts import services as rts
from backend.settings import Settings
from backend.sla.sweeps import nodal_officers_for

_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{8,80}$")
_MONTH_ZONE = ZoneInfo("Asia/Kolkata")
# India's bounding box: a point outside it is a typo, not a grievance location.
_LAT, _LON = (6.0, 37.6), (68.0, 97.5)


@dataclass
class FilingInput:
    channel: Channel
    category_id: int
    area_code: str
    subject: str
    description: str
    relief_sought: str
    citizen_name: str = ""
    citizen_mobile: str = ""
    citizen_email: str = ""
    citizen_address: str = ""
    language: str = "en"
    location_address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    attachment_ids: list[int] = field(default_factory=list)
    idempotency_key: str = ""
    # Conflict of interest (F13): the officer and / or the office the grievance is
    # against. It is never routed to, assigned to or shown to them.
    against_officer_id: int | None = None
    against_unit_id: int | None = None


@dataclass(frozen=True)
class FilingResult:
    grievance: Grievance
    created: bool  # False when an idempotent retry found the earlier filing


async def file_grievance(settings: Settings, actor: Actor, data: FilingInput, *, now: datetime) -> FilingResult:
    filer_party, intake_unit = await _filer(actor, data.channel)
    # Only a well-formed key is looked up: a malformed one is reported by _validate, and
    # an overlong one would fail the lookup itself (longer than the column).
    well_formed = bool(data.idempotency_key) and _IDEMPOTENCY_KEY.match(data.idempotency_key) is not None
    key = f"{actor.kind.value}:{actor.id or 0}:{data.idempotency_key}" if well_formed else None
    if key and (earlier := await Grievance.get_or_none(idempotency_key=key)) is not None:
        return FilingResult(earlier, created=False)

    clean, category, errors = await _validate(actor, data)
    if errors:
        raise validation_error(errors)
    assert category is not None
    citizen = await _citizen_for(actor, clean, now)
    await _check_monthly_cap(settings, citizen, now)
    if intake_unit is None:
        intake_unit = await intake_unit_for(clean.area_code)
    target = await match(category, clean.area_code)
    barred = await conflicts.bars(clean.against_officer_id, clean.against_unit_id)
    # Against the office that would receive it: the next level up receives it instead.
    intake_unit = await conflicts.clear_of(intake_unit, barred)
    route_to, route_officer = (target.unit, target.officer_id) if target is not None else (None, None)
    if route_to is not None:
        cleared = await conflicts.clear_of(route_to, barred)
        if cleared.id != route_to.id or route_officer == clean.against_officer_id:
            route_officer = None  # the rule's officer belongs to the office it is against
        route_to = cleared
    suspects = await _suspected_duplicates(settings, citizen.id, clean, now)
    number = await next_number(intake_unit.code, clean.channel, now)
    rts_days, sensitive = await _category_flags(category)
    # The notified timeline runs from the filing until the office records otherwise.
    rts_due = await rts.service_deadline(intake_unit.path, rts_days, now) if rts_days else None

    try:
        async with in_transaction():
            grievance = await Grievance.create(
                number=number, channel=clean.channel, status=State.FILED, citizen=citizen,
                citizen_name=clean.citizen_name, citizen_mobile=clean.citizen_mobile, citizen_email=clean.citizen_email,
                citizen_address=clean.citizen_address, language=clean.language, area_code=clean.area_code,
                location_address=clean.location_address, latitude=clean.latitude, longitude=clean.longitude,
                category=category, category_path=category.path, subject=clean.subject, description=clean.description,
                relief_sought=clean.relief_sought, unit=intake_unit, unit_path=intake_unit.path, intake_unit=intake_unit,
                visited=[intake_unit.id], suspected_duplicates=suspects, right_to_service=rts_days is not None,
                sensitive=sensitive, filed_by_kind=actor.kind.value, filed_by_id=actor.id, idempotency_key=key,
                against_officer_id=clean.against_officer_id, against_unit_id=clean.against_unit_id,
                version=0, filed_at=now, updated_at=now,
            )
            if clean.attachment_ids:
                await attachments.bind(actor, clean.attachment_ids, grievance=grievance)
            if rts_days and rts_due:
                await rts.open_case(grievance, rts_days, rts_due, now)
            # Filing is the table's first row: it sets the registration clock and leaves
            # the first audit event, exactly like every later transition.
            grievance.status = None  # type: ignore[assignment]
            decision = Decision(filer_party, transition(None, Action.FILE, filer_party))
            await commit(grievance, decision, action=Action.FILE, actor=actor, now=now, unit_id=intake_unit.id,
                                 data={"channel": clean.channel.value, "number": number,
                                       "suspected_duplicates": suspects})
            await tell_citizen(citizen_id=citizen.id, key=f"grievance:{grievance.id}:filed", template="grievance_filed",
                               payload={"number": number, "grievance_id": grievance.id, "status": "filed"},
                               mobile=grievance.citizen_mobile, email=grievance.citizen_email,
                               language=grievance.language, now=now)
            if target is not None and route_to is not None:
                await _auto_route(grievance, route_to, route_officer, target.rule_id, now)
    except IntegrityError:
        if key and (earlier := await Grievance.get_or_none(idempotency_key=key)) is not None:
            return FilingResult(earlier, created=False)
        raise
    return FilingResult(grievance, created=True)


async def _filer(actor: Actor, channel: Channel) -> tuple[Party, Unit | None]:
    """The party filing and, for the cell, the unit it files into (its own)."""
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    if actor.kind is ActorKind.CITIZEN:
        if channel not in CITIZEN_CHANNELS:
            raise validation_error([FieldError("channel", "citizens file through the web or app")])
        return Party.CITIZEN, None
    if actor.kind is ActorKind.SYSTEM:
        if channel not in SYSTEM_CHANNELS | CELL_CHANNELS | CITIZEN_CHANNELS:
            raise validation_error([FieldError("channel", "is not an intake channel")])
        return Party.SYSTEM, None
    cell = [g for g in actor.grants if g.role is Role.CELL_OPERATOR]
    agent = [g for g in actor.grants if g.role is Role.CALL_CENTRE_AGENT]
    if cell and channel in CELL_CHANNELS:
        unit = await Unit.get_or_none(id=cell[0].unit_id, active=True)
        return Party.CELL_OPERATOR, unit
    if agent and channel in AGENT_CHANNELS:
        return Party.CALL_CENTRE_AGENT, None
    if not cell and not agent:
        raise DomainError(ErrorCode.FORBIDDEN, "Only the grievance cell and call-centre agents file for citizens")
    allowed = sorted((CELL_CHANNELS if cell else set()) | (AGENT_CHANNELS if agent else set()))
    raise validation_error([FieldError("channel", f"you may file on: {', '.join(c.value for c in allowed)}")])


async def _validate(actor: Actor, data: FilingInput) -> tuple[FilingInput, Category | None, list[FieldError]]:
    errors: list[FieldError] = []
    if actor.kind is ActorKind.CITIZEN:
        citizen = await Citizen.get(id=actor.id)
        mobile = citizen.mobile
    else:
        mobile = check_mobile("citizenMobile", data.citizen_mobile, errors)
    name = check_text("citizenName", data.citizen_name, errors, max_length=200)
    email = check_email("citizenEmail", data.citizen_email, errors)
    address = check_text("citizenAddress", data.citizen_address, errors, max_length=1000, required=False)
    language = check_language("language", data.language, errors)
    areas = check_area_codes("areaCode", [data.area_code], errors) if data.area_code.strip() else []
    if not data.area_code.strip():
        errors.append(FieldError("areaCode", "is required: the district / block where the grievance is"))
    errors = [FieldError("areaCode", e.message) if e.field.startswith("areaCode[") else e for e in errors]
    location = check_text("locationAddress", data.location_address, errors, max_length=1000, required=False)
    subject = check_text("subject", data.subject, errors, max_length=200)
    description = check_text("description", data.description, errors, max_length=5000)
    relief = check_text("reliefSought", data.relief_sought, errors, max_length=2000)
    if (data.latitude is None) != (data.longitude is None):
        errors.append(FieldError("latitude" if data.latitude is None else "longitude", "give both latitude and longitude"))
    elif data.latitude is not None and data.longitude is not None:
        if not (math.isfinite(data.latitude) and _LAT[0] <= data.latitude <= _LAT[1]):
            errors.append(FieldError("latitude", "must be within India (6.0 to 37.6)"))
        if not (math.isfinite(data.longitude) and _LON[0] <= data.longitude <= _LON[1]):
            errors.append(FieldError("longitude", "must be within India (68.0 to 97.5)"))
    if data.idempotency_key and not _IDEMPOTENCY_KEY.match(data.idempotency_key):
        errors.append(FieldError("idempotencyKey", "must be 8-80 characters: letters, digits, dash, underscore"))
    if len(data.attachment_ids) > 5:
        errors.append(FieldError("attachmentIds", "at most 5 attachments"))
    await _check_against(data, errors)
    category = await Category.get_or_none(id=data.category_id, active=True)
    if category is None:
        errors.append(FieldError("categoryId", "no such category"))
    elif await Category.exists(parent_id=category.id, active=True):
        errors.append(FieldError("categoryId", "choose the most specific category (this one has sub-categories)"))
    clean = FilingInput(
        channel=data.channel, category_id=data.category_id, area_code=areas[0] if areas else "", subject=subject,
        description=description, relief_sought=relief, citizen_name=name, citizen_mobile=mobile, citizen_email=email,
        citizen_address=address, language=language, location_address=location, latitude=data.latitude,
        longitude=data.longitude, attachment_ids=list(dict.fromkeys(data.attachment_ids)),
        idempotency_key=data.idempotency_key, against_officer_id=data.against_officer_id,
        against_unit_id=data.against_unit_id,
    )
    return clean, category, errors


async def _check_against(data: FilingInput, errors: list[FieldError]) -> None:
    if data.against_officer_id is not None and not await StaffUser.exists(id=data.against_officer_id, active=True):
        errors.append(FieldError("againstOfficerId", "no such active official"))
    if data.against_unit_id is not None and not await Unit.exists(id=data.against_unit_id, active=True):
        errors.append(FieldError("againstUnitId", "no such active office"))


async def _citizen_for(actor: Actor, data: FilingInput, now: datetime) -> Citizen:
    if actor.kind is ActorKind.CITIZEN:
        citizen = await Citizen.get(id=actor.id)
        if not citizen.name and data.citizen_name:
            await Citizen.filter(id=citizen.id, name="").update(name=data.citizen_name)
        return citizen
    existing = await Citizen.get_or_none(mobile=data.citizen_mobile)
    if existing is not None:
        return existing
    try:
        return await Citizen.create(mobile=data.citizen_mobile, name=data.citizen_name, email=data.citizen_email,
                                    language=data.language, created_at=now)
    except IntegrityError:
        return await Citizen.get(mobile=data.citizen_mobile)


async def _check_monthly_cap(settings: Settings, citizen: Citizen, now: datetime) -> None:
    local = now.astimezone(_MONTH_ZONE)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    filed = await Grievance.filter(citizen_id=citizen.id, filed_at__gte=month_start).count()
    if filed >= settings.monthly_filing_cap:
        raise DomainError(ErrorCode.RATE_LIMITED,
                          f"This mobile number has filed {filed} grievances this month, the most allowed; "
                          "please follow up on the earlier ones")


async def intake_unit_for(area_code: str) -> Unit:
    """Where a grievance that no rule routes waits: the nodal unit whose jurisdiction
    covers the area most closely (the state's cell), else the root of the tree."""
    nodal = await Unit.filter(active=True, kind__in=[UnitKind.STATE_NODAL, UnitKind.NATIONAL_NODAL]).order_by("-depth")
    for unit in nodal:
        if any(area_code == a or area_code.startswith(a + "-") for a in unit.area_codes or []):
            return unit
    root = await Unit.filter(active=True, parent_id=None).order_by("id").first()
    if root is None:
        raise DomainError(ErrorCode.CONFLICT, "No office receives grievances yet; the organisation tree is empty")
    return root


async def _suspected_duplicates(settings: Settings, citizen_id: int, data: FilingInput, now: datetime) -> list[int]:
    from tortoise.expressions import Q

    since = now - timedelta(days=settings.duplicate_window_days)
    candidates = await Grievance.filter(
        Q(citizen_id=citizen_id) | Q(area_code=data.area_code, category_id=data.category_id),
        filed_at__gte=since, status__not_in=[State.REJECTED, State.LINKED],
    ).order_by("-filed_at").limit(50).values("id", "subject", "description")
    text = f"{data.subject} {data.description}"
    return [int(c["id"]) for c in candidates if similarity.is_similar(text, f"{c['subject']} {c['description']}")][:10]


async def _category_flags(category: Category) -> tuple[int | None, bool]:
    chain = await Category.filter(id__in=category.ancestor_ids()).order_by("-depth")
    rts = next((c.rts_days for c in chain if c.rts_days), None)
    return rts, any(c.sensitive for c in chain)


async def _auto_route(grievance: Grievance, unit: Unit, officer_id: int | None, rule_id: int, now: datetime) -> None:
    """A matching routing rule allots at once (and assigns its officer), as the system."""
    decision = decide(SYSTEM, grievance, Action.AUTO_ROUTE, grievance.unit_path)
    event = await commit(
        grievance, decision, action=Action.AUTO_ROUTE, actor=SYSTEM, now=now, unit_id=unit.id,
        changes={"unit_id": unit.id, "unit_path": unit.path, "route": [*grievance.route, grievance.unit_id],  # type: ignore[attr-defined]
                 "visited": sorted({*grievance.visited, unit.id})},
        data={"to_unit": unit.code, "rule": rule_id})
    await services.inform_citizen(grievance, "grievance_allotted", event.id, now, office=unit.name(grievance.language))
    if grievance.right_to_service:
        # Seed 002: a notified service's grievance appears with the office's nodal
        # officer, who forwards it to the service's designated officer (assigns it).
        await tell_staff(await nodal_officers_for(unit.path), key=f"grievance:{grievance.id}:rts-received",
                         template="rts_received", payload={"number": grievance.number, "grievance_id": grievance.id},
                         now=now)
        return
    if officer_id is not None:
        decision = decide(SYSTEM, grievance, Action.ASSIGN, unit.path)
        event = await commit(grievance, decision, action=Action.ASSIGN, actor=SYSTEM, now=now, unit_id=unit.id,
                             changes={"assigned_officer_id": officer_id}, data={"officer": officer_id, "rule": rule_id})
        await services.tell_assigned(grievance, officer_id, event.id, now)
