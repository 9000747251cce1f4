"""The SMS gateway port and its log-only default.

The default writes each message as one JSON line to a file (and keeps the last ones in
memory), so the demo and the tests can read the OTPs that a real gateway would deliver.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    sent_at: datetime


class SmsGateway(Protocol):
    async def send(self, message: SmsMessage) -> None: ...


class LogSmsGateway:
    def __init__(self, path: Path | None = None, keep: int = 200) -> None:
        self.path = path
        self.sent: deque[SmsMessage] = deque(maxlen=keep)

    async def send(self, message: SmsMessage) -> None:
        self.sent.append(message)
        # Never the text: it may carry a one-time code.
        log.info("SMS to %s (%d characters)", message.to[-4:].rjust(10, "*"), len(message.text))
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            line = {"to": message.to, "text": message.text, "sent_at": message.sent_at.isoformat()}
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def last_to(self, mobile: str) -> SmsMessage | None:
        return next((m for m in reversed(self.sent) if m.to == mobile), None)
