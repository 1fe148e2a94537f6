"""Signed checkpoints anchor the audit chain outside the database.

Whoever holds the database can cut off the newest entries or rewrite entries and recompute
every later hash. With checkpoints signed by a key the database never sees, kept in a file of
their own, `audit_verify` names each of these, and each way the file itself could be tampered
with; the beat task and `audit_verify` refuse to sign a chain that no longer extends the last
checkpoint, so the tampering cannot be laundered by a later checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse

from config.celery import app as celery_app
from core import checkpoints, tasks
from core.audit import audit_checkpoint_write, audit_record, audit_verify
from core.checkpoints import CheckpointError
from core.models import AuditCheckpoint, AuditEntry, ImmutableRowError
from tests import factories
from tests.core.chain_tampering import (
    command_fails,
    forge_entry,
    make_chain,
    on_postgres,
    rehash_from,
    shift_up_from,
    tamper,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
ATTACKER_KEY = "attacker:a-secret-the-portal-never-heard-of-0000000000"


def checkpoint_file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_PATH)


def lines() -> list[bytes]:
    return checkpoint_file().read_bytes().splitlines()


def write_lines(new_lines: list[bytes]) -> None:
    checkpoint_file().write_bytes(b"".join(line + b"\n" for line in new_lines))


def chain_with_two_checkpoints() -> None:
    """Six entries; checkpoint #1 signs entry 3, checkpoint #2 signs entry 6."""
    make_chain(3)
    assert audit_checkpoint_write().sequence == 3
    for n in range(4, 7):
        audit_record(actor=None, action="test.step", summary=f"Step {n}", changes={"n": n})
    assert audit_checkpoint_write().sequence == 6


def fields_of(line: bytes) -> dict:
    return json.loads(line)


# -- the untouched chain ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_untouched_chain_passes_against_its_checkpoints(capsys):
    chain_with_two_checkpoints()

    report = audit_verify()

    assert report.ok and report.checked == 6 and report.checkpoints == 2
    assert report.last_checkpoint.number == 2 and report.notes == ()
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "Audit chain OK: 6 entries" in out
    assert "Matches 2 signed checkpoints; the last, checkpoint #2 of " in out
    assert f"Checkpoint #3 written to {checkpoint_file()}: entry 6" in out
    assert audit_verify().ok and audit_verify().checkpoints == 3


@pytest.mark.django_db
def test_every_run_of_audit_verify_signs_the_head_and_the_database_keeps_a_copy():
    make_chain(2)

    call_command("audit_verify")
    call_command("audit_verify")  # the head has not moved: signed again, as a dated statement

    first, second = (checkpoints.parse(line, checkpoints.configured_keys()) for line in lines())
    assert (first.number, first.sequence, second.number, second.sequence) == (1, 2, 2, 2)
    assert first.head == second.head == AuditEntry.objects.get(sequence=2).hash
    assert second.prev == hashlib.sha256(lines()[0]).hexdigest()
    copies = list(AuditCheckpoint.objects.values_list("number", "sequence", "line_digest"))
    assert copies == [(1, 2, first.digest), (2, 2, second.digest)]


@pytest.mark.django_db
def test_a_checkpoint_line_can_be_checked_with_nothing_but_the_key():
    # The format is documented for operators (docs/operations/audit-checkpoints.md): an HMAC-
    # SHA256 over the compact, sorted JSON of every field but "sig". No secret is in the line.
    make_chain(1)
    audit_checkpoint_write()

    fields = fields_of(lines()[0])
    signed = json.dumps({k: v for k, v in fields.items() if k != "sig"}, sort_keys=True,
                        separators=(",", ":")).encode()
    secret = settings.AUDIT_CHECKPOINT_KEYS[0].split(":", 1)[1]
    assert fields["kid"] == "test-2" and secret not in lines()[0].decode()
    assert fields["sig"] == hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert fields["at"].endswith("Z") and fields["sequence"] == 1


@pytest.mark.django_db
def test_beat_signs_the_head_only_when_it_moved(caplog):
    make_chain(2)

    with caplog.at_level(logging.INFO, logger="portal.audit.checkpoints"):
        assert tasks.audit_checkpoint() == 1
        assert tasks.audit_checkpoint() is None
        audit_record(actor=None, action="test.step")
        assert tasks.audit_checkpoint() == 2

    assert len(lines()) == 2
    # Each line also goes to the log stream, a second copy outside the database.
    logged = [r.getMessage().encode() for r in caplog.records
              if r.name == "portal.audit.checkpoints"]
    assert logged == lines()


