"""The Starlette application: /graphql (HTTP + graphql-transport-ws), health probes,
and the prebuilt PWA from `frontend_static/`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET
from tortoise import connections

from backend.accounts.sign_in import resolve_session
from backend.api.context import Context, CrossSiteRequest, request_actor
from backend.api.limits import MAX_OPERATIONS_PER_SOCKET
from backend.api.schema import schema
from backend.attachments.http import BodyLimit, download
from backend.authz.actors import ANONYMOUS
from backend.core.clock import utcnow
from backend.core.logs import accepted_request_id, request_id_var
from backend.core.messages import language_of, request_language
from backend.open311.http import ROUTES as OPEN311_ROUTES
from backend.ops import collector, memprobe
from backend.ops.http import RequestMetrics, metrics_endpoint
from backend.ops.metrics import ServiceState, mark_process_dead
from backend.runtime import Runtime, start_runtime, stop_runtime
from backend.settings import Settings
from backend.stats.http import download_report

log = logging.getLogger(__name__)
FRONTEND_DIR = Path(
    os.environ.get("GRIEVANCE_FRONTEND_DIR") or Path(__file__).resolve().parent.parent / "frontend_static"
)

_PROBE_SECONDS = 2.0

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")

# Files whose content changes with a release without changing their URL: always
# revalidate (ETag makes that a cheap 304). Icons rarely change: cache a week.
_REVALIDATE = {".html", ".js", ".css", ".webmanifest", ".json"}


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.debug else None,
            allow_queries_via_get=False,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            allowed_origins=list(settings.allowed_origins),
            connection_init_wait_timeout=timedelta(seconds=15),
            max_subscriptions_per_connection=MAX_OPERATIONS_PER_SOCKET,
            multipart_uploads_enabled=True,  # attachmentUpload; bodies capped by BodyLimit
        )
        self.runtime = runtime

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        now = utcnow()
        try:
            actor = await request_actor(request, self.runtime.settings, now)
        except CrossSiteRequest:
            # A cookie rides along on cross-site requests (multipart uploads included,
            # checked before the body is read); a bearer token cannot.
            raise HTTPException(403, "Cross-site request refused") from None
        request_language.set(language_of(request.headers.get("accept-language", "")))
        return Context(request=request, response=response, runtime=self.runtime, actor=actor, now=now)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context, root_value)
        finally:
            if isinstance(request, Request):
                await request.close()  # closes the spooled files of a multipart upload

    async def on_ws_connect(self, context: Context) -> Any:
        params = context.connection_params or {}
        auth = params.get("authorization") or params.get("Authorization")
        if auth:
            token = str(auth)
            if token.lower().startswith("bearer "):
                token = token[7:]
            actor = await resolve_session(self.runtime.settings, token.strip(), utcnow())
            if actor is ANONYMOUS:
                raise ConnectionRejectionError({"reason": "invalid or expired session"})
            context.actor = actor
        return {"viewer": context.actor.kind.value}


class ShellStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        suffix = Path(path).suffix or ".html"
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = "no-cache" if suffix in _REVALIDATE else "public, max-age=604800"
        if Path(path).name == "sw.js":
            response.headers["Service-Worker-Allowed"] = "/"
        return response


class SecurityHeaders:
    """Request id for log correlation, and browser hardening headers on every reply."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        # The proxy's (or client's) id when it sent a usable one, so one id follows the
        # request through nginx, this process and the logs; a fresh one otherwise.
        request_id = accepted_request_id(_header(scope, b"x-request-id")) or uuid.uuid4().hex[:16]
        if scope["type"] == "websocket":
            # Log lines of the connection's whole life carry its id.
            token = request_id_var.set(request_id)
            try:
                await self.app(scope, receive, send)
            finally:
                request_id_var.reset(token)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                defaults = [
                    (b"x-request-id", request_id.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not path.startswith("/graphql"):
                    defaults.append((
                        b"content-security-policy",
                        b"default-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
                        b"object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
                    ))
                # A header the endpoint set itself (the attachment download's sandbox
                # CSP) is stricter than the default: keep it, do not add a second one.
                present = {bytes(k).lower() for k, _ in headers}
                message["headers"] = headers + [(k, v) for k, v in defaults if k not in present]
            await send(message)

        token = request_id_var.set(request_id)
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            request_id_var.reset(token)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    """Ready when the database answers. Redis is checked and reported but does not make
    the process unready: it carries only wake-ups and live broadcasts, so without it
    every request still succeeds (live updates resume when it is back) - whereas failing
    the probe would take every API process out of the load balancer at once, and then
    every request would fail."""
    runtime: Runtime = request.app.state.runtime
    checks: dict[str, str] = {}
    try:
        await connections.get("default").execute_query("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # the probe reports any failure, it must not raise
        checks["database"] = f"unreachable: {type(exc).__name__}"
    if runtime.settings.uses_redis:
        try:
            # Bounded: a Redis that stopped answering must not hang the probe.
            answered = await asyncio.wait_for(runtime.broadcast.ping(), _PROBE_SECONDS)
            checks["redis"] = "ok" if answered else "no answer"
        except Exception as exc:
            checks["redis"] = f"unreachable: {type(exc).__name__}"
    ready = checks["database"] == "ok"
    degraded = sorted(k for k, v in checks.items() if v != "ok")
    return JSONResponse({"ready": ready, "degraded": degraded, "checks": checks}, status_code=200 if ready else 503)


def create_app(settings: Settings, runtime: Runtime | None = None) -> Starlette:
    """`runtime` is given by tests that manage the database themselves; otherwise the
    lifespan builds it from settings (and closes it on shutdown)."""
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        rt = runtime or await start_runtime(settings)
        memprobe.install()
        if runtime is None:  # a serving process, not a test's app
            collector.settle()
        app.state.runtime = rt
        view.runtime = rt
        try:
            yield
        finally:
            if runtime is None:
                await stop_runtime(rt)
            mark_process_dead()

    placeholder = runtime or Runtime(settings, None, None, None)  # type: ignore[arg-type]
    view = GraphQLView(placeholder)
    routes: list[Any] = [
        Route("/graphql", view, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", view),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/attachments/{id:int}", download, methods=["GET"]),
        Route("/reports/{id:int}/{kind:str}", download_report, methods=["GET"]),
        *OPEN311_ROUTES,
        Mount("/", ShellStaticFiles(directory=FRONTEND_DIR, html=True), name="pwa"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(SecurityHeaders), Middleware(RequestMetrics), Middleware(BodyLimit)])
    app.state.metrics_state = ServiceState()
    if runtime is not None:
        app.state.runtime = runtime
    return app
