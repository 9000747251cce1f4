"""Opaque secrets handed to people (session tokens, set-password links, OTPs).

Only a keyed hash is stored, so a leaked database cannot be replayed as sign-ins.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_otp(digits: int = 6) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def token_hash(secret_key: str, token: str) -> str:
    # surrogatepass: a malformed token from a websocket payload must hash (and then
    # match nothing), not raise.
    return hmac.new(secret_key.encode(), token.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
