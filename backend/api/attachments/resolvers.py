"""Uploading attachments: the GraphQL multipart request spec, one file per request.

The transport caps a multipart body at about one file (`backend.attachments.http`);
the resolver reads at most MAX_BYTES + 1 bytes, so an oversized file is refused
without ever being held whole in memory.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from backend.api.attachments.types import Attachment, AttachmentSuccess
from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.attachments import services
from backend.attachments.sniffing import MAX_BYTES
from backend.attachments.storage import storage_for
from backend.core.errors import FieldError, validation_error
from backend.grievances.kinds import Visibility

Info = strawberry.Info[Context, None]

_CHUNK = 64 * 1024


async def read_bounded(file: Any, limit: int) -> bytes:
    """At most `limit` bytes of an uploaded file, read in chunks."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = await file.read(min(_CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


@strawberry.type
class AttachmentMutations:
    @strawberry.mutation(description=(
        "Upload one PDF, JPEG, PNG or WebP, or an MP3, WAV, Ogg or M4A call recording (at most 5 MB), as a "
        "multipart request; it stays unbound, visible only to you, until a filing, reply or report lists its id "
        "in `attachmentIds` (within 24 hours)."))
    async def attachment_upload(
        self, info: Info, file: Upload, visibility: Visibility = Visibility.CITIZEN,
    ) -> Annotated[AttachmentSuccess | OperationError, strawberry.union("AttachmentUploadResult")]:
        async def run() -> AttachmentSuccess:
            # A JSON request can put any value where the file should be.
            if not callable(getattr(file, "read", None)):
                raise validation_error([FieldError("file", "send the file as a multipart upload")])
            data = await read_bounded(file, MAX_BYTES + 1)
            attachment = await services.upload(
                storage_for(info.context.settings), info.context.actor, filename=str(getattr(file, "filename", None) or ""),
                data=data, now=info.context.now, visibility=visibility,
            )
            return AttachmentSuccess(attachment=Attachment.from_model(attachment))

        return await as_data(run)
