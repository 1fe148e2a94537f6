"""Tamper-evident audit log: each entry carries the SHA-256 of its predecessor.

Services call `audit_record` explicitly for every meaningful action. `audit_verify` (and the
management command of that name) recomputes the chain and reports the first break: a row that
was edited, removed or inserted after the fact.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from core.models import AuditEntry

GENESIS_HASH = "0" * 64
_LOCK_KEY = 727_001  # pg_advisory_xact_lock key that serialises writers of the chain


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "sequence": entry.sequence,
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "organisation_id": entry.organisation_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "summary": entry.summary,
        "changes": entry.changes,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _json_safe(changes: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip now so the stored JSON equals what was hashed (Decimals, dates become strings).
    return json.loads(json.dumps(changes or {}, default=str))


# No savepoint: nothing inside is recovered from, and inside a caller's transaction the chain's
# lock is held until commit, so every round trip saved here is time other writers do not wait.
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    organisation_id: int | None = None,
) -> AuditEntry:
    """Append one entry to the chain. `actor` is a user or None for the system."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    head = AuditEntry.objects.order_by("-sequence").only("sequence", "hash").first()
    object_type, object_id = _object_ref(obj)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        sequence=(head.sequence + 1) if head else 1,
        created_at=timezone.now(),
        actor_id=actor.pk if authenticated else None,
        actor_label=(actor.email if authenticated else "system"),
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        changes=_json_safe(changes),
        prev_hash=head.hash if head else GENESIS_HASH,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_hash: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain in order; report the first row that breaks it."""
    expected_prev, expected_sequence, checked = GENESIS_HASH, 1, 0
    entries = AuditEntry.objects.order_by("sequence").iterator(chunk_size=batch_size)
    for entry in entries:
        if entry.sequence != expected_sequence:
            return ChainReport(checked, expected_prev, _gap(entry.sequence, expected_sequence))
        if entry.prev_hash != expected_prev:
            return ChainReport(
                checked, expected_prev, f"Entry #{entry.sequence} does not follow its predecessor: "
                "an entry before it was edited, removed or inserted.",
            )
        if entry_hash(entry) != entry.hash:
            return ChainReport(
                checked, expected_prev, f"Entry #{entry.sequence} was edited after it was written."
            )
        expected_prev, expected_sequence, checked = entry.hash, expected_sequence + 1, checked + 1
    return ChainReport(checked, expected_prev)


def _gap(found: int, expected: int) -> str:
    if found > expected:
        return f"Entries #{expected} to #{found - 1} are missing: rows were removed."
    return f"Entry #{found} appears out of order: a row was inserted."
