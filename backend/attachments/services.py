"""Attachment use cases: upload (unbound), bind to a grievance or report, read, purge.

An upload is checked by content (`sniffing`), stored under a random key and recorded
*unbound*, owned by its uploader; the grievance service that files, replies or reports
then binds it inside its own transaction. Until bound only the uploader can read it;
after, whoever may see the grievance can, except that internal attachments are for
staff only. Anything that is not readable is NOT_FOUND, so ids cannot be probed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from backend.attachments.models import Attachment
from backend.attachments.sniffing import MAX_BYTES, MAX_PER_GRIEVANCE, sanitise_filename, sniff
from backend.attachments.storage import Storage, new_key
from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode, FieldError, forbidden, not_found, validation_error
from backend.grievances.access import may_view
from backend.grievances.kinds import Visibility
from backend.grievances.models import Grievance, Report

log = logging.getLogger(__name__)

# Unbound uploads one person may have made in the last day: enough for any honest
# filing, few enough that a script cannot fill the disk through one account.
MAX_UNBOUND_PER_DAY = 50
UNBOUND_LIFETIME = timedelta(hours=24)
_UPLOADERS = (ActorKind.CITIZEN, ActorKind.STAFF)
_TYPES_TEXT = "PDF, JPEG, PNG, WebP or MP3, WAV, Ogg or M4A audio"


async def upload(storage: Storage, actor: Actor, *, filename: str, data: bytes, now: datetime,
                 visibility: Visibility = Visibility.CITIZEN) -> Attachment:
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    if actor.kind not in _UPLOADERS or actor.id is None:
        raise forbidden("Only citizens and staff upload attachments")
    if visibility is Visibility.INTERNAL and not actor.is_staff:
        raise validation_error([FieldError("visibility", "only staff may upload internal attachments")])
    if len(data) > MAX_BYTES:
        raise validation_error([FieldError("file", f"larger than {MAX_BYTES // (1024 * 1024)} MB")])
    content_type = sniff(data) if data else None
    if content_type is None:
        raise validation_error([FieldError("file", f"not a {_TYPES_TEXT} file (judged by its content)")])
    recent = await Attachment.filter(
        uploaded_by_kind=actor.kind.value, uploaded_by_id=actor.id, grievance_id=None,
        created_at__gte=now - UNBOUND_LIFETIME,
    ).count()
    if recent >= MAX_UNBOUND_PER_DAY:
        raise DomainError(ErrorCode.RATE_LIMITED, "Too many uploads not yet attached to anything; try again later")

    # The row first: should the process die before the bytes are written, the purge
    # still finds the (unbound, never returned) row and removes it.
    attachment = await Attachment.create(
        storage_key=new_key(), filename=sanitise_filename(filename, content_type), content_type=content_type,
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), uploaded_by_kind=actor.kind.value,
        uploaded_by_id=actor.id, grievance=None, report=None, visibility=visibility, created_at=now,
    )
    try:
        await storage.put(attachment.storage_key, data)
    except BaseException:
        await attachment.delete()
        raise
    return attachment


async def bind(actor: Actor, attachment_ids: Sequence[int], *, grievance: Grievance,
               report: Report | None = None) -> list[Attachment]:
    """Attach the actor's unbound uploads to `grievance` (and `report`, if given).

    Call inside the caller's transaction: a refusal raises and so rolls the whole use
    case back. Every id must be an unbound upload of this actor (else VALIDATION on
    `attachmentIds[i]`), and the grievance may hold at most MAX_PER_GRIEVANCE in all.
    Binding is a compare-and-set on "still unbound", so one upload can never end up on
    two grievances however the calls interleave.
    """
    ids = list(attachment_ids)
    if not ids:
        return []
    if report is not None and report.grievance_id != grievance.id:  # type: ignore[attr-defined]
        raise ValueError("the report belongs to another grievance")
    rows = {a.id: a for a in await Attachment.filter(id__in=ids)}
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, attachment_id in enumerate(ids):
        field = f"attachmentIds[{i}]"
        row = rows.get(attachment_id)
        if attachment_id in seen:
            errors.append(FieldError(field, "listed twice"))
        elif row is None or not _uploaded_by(row, actor):
            errors.append(FieldError(field, "no such upload of yours"))
        elif row.grievance_id is not None:  # type: ignore[attr-defined]
            errors.append(FieldError(field, "already attached"))
        seen.add(attachment_id)
    if errors:
        raise validation_error(errors)
    existing = await Attachment.filter(grievance_id=grievance.id).count()
    if existing + len(ids) > MAX_PER_GRIEVANCE:
        raise validation_error(
            [FieldError("attachmentIds", f"a grievance holds at most {MAX_PER_GRIEVANCE} attachments; "
                                         f"it has {existing}")])
    for i, attachment_id in enumerate(ids):
        updated = await Attachment.filter(id=attachment_id, grievance_id=None).update(
            grievance_id=grievance.id, report_id=report.id if report else None)
        if updated != 1:
            raise validation_error([FieldError(f"attachmentIds[{i}]", "already attached")])
        rows[attachment_id].grievance_id = grievance.id  # type: ignore[attr-defined]
        rows[attachment_id].report_id = report.id if report else None  # type: ignore[attr-defined]
    return [rows[i] for i in ids]


async def readable(actor: Actor, attachment_id: int) -> Attachment:
    """The attachment, or NOT_FOUND - also when it exists but the actor may not read it."""
    attachment = await Attachment.get_or_none(id=attachment_id) if actor.kind is not ActorKind.ANONYMOUS else None
    if attachment is None or not await _may_read(actor, attachment):
        raise not_found("Attachment")
    return attachment


async def visible_on(actor: Actor, grievance: Grievance) -> list[Attachment]:
    """The attachments of a grievance the actor may read (the caller has checked that the
    actor may see the grievance itself)."""
    query = Attachment.filter(grievance_id=grievance.id)
    if not _sees_internal(actor):
        query = query.filter(visibility=Visibility.CITIZEN)
    return await query.order_by("created_at", "id")


async def purge_unbound(storage: Storage, older_than: timedelta, now: datetime) -> int:
    """Delete uploads never bound within `older_than` (UNBOUND_LIFETIME for the daily
    job), rows and bytes. Idempotent, and
    safe against a bind racing it: a row is deleted only while still unbound."""
    cutoff = now - older_than
    stale = await Attachment.filter(grievance_id=None, created_at__lt=cutoff).values_list("id", "storage_key")
    removed = 0
    for attachment_id, key in stale:
        if await Attachment.filter(id=attachment_id, grievance_id=None).delete():
            removed += 1
            try:
                await storage.delete(str(key))
            except (OSError, ValueError):  # an orphaned file is harmless; a lost row is not
                log.exception("could not delete stored attachment %s", attachment_id)
    return removed


def _uploaded_by(attachment: Attachment, actor: Actor) -> bool:
    return (actor.id is not None and attachment.uploaded_by_kind == actor.kind.value
            and attachment.uploaded_by_id == actor.id)


def _sees_internal(actor: Actor) -> bool:
    return actor.kind in (ActorKind.STAFF, ActorKind.SYSTEM)


async def _may_read(actor: Actor, attachment: Attachment) -> bool:
    grievance_id = attachment.grievance_id  # type: ignore[attr-defined]
    if grievance_id is None:
        return _uploaded_by(attachment, actor)
    if attachment.visibility != Visibility.CITIZEN and not _sees_internal(actor):
        return False
    grievance = await Grievance.get_or_none(id=grievance_id)
    return grievance is not None and await may_view(actor, grievance)
