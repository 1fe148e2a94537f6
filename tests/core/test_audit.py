"""The audit hash chain: every kind of after-the-fact tampering is detected.

On PostgreSQL the append-only triggers refuse UPDATE and DELETE, so the tests first show that,
then tamper as an attacker with owner rights would (disabling the trigger inside the test's
transaction) and show the chain still catches it. On SQLite raw SQL tampers directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from core.audit import GENESIS_HASH, audit_record, audit_seal_pending, audit_verify, entry_hash
from core.models import AuditEntry, ImmutableRowError
from tests.core.chain_tampering import (
    DISABLE,
    ENABLE,
    command_fails,
    make_chain,
    on_postgres,
    shift_up_from,
    tamper,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_an_untouched_chain_verifies(capsys):
    entries = make_chain(5)

    report = audit_verify()

    assert report.ok and report.checked == 5
    assert report.head_hash == entries[-1].hash
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    call_command("audit_verify")
    assert capsys.readouterr().out.startswith(f"Audit chain OK: 5 entries, head {entries[-1].hash}")


@pytest.mark.django_db
def test_an_empty_chain_verifies():
    report = audit_verify()

    assert report.ok and report.checked == 0 and report.head_hash == GENESIS_HASH


@pytest.mark.django_db
def test_entries_record_the_actor_and_the_object(provider_admin, provider):
    entry = audit_record(
        actor=provider_admin, action="organisation.updated", obj=provider,
        organisation_id=provider.pk,
    )

    assert (entry.actor_id, entry.actor_label) == (provider_admin.pk, provider_admin.email)
    assert (entry.object_type, entry.object_id) == ("organisations.organisation", str(provider.pk))
    assert entry_hash(entry) == entry.hash


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [("summary", "Nothing to see here"), ("actor_label", "someone-else@example.org"),
     ("changes", '{"n": 99}'), ("created_at", "2001-01-01 00:00:00+00:00")],
)
def test_editing_a_field_is_detected(column, value):
    make_chain(5)

    tamper(f"UPDATE core_auditentry SET {column} = %s WHERE sequence = 3", [value])  # noqa: S608

    report = audit_verify()
    assert not report.ok and report.checked == 2
    assert report.problem == "entry 3: hash mismatch: the entry was edited after it was written."
    assert "entry 3: hash mismatch" in command_fails()


@pytest.mark.django_db
def test_rehashing_an_edited_row_breaks_the_next_link():
    entries = make_chain(5)
    forged = AuditEntry.objects.get(sequence=3)
    forged.summary = "Rewritten"
    new_hash = entry_hash(forged)

    tamper(
        "UPDATE core_auditentry SET summary = %s, hash = %s WHERE sequence = 3",
        ["Rewritten", new_hash],
    )

    report = audit_verify()
    assert report.problem.startswith("entry 4: does not follow entry 3")
    assert report.head_hash == new_hash != entries[2].hash
    command_fails()


@pytest.mark.django_db
def test_deleting_a_middle_row_is_detected():
    make_chain(5)

    tamper("DELETE FROM core_auditentry WHERE sequence = 3")

    report = audit_verify()
    assert report.problem == "entry 3 is missing: a row was removed."
    assert "entry 3 is missing" in command_fails()


@pytest.mark.django_db
def test_without_any_checkpoint_a_cut_off_tail_looks_like_a_shorter_chain():
    # The chain alone cannot tell: this is what the signed checkpoints are for
    # (tests/core/test_audit_checkpoints.py). The report says nothing vouches for it.
    entries = make_chain(5)

    tamper("DELETE FROM core_auditentry WHERE sequence >= 4")

    report = audit_verify()
    assert report.ok and report.head_hash == entries[2].hash != entries[-1].hash
    assert report.notes == (
        "No checkpoint yet: nothing outside the database vouches for the chain.",
    )


@pytest.mark.django_db
def test_inserting_a_forged_row_with_a_made_up_hash_is_detected():
    make_chain(5)
    shift_up_from(3)

    AuditEntry.objects.create(
        sequence=3, action="test.forged", prev_hash=AuditEntry.objects.get(sequence=2).hash,
        hash="f" * 64,
    )

    report = audit_verify()
    assert report.problem == "entry 3: hash mismatch: the entry was edited after it was written."
    command_fails()


@pytest.mark.django_db
def test_inserting_a_correctly_hashed_forgery_is_detected_at_the_next_row():
    # The attacker knows the algorithm and hashes the forged row properly; the row after it
    # still names the old predecessor and its own sequence number changed.
    make_chain(5)
    shift_up_from(3)
    forged = AuditEntry(sequence=3, action="test.forged", summary="Approved",
                        prev_hash=AuditEntry.objects.get(sequence=2).hash)
    forged.hash = entry_hash(forged)
    forged.save()

    report = audit_verify()
    assert report.checked == 3
    assert report.problem.startswith("entry 4: does not follow entry 3")
    command_fails()


@pytest.mark.django_db
def test_a_row_with_an_out_of_range_sequence_is_detected():
    make_chain(3)

    AuditEntry.objects.create(sequence=9, action="test.forged", prev_hash="0" * 64, hash="e" * 64)

    assert audit_verify().problem == "entries 4 to 8 are missing: rows were removed."
    command_fails()


@pytest.mark.django_db
def test_swapping_the_order_of_two_rows_is_detected():
    make_chain(5)

    tamper("UPDATE core_auditentry SET sequence = 0 WHERE sequence = 2")
    tamper("UPDATE core_auditentry SET sequence = 2 WHERE sequence = 3")
    tamper("UPDATE core_auditentry SET sequence = 3 WHERE sequence = 0")

    report = audit_verify()
    assert report.checked == 1
    assert report.problem.startswith("entry 2: does not follow entry 1")
    command_fails()


@pytest.mark.django_db
def test_verification_reads_in_batches():
    make_chain(7)

    assert audit_verify(batch_size=2).checked == 7
    call_command("audit_verify", "--batch-size", "3")


@pytest.mark.django_db
def test_append_only_rows_refuse_save_and_delete():
    entry = make_chain(1)[0]

    entry.summary = "changed"
    with pytest.raises(ImmutableRowError, match="AuditEntry rows cannot be changed"):
        entry.save()
    with pytest.raises(ImmutableRowError, match="AuditEntry rows cannot be removed"):
        entry.delete()
    assert AuditEntry.objects.get().summary == "Step 1"


@pytest.mark.django_db
@on_postgres
@pytest.mark.parametrize(
    "attempt",
    [
        lambda: AuditEntry.objects.filter(sequence=2).update(summary="x"),
        lambda: AuditEntry.objects.filter(sequence=2).delete(),
        lambda: connection.cursor().execute("UPDATE core_auditentry SET summary = 'x'"),
        lambda: connection.cursor().execute("DELETE FROM core_auditentry WHERE sequence = 2"),
    ],
    ids=["orm-update", "orm-delete", "raw-update", "raw-delete"],
)
def test_postgres_triggers_refuse_update_and_delete(attempt):
    make_chain(3)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        attempt()

    assert audit_verify().ok and AuditEntry.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite has no append-only trigger")
def test_on_sqlite_only_the_chain_protects_history():
    make_chain(3)

    AuditEntry.objects.filter(sequence=2).update(summary="quietly changed")

    assert not audit_verify().ok


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_build_one_valid_chain():
    writers, per_writer = 8, 15
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(worker: int) -> None:
        try:
            start.wait()
            for n in range(per_writer):
                audit_record(actor=None, action="test.concurrent", summary=f"{worker}-{n}")
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    # A writer that found the chain's lock taken left its entry for the next sealer; what the
    # last of them left is sealed by the beat task (or by audit_verify itself).
    audit_seal_pending()
    sequences = list(AuditEntry.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, writers * per_writer + 1))
    report = audit_verify()
    assert report.ok and report.checked == writers * per_writer


def _in_thread(work, *args):
    """Run `work(*args)` in a thread with its own connection; return (thread, outcome)."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work(*args)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_writer_does_not_wait_for_another_writers_open_transaction():
    first_written, release = threading.Event(), threading.Event()

    def slow_request() -> int:
        with transaction.atomic():
            entry = audit_record(actor=None, action="test.slow", summary="holds its transaction")
            first_written.set()
            assert release.wait(30)
        return entry.sequence

    slow, slow_outcome = _in_thread(slow_request)
    assert first_written.wait(30)
    fast, fast_outcome = _in_thread(
        lambda: audit_record(actor=None, action="test.fast", summary="did not wait"))
    fast.join(10)
    finished_while_other_open = not fast.is_alive()
    release.set()
    slow.join(30)
    fast.join(30)

    assert finished_while_other_open, "the second writer waited for the first one's commit"
    assert "error" not in slow_outcome and "error" not in fast_outcome
    # The first writer held the chain and sealed inline; the second was sealed after the first
    # committed (by the first writer's after-commit sealer, or here by the beat task's).
    audit_seal_pending()
    chain = list(AuditEntry.objects.values_list("action", "sequence"))
    assert chain == [("test.slow", 1), ("test.fast", 2)]
    assert slow_outcome["value"] == 1
    assert audit_verify().ok


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_sealer_that_rolls_back_leaves_no_gap_and_loses_no_committed_entry():
    make_chain(2)
    first_written, release = threading.Event(), threading.Event()

    def rolled_back_request() -> None:
        with transaction.atomic():
            audit_record(actor=None, action="test.undone", summary="rolled back")
            first_written.set()
            assert release.wait(30)
            # By now it has also sealed the other writer's committed entry, inline.
            audit_record(actor=None, action="test.undone", summary="rolled back too")
            raise RuntimeError("the request failed")

    undone, undone_outcome = _in_thread(rolled_back_request)
    assert first_written.wait(30)
    kept, kept_outcome = _in_thread(
        lambda: audit_record(actor=None, action="test.kept", summary="committed meanwhile"))
    kept.join(30)
    release.set()
    undone.join(30)

    assert isinstance(undone_outcome.get("error"), RuntimeError)
    assert "error" not in kept_outcome
    audit_seal_pending()
    assert list(AuditEntry.objects.values_list("action", "sequence")) == [
        ("test.step", 1), ("test.step", 2), ("test.kept", 3)]
    assert audit_verify().ok


