"""One-statement batch writes (`backend.core.bulk`), on SQLite and on PostgreSQL: what the
sweeps write with them must be exactly what the ORM would have written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.audit.models import AuditEvent
from backend.audit.services import record, record_many, verify_chain
from backend.authz.actors import SYSTEM
from backend.core import bulk
from backend.notifications.models import OutboxChannel, OutboxMessage, OutboxStatus
from backend.notifications.outbox import enqueue_many
from tests.conftest import NOW

pytestmark = pytest.mark.usefixtures("db")


def _message(key: str, recipient: str = "+919800000001") -> dict[str, object]:
    return {"key": key, "channel": OutboxChannel.SMS, "recipient": recipient, "template": "escalated_to_you",
            "language": "hi", "payload": {"number": "BR/1", "nested": {"a": [1, 2]}, "text": "अपील"}}


async def test_insert_models_stores_every_field_with_its_default_and_returns_ids() -> None:
    rows = [OutboxMessage(idempotency_key=f"k{i}", channel=OutboxChannel.SMS, recipient=f"+9198000000{i:02d}",
                          template="escalated_to_you", payload={"i": i, "नाम": "x"}, next_attempt_at=NOW,
                          created_at=NOW) for i in range(3)]
    async with in_transaction():
        assert await bulk.insert_models(rows, key=("idempotency_key",)) == 3
    stored = {m.idempotency_key: m for m in await OutboxMessage.all()}
    assert sorted(stored) == ["k0", "k1", "k2"]
    for row in rows:
        got = stored[row.idempotency_key]
        assert row.id == got.id  # the id was given back to the instance
        assert (got.status, got.attempts, got.language, got.last_error, got.sent_at) == (OutboxStatus.PENDING, 0, "en",
                                                                                         "", None)
        assert got.payload == row.payload and got.next_attempt_at == NOW and got.created_at == NOW


async def test_enqueue_many_skips_keys_already_queued_and_counts_only_new_ones() -> None:
    async with in_transaction():
        assert await enqueue_many([_message("a"), _message("b")], NOW) == 2
    async with in_transaction():
        # "a" is queued already, "c" is new, "d" has no address: only "c" is added.
        assert await enqueue_many([_message("a", "+919811111111"), _message("c"), _message("d", "")], NOW) == 1
    rows = {m.idempotency_key: m for m in await OutboxMessage.all()}
    assert sorted(rows) == ["a", "b", "c"]
    assert rows["a"].recipient == "+919800000001"  # the first one queued is kept untouched
    assert rows["c"].payload == _message("c")["payload"]


async def test_a_duplicate_key_without_ignore_fails_and_writes_nothing() -> None:
    def row(key: str) -> OutboxMessage:
        return OutboxMessage(idempotency_key=key, channel=OutboxChannel.SMS, recipient="+919800000001",
                             template="escalated_to_you", next_attempt_at=NOW, created_at=NOW)

    async with in_transaction():
        await bulk.insert_models([row("x")])
    with pytest.raises(IntegrityError):
        async with in_transaction():
            await bulk.insert_models([row("y"), row("x")])
    assert sorted(await OutboxMessage.all().values_list("idempotency_key", flat=True)) == ["x"]


async def test_update_rows_sets_each_rows_own_values_and_only_those_rows() -> None:
    async with in_transaction():
        await enqueue_many([_message(k) for k in "abc"], NOW)
    ids = dict(await OutboxMessage.all().values_list("idempotency_key", "id"))
    later = NOW + timedelta(hours=1)
    async with in_transaction():
        conn = OutboxMessage._choose_db(for_write=True)
        changed = await bulk.update_rows(conn, "ntf_outbox", "id", ["attempts", "next_attempt_at", "last_error"],
                                         [[ids["a"], 3, later, "टाइमआउट"], [ids["c"], 5, NOW, ""]])
    assert changed == 2
    rows = {m.idempotency_key: m for m in await OutboxMessage.all()}
    assert (rows["a"].attempts, rows["a"].next_attempt_at, rows["a"].last_error) == (3, later, "टाइमआउट")
    assert (rows["b"].attempts, rows["b"].next_attempt_at) == (0, NOW)
    assert (rows["c"].attempts, rows["c"].next_attempt_at) == (5, NOW)


async def test_update_rows_refuses_rows_of_the_wrong_width_and_changes_nothing() -> None:
    async with in_transaction():
        await enqueue_many([_message("a")], NOW)
    (row_id,) = await OutboxMessage.all().values_list("id", flat=True)
    conn = OutboxMessage._choose_db(for_write=True)
    with pytest.raises(ValueError, match="2 values for 3 columns"):
        await bulk.update_rows(conn, "ntf_outbox", "id", ["attempts", "last_error"], [[row_id, 3]])
    with pytest.raises(ValueError, match="1 values for 2 columns"):
        await bulk.insert_rows(conn, "ntf_outbox", ["recipient", "template"], [["+919800000001"]])
    if conn.capabilities.dialect == "postgres":  # SQLite's own error names the column
        with pytest.raises(ValueError, match="no column"):
            await bulk.update_rows(conn, "ntf_outbox", "id", ["attempts_typo"], [[row_id, 3]])
    assert (await OutboxMessage.get(id=row_id)).attempts == 0


async def test_record_many_continues_each_chain_like_record_does() -> None:
    async with in_transaction():
        await record(object_type="grievance", object_id=1, action="file", actor=SYSTEM, now=NOW)
        await record(object_type="grievance", object_id=1, action="allot", actor=SYSTEM, now=NOW)
    async with in_transaction():
        made = await record_many([
            {"object_type": "grievance", "object_id": 1, "action": "escalate", "actor": SYSTEM, "now": NOW,
             "data": {"level": 1, "note": "स्तर"}},
            {"object_type": "grievance", "object_id": 2, "action": "file", "actor": SYSTEM, "now": NOW},
            {"object_type": "grievance", "object_id": 1, "action": "escalate", "actor": SYSTEM, "now": NOW},
            {"object_type": "unit", "object_id": 1, "action": "create", "actor": SYSTEM, "now": NOW},
        ])
    assert [(m.object_type, m.object_id, m.seq) for m in made] == [
        ("grievance", "1", 3), ("grievance", "2", 1), ("grievance", "1", 4), ("unit", "1", 1)]
    stored = {e.id: e for e in await AuditEvent.all()}
    for m in made:
        assert stored[m.id].hash == m.hash and stored[m.id].seq == m.seq  # ids given back match the rows
    assert stored[made[0].id].data == {"level": 1, "note": "स्तर"}
    assert all([await verify_chain("grievance", 1), await verify_chain("grievance", 2), await verify_chain("unit", 1)])


async def test_insert_values_applies_defaults_and_refuses_what_the_model_would() -> None:
    async with in_transaction():
        assert await bulk.insert_values(OutboxMessage, [
            {"idempotency_key": "v1", "channel": OutboxChannel.EMAIL, "recipient": "a@example.org",
             "template": "escalated_to_you", "next_attempt_at": NOW, "created_at": NOW}]) == 1
    got = await OutboxMessage.get(idempotency_key="v1")
    assert (got.channel, got.language, got.payload, got.status, got.attempts, got.sent_at, got.last_error) == (
        OutboxChannel.EMAIL, "en", {}, OutboxStatus.PENDING, 0, None, "")
    with pytest.raises(ValueError, match=r"ntf_outbox\.recipient needs a value"):
        await bulk.insert_values(OutboxMessage, [{"idempotency_key": "v2", "channel": OutboxChannel.SMS,
                                                  "template": "t", "next_attempt_at": NOW, "created_at": NOW}])
    with pytest.raises(ValueError, match="has no field colour"):
        await bulk.insert_values(OutboxMessage, [{"idempotency_key": "v3", "colour": "red"}])
    assert await OutboxMessage.all().count() == 1