def test_beat_runs_the_checkpoint_every_five_minutes_with_an_expiry():
    entry = celery_app.conf.beat_schedule["core-audit-checkpoint"]

    assert entry["task"] == "core.audit_checkpoint" == tasks.audit_checkpoint.name
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert 0 < entry["options"]["expires"] < 5 * 60


@pytest.mark.django_db
def test_a_checkpoint_of_the_empty_chain_then_a_growing_chain_verifies():
    audit_checkpoint_write()
    make_chain(3)
    audit_checkpoint_write()

    report = audit_verify()
    assert report.ok and report.checkpoints == 2
    assert fields_of(lines()[0])["sequence"] == 0


@pytest.mark.django_db
def test_entries_after_the_last_checkpoint_are_named_in_the_report():
    make_chain(2)
    audit_checkpoint_write()
    make_chain(3)

    report = audit_verify()

    assert report.ok
    assert report.notes == (
        f"Entries 3 to 5 were written after the last checkpoint ({report.last_checkpoint.label}).",
    )


@pytest.mark.django_db
def test_verification_streams_the_chain_and_the_checkpoints_in_small_batches():
    make_chain(4)
    for _ in range(3):
        audit_checkpoint_write(force=True)
        make_chain(2)

    assert audit_verify(batch_size=1).ok
    call_command("audit_verify", "--batch-size", "2")


# -- the chain tampered with directly in the database, triggers off -------------------------


def _edit_entry_5() -> None:
    tamper("UPDATE core_auditentry SET summary = 'Nothing to see' WHERE sequence = 5")


def _remove_entry_2() -> None:
    tamper("DELETE FROM core_auditentry WHERE sequence = 2")


def _insert_after_entry_4() -> None:
    shift_up_from(5)
    forge_entry(5)


def _swap_entries_4_and_5() -> None:
    tamper("UPDATE core_auditentry SET sequence = 0 WHERE sequence = 4")
    tamper("UPDATE core_auditentry SET sequence = 4 WHERE sequence = 5")
    tamper("UPDATE core_auditentry SET sequence = 5 WHERE sequence = 0")


def _cut_off_after_entry_4() -> None:
    tamper("DELETE FROM core_auditentry WHERE sequence >= 5")


def _cut_off_and_regrow() -> None:
    _cut_off_after_entry_4()
    forge_entry(5)
    forge_entry(6)


def _rewrite_entry_5_and_rehash() -> None:
    _edit_entry_5()
    rehash_from(5)


def _rewrite_entry_2_and_rehash() -> None:
    tamper("UPDATE core_auditentry SET actor_label = 'someone@else.org' WHERE sequence = 2")
    rehash_from(2)


def _rewrite_everything_and_extend() -> None:
    _rewrite_entry_2_and_rehash()
    forge_entry(7)


def _label(number: int) -> str:
    copy = AuditCheckpoint.objects.get(number=number)
    return checkpoints.parse(lines()[copy.number - 1], checkpoints.configured_keys()).label


