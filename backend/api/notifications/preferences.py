"""The viewer's notification channels and language over GraphQL (thin)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.notifications import preferences
from backend.notifications.models import OutboxChannel

Info = strawberry.Info[Context, None]
NotificationChannel = strawberry.enum(OutboxChannel, name="NotificationChannel")


@strawberry.type(description="Where and in which language the viewer is told of what happens.")
class NotificationPreferences:
    channels: list[OutboxChannel]
    language: str
    email: str

    @classmethod
    def of(cls, prefs: preferences.Preferences) -> NotificationPreferences:
        return cls(channels=list(prefs.channels), language=prefs.language, email=prefs.email)


@strawberry.type
class PreferenceQueries:
    @strawberry.field(description="The signed-in viewer's channels and language.")
    async def notification_preferences(self, info: Info) -> NotificationPreferences | None:
        if info.context.actor.id is None:
            return None
        return NotificationPreferences.of(await preferences.get_preferences(info.context.actor))


@strawberry.type
class PreferenceMutations:
    @strawberry.mutation(description="Choose channels (a citizen always keeps SMS) and language; citizens may "
                                     "also give their e-mail here.")
    async def notification_preferences_set(
        self, info: Info, channels: list[OutboxChannel], language: str, email: str | None = None,
    ) -> Annotated[NotificationPreferences | OperationError, strawberry.union("NotificationPreferencesResult")]:
        async def run() -> NotificationPreferences:
            saved = await preferences.set_preferences(info.context.actor, channels=channels, language=language,
                                                      email=email, now=info.context.now)
            return NotificationPreferences.of(saved)

        return await as_data(run)
