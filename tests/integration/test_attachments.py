"""Attachment services and storage against a real database and a real directory."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from tortoise.transactions import in_transaction

from backend.accounts.models import Citizen
from backend.attachments import services
from backend.attachments.models import Attachment
from backend.attachments.sniffing import MAX_BYTES, MAX_PER_GRIEVANCE
from backend.attachments.storage import LocalDirectoryStorage, MissingObject, check_key, new_key, storage_for
from backend.authz.actors import ANONYMOUS, SYSTEM, Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode
from backend.grievances.channels import Channel
from backend.grievances.kinds import ReportKind, Visibility
from backend.grievances.models import Grievance, Report
from backend.grievances.states import State
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import LifecycleWorld, actor_for, lifecycle_world
from tests.unit.test_sniffing import HTML, jpeg_bytes, pdf_bytes, png_bytes, webp_bytes

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def storage(tmp_path: Path) -> LocalDirectoryStorage:
    return LocalDirectoryStorage(tmp_path / "attachments")


async def citizen(mobile: str) -> Actor:
    row = await Citizen.create(mobile=mobile, name=f"Citizen {mobile[-2:]}", created_at=NOW)
    return Actor(ActorKind.CITIZEN, row.id, row.name)


async def grievance_of(w: LifecycleWorld, filer: Actor, number: str = "BR/W/2026/0000001") -> Grievance:
    unit = w.tree.block_a
    return await Grievance.create(
        number=number, channel=Channel.WEB, status=State.ASSIGNED, citizen_id=filer.id, citizen_name=filer.name,
        citizen_mobile="9876500001", area_code="BR-A-1", category=w.leaf, category_path=w.leaf.path,
        subject="Handpump broken", description="The handpump near the school has been broken for a month.",
        relief_sought="Repair it.", unit=unit, unit_path=unit.path, intake_unit=w.tree.state, visited=[unit.id],
        filed_by_kind=ActorKind.CITIZEN.value, filed_by_id=filer.id, filed_at=NOW, updated_at=NOW,
    )


def files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def refused(code: ErrorCode, call: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await call  # type: ignore[misc]
    assert caught.value.code is code, caught.value
    return caught.value


# -- upload -------------------------------------------------------------------


async def test_upload_keeps_what_was_verified_and_only_the_uploader_reads_it(storage: LocalDirectoryStorage) -> None:
    sita, gita = await citizen("9876500001"), await citizen("9876500002")
    data = png_bytes()
    attachment = await services.upload(storage, sita, filename="../../ration card.html", data=data, now=NOW)
    assert attachment.grievance_id is None and attachment.report_id is None  # type: ignore[attr-defined]
    assert (attachment.content_type, attachment.filename, attachment.size) == ("image/png", "ration card.png", len(data))
    assert (attachment.uploaded_by_kind, attachment.uploaded_by_id) == ("citizen", sita.id)
    assert len(attachment.sha256) == 64 and attachment.visibility is Visibility.CITIZEN
    assert await storage.get(attachment.storage_key) == data
    assert files_in(storage.root) == [storage.path_for(attachment.storage_key)]

    assert (await services.readable(sita, attachment.id)).id == attachment.id
    for other in (gita, ANONYMOUS, Actor(ActorKind.STAFF, sita.id), Actor(ActorKind.CITIZEN, None)):
        await refused(ErrorCode.NOT_FOUND, services.readable(other, attachment.id))
    await refused(ErrorCode.NOT_FOUND, services.readable(sita, attachment.id + 1000))


@pytest.mark.parametrize("data", [jpeg_bytes(), webp_bytes(), pdf_bytes()])
async def test_each_accepted_type_uploads(storage: LocalDirectoryStorage, data: bytes) -> None:
    sita = await citizen("9876500001")
    attachment = await services.upload(storage, sita, filename="x", data=data, now=NOW)
    assert attachment.filename.startswith("x.") and await storage.get(attachment.storage_key) == data


async def test_refused_uploads_store_nothing(storage: LocalDirectoryStorage) -> None:
    sita = await citizen("9876500001")
    error = await refused(ErrorCode.VALIDATION, services.upload(storage, sita, filename="big.pdf",
                                                                data=pdf_bytes(MAX_BYTES + 1), now=NOW))
    assert [e.field for e in error.field_errors] == ["file"]
    for name, data in (("photo.jpg", HTML), ("empty.pdf", b""), ("polyglot.png", png_bytes() + b"PK\x03\x04")):
        error = await refused(ErrorCode.VALIDATION, services.upload(storage, sita, filename=name, data=data, now=NOW))
        assert [e.field for e in error.field_errors] == ["file"]
    await refused(ErrorCode.UNAUTHENTICATED, services.upload(storage, ANONYMOUS, filename="a.png", data=png_bytes(),
                                                             now=NOW))
    await refused(ErrorCode.FORBIDDEN, services.upload(storage, SYSTEM, filename="a.png", data=png_bytes(), now=NOW))
    error = await refused(ErrorCode.VALIDATION, services.upload(storage, sita, filename="a.png", data=png_bytes(),
                                                                now=NOW, visibility=Visibility.INTERNAL))
    assert [e.field for e in error.field_errors] == ["visibility"]
    assert await Attachment.all().count() == 0 and files_in(storage.root) == []


class BrokenStorage(LocalDirectoryStorage):
    async def put(self, key: str, data: bytes) -> None:
        raise OSError("disk full")


async def test_a_failed_write_leaves_no_row(tmp_path: Path) -> None:
    sita = await citizen("9876500001")
    with pytest.raises(OSError):
        await services.upload(BrokenStorage(tmp_path), sita, filename="a.png", data=png_bytes(), now=NOW)
    assert await Attachment.all().count() == 0


async def test_exactly_five_megabytes_is_accepted(storage: LocalDirectoryStorage) -> None:
    sita = await citizen("9876500001")
    attachment = await services.upload(storage, sita, filename="scan.pdf", data=pdf_bytes(MAX_BYTES), now=NOW)
    assert attachment.size == MAX_BYTES


async def test_unbound_uploads_are_capped_per_uploader_per_day(storage: LocalDirectoryStorage) -> None:
    sita, gita = await citizen("9876500001"), await citizen("9876500002")
    for i in range(services.MAX_UNBOUND_PER_DAY):
        await Attachment.create(storage_key=new_key(), filename=f"{i}.png", content_type="image/png", size=1,
                                sha256="0" * 64, uploaded_by_kind="citizen", uploaded_by_id=sita.id,
                                created_at=NOW - timedelta(hours=23))
    await refused(ErrorCode.RATE_LIMITED, services.upload(storage, sita, filename="a.png", data=png_bytes(), now=NOW))
    await services.upload(storage, gita, filename="a.png", data=png_bytes(), now=NOW)  # per uploader
    # A day later the earlier ones no longer count (and the purge removes them).
    await services.upload(storage, sita, filename="a.png", data=png_bytes(), now=NOW + timedelta(hours=1, seconds=1))


# -- bind and read --------------------------------------------------------------


async def test_bound_attachments_follow_the_grievance_visibility(
    settings: Settings, storage: LocalDirectoryStorage,
) -> None:
    w = await lifecycle_world(settings)
    sita, gita = await citizen("9876500001"), await citizen("9876500002")
    officer = await actor_for(w.users["officer_a"])
    outsider = await actor_for(w.users["nodal_b"])
    g = await grievance_of(w, sita)
    photo = await services.upload(storage, sita, filename="pump.jpg", data=jpeg_bytes(), now=NOW)
    note = await services.upload(storage, officer, filename="inspection.pdf", data=pdf_bytes(), now=NOW,
                                 visibility=Visibility.INTERNAL)
    async with in_transaction():
        bound = await services.bind(sita, [photo.id], grievance=g)
    assert [a.id for a in bound] == [photo.id] and bound[0].grievance_id == g.id  # type: ignore[attr-defined]
    async with in_transaction():
        await services.bind(officer, [note.id], grievance=g)

    for reader in (sita, officer):
        assert (await services.readable(reader, photo.id)).id == photo.id
    assert (await services.readable(officer, note.id)).id == note.id
    assert (await services.readable(SYSTEM, note.id)).id == note.id
    await refused(ErrorCode.NOT_FOUND, services.readable(sita, note.id))  # internal: staff only
    for stranger in (gita, outsider, ANONYMOUS):
        for attachment in (photo, note):
            await refused(ErrorCode.NOT_FOUND, services.readable(stranger, attachment.id))
    assert [a.id for a in await services.visible_on(sita, g)] == [photo.id]
    assert [a.id for a in await services.visible_on(officer, g)] == [photo.id, note.id]


async def test_bind_refuses_what_is_not_yours_to_bind_and_changes_nothing(
    settings: Settings, storage: LocalDirectoryStorage,
) -> None:
    w = await lifecycle_world(settings)
    sita, gita = await citizen("9876500001"), await citizen("9876500002")
    g = await grievance_of(w, sita)
    other_g = await grievance_of(w, sita, number="BR/W/2026/0000002")
    mine = await services.upload(storage, sita, filename="a.png", data=png_bytes(), now=NOW)
    theirs = await services.upload(storage, gita, filename="b.png", data=png_bytes(), now=NOW)
    already = await services.upload(storage, sita, filename="c.png", data=png_bytes(), now=NOW)
    await services.bind(sita, [already.id], grievance=other_g)

    with pytest.raises(DomainError) as caught:
        async with in_transaction():
            await services.bind(sita, [mine.id, theirs.id, 999_999, already.id, mine.id], grievance=g)
    assert caught.value.code is ErrorCode.VALIDATION
    assert [e.field for e in caught.value.field_errors] == [
        "attachmentIds[1]", "attachmentIds[2]", "attachmentIds[3]", "attachmentIds[4]"]
    assert await Attachment.filter(grievance_id=g.id).count() == 0
    # Same id, other kind of actor: staff user 1 is not citizen 1.
    error = await refused(ErrorCode.VALIDATION, services.bind(Actor(ActorKind.STAFF, sita.id), [mine.id], grievance=g))
    assert [e.field for e in error.field_errors] == ["attachmentIds[0]"]
    assert await services.bind(sita, [], grievance=g) == []


async def test_a_failing_use_case_rolls_the_binding_back(settings: Settings, storage: LocalDirectoryStorage) -> None:
    w = await lifecycle_world(settings)
    sita = await citizen("9876500001")
    g = await grievance_of(w, sita)
    mine = await services.upload(storage, sita, filename="a.png", data=png_bytes(), now=NOW)
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await services.bind(sita, [mine.id], grievance=g)
            raise RuntimeError("the filing failed after binding")
    assert (await Attachment.get(id=mine.id)).grievance_id is None  # type: ignore[attr-defined]


async def test_a_grievance_holds_at_most_five(settings: Settings, storage: LocalDirectoryStorage) -> None:
    w = await lifecycle_world(settings)
    sita = await citizen("9876500001")
    officer = await actor_for(w.users["officer_a"])
    g = await grievance_of(w, sita)
    uploads = [await services.upload(storage, sita, filename=f"{i}.png", data=png_bytes(), now=NOW) for i in range(6)]
    await services.bind(sita, [a.id for a in uploads[:3]], grievance=g)
    error = await refused(ErrorCode.VALIDATION, services.bind(sita, [a.id for a in uploads[3:]], grievance=g))
    assert [e.field for e in error.field_errors] == ["attachmentIds"]
    await services.bind(sita, [a.id for a in uploads[3:5]], grievance=g)
    assert await Attachment.filter(grievance_id=g.id).count() == MAX_PER_GRIEVANCE
    # The limit is per grievance, whoever adds: an officer's report attachment is a sixth.
    report_file = await services.upload(storage, officer, filename="atr.pdf", data=pdf_bytes(), now=NOW)
    await refused(ErrorCode.VALIDATION, services.bind(officer, [report_file.id], grievance=g))
    await refused(ErrorCode.VALIDATION, services.bind(sita, [uploads[5].id], grievance=g))


async def test_binding_to_a_report(settings: Settings, storage: LocalDirectoryStorage) -> None:
    w = await lifecycle_world(settings)
    sita = await citizen("9876500001")
    officer = await actor_for(w.users["officer_a"])
    g = await grievance_of(w, sita)
    report = await Report.create(grievance=g, kind=ReportKind.PRELIMINARY, author=w.users["officer_a"],
                                 unit=w.tree.block_a, created_at=NOW)
    atr = await services.upload(storage, officer, filename="atr.pdf", data=pdf_bytes(), now=NOW)
    async with in_transaction():
        await services.bind(officer, [atr.id], grievance=g, report=report)
    row = await Attachment.get(id=atr.id)
    assert (row.grievance_id, row.report_id) == (g.id, report.id)  # type: ignore[attr-defined]
    assert (await services.readable(sita, atr.id)).id == atr.id  # citizen-visible report evidence


# -- purge ----------------------------------------------------------------------


async def test_purge_removes_only_stale_unbound_uploads(settings: Settings, storage: LocalDirectoryStorage) -> None:
    w = await lifecycle_world(settings)
    sita = await citizen("9876500001")
    g = await grievance_of(w, sita)
    stale = await services.upload(storage, sita, filename="old.png", data=png_bytes(), now=NOW - timedelta(hours=25))
    kept = await services.upload(storage, sita, filename="bound.png", data=png_bytes(), now=NOW - timedelta(hours=25))
    fresh = await services.upload(storage, sita, filename="new.png", data=png_bytes(), now=NOW - timedelta(hours=1))
    await services.bind(sita, [kept.id], grievance=g)

    assert await services.purge_unbound(storage, services.UNBOUND_LIFETIME, NOW) == 1
    assert await services.purge_unbound(storage, services.UNBOUND_LIFETIME, NOW) == 0  # idempotent
    assert sorted(await Attachment.all().values_list("id", flat=True)) == sorted([kept.id, fresh.id])
    with pytest.raises(MissingObject):
        await storage.get(stale.storage_key)
    assert await storage.get(kept.storage_key) == await storage.get(fresh.storage_key) == png_bytes()


async def test_the_housekeeping_job_purges(settings: Settings) -> None:
    from workers.housekeeping import purge_unbound_attachments

    sita = await citizen("9876500001")
    old = await services.upload(storage_for(settings), sita, filename="old.png", data=png_bytes(),
                                now=NOW - timedelta(days=400))
    assert await purge_unbound_attachments({"settings": settings}) == 1
    assert not await Attachment.exists(id=old.id)


# -- storage --------------------------------------------------------------------


@pytest.mark.parametrize("key", [
    "", "..", "../../etc/passwd", "a/b" * 8, "..%2f..%2fetc%2fpasswd", "/etc/passwd" + "x" * 10, "x" * 129,
    "short", "abcdefghijklmnop\x00", "abcdefghijklmnop\n", "abcdefghijklmnop.", "C:\\windows\\system32",
])
async def test_storage_rejects_keys_that_could_leave_its_root(storage: LocalDirectoryStorage, key: str) -> None:
    with pytest.raises(ValueError):
        check_key(key)
    for call in (storage.put(key, b"x"), storage.get(key), storage.delete(key)):
        with pytest.raises(ValueError):
            await call
    assert files_in(storage.root.parent) == []


async def test_storage_round_trip_is_atomic_and_idempotent(storage: LocalDirectoryStorage, settings: Settings) -> None:
    key = new_key()
    assert check_key(key) == key and key != new_key()
    await storage.put(key, b"first")
    await storage.put(key, b"second")
    assert await storage.get(key) == b"second"
    assert files_in(storage.root) == [storage.path_for(key)]  # no temporary files left behind
    await storage.delete(key)
    await storage.delete(key)
    with pytest.raises(MissingObject):
        await storage.get(key)
    default = storage_for(settings)
    assert isinstance(default, LocalDirectoryStorage) and default.root == settings.var_dir / "attachments"
