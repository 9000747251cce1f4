"""Per-request context: the actor, `now`, the runtime and the request's DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from backend.accounts.sign_in import resolve_session
from backend.api.loaders import Loaders
from backend.authz.actors import Actor
from backend.grievances.privacy import Contact
from backend.runtime import Runtime
from backend.settings import Settings

SESSION_COOKIE = "gsession"


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    runtime: Runtime
    actor: Actor
    now: datetime
    loaders: Loaders = field(default_factory=Loaders)
    connection_params: dict[str, Any] | None = None
    # Per request: each grievance's contact details as this viewer may see them.
    contacts: dict[int, asyncio.Future[Contact]] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def client_address(self) -> str:
        client = self.request.client
        return client.host if client else ""


def bearer_or_cookie(request: Request | WebSocket) -> tuple[str | None, bool]:
    """The session token and whether it came from the cookie (cookie-authenticated
    requests get the cross-site check; bearer tokens cannot be sent by a browser on
    another site's behalf)."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), False
    token = request.cookies.get(SESSION_COOKIE)
    return token, token is not None


class CrossSiteRequest(Exception):
    """A cookie-authenticated request from another origin: to be refused (403)."""


def same_origin(request: Request | WebSocket, allowed_origins: Sequence[str]) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True
    own = f"{request.url.scheme}://{request.url.netloc}"
    return origin == own or origin in allowed_origins


async def request_actor(request: Request | WebSocket, settings: Settings, now: datetime) -> Actor:
    """Who an HTTP request speaks for, resolved the same way for /graphql and the plain
    routes (attachment downloads). CrossSiteRequest when its session came in a cookie
    on a request from another origin."""
    token, from_cookie = bearer_or_cookie(request)
    if from_cookie and isinstance(request, Request) and not same_origin(request, settings.allowed_origins):
        raise CrossSiteRequest
    return await resolve_session(settings, token, now)
