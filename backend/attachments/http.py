"""Attachments over plain HTTP: the download route, and the request body caps.

Downloads are served only to whoever may read the attachment (`services.readable`);
anything else - unknown id, not allowed, anonymous, a cookie on a cross-site request -
gets the same 404, so ids cannot be probed. Nothing uploaded is ever rendered as a page
or run: the type is the sniffed one with `nosniff`, the CSP sandboxes the response with
no sources at all, and it is never cached by shared caches.

Disposition: images are served `inline` (a photo opens in a tab; an <img> ignores the
header anyway) and PDFs as `attachment` (a download): browsers refuse to render a PDF
inside a CSP sandbox, and a downloaded PDF runs none of its scripts in our origin.
The name is the sanitised one, with an ASCII fallback and the UTF-8 form (RFC 6266).
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.context import CrossSiteRequest, request_actor
from backend.attachments import services
from backend.attachments.sniffing import EXTENSIONS, MAX_BYTES
from backend.attachments.storage import MissingObject, storage_for
from backend.authz.actors import ANONYMOUS
from backend.core.clock import utcnow
from backend.core.errors import DomainError
from backend.runtime import Runtime

log = logging.getLogger(__name__)

_INLINE = frozenset({"image/jpeg", "image/png", "image/webp"})
_SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Attachment ids are 64-bit: anything larger matches nothing (and PostgreSQL would
# reject it as a literal rather than find no row).
_MAX_ID = 2**63 - 1


async def download(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    settings = runtime.settings
    attachment_id = int(request.path_params["id"])
    try:
        actor = await request_actor(request, settings, utcnow())
    except CrossSiteRequest:
        actor = ANONYMOUS
    if not 0 < attachment_id <= _MAX_ID:
        return _not_found()
    try:
        attachment = await services.readable(actor, attachment_id)
        data = await storage_for(settings).get(attachment.storage_key)
    except (DomainError, MissingObject):
        return _not_found()
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        log.error("stored bytes of attachment %s do not match their hash; not served", attachment.id)
        return _not_found()
    disposition = "inline" if attachment.content_type in _INLINE else "attachment"
    return Response(
        data, media_type=attachment.content_type,
        headers={**_SAFE_HEADERS,
                 "Content-Disposition": content_disposition(disposition, attachment.filename, attachment.content_type)},
    )


def content_disposition(disposition: str, filename: str, content_type: str) -> str:
    """`filename` is already sanitised (no quotes, separators or controls); the ASCII
    fallback is for clients that ignore `filename*`."""
    extension = EXTENSIONS.get(content_type, "")
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if c.isalnum() or c in "._- " else "_" for c in ascii_name).strip(" ._")
    if not ascii_name or ascii_name.lower() == extension.lstrip("."):
        ascii_name = f"attachment{extension}"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404, headers=_SAFE_HEADERS)


# A multipart body may carry one attachment and the GraphQL operation around it.
MAX_UPLOAD_BODY = MAX_BYTES + 64 * 1024
# Any other body (GraphQL JSON, Open311 forms): the largest legitimate one is an org
# import, two CSVs of up to 50,000 rows (`orgs.csv_exchange.MAX_ROWS`) at ~150 bytes a row.
MAX_OTHER_BODY = 16 * 1024 * 1024


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Caps every request body before it is parsed (413 beyond it): Starlette spools
    uploaded files to disk, and reads JSON and forms into memory, without any limit of
    its own. Multipart bodies get the upload cap, everything else MAX_OTHER_BODY; a
    declared length is refused before reading, a chunked body while it is read."""

    def __init__(self, app: ASGIApp, multipart_max: int = MAX_UPLOAD_BODY, other_max: int = MAX_OTHER_BODY) -> None:
        self.app = app
        self.multipart_max = multipart_max
        self.other_max = other_max

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.multipart_max if _is_multipart(scope) else self.other_max
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit, scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await _too_large(limit, scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1").strip()
    return None


def _is_multipart(scope: Scope) -> bool:
    return (_header(scope, b"content-type") or "").lower().startswith("multipart/")


async def _too_large(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse(f"Request body larger than {limit} bytes", status_code=413,
                                 headers={"Connection": "close"})
    await response(scope, receive, send)
