"""The gateways this deployment has, by channel, built once per process from settings.

SMS always has one: the configured DLT HTTP gateway, else the log-only default that
the demo and the tests read. Push has one whenever VAPID keys exist (always). E-mail
and WhatsApp only when configured: until then their rows wait in the outbox.
"""

from __future__ import annotations

from typing import cast

from backend.notifications.email_smtp import SmtpConfig, SmtpEmailGateway, Tls
from backend.notifications.gateways import Gateway, SmsDeliveries
from backend.notifications.http_gateways import (
    CloudWhatsApp,
    CloudWhatsAppGateway,
    DltSms,
    HttpSmsGateway,
    WhatsAppTemplate,
)
from backend.notifications.models import OutboxChannel
from backend.notifications.push import WebPushGateway
from backend.notifications.sms import LogSmsGateway, SmsGateway, SmsMessage
from backend.settings import Settings


def dlt_sms(settings: Settings) -> HttpSmsGateway | None:
    g = settings.gateways
    if not g.sms_url:
        return None
    return HttpSmsGateway(DltSms(url=g.sms_url, api_key=g.sms_api_key, sender=g.sms_sender,
                                 entity_id=g.sms_entity_id, templates=g.sms_templates))


class _OtpOverDlt:
    """One-time codes (sent directly, not through the outbox) over the DLT gateway."""

    def __init__(self, gateway: HttpSmsGateway) -> None:
        self.gateway = gateway

    async def send(self, message: SmsMessage) -> None:
        await self.gateway.send_sms(message, "otp")


def build_sms(settings: Settings) -> SmsGateway:
    """The SMS gateway for one-time codes: the operator's, else the log."""
    http = dlt_sms(settings)
    return _OtpOverDlt(http) if http is not None else LogSmsGateway(settings.sms_log_path)


def build_gateways(settings: Settings, sms: SmsGateway) -> dict[OutboxChannel, Gateway]:
    g = settings.gateways
    http = dlt_sms(settings)
    gateways: dict[OutboxChannel, Gateway] = {
        OutboxChannel.SMS: http if http is not None else SmsDeliveries(sms),
        OutboxChannel.PUSH: WebPushGateway(settings),
    }
    if g.smtp_host:
        gateways[OutboxChannel.EMAIL] = SmtpEmailGateway(SmtpConfig(
            host=g.smtp_host, port=g.smtp_port, sender=g.smtp_from, user=g.smtp_user, password=g.smtp_password,
            tls=cast(Tls, g.smtp_tls)))
    if g.whatsapp_url:
        templates = {key: WhatsAppTemplate(str(t["name"]), [str(p) for p in cast(list[object], t.get("params", []))])
                     for key, t in g.whatsapp_templates.items()}
        gateways[OutboxChannel.WHATSAPP] = CloudWhatsAppGateway(CloudWhatsApp(
            url=g.whatsapp_url, token=g.whatsapp_token, phone_number_id=g.whatsapp_phone_number_id,
            templates=templates))
    return gateways
