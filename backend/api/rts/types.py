"""The Right-to-Service side of a grievance, as GraphQL sees it."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from backend.rts.models import RtsCase


@strawberry.type(description="A grievance about a notified Right-to-Service service (seed 002's Auto Appeal path).")
class RightToServiceCase:
    service_days: int = strawberry.field(description="The service's notified timeline, in working days.")
    due_at: datetime | None = strawberry.field(
        description="When the next appeal is filed by itself if nothing is done (null: none pending).")
    appeal_level: int = strawberry.field(description="0 with the designated officer, 1 first appeal, 2 second.")
    not_applied_at: datetime | None = strawberry.field(
        description="When the office recorded that the citizen had not applied (30 days to help them apply).")
    application_number: str
    applied_on: date | None
    application_recorded_at: datetime | None

    @classmethod
    def from_model(cls, case: RtsCase) -> RightToServiceCase:
        return cls(service_days=case.service_days, due_at=case.due_at, appeal_level=case.appeal_level,
                   not_applied_at=case.not_applied_at, application_number=case.application_number,
                   applied_on=case.applied_on, application_recorded_at=case.application_recorded_at)
