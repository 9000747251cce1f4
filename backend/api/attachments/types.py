"""GraphQL types of attachments."""

from __future__ import annotations

from datetime import datetime

import strawberry

import backend.api.grievances.enums  # noqa: F401  (declares `Visibility` as the GraphQL enum)
from backend.attachments.models import Attachment as AttachmentModel
from backend.grievances.kinds import Visibility


def download_path(attachment_id: int) -> str:
    """Where `backend.attachments.http` serves the bytes (to those who may read them)."""
    return f"/attachments/{attachment_id}"


@strawberry.type(description="An uploaded file; its type was judged from its content.")
class Attachment:
    id: strawberry.ID
    filename: str = strawberry.field(description="Sanitised; the extension matches `contentType`.")
    content_type: str = strawberry.field(description="application/pdf, image/jpeg, image/png or image/webp.")
    size: int = strawberry.field(description="In bytes.")
    url: str = strawberry.field(description="Download path, relative to the site; needs the viewer's session.")
    created_at: datetime
    visibility: Visibility

    @classmethod
    def from_model(cls, attachment: AttachmentModel) -> Attachment:
        return cls(
            id=strawberry.ID(str(attachment.id)), filename=attachment.filename, content_type=attachment.content_type,
            size=attachment.size, url=download_path(attachment.id), created_at=attachment.created_at,
            visibility=attachment.visibility,
        )


@strawberry.type
class AttachmentSuccess:
    attachment: Attachment
