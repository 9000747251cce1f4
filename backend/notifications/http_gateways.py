"""HTTP gateways: SMS through an Indian operator's API under TRAI's DLT rules, and
WhatsApp through a Business Cloud API-style endpoint with approved templates.

Both classify the provider's answer the same way: 2xx accepted; 400/401/403/404/422
refused for good (`PermanentFailure`: a wrong number, an unregistered template, a bad
key - retrying repeats the refusal); 429, 5xx and network errors are retried by the
dispatcher with back-off.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from backend.notifications.gateways import Delivery, PermanentFailure
from backend.notifications.sms import SmsMessage

PERMANENT = frozenset({400, 401, 403, 404, 422})


async def _post(url: str, *, json: Mapping[str, Any], headers: Mapping[str, str], limit: float) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=limit)) as session:
        async with session.post(url, json=json, headers=dict(headers)) as response:
            if 200 <= response.status < 300:
                return
            reason = (await response.text())[:300]
            if response.status in PERMANENT:
                raise PermanentFailure(f"HTTP {response.status}: {reason}")
            raise ConnectionError(f"HTTP {response.status}: {reason}")


@dataclass(frozen=True)
class DltSms:
    url: str
    api_key: str
    sender: str                    # the registered 6-character header (sender ID)
    entity_id: str                 # the principal entity's DLT registration
    templates: Mapping[str, str]   # our template key -> its DLT content-template id
    timeout: float = 10


class HttpSmsGateway:
    """A generic operator API: one JSON POST per message, the DLT identifiers with it."""

    def __init__(self, config: DltSms) -> None:
        self.config = config

    async def send(self, delivery: Delivery) -> None:
        template_id = self.config.templates.get(delivery.template)
        if not template_id:
            raise PermanentFailure(f"no DLT template id is configured for {delivery.template!r}")
        await self._send(delivery.recipient, delivery.text, template_id, reference=f"outbox-{delivery.message_id}")

    async def send_sms(self, message: SmsMessage, template: str = "otp") -> None:
        """The `SmsGateway` shape (OTPs): the same API, the OTP's DLT template."""
        template_id = self.config.templates.get(template)
        if not template_id:
            raise PermanentFailure(f"no DLT template id is configured for {template!r}")
        await self._send(message.to, message.text, template_id, reference="")

    async def _send(self, mobile: str, text: str, template_id: str, *, reference: str) -> None:
        body = {"to": f"91{mobile}" if len(mobile) == 10 else mobile, "sender": self.config.sender,
                "entity_id": self.config.entity_id, "template_id": template_id, "text": text,
                "unicode": not text.isascii(), "reference": reference}
        await _post(self.config.url, json=body, headers={"X-API-Key": self.config.api_key},
                    limit=self.config.timeout)


@dataclass(frozen=True)
class WhatsAppTemplate:
    name: str                 # the approved template's name at the provider
    params: Sequence[str]     # our payload keys, in the template's {{1}}, {{2}}... order


@dataclass(frozen=True)
class CloudWhatsApp:
    url: str                  # e.g. https://graph.facebook.com/v20.0
    token: str
    phone_number_id: str
    templates: Mapping[str, WhatsAppTemplate]
    timeout: float = 10


class CloudWhatsAppGateway:
    def __init__(self, config: CloudWhatsApp) -> None:
        self.config = config

    async def send(self, delivery: Delivery) -> None:
        template = self.config.templates.get(delivery.template)
        if template is None:
            raise PermanentFailure(f"no approved WhatsApp template is configured for {delivery.template!r}")
        mobile = delivery.recipient
        body = {
            "messaging_product": "whatsapp", "to": f"91{mobile}" if len(mobile) == 10 else mobile, "type": "template",
            "template": {
                "name": template.name, "language": {"code": delivery.language},
                "components": [{"type": "body", "parameters": [
                    {"type": "text", "text": str(delivery.params.get(p, ""))} for p in template.params]}],
            },
        }
        await _post(f"{self.config.url.rstrip('/')}/{self.config.phone_number_id}/messages", json=body,
                    headers={"Authorization": f"Bearer {self.config.token}"}, limit=self.config.timeout)
