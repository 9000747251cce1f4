"""The signed, expiring feedback link sent by SMS, which needs no sign-in (F7).

The token names one disposal - the grievance and its round - and when the link
expires, signed with the deployment's secret key under a purpose of its own, so it
cannot be forged, altered, or mistaken for any other token. Nothing is stored: the
one-feedback-per-round rule (`Feedback` is unique per grievance, round and source)
makes a used link useless, and a later decision (a new round) makes it stale.

The link is built when the SMS is dispatched (`enrich`), because only the dispatcher
holds the secret key; the outbox row carries just the grievance, round and closure.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from backend.core.errors import DomainError, ErrorCode
from backend.settings import Settings

_PURPOSE = b"grievance-feedback-link/v1\x00"
_MAC_BYTES = 16  # 128 bits
_TOKEN = re.compile(r"^(\d{1,18})\.(\d{1,6})\.(\d{9,11})\.([A-Za-z0-9_-]{22})$")


@dataclass(frozen=True)
class FeedbackClaim:
    grievance_id: int
    round: int
    expires_at: datetime


def _mac(secret_key: str, body: str) -> str:
    digest = hmac.new(secret_key.encode(), _PURPOSE + body.encode(), hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_token(secret_key: str, grievance_id: int, round: int, expires_at: datetime) -> str:
    body = f"{grievance_id}.{round}.{int(expires_at.timestamp())}"
    return f"{body}.{_mac(secret_key, body)}"


def read_token(secret_key: str, token: str, now: datetime) -> FeedbackClaim:
    """The claim of a genuine, unexpired token; a clear refusal otherwise."""
    match = _TOKEN.match((token or "").strip())
    if match is None:
        raise DomainError(ErrorCode.NOT_FOUND, "This feedback link is not valid; check that it was copied whole")
    grievance, round_, expires, mac = match.groups()
    if not hmac.compare_digest(mac, _mac(secret_key, f"{grievance}.{round_}.{expires}")):
        raise DomainError(ErrorCode.NOT_FOUND, "This feedback link is not valid; check that it was copied whole")
    expires_at = datetime.fromtimestamp(int(expires), UTC)
    if now >= expires_at:
        raise DomainError(ErrorCode.EXPIRED, "This feedback link has expired")
    return FeedbackClaim(int(grievance), int(round_), expires_at)


def link(settings: Settings, token: str) -> str:
    # In the fragment: browsers do not send it, so the token stays out of server logs.
    return f"{settings.public_url.rstrip('/')}/feedback/#t={token}"


def payload_for(grievance_id: int, round: int, closed_at: datetime) -> dict[str, object]:
    """What the disposal SMS's outbox row carries for the dispatcher to sign."""
    return {"feedback_grievance": grievance_id, "feedback_round": round, "closed_at": closed_at.isoformat()}


def enrich(settings: Settings, payload: Mapping[str, object]) -> Mapping[str, object]:
    """Adds the appeal window every disposal message may quote, and `feedback_link` to a
    payload that asks for one (see `payload_for`)."""
    payload = {**payload, "appeal_days": settings.appeal_window_days}
    try:
        grievance_id = int(str(payload["feedback_grievance"]))
        round_ = int(str(payload["feedback_round"]))
        closed_at = datetime.fromisoformat(str(payload["closed_at"]))
    except (KeyError, ValueError):
        return payload
    expires_at = closed_at + timedelta(days=settings.feedback_window_days)
    return {**payload,
            "feedback_link": link(settings, make_token(settings.secret_key, grievance_id, round_, expires_at))}
