"""Intake channels and the letter each contributes to a grievance number."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    WEB = "web"              # the citizen PWA
    PHONE = "phone"          # a call-centre agent on the citizen's behalf
    POST = "post"
    EMAIL = "email"
    WHATSAPP = "whatsapp"
    COUNTER = "counter"
    IN_PERSON = "in_person"
    UPSTREAM = "upstream"    # the national portal (sync)
    OPEN311 = "open311"


# CPGRAMS-style numbers carry the channel as one letter: UNIT/CHANNEL/YYYY/NNNNNNN.
LETTER: dict[Channel, str] = {
    Channel.WEB: "W",
    Channel.PHONE: "P",
    Channel.POST: "L",       # letter
    Channel.EMAIL: "E",
    Channel.WHATSAPP: "A",
    Channel.COUNTER: "C",
    Channel.IN_PERSON: "I",
    Channel.UPSTREAM: "U",
    Channel.OPEN311: "O",
}

# Who may file on which channel: citizens only through the PWA, agents by phone, the
# cell for everything that arrives on paper or by message.
CITIZEN_CHANNELS = frozenset({Channel.WEB})
AGENT_CHANNELS = frozenset({Channel.PHONE})
CELL_CHANNELS = frozenset({Channel.POST, Channel.EMAIL, Channel.WHATSAPP, Channel.COUNTER, Channel.IN_PERSON,
                           Channel.PHONE})
SYSTEM_CHANNELS = frozenset({Channel.UPSTREAM, Channel.OPEN311})


def format_number(unit_code: str, channel: Channel, year: int, seq: int) -> str:
    return f"{unit_code}/{LETTER[channel]}/{year}/{seq:07d}"
