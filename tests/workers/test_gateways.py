"""The SMS (DLT), e-mail (SMTP) and WhatsApp gateways against local fakes: a real SMTP
server capturing mail, and an HTTP server standing in for the operators' APIs."""

from __future__ import annotations

import email
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from aiosmtpd.controller import Controller

from backend.notifications.channels import build_gateways, build_sms
from backend.notifications.email_smtp import SmtpConfig, SmtpEmailGateway
from backend.notifications.gateways import Delivery, PermanentFailure
from backend.notifications.http_gateways import (
    CloudWhatsApp,
    CloudWhatsAppGateway,
    DltSms,
    HttpSmsGateway,
    WhatsAppTemplate,
)
from backend.notifications.models import OutboxChannel
from backend.notifications.sms import SmsMessage
from backend.settings import SettingsError, load_settings
from tests.conftest import NOW

HINDI = "शिकायत BR/W/2026/0000007 का निष्पादन कर दिया गया है।"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def delivery(channel: OutboxChannel, recipient: str, template: str = "grievance_closed") -> Delivery:
    return Delivery(channel=channel, recipient=recipient, template=template, language="hi", text=HINDI,
                    subject="शिकायत BR/W/2026/0000007", params={"number": "BR/W/2026/0000007", "level": "2"},
                    message_id=99, sent_at=NOW)


# --- SMTP -------------------------------------------------------------------------------


@dataclass
class Inbox:
    refuse: set[str] = field(default_factory=set)
    messages: list[tuple[str, list[str], Message]] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content)))
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


async def test_mail_has_both_parts_in_the_recipients_language(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    gateway = SmtpEmailGateway(SmtpConfig(host="127.0.0.1", port=port, sender="grievance@bihar.gov.in", tls="none"))
    await gateway.send(delivery(OutboxChannel.EMAIL, "sita@example.in"))
    [(sender, recipients, mail)] = inbox.messages
    assert (sender, recipients) == ("grievance@bihar.gov.in", ["sita@example.in"])
    assert str(email.header.make_header(email.header.decode_header(mail["Subject"]))) == "शिकायत BR/W/2026/0000007"
    assert mail.get_content_type() == "multipart/alternative" and "outbox-99" in mail["Message-ID"]
    parts = {p.get_content_type(): p.get_payload(decode=True).decode(p.get_content_charset())  # type: ignore[union-attr]
             for p in mail.walk() if not p.is_multipart()}
    assert parts["text/plain"].strip() == HINDI and HINDI in parts["text/html"] and 'lang="hi"' in parts["text/html"]


async def test_a_refused_mailbox_is_a_permanent_failure(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    inbox.refuse.add("nobody@example.in")
    gateway = SmtpEmailGateway(SmtpConfig(host="127.0.0.1", port=port, sender="grievance@bihar.gov.in", tls="none"))
    with pytest.raises(PermanentFailure):
        await gateway.send(delivery(OutboxChannel.EMAIL, "nobody@example.in"))
    down = SmtpEmailGateway(SmtpConfig(host="127.0.0.1", port=free_port(), sender="g@bihar.gov.in", tls="none",
                                       timeout=2))
    with pytest.raises(Exception) as caught:  # no server: retried, not dead
        await down.send(delivery(OutboxChannel.EMAIL, "sita@example.in"))
    assert not isinstance(caught.value, PermanentFailure)


# --- HTTP: SMS and WhatsApp -------------------------------------------------------------


@dataclass
class FakeApi:
    base: str
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeApi]:
    port = free_port()
    fake = FakeApi(f"http://127.0.0.1:{port}")

    async def receive(request: web.Request) -> web.Response:
        fake.received.append({"path": request.path, "headers": {k.lower(): v for k, v in request.headers.items()},
                              "json": await request.json()})
        return web.json_response({"ok": fake.status < 300}, status=fake.status)

    app = web.Application()
    app.router.add_post("/{tail:.*}", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield fake
    await runner.cleanup()


def dlt(base: str) -> HttpSmsGateway:
    return HttpSmsGateway(DltSms(url=f"{base}/sms", api_key="key-1", sender="BRGRVC", entity_id="1101000000000001",
                                 templates={"grievance_closed": "1107000000000042", "otp": "1107000000000001"},
                                 timeout=3))


async def test_sms_carries_the_dlt_identifiers(api: FakeApi) -> None:
    await dlt(api.base).send(delivery(OutboxChannel.SMS, "9812345678"))
    [call] = api.received
    assert call["path"] == "/sms" and call["headers"]["x-api-key"] == "key-1"
    assert call["json"] == {"to": "919812345678", "sender": "BRGRVC", "entity_id": "1101000000000001",
                            "template_id": "1107000000000042", "text": HINDI, "unicode": True,
                            "reference": "outbox-99"}
    await dlt(api.base).send_sms(SmsMessage(to="9812345678", text="123456 is your code", sent_at=NOW))
    assert api.received[-1]["json"]["template_id"] == "1107000000000001"
    with pytest.raises(PermanentFailure, match="no DLT template"):
        await dlt(api.base).send(delivery(OutboxChannel.SMS, "9812345678", template="grievance_filed"))


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (401, True), (422, True), (429, False),
                                                   (500, False), (503, False)])