@on_postgres
@pytest.mark.django_db
def test_the_trigger_lets_an_entry_be_sealed_once_and_nothing_else_change():
    make_chain(1)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditentry (created_at, actor_label, action, object_type, "
            "object_id, summary, changes) VALUES (now(), 'system', 'test.waiting', '', '', "
            "'waits', '{}') RETURNING id")
        waiting_id = cursor.fetchone()[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET summary = 'changed while waiting' "
                       "WHERE id = %s", [waiting_id])

    assert audit_seal_pending() == 1

    for sql in ("UPDATE core_auditentry SET sequence = NULL, hash = NULL, prev_hash = NULL "
                "WHERE id = %s", "UPDATE core_auditentry SET hash = 'f' WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, [waiting_id])
    sealed = AuditEntry.objects.get(pk=waiting_id)
    assert (sealed.sequence, sealed.summary) == (2, "waits")
    assert audit_verify().ok


@pytest.mark.django_db
def test_verify_seals_waiting_entries_and_then_catches_their_tampering():
    make_chain(2)
    AuditEntry.objects.bulk_create([AuditEntry(action="test.waiting", summary="unsealed")])

    report = audit_verify()
    assert report.ok and report.checked == 3
    assert AuditEntry.objects.get(action="test.waiting").sequence == 3

    tamper("UPDATE core_auditentry SET summary = 'forged' WHERE sequence = 3")
    assert audit_verify().problem == "entry 3: hash mismatch: the entry was edited after it " \
        "was written."


@pytest.mark.django_db
def test_a_sealed_entry_made_to_look_unsealed_is_caught_as_removed():
    make_chain(4)
    tamper("UPDATE core_auditentry SET sequence = NULL, prev_hash = NULL, hash = NULL "
           "WHERE sequence = 2")

    report = audit_verify()

    assert not report.ok
    assert report.problem == "entry 2 is missing: a row was removed."


@pytest.mark.django_db
def test_read_only_verification_does_not_seal_and_names_what_waits():
    make_chain(2)
    AuditEntry.objects.bulk_create([AuditEntry(action="test.waiting", summary="unsealed")])

    report = audit_verify(seal=False)

    assert report.ok and report.checked == 2
    assert any("1 entries are not sealed into the chain yet" in note for note in report.notes)
    assert AuditEntry.objects.get(action="test.waiting").sequence is None


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_manage_py_audit_verify_exit_codes_in_a_separate_process():
    make_chain(4)
    assert _run_manage_py().returncode == 0

    with connection.cursor() as cursor:
        cursor.execute(DISABLE)
        try:
            cursor.execute("UPDATE core_auditentry SET summary = 'forged' WHERE sequence = 2")
        finally:
            cursor.execute(ENABLE)

    broken = _run_manage_py()
    assert broken.returncode == 1
    assert "entry 2: hash mismatch" in broken.stderr


def _run_manage_py() -> subprocess.CompletedProcess:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "AUDIT_CHECKPOINT_PATH": str(settings.AUDIT_CHECKPOINT_PATH)}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return subprocess.run(
        [sys.executable, "manage.py", "audit_verify"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def test_many_entries_appended_at_once_chain_like_single_ones(django_user_model):
    from core.audit import audit_record_many

    make_chain(2)
    person = django_user_model.objects.create_user(email="reader@example.org", password=None)
    entries = audit_record_many(actor=person, records=[
        {"action": "test.read", "summary": f"Read {n}", "changes": {"n": n}} for n in range(3)])
    make_chain(1)
    stored = list(AuditEntry.objects.filter(action="test.read"))
    assert [e.sequence for e in stored] == [3, 4, 5] == [e.sequence for e in entries]
    assert {e.actor_id for e in stored} == {person.pk}
    assert stored[0].prev_hash == AuditEntry.objects.get(sequence=2).hash
    assert audit_verify().ok
    assert audit_record_many(actor=person, records=[]) == []
