"""The ASGI entry point uvicorn imports in each worker process."""

from __future__ import annotations

from backend.app import create_app
from backend.core.logs import configure_logging
from backend.settings import load_settings

_settings = load_settings()
configure_logging(_settings.debug, _settings.log_format)
application = create_app(_settings)