async def test_provider_answers_are_classified(api: FakeApi, status: int, permanent: bool) -> None:
    api.status = status
    with pytest.raises(Exception) as caught:
        await dlt(api.base).send(delivery(OutboxChannel.SMS, "9812345678"))
    assert isinstance(caught.value, PermanentFailure) is permanent


async def test_an_unreachable_provider_is_retried() -> None:
    with pytest.raises(Exception) as caught:
        await dlt(f"http://127.0.0.1:{free_port()}").send(delivery(OutboxChannel.SMS, "9812345678"))
    assert not isinstance(caught.value, PermanentFailure)


async def test_whatsapp_sends_the_approved_template_with_its_parameters(api: FakeApi) -> None:
    gateway = CloudWhatsAppGateway(CloudWhatsApp(
        url=api.base, token="tok", phone_number_id="1234567890",
        templates={"grievance_closed": WhatsAppTemplate("grievance_disposed_v2", ["number", "level"])}, timeout=3))
    await gateway.send(delivery(OutboxChannel.WHATSAPP, "9812345678"))
    [call] = api.received
    assert call["path"] == "/1234567890/messages" and call["headers"]["authorization"] == "Bearer tok"
    assert call["json"] == {"messaging_product": "whatsapp", "to": "919812345678", "type": "template", "template": {
        "name": "grievance_disposed_v2", "language": {"code": "hi"}, "components": [{"type": "body", "parameters": [
            {"type": "text", "text": "BR/W/2026/0000007"}, {"type": "text", "text": "2"}]}]}}
    with pytest.raises(PermanentFailure, match="no approved WhatsApp template"):
        await gateway.send(delivery(OutboxChannel.WHATSAPP, "9812345678", template="grievance_filed"))


# --- configuration ----------------------------------------------------------------------


def test_gateways_come_from_the_environment(tmp_path: Any) -> None:
    base = {"GRIEVANCE_VAR_DIR": str(tmp_path)}
    plain = load_settings(base)
    assert set(build_gateways(plain, build_sms(plain))) == {OutboxChannel.SMS, OutboxChannel.PUSH}
    full = load_settings({**base, "GRIEVANCE_SMS_URL": "https://sms.example/api", "GRIEVANCE_SMS_API_KEY": "k",
                          "GRIEVANCE_SMS_SENDER": "BRGRVC", "GRIEVANCE_SMS_ENTITY_ID": "1101",
                          "GRIEVANCE_SMS_TEMPLATES": '{"otp": "1107"}', "GRIEVANCE_SMTP_HOST": "smtp.example",
                          "GRIEVANCE_SMTP_FROM": "g@example.in", "GRIEVANCE_WHATSAPP_URL": "https://wa.example",
                          "GRIEVANCE_WHATSAPP_TOKEN": "t", "GRIEVANCE_WHATSAPP_PHONE_NUMBER_ID": "1",
                          "GRIEVANCE_WHATSAPP_TEMPLATES": '{"grievance_filed": {"name": "ack", "params": ["number"]}}'})
    gateways = build_gateways(full, build_sms(full))
    assert set(gateways) == set(OutboxChannel) and isinstance(gateways[OutboxChannel.SMS], HttpSmsGateway)
    for bad, variable in (({"GRIEVANCE_SMS_TEMPLATES": "{not json"}, "GRIEVANCE_SMS_TEMPLATES"),
                          ({"GRIEVANCE_SMTP_TLS": "ssl3"}, "GRIEVANCE_SMTP_TLS"),
                          ({"GRIEVANCE_SMS_URL": "https://sms.example"}, "GRIEVANCE_SMS_URL"),
                          ({"GRIEVANCE_WHATSAPP_TEMPLATES": '{"x": {"params": [1]}}'}, "GRIEVANCE_WHATSAPP_TEMPLATES"),
                          ({"GRIEVANCE_SMTP_PORT": "smtp"}, "GRIEVANCE_SMTP_PORT")):
        with pytest.raises(SettingsError, match=variable):
            load_settings({**base, **bad})