# how: (tamper, the problem audit_verify names, whether the head moved so that signing it is
# refused). Checkpoint #1 signed entry 3, checkpoint #2 entry 6.
TAMPERING = {
    "edited": (_edit_entry_5, lambda: "entry 5: hash mismatch: the entry was edited after it "
               "was written.", False),
    "removed": (_remove_entry_2, lambda: "entry 2 is missing: a row was removed.", False),
    "inserted": (_insert_after_entry_4, lambda: "entry 6: does not follow entry 5 (its "
                 "prev_hash differs): an entry before it was edited, removed, inserted or "
                 "reordered.", True),
    "reordered": (_swap_entries_4_and_5, lambda: "entry 4: does not follow entry 3 (its "
                  "prev_hash differs): an entry before it was edited, removed, inserted or "
                  "reordered.", False),
    "cut-off-after-a-checkpoint": (
        _cut_off_after_entry_4,
        lambda: f"chain ends at entry 4, but {_label(2)} signed head entry 6: entries 5 to 6 "
        "were cut off.", True),
    "cut-off-and-regrown": (
        _cut_off_and_regrow,
        lambda: f"entry 6: hash differs from the one {_label(2)} signed: entries up to 6 were "
        f"rewritten after entry 3, which {_label(1)} still vouches for (changed, inserted or "
        "removed, with the hashes recomputed).", True),
    "rewritten-up-to-a-checkpoint": (
        _rewrite_entry_5_and_rehash,
        lambda: f"entry 6: hash differs from the one {_label(2)} signed: entries up to 6 were "
        f"rewritten after entry 3, which {_label(1)} still vouches for (changed, inserted or "
        "removed, with the hashes recomputed).", True),
    "rewritten-from-the-start": (
        _rewrite_entry_2_and_rehash,
        lambda: f"entry 3: hash differs from the one {_label(1)} signed: entries up to 3 were "
        "rewritten from the start of the chain (changed, inserted or removed, with the hashes "
        "recomputed).", True),
    "rewritten-and-extended": (
        _rewrite_everything_and_extend,
        lambda: f"entry 3: hash differs from the one {_label(1)} signed: entries up to 3 were "
        "rewritten from the start of the chain (changed, inserted or removed, with the hashes "
        "recomputed).", True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_in_the_database_is_named_and_never_signed_over(how):
    chain_with_two_checkpoints()
    change, expected, refused = TAMPERING[how]

    change()
    wanted = expected()

    report = audit_verify()
    assert not report.ok
    assert report.problems == (wanted,)
    if refused:
        # The beat task refuses to sign a head that does not extend the last checkpoint.
        with pytest.raises(CheckpointError, match="entr"):
            tasks.audit_checkpoint()
        assert len(lines()) == 2
    else:
        # The head itself is untouched; signing it again launders nothing.
        audit_checkpoint_write(force=True)
    assert audit_verify().problems == (wanted,)
    message = command_fails()
    assert wanted in message and message.endswith("No checkpoint was written.")


@pytest.mark.django_db
def test_the_beat_task_reports_a_refusal_as_critical(caplog):
    chain_with_two_checkpoints()
    _cut_off_after_entry_4()

    with pytest.raises(CheckpointError), caplog.at_level(logging.CRITICAL, logger="core.tasks"):
        tasks.audit_checkpoint()

    assert len(lines()) == 2 and AuditCheckpoint.objects.count() == 2
    assert "Audit checkpoint refused: chain ends at entry 4" in caplog.text


# -- the checkpoint file tampered with ------------------------------------------------------


@pytest.fixture
def three_checkpoints(db) -> list[bytes]:
    for _ in range(3):
        make_chain(2)
        audit_checkpoint_write()
    return lines()


@pytest.mark.django_db
def test_an_edited_checkpoint_line_fails_its_signature(three_checkpoints):
    fields = fields_of(three_checkpoints[1])
    fields["sequence"] = 2  # pretend the chain was shorter then
    write_lines([three_checkpoints[0], json.dumps(fields).encode(), three_checkpoints[2]])

    report = audit_verify()

    assert report.problems[0] == (
        "checkpoint file line 2: checkpoint #2: signature invalid (the line was edited or forged)."
    )
    assert "signature invalid" in command_fails()


@pytest.mark.django_db
def test_a_removed_checkpoint_line_breaks_the_chain_of_lines(three_checkpoints):
    write_lines([three_checkpoints[0], three_checkpoints[2]])

    assert audit_verify().problems == (
        "checkpoint file line 2: checkpoint #3 follows #1: checkpoint #2 is missing from the "
        "file (lines were removed).",
    )
    command_fails()


@pytest.mark.django_db
def test_reordered_or_repeated_checkpoint_lines_are_named(three_checkpoints):
    write_lines([three_checkpoints[0], three_checkpoints[2], three_checkpoints[1]])

    problems = audit_verify().problems

    assert problems[1] == ("checkpoint file line 3: checkpoint #2 appears after #3: lines were "
                           "inserted, repeated or reordered.")


@pytest.mark.django_db
def test_a_checkpoint_file_cut_off_at_the_end_is_caught_by_the_database_copy(three_checkpoints):
    write_lines(three_checkpoints[:1])

    problem = audit_verify().problem

    assert problem.startswith("checkpoint file ends at checkpoint #1, but the database recorded "
                              "checkpoint #3 of ")
    assert problem.endswith(": the file was cut off or replaced.")
    with pytest.raises(CheckpointError, match="file was cut off"):
        audit_checkpoint_write()
    assert len(lines()) == 1


@pytest.mark.django_db
def test_a_missing_checkpoint_file_is_named_and_not_silently_started_again(three_checkpoints):
    checkpoint_file().unlink()

    problem = audit_verify().problem

    assert problem.startswith(f"checkpoint file {checkpoint_file()} is missing, but the database "
                              "recorded checkpoint #3 of ")
    with pytest.raises(CheckpointError, match="is missing"):
        tasks.audit_checkpoint()
    assert not checkpoint_file().exists()
    assert "is missing" in command_fails()


@pytest.mark.django_db
def test_a_replaced_checkpoint_file_signed_with_the_real_key_differs_from_the_copy(
    three_checkpoints,
):
    # Somebody who somehow had the key wrote a file of their own: the database's copy of each
    # line's digest still tells the two apart.
    keys = checkpoints.configured_keys()
    replaced, prev = [], checkpoints.GENESIS_DIGEST
    for line in three_checkpoints:
        original = checkpoints.parse(line, keys)
        at = AuditCheckpoint.objects.get(number=original.number).created_at
        forged = checkpoints.sign(keys=keys, number=original.number, at=at + timedelta(seconds=1),
                                  sequence=original.sequence, head=original.head, prev=prev)
        replaced.append(forged.line)
        prev = forged.digest
    write_lines(replaced)

    assert audit_verify().problems == tuple(
        f"checkpoint file line {n}: checkpoint #{n} is not the one the database recorded: the "
        "file was replaced." for n in (1, 2, 3)
    )


@pytest.mark.django_db
def test_a_line_signed_with_an_unknown_key_is_named(three_checkpoints):
    keys = checkpoints.parse_keys([ATTACKER_KEY])
    forged = checkpoints.sign(keys=keys, number=4, at=AuditCheckpoint.objects.get(number=3)
                              .created_at, sequence=6, head="a" * 64,
                              prev=hashlib.sha256(three_checkpoints[2]).hexdigest())
    write_lines([*three_checkpoints, forged.line])

    assert audit_verify().problems == (
        "checkpoint file line 4: checkpoint #4 is signed with key 'attacker', which is not in "
        "AUDIT_CHECKPOINT_KEYS.",
    )
    with pytest.raises(CheckpointError, match="The last line of .* is not a valid checkpoint"):
        audit_checkpoint_write()


@pytest.mark.django_db
def test_a_line_forged_under_a_real_key_id_fails_its_signature(three_checkpoints):
    wrong = checkpoints.parse_keys(["test-2:" + "not-the-real-secret-" * 3])
    forged = checkpoints.sign(keys=wrong, number=4, at=AuditCheckpoint.objects.get(number=3)
                              .created_at, sequence=6, head="a" * 64,
                              prev=hashlib.sha256(three_checkpoints[2]).hexdigest())
    write_lines([*three_checkpoints, forged.line])

    assert audit_verify().problems == (
        "checkpoint file line 4: checkpoint #4: signature invalid (the line was edited or "
        "forged).",
    )


@pytest.mark.django_db
def test_a_garbled_line_is_named(three_checkpoints):
    write_lines([three_checkpoints[0], b"{not json", *three_checkpoints[1:]])

    problems = audit_verify().problems

    assert problems[0] == "checkpoint file line 2: not a checkpoint (unreadable)."


@pytest.mark.django_db
def test_a_flood_of_bad_lines_is_summed_up_after_the_first_twenty(three_checkpoints):
    write_lines([*three_checkpoints, *[b"garbage"] * 25])

    problems = audit_verify().problems

    assert len(problems) == 20 and problems[-1] == "... and 6 more problems."
    assert problems[0] == "checkpoint file line 4: not a checkpoint (unreadable)."


@pytest.mark.django_db
def test_a_checkpoint_path_that_cannot_be_read_is_named(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_PATH = tmp_path  # a directory
    make_chain(1)

    assert audit_verify().problems == (f"checkpoint file {tmp_path} cannot be read: Is a "
                                       "directory.",)
    with pytest.raises(CheckpointError, match=f"Cannot open {tmp_path} for appending"):
        audit_checkpoint_write()


@pytest.mark.django_db
def test_audit_verify_can_check_against_a_copy_of_the_file_without_writing_to_it(
    three_checkpoints, tmp_path,
):
    copy = tmp_path / "from-the-log-store.jsonl"
    copy.write_bytes(checkpoint_file().read_bytes())
    _cut_off_after_entry_4()

    with pytest.raises(Exception, match="chain ends at entry 4"):
        call_command("audit_verify", "--checkpoint-file", str(copy))
    assert audit_verify(checkpoint_path=copy).problem.startswith("chain ends at entry 4")
    assert len(copy.read_bytes().splitlines()) == 3


# -- keys -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rotated_keys_old_lines_still_verify_and_new_lines_use_the_first_key(settings):
    old, new = settings.AUDIT_CHECKPOINT_KEYS[1], settings.AUDIT_CHECKPOINT_KEYS[0]
    settings.AUDIT_CHECKPOINT_KEYS = [old]
    make_chain(2)
    audit_checkpoint_write()

    settings.AUDIT_CHECKPOINT_KEYS = [new, old]
    make_chain(1)
    audit_checkpoint_write()

    assert [fields_of(line)["kid"] for line in lines()] == ["test-1", "test-2"]
    assert audit_verify().ok

    settings.AUDIT_CHECKPOINT_KEYS = [new]  # the old key dropped too early
    assert audit_verify().problems == (
        "checkpoint file line 1: checkpoint #1 is signed with key 'test-1', which is not in "
        "AUDIT_CHECKPOINT_KEYS.",
    )


@pytest.mark.django_db
def test_without_keys_nothing_is_signed_and_the_report_says_so(settings):
    settings.AUDIT_CHECKPOINT_KEYS = []
    make_chain(1)

    report = audit_verify()
    call_command("audit_verify")

    assert report.ok and report.notes == (
        "AUDIT_CHECKPOINT_KEYS is not set: checkpoints are neither written nor checked.",
    )
    assert not checkpoint_file().exists()


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (["no-separator"], "entries are key-id:secret"),
        (["bad id:" + "s" * 40], "entries are key-id:secret"),
        (["k1:short"], "shorter than 32 characters"),
        (["k1:" + "s" * 40, "k1:" + "t" * 40], "names key 'k1' twice"),
    ],
)
def test_malformed_keys_are_refused(settings, entries, message):
    settings.AUDIT_CHECKPOINT_KEYS = entries

    errors = checks.run_checks(tags=[checks.Tags.security])

    assert [e.id for e in errors if e.id == "core.E001"] == ["core.E001"]
    assert message in next(e.msg for e in errors if e.id == "core.E001")


def _deploy_ids() -> list[str]:
    return sorted(m.id for m in checks.run_checks(include_deployment_checks=True)
                  if m.id.startswith("core."))


def test_deploy_checks_want_a_real_key_and_a_path_outside_the_application(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEYS = ["2026a:" + "r" * 43]
    settings.AUDIT_CHECKPOINT_PATH = tmp_path / "checkpoints.jsonl"
    assert _deploy_ids() == []

    settings.AUDIT_CHECKPOINT_KEYS = []
    assert _deploy_ids() == ["core.E002"]
    settings.AUDIT_CHECKPOINT_KEYS = ["dev-1:dev-only-checkpoint-key-" + "x" * 20]
    assert _deploy_ids() == ["core.E003"]

    settings.AUDIT_CHECKPOINT_KEYS = ["2026a:" + "r" * 43]
    settings.AUDIT_CHECKPOINT_PATH = PROJECT_DIR / "var" / "audit" / "checkpoints.jsonl"
    assert _deploy_ids() == ["core.W001"]
    settings.AUDIT_CHECKPOINT_PATH = tmp_path / "no-such-folder" / "checkpoints.jsonl"
    assert _deploy_ids() == ["core.W002"]


# -- the database's copy, and a separate process --------------------------------------------


@pytest.mark.django_db
def test_checkpoint_copies_refuse_save_and_delete():
    make_chain(1)
    copy = AuditCheckpoint.objects.get(number=audit_checkpoint_write().number)

    copy.sequence = 99
    with pytest.raises(ImmutableRowError):
        copy.save()
    with pytest.raises(ImmutableRowError):
        copy.delete()


@pytest.mark.django_db
@on_postgres
def test_postgres_refuses_update_and_delete_of_checkpoint_copies():
    make_chain(1)
    audit_checkpoint_write()

    for sql in ("UPDATE core_auditcheckpoint SET sequence = 0",
                "DELETE FROM core_auditcheckpoint"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql)
    assert AuditCheckpoint.objects.count() == 1


@pytest.mark.django_db
def test_removing_the_database_copies_leaves_the_file_in_charge(three_checkpoints):
    # The copies only tell that the file lost lines; without them the file still anchors.
    tamper("DELETE FROM core_auditcheckpoint", table="core_auditcheckpoint")
    _cut_off_after_entry_4()

    assert audit_verify().problem.startswith("chain ends at entry 4, but checkpoint #3 of ")


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_manage_py_audit_verify_catches_a_cut_off_tail_in_a_separate_process():
    make_chain(4)
    first = _run_manage_py()
    assert first.returncode == 0, first.stderr
    assert "Checkpoint #1 written" in first.stdout

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")
        try:
            cursor.execute("DELETE FROM core_auditentry WHERE sequence >= 3")
        finally:
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_append_only")

    broken = _run_manage_py()
    assert broken.returncode == 1
    assert "chain ends at entry 2, but checkpoint #1 of " in broken.stderr
    assert "signed head entry 4: entries 3 to 4 were cut off." in broken.stderr
    assert len(lines()) == 1


def _run_manage_py() -> subprocess.CompletedProcess:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "AUDIT_CHECKPOINT_PATH": str(checkpoint_file())}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return subprocess.run(
        [sys.executable, "manage.py", "audit_verify"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_checkpoints_taken_while_entries_are_written_all_verify():
    writers, per_writer, rounds = 4, 15, 6
    errors: list[BaseException] = []
    start = threading.Barrier(writers + 1)

    def write(worker: int) -> None:
        try:
            start.wait()
            for n in range(per_writer):
                audit_record(actor=None, action="test.concurrent", summary=f"{worker}-{n}")
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    def sign() -> None:
        try:
            start.wait()
            for _ in range(rounds):
                audit_checkpoint_write(force=True)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    threads += [threading.Thread(target=sign)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    report = audit_verify()
    assert report.ok, report.problems
    assert report.checked == writers * per_writer and report.checkpoints == rounds
    assert [c.number for c in AuditCheckpoint.objects.all()] == list(range(1, rounds + 1))


@pytest.fixture
def append_only_file(settings, tmp_path):
    """The checkpoint file marked append-only by the file system (chattr +a), as in production."""
    path = tmp_path / "checkpoints.jsonl"
    path.touch()
    if shutil.which("chattr") is None or subprocess.run(
        ["chattr", "+a", str(path)], capture_output=True, check=False
    ).returncode != 0:
        pytest.skip("chattr +a needs root and a file system that supports it")
    settings.AUDIT_CHECKPOINT_PATH = path
    yield path
    subprocess.run(["chattr", "-a", str(path)], check=True)


@pytest.mark.django_db
def test_checkpoints_are_written_to_an_append_only_file_that_refuses_rewriting(append_only_file):
    make_chain(2)
    call_command("audit_verify")
    make_chain(1)
    tasks.audit_checkpoint()

    assert len(lines()) == 2 and audit_verify().ok
    with pytest.raises(PermissionError):
        append_only_file.write_bytes(lines()[0] + b"\n")  # opening to truncate is refused
    with pytest.raises(PermissionError):
        append_only_file.unlink()


# -- the Django admin -----------------------------------------------------------------------


@pytest.mark.django_db
def test_platform_admins_can_read_but_never_change_checkpoint_copies(client, provider_admin):
    platform_admin = factories.with_totp(factories.PlatformAdminFactory(is_superuser=True))
    make_chain(2)
    copy = AuditCheckpoint.objects.get(number=audit_checkpoint_write().number)
    listing = reverse("admin:core_auditcheckpoint_changelist")
    change = reverse("admin:core_auditcheckpoint_change", args=[copy.pk])

    client.force_login(provider_admin)
    assert client.get(listing).status_code == 302  # to the sign-in: not staff

    client.force_login(platform_admin)
    page = client.get(listing)
    assert page.status_code == 200 and copy.head_hash.encode() in page.content
    assert client.get(reverse("admin:core_auditcheckpoint_add")).status_code == 403
    assert client.post(change, {"sequence": 0}).status_code == 403
    assert client.post(reverse("admin:core_auditcheckpoint_delete", args=[copy.pk]),
                       {"post": "yes"}).status_code == 403
    assert AuditCheckpoint.objects.get(pk=copy.pk).sequence == 2


@pytest.mark.django_db
def test_the_documented_procedure_after_a_point_in_time_restore_verifies_again():
    # docs/operations/audit-checkpoints.md: the restored database's last checkpoint copy says
    # how many lines of the old file the new file keeps.
    for _ in range(4):
        make_chain(2)
        audit_checkpoint_write()
    # The restore: the database as it was when checkpoint #2 had just been written.
    tamper("DELETE FROM core_auditcheckpoint WHERE number > 2", table="core_auditcheckpoint")
    tamper("DELETE FROM core_auditentry WHERE sequence > 4")
    assert audit_verify().problem.startswith("chain ends at entry 4, but checkpoint #4 of ")

    keep = AuditCheckpoint.objects.order_by("-number").first().number
    write_lines(lines()[:keep])

    assert audit_verify().ok
    assert audit_checkpoint_write(force=True).number == 3
