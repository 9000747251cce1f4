"""Small vocabularies of the grievance domain (pure)."""

from __future__ import annotations

from enum import StrEnum


class ReportKind(StrEnum):
    PRELIMINARY = "preliminary"
    INTERIM = "interim"
    FINAL = "final"


class ReportOutcome(StrEnum):
    NONE = ""              # preliminary and interim reports are not reviewed
    SUBMITTED = "submitted"
    APPROVED = "approved"  # accepted at the top of the chain: the grievance closed on it
    SENT_BACK = "sent_back"


class ReviewDecision(StrEnum):
    APPROVED = "approved"
    SENT_BACK = "sent_back"
    CLOSED = "closed"


class Visibility(StrEnum):
    """Who may read a note or attachment: everyone on the case, or staff only."""

    CITIZEN = "citizen"
    INTERNAL = "internal"
