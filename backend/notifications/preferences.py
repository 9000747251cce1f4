"""Who hears of what, on which channels, in which language.

Each citizen and official picks their channels and language. A citizen always keeps
SMS: it is the one channel certain to reach the mobile the grievance was filed with,
and acknowledgements and decisions must reach them; e-mail (when they gave an address)
and push (when a device is registered) are on by default, WhatsApp on request. An
official needs at least one channel. `addresses` turns a person's preferences into the
outbox rows (channel, recipient address) a message to them needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from backend.accounts.models import Citizen, StaffUser
from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.validation import check_email, check_language
from backend.notifications.models import OutboxChannel

CITIZEN_DEFAULT = (OutboxChannel.SMS, OutboxChannel.EMAIL, OutboxChannel.PUSH)
STAFF_DEFAULT = (OutboxChannel.PUSH, OutboxChannel.EMAIL)


@dataclass(frozen=True)
class Preferences:
    channels: tuple[OutboxChannel, ...]
    language: str
    email: str
    mobile: str


@dataclass(frozen=True)
class Address:
    channel: OutboxChannel
    recipient: str
    language: str


def _channels(stored: Sequence[str], default: Sequence[OutboxChannel]) -> tuple[OutboxChannel, ...]:
    known = [OutboxChannel(c) for c in stored if c in set(OutboxChannel)]
    return tuple(dict.fromkeys(known)) if known else tuple(default)


def citizen_preferences(citizen: Citizen) -> Preferences:
    channels = _channels(citizen.notify_channels, CITIZEN_DEFAULT)
    if OutboxChannel.SMS not in channels:
        channels = (OutboxChannel.SMS, *channels)
    return Preferences(channels, citizen.language, citizen.email, citizen.mobile)


def staff_preferences(user: StaffUser) -> Preferences:
    return Preferences(_channels(user.notify_channels, STAFF_DEFAULT), user.language, user.email, user.mobile)


def addresses(prefs: Preferences, push_recipient: str, *, mobile: str = "", email: str = "",
              language: str = "") -> list[Address]:
    """The rows a message needs: one per chosen channel that has an address. `mobile`,
    `email` and `language` override the person's (a grievance keeps what was given at filing)."""
    lang = language or prefs.language
    by_channel = {
        OutboxChannel.SMS: mobile or prefs.mobile,
        OutboxChannel.WHATSAPP: mobile or prefs.mobile,
        OutboxChannel.EMAIL: email or prefs.email,
        OutboxChannel.PUSH: push_recipient,
    }
    return [Address(c, by_channel[c], lang) for c in prefs.channels if by_channel[c]]


async def get_preferences(actor: Actor) -> Preferences:
    if actor.kind is ActorKind.CITIZEN:
        return citizen_preferences(await Citizen.get(id=actor.id))
    if actor.kind is ActorKind.STAFF:
        return staff_preferences(await StaffUser.get(id=actor.id))
    raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")


async def set_preferences(actor: Actor, *, channels: Sequence[OutboxChannel], language: str,
                          email: str | None = None, now: datetime) -> Preferences:
    """The viewer's own preferences; every bad field is named and nothing is saved."""
    if actor.kind not in (ActorKind.CITIZEN, ActorKind.STAFF):
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    errors: list[FieldError] = []
    lang = check_language("language", language, errors)
    chosen = tuple(dict.fromkeys(channels))
    if not chosen:
        errors.append(FieldError("channels", "choose at least one channel"))
    if actor.kind is ActorKind.CITIZEN and chosen and OutboxChannel.SMS not in chosen:
        errors.append(FieldError("channels", "SMS stays on: it is how the portal reaches your registered mobile"))
    person: Citizen | StaffUser
    person = await Citizen.get(id=actor.id) if actor.kind is ActorKind.CITIZEN else await StaffUser.get(id=actor.id)
    new_email = person.email
    if email is not None:
        if actor.kind is ActorKind.STAFF:
            errors.append(FieldError("email", "an official's e-mail is kept by their administrator"))
        else:
            new_email = check_email("email", email, errors)
    if OutboxChannel.EMAIL in chosen and not new_email and not any(e.field == "email" for e in errors):
        errors.append(FieldError("email", "give an e-mail address to receive e-mail"))
    if errors:
        raise validation_error(errors)
    person.notify_channels = [c.value for c in chosen]
    person.language = lang
    person.email = new_email
    fields = ["notify_channels", "language", "email"]
    if isinstance(person, StaffUser):
        person.updated_at = now
        fields.append("updated_at")
    await person.save(update_fields=fields)
    return await get_preferences(actor)
