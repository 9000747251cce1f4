"""Field rules shared by every use case that takes people's input."""

from __future__ import annotations

import datetime as dt
import re

from backend.core.errors import FieldError

_MOBILE = re.compile(r"^[6-9]\d{9}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
_UNIT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,63}$")
_AREA_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,24}){0,4}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
SUPPORTED_LANGUAGES = ("en", "hi")
MAX_USERNAME = 64  # StaffUser.username


def normalise_mobile(raw: str) -> str:
    """Indian mobile numbers: accepts +91 / 91 / 0 prefixes, spaces and dashes."""
    digits = re.sub(r"[\s-]", "", raw or "")
    if digits.startswith("+91"):
        digits = digits[3:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    return digits


def check_mobile(field: str, raw: str, errors: list[FieldError], required: bool = True) -> str:
    if not raw:
        if required:
            errors.append(FieldError(field, "is required"))
        return ""
    mobile = normalise_mobile(raw)
    if not _MOBILE.match(mobile):
        errors.append(FieldError(field, "must be a 10-digit Indian mobile number starting with 6-9"))
    return mobile


def check_email(field: str, raw: str, errors: list[FieldError]) -> str:
    email = (raw or "").strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        errors.append(FieldError(field, "is not a valid e-mail address"))
    return email


def check_text(field: str, raw: str, errors: list[FieldError], *, max_length: int, required: bool = True) -> str:
    text = (raw or "").strip()
    if required and not text:
        errors.append(FieldError(field, "is required"))
    elif len(text) > max_length:
        errors.append(FieldError(field, f"must be at most {max_length} characters"))
    elif any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        errors.append(FieldError(field, "contains control characters"))
    return text


def check_username(field: str, raw: str, errors: list[FieldError]) -> str:
    username = (raw or "").strip().lower()
    if not _USERNAME.match(username):
        errors.append(FieldError(field, "must be 3-64 characters: a-z, 0-9, dot, dash, underscore"))
    return username


def check_unit_code(field: str, raw: str, errors: list[FieldError]) -> str:
    code = (raw or "").strip().upper()
    if not _UNIT_CODE.match(code):
        errors.append(FieldError(field, "must be 2-64 characters: A-Z, 0-9, dash, underscore"))
    return code


def check_area_codes(field: str, raw: list[str], errors: list[FieldError]) -> list[str]:
    codes = [c.strip().upper() for c in raw if c and c.strip()]
    if len(codes) > 500:
        errors.append(FieldError(field, "has more than 500 area codes"))
    for i, code in enumerate(codes):
        if not _AREA_CODE.match(code):
            errors.append(FieldError(f"{field}[{i}]", f"{code[:40]!r} is not an area code like BR-PAT-BIHTA"))
    return list(dict.fromkeys(codes))


def check_names(field: str, raw: dict[str, str], errors: list[FieldError]) -> dict[str, str]:
    names: dict[str, str] = {}
    for lang, value in (raw or {}).items():
        key = (lang or "").strip().lower()
        if not _LANGUAGE.match(key):
            errors.append(FieldError(f"{field}.{lang}", "is not a language code like en or hi"))
            continue
        text = check_text(f"{field}.{key}", value, errors, max_length=200, required=False)
        if text:
            names[key] = text
    if "en" not in names and not any(e.field == f"{field}.en" for e in errors):
        errors.append(FieldError(f"{field}.en", "is required"))
    return names


def check_language(field: str, raw: str, errors: list[FieldError]) -> str:
    lang = (raw or "en").strip().lower()
    if lang not in SUPPORTED_LANGUAGES:
        errors.append(FieldError(field, f"must be one of {', '.join(SUPPORTED_LANGUAGES)}"))
    return lang


def parse_moment(raw: str) -> dt.datetime:
    """An ISO 8601 date and time with its UTC offset, representable in UTC; ValueError
    (with the reason) otherwise. A time without an offset is ambiguous (IST? UTC?), and
    comparing it with the stored, aware times would fail in a service, not here."""
    parsed = dt.datetime.fromisoformat(raw)
    if parsed.utcoffset() is None:
        raise ValueError("It needs a UTC offset, e.g. 2026-11-23T10:00:00+05:30 or 2026-11-23T04:30:00Z.")
    try:
        parsed.astimezone(dt.UTC)  # 0001-01-01T00:00+14:00 is before year 1 in UTC
    except OverflowError:
        raise ValueError("It is outside the years 1 to 9999 in UTC.") from None
    return parsed
