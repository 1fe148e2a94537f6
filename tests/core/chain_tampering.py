"""Tampering with the audit chain as somebody with owner rights on the database would.

On PostgreSQL the append-only trigger is switched off first (ALTER TABLE is transactional, so
the test's rollback switches it back on); on SQLite raw SQL tampers directly.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.audit import audit_record, entry_hash
from core.management.commands.audit_verify import Command
from core.models import AuditEntry

DISABLE = "ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only"
ENABLE = "ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_append_only"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers exist on PostgreSQL only"
)


def make_chain(count: int = 5, actor=None) -> list[AuditEntry]:
    return [
        audit_record(actor=actor, action="test.step", summary=f"Step {n}", changes={"n": n})
        for n in range(1, count + 1)
    ]


def tamper(sql: str, params: list | None = None, *, table: str = "core_auditentry") -> None:
    """Run raw SQL as the table owner would, switching the trigger off first on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        cursor.execute(sql, params or [])


def shift_up_from(sequence: int) -> None:
    # Two steps, so that the unique index never sees two rows with the same sequence.
    tamper("UPDATE core_auditentry SET sequence = sequence + 1000 WHERE sequence >= %s", [sequence])
    tamper("UPDATE core_auditentry SET sequence = sequence - 999 WHERE sequence >= 1000")


def rehash_from(sequence: int) -> None:
    """Recompute prev_hash and hash of every entry from `sequence` on, as a forger would."""
    previous = AuditEntry.objects.filter(sequence=sequence - 1).first()
    for entry in AuditEntry.objects.filter(sequence__gte=sequence).order_by("sequence"):
        entry.prev_hash = previous.hash if previous else "0" * 64
        entry.hash = entry_hash(entry)
        tamper("UPDATE core_auditentry SET prev_hash = %s, hash = %s WHERE sequence = %s",
               [entry.prev_hash, entry.hash, entry.sequence])
        previous = entry


def forge_entry(sequence: int, **fields) -> AuditEntry:
    """Append a correctly hashed entry after the current row `sequence - 1`."""
    previous = AuditEntry.objects.filter(sequence=sequence - 1).first()
    forged = AuditEntry(sequence=sequence, action="test.forged", summary="Approved",
                        prev_hash=previous.hash if previous else "0" * 64, **fields)
    forged.hash = entry_hash(forged)
    forged.save()
    return forged


def command_fails() -> str:
    """Assert that `manage.py audit_verify` exits 1, both via call_command and run_from_argv."""
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    assert caught.value.returncode == 1
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "audit_verify"])
    assert exited.value.code == 1
    return str(caught.value)
