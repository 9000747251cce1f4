"""Logging set-up: every line carries the request id of the request that caused it.

Two formats (GRIEVANCE_LOG_FORMAT): `json`, the production default, writes each
record as one JSON object on one line so a log shipper needs no parsing rules; `text`
is for a developer's terminal. Either way the request id comes from `request_id_var`,
which the HTTP middleware sets for the duration of a request (a contextvar, so every
task the request starts inherits it and concurrent requests never mix).
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# What a client may send as its own X-Request-ID: short, and nothing that could break a
# log line or a header (a proxy's $request_id is 32 hex characters).
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

# Attributes every LogRecord has; anything else on a record came from `extra=` (less
# uvicorn's ANSI-coloured copy of its message).
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "request_id", "color_message"}

LOG_FORMATS = ("json", "text")


def accepted_request_id(value: str | None) -> str | None:
    """The client's (or proxy's) request id when it is safe to reuse, else None."""
    if value and _CLIENT_REQUEST_ID.fullmatch(value):
        return value
    return None


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: timestamp, level, logger, message, request_id (inside
    a request), the exception if any, and every `extra=` field."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an extra field that is not JSON (a datetime, a Path) must not
        # cost the whole line.
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return super().format(record)


def handler_for(fmt: str) -> logging.Handler:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    return handler


def configure_logging(debug: bool = False, fmt: str = "text") -> None:
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {LOG_FORMATS}, not {fmt!r}")
    root = logging.getLogger()
    root.handlers[:] = [handler_for(fmt)]
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    # Tortoise logs every query at DEBUG; keep it out unless asked for.
    logging.getLogger("tortoise").setLevel(logging.WARNING)
    # uvicorn runs with log_config=None, so its loggers reach the root handler (and so
    # share the format); drop any handler a library installed on them meanwhile.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
