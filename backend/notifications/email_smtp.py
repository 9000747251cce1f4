"""E-mail over SMTP (aiosmtplib): a plain-text part and an HTML part.

A 5xx answer about the recipient or the message (550 no such mailbox, 552, 553, 554)
is a refusal for good; connection failures and 4xx answers are retried.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal

import aiosmtplib

from backend.notifications.gateways import Delivery, PermanentFailure

Tls = Literal["none", "starttls", "tls"]


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    tls: Tls = "starttls"
    timeout: float = 20


class SmtpEmailGateway:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def message(self, delivery: Delivery) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.config.sender
        mail["To"] = delivery.recipient
        mail["Subject"] = delivery.subject or "Grievance update"
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(idstring=f"outbox-{delivery.message_id}")
        mail.set_content(delivery.text)
        body = delivery.html or f"<p>{html.escape(delivery.text)}</p>"
        mail.add_alternative(f'<!doctype html><html lang="{html.escape(delivery.language)}"><body>{body}</body></html>',
                             subtype="html")
        return mail

    async def send(self, delivery: Delivery) -> None:
        config = self.config
        try:
            await aiosmtplib.send(
                self.message(delivery), hostname=config.host, port=config.port, username=config.user or None,
                password=config.password or None, use_tls=config.tls == "tls", start_tls=config.tls == "starttls",
                timeout=config.timeout)
        except aiosmtplib.SMTPRecipientsRefused as refused:
            raise PermanentFailure(f"recipient refused: {refused}") from refused
        except aiosmtplib.SMTPResponseException as error:
            if 500 <= error.code < 600:
                raise PermanentFailure(f"SMTP {error.code}: {error.message}") from error
            raise
