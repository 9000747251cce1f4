"""The HTTP side of the metrics: counting middleware and the /metrics endpoint."""

from __future__ import annotations

import hmac
import time
from ipaddress import ip_address

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.core.clock import utcnow
from backend.ops import metrics

# Anything else a client sends as a method is one label, not a new series each.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_FORWARDED = (b"x-forwarded-for", b"x-real-ip", b"forwarded")


def route_template(scope: Scope) -> str:
    """The matched route's path template ("/attachments/{id:int}"), never the path
    itself: ids in label values would make a series per grievance."""
    route = scope.get("route")
    if route is None:
        return "unmatched"
    path = str(getattr(route, "path", ""))
    if isinstance(route, Mount):
        return f"{path}/{{path}}"
    return path or "unmatched"


class RequestMetrics:
    """Counts every HTTP request (method, route template, status) and its latency, and
    the live websocket connections. In-process only: nothing here touches the database."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app raises before answering

        async def send_counting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_counting)
        finally:
            method = scope["method"] if scope["method"] in _METHODS else "other"
            route = route_template(scope)
            metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
            metrics.HTTP_LATENCY.labels(method, route).observe(time.perf_counter() - started)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        accepted = False

        async def send_counting(message: Message) -> None:
            nonlocal accepted
            await send(message)
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                metrics.WEBSOCKETS.inc()

        try:
            await self.app(scope, receive, send_counting)
        finally:
            if accepted:
                metrics.WEBSOCKETS.dec()


def _from_loopback(request: Request) -> bool:
    """A direct connection from this host. A forwarding header means a proxy on this
    host passed on someone else's request (nginx in front of uvicorn), so no."""
    if any(request.headers.get(h.decode()) for h in _FORWARDED):
        return False
    host = request.client.host if request.client else ""
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


async def metrics_endpoint(request: Request) -> Response:
    """GET /metrics: with GRIEVANCE_METRICS_TOKEN set, only with `Authorization: Bearer
    <token>`; without it, only from loopback (a scraper on the same host)."""
    runtime = request.app.state.runtime
    token: str = runtime.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            return PlainTextResponse("metrics need the bearer token\n", status_code=401,
                                     headers={"www-authenticate": 'Bearer realm="metrics"'})
    elif not _from_loopback(request):
        return PlainTextResponse("metrics are served to loopback only (or set GRIEVANCE_METRICS_TOKEN)\n",
                                 status_code=403)
    state: metrics.ServiceState = request.app.state.metrics_state
    state.queue = runtime.queue
    await state.refresh(utcnow())
    body, content_type = metrics.exposition(state)
    return Response(body, media_type=content_type, headers={"cache-control": "no-store"})
