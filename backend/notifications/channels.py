"""The gateways this deployment has, by channel, built once per process from settings.

SMS always has one (the configured HTTP gateway, else the log-only default that the
demo and tests read); push has one whenever VAPID keys exist (always); e-mail and
WhatsApp only when configured - their rows wait in the outbox until then.
"""

from __future__ import annotations

from backend.notifications.gateways import Gateway, SmsDeliveries
from backend.notifications.models import OutboxChannel
from backend.notifications.push import WebPushGateway
from backend.notifications.sms import SmsGateway
from backend.settings import Settings


def build_gateways(settings: Settings, sms: SmsGateway) -> dict[OutboxChannel, Gateway]:
    gateways: dict[OutboxChannel, Gateway] = {
        OutboxChannel.SMS: SmsDeliveries(sms),
        OutboxChannel.PUSH: WebPushGateway(settings),
    }
    return gateways
