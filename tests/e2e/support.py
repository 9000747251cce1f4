"""Helpers shared by the e2e tests (the fixtures live in conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import ConsoleMessage, Error

STAFF_PASSWORD = "demo-pass-2026"
DEMO_CITIZEN_MOBILE = "9000000001"


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    var_dir: Path
    output_path: Path

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://", 1) + "/graphql"

    @property
    def sms_log(self) -> Path:
        return self.var_dir / "sms-outbox.log"

    def output(self) -> str:
        return self.output_path.read_text(encoding="utf-8", errors="replace")

    def sms_messages(self) -> list[dict[str, Any]]:
        if not self.sms_log.exists():
            return []
        lines = self.sms_log.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]


@dataclass
class PageErrors:
    """Console errors and uncaught exceptions seen on a page."""

    console: list[str] = field(default_factory=list)
    uncaught: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console.append(f"{message.text} ({message.location.get('url', '?')})")

    def on_pageerror(self, error: Error) -> None:
        self.uncaught.append(f"{error.name}: {error.message}")

    @property
    def all(self) -> list[str]:
        return self.console + self.uncaught
