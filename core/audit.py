"""Tamper-evident audit log: each entry carries the SHA-256 of its predecessor.

Services call `audit_record` explicitly for every meaningful action. The chain alone shows an
entry that was edited, removed, inserted or reordered; it cannot show that the newest entries
were cut off, or that entries were rewritten with every later hash recomputed (the algorithm is
public). Signed checkpoints of the head, kept outside the database (core.checkpoints), close that
gap: `audit_checkpoint_write` signs the head (every few minutes from beat, and after every
`audit_verify` run), and `audit_verify` checks the chain against every checkpoint, streaming
both, so memory stays flat however long the chain grows.

Some actions are themselves confidential for a while: who uploaded a file to a sealed bid, or
started one, tells who is bidding. Such entries are written with an `AuditSeal`: the actor, the
organisation, the summary and the changes are encrypted together into the entry's `changes`
(see `core.audit_sealing`), and the stored row says only what kind of action happened to which
object. The hash covers the stored (sealed) row, so the chain verifies without any key; the
detail becomes readable when the owner of the seal says so (bids: after the opening).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils import timezone

from core import checkpoints
from core.audit_sealing import AuditSeal, sealed_fields
from core.checkpoints import Checkpoint, CheckpointError, LineProblem
from core.models import AuditCheckpoint, AuditEntry

GENESIS_HASH = "0" * 64
_LOCK_KEY = 727_001  # pg_advisory_xact_lock key that serialises writers of the chain
_CHECKPOINT_LOCK_KEY = 727_002  # ... and writers of checkpoints
_HASHED_FIELDS = ("sequence", "created_at", "actor_id", "actor_label", "organisation_id",
                  "action", "object_type", "object_id", "summary", "changes", "prev_hash")
MAX_REPORTED_PROBLEMS = 20

logger = logging.getLogger(__name__)
# Every checkpoint line also goes to this logger: ship it to a log store off the machine and
# it is a second copy of the checkpoint file (`audit_verify --checkpoint-file` reads such a copy).
checkpoint_logger = logging.getLogger("portal.audit.checkpoints")


def _canonical(values: dict[str, Any]) -> bytes:
    payload = {name: values[name] for name in _HASHED_FIELDS}
    payload["created_at"] = payload["created_at"].isoformat()
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical({name: getattr(entry, name) for name in _HASHED_FIELDS})
                          ).hexdigest()


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _json_safe(changes: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip now so the stored JSON equals what was hashed (Decimals, dates become strings).
    return json.loads(json.dumps(changes or {}, default=str))


# -- writing ----------------------------------------------------------------------------------
#
# Writers never wait for each other (ADR 0027). An entry gets its place in the chain (sequence,
# prev_hash, hash) from the *sealer*: whoever holds the chain's advisory lock links every
# committed entry still waiting, in order, to the head. A writer first tries the lock without
# waiting. When it is free (always on a quiet portal, and in tests) the writer seals inline and
# its entry is linked at once, as before. When another transaction holds it, the entry is stored
# unsealed (sequence, prev_hash and hash NULL) and sealed after commit, in a short transaction of
# its own, by this writer or by whichever comes next; the beat task `core.audit_seal` (every
# minute), `audit_verify` and `audit_checkpoint_write` seal whatever is left. The append-only
# trigger lets an entry be sealed exactly once and nothing else about it change.

_ENTRY_COLUMNS = ("id", *_HASHED_FIELDS, "hash")
SEAL_BATCH = 2000


def _try_lock(key: int) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite has one writer at a time anyway
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        return bool(cursor.fetchone()[0])


def _head_and_pending(limit: int) -> tuple[tuple[int, str], list[dict[str, Any]]]:
    """The sealed head and up to `limit` entries waiting to be sealed, oldest first.

    Only the holder of the chain's lock calls this, after taking the lock (a statement of its
    own, so this read's snapshot sees every earlier sealer's commit).
    """
    head = (AuditEntry.objects.filter(sequence__isnull=False).order_by("-sequence")
            .values(*_ENTRY_COLUMNS)[:1])
    pending = (AuditEntry.objects.filter(sequence__isnull=True).order_by("id")
               .values(*_ENTRY_COLUMNS)[:limit])
    if connection.features.supports_slicing_ordering_in_compound:
        rows = list(head.union(pending, all=True))  # one round trip
    else:
        rows = list(head) + list(pending)
    top = (0, GENESIS_HASH)
    waiting = []
    for row in rows:
        if row["sequence"] is None:
            waiting.append(row)
        else:
            top = (row["sequence"], row["hash"])
    waiting.sort(key=lambda row: row["id"])
    return top, waiting


def _link(fields: dict[str, Any], head: tuple[int, str]) -> tuple[int, str]:
    """Give `fields` (an entry's hashed fields) the place after `head`; return the new head."""
    fields["sequence"], fields["prev_hash"] = head[0] + 1, head[1]
    fields["hash"] = hashlib.sha256(_canonical(fields)).hexdigest()
    return fields["sequence"], fields["hash"]


def _seal_rows(rows: list[dict[str, Any]], head: tuple[int, str]) -> tuple[int, str]:
    """Link committed, unsealed rows after `head` in one UPDATE (the lock is held)."""
    if not rows:
        return head
    for row in rows:
        head = _link(row, head)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(rows))
        params = [value for row in rows
                  for value in (row["id"], row["sequence"], row["prev_hash"], row["hash"])]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS e SET sequence = v.sequence, prev_hash = v.prev_hash, "  # noqa: S608
                f"hash = v.hash FROM (VALUES {values}) AS v(id, sequence, prev_hash, hash) "
                "WHERE e.id = v.id AND e.sequence IS NULL", params)
            sealed = cursor.rowcount
    else:
        sealed = 0
        with connection.cursor() as cursor:
            for row in rows:
                cursor.execute(f"UPDATE {table} SET sequence = %s, prev_hash = %s, hash = %s "  # noqa: S608
                               "WHERE id = %s AND sequence IS NULL",
                               [row["sequence"], row["prev_hash"], row["hash"], row["id"]])
                sealed += cursor.rowcount
    if sealed != len(rows):  # only the lock holder seals, so this is never expected
        raise transaction.TransactionManagementError("Audit entries were sealed concurrently.")
    return head


def _after_commit_seal() -> None:
    try:
        audit_seal_pending(wait=False)
    except Exception:  # the entry is committed; the next writer or the beat task seals it
        logger.warning("Audit entries left for the next sealer.", exc_info=True)


def _seal_after_commit() -> None:
    """Seal this transaction's waiting entries once it commits (registered once)."""
    if not connection.in_atomic_block:
        return
    if any(func is _after_commit_seal for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_after_commit_seal, robust=True)


def audit_seal_pending(*, wait: bool = True) -> int:
    """Seal every committed entry still waiting for its place in the chain; return how many.

    With `wait`, waits for a writer that holds the chain's lock (for the beat task, verify and
    checkpoints); without, does nothing when the lock is taken (its holder seals them).
    """
    sealed = 0
    while True:
        with transaction.atomic():
            if wait:
                _advisory_lock(_LOCK_KEY)
            elif not _try_lock(_LOCK_KEY):
                return sealed
            head, waiting = _head_and_pending(SEAL_BATCH)
            _seal_rows(waiting, head)
        sealed += len(waiting)
        if len(waiting) < SEAL_BATCH:
            return sealed


def _detail(actor: Any | None, record: dict[str, Any]) -> dict[str, Any]:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    object_type, object_id = _object_ref(record.get("obj"))
    return {
        "actor_id": actor.pk if authenticated else None,
        "actor_label": actor.email if authenticated else "system",
        "organisation_id": record.get("organisation_id"),
        "summary": record.get("summary", "")[:500],
        "changes": _json_safe(record.get("changes")),
        "action": record["action"], "object_type": object_type, "object_id": object_id,
    }


def _append(prepared: list[dict[str, Any]]) -> list[AuditEntry]:
    """Insert entries (hashed fields without the link); sealed now if the lock is free."""
    now = timezone.now()
    for fields in prepared:
        fields.setdefault("created_at", now)
        fields["sequence"] = fields["prev_hash"] = fields["hash"] = None
    if _try_lock(_LOCK_KEY):
        head, waiting = _head_and_pending(SEAL_BATCH)
        head = _seal_rows(waiting, head)
        for fields in prepared:
            head = _link(fields, head)
    else:
        _seal_after_commit()
    entries = [AuditEntry(**fields) for fields in prepared]
    if len(entries) == 1:
        entries[0].save()
        return entries
    return AuditEntry.objects.bulk_create(entries)


# No savepoint: nothing inside is recovered from.
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    seal: AuditSeal | None = None,
) -> AuditEntry:
    """Append one entry to the chain. `actor` is a user or None for the system.

    With `seal`, who did it, for which organisation, the summary and the changes are stored
    encrypted (see the module docstring); the action and the object stay readable. The entry's
    `sequence` and `hash` are set at once unless another writer holds the chain's lock; then
    they are set when it is sealed, just after commit (ADR 0027).
    """
    detail = _detail(actor, {"action": action, "obj": obj, "summary": summary,
                             "changes": changes, "organisation_id": organisation_id})
    if seal is not None:
        detail.update(sealed_fields(seal, {name: detail[name] for name in (
            "actor_id", "actor_label", "organisation_id", "summary", "changes")}))
    return _append([detail])[0]


@transaction.atomic(savepoint=False)
def audit_record_many(*, actor: Any | None, records: list[dict[str, Any]]) -> list[AuditEntry]:
    """Append one entry per record, by one actor, with one insert.

    Each record has `action` and optionally `obj`, `summary`, `changes`, `organisation_id`:
    for a page that audits one read per object it shows (a ranking of many bids).
    """
    prepared = [_detail(actor, record) for record in records]
    if not prepared:
        return []
    return _append(prepared)


# -- verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """What `audit_verify` found. `problems` name each break; `notes` are for the operator."""

    checked: int
    head_hash: str
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    checkpoints: int = 0
    last_checkpoint: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem(self) -> str | None:
        return self.problems[0] if self.problems else None


@dataclass
class _Walk:
    """The state of one pass over the chain, merged with the signed checkpoints."""

    signed: Iterator[Checkpoint]
    pending: Checkpoint | None = None
    matched: Checkpoint | None = None
    expected_prev: str = GENESIS_HASH
    expected_sequence: int = 1
    problem: str | None = None

    def next_checkpoint(self) -> None:
        self.pending = next(self.signed, None)

    def compare_checkpoints(self, sequence: int, head: str) -> None:
        """Check every checkpoint that signed entry `sequence` against its hash."""
        while self.pending is not None and self.pending.sequence <= sequence:
            if self.pending.sequence == sequence:
                if self.pending.head != head:
                    self.problem = _rewritten(sequence, self.pending, self.matched)
                    return
                self.matched = self.pending
            self.next_checkpoint()


def audit_verify(*, batch_size: int = 5000, checkpoint_path: Path | None = None,
                 seal: bool = True) -> ChainReport:
    """Walk the whole chain in order against every signed checkpoint; report what breaks it.

    With `seal` (not on a read-only database), committed entries still waiting for their place
    in the chain are sealed first, so the walk covers them; any left are named in the notes.

    Streams the entries (a server-side cursor, `batch_size` rows at a time), the checkpoint file
    and the database's copy of it, so memory stays flat as they grow. Checkpoints appended while
    the walk runs are left for the next run.
    """
    if seal:
        audit_seal_pending()
    keys = checkpoints.configured_keys()
    path = checkpoint_path or checkpoints.configured_path()
    # In this order: a checkpoint the database has committed is already in the file, and every
    # head the file names was committed before the chain is read.
    recorded = AuditCheckpoint.objects.order_by("-number").first()
    size = checkpoints.file_size(path)
    file_problems, file_count, last = checkpoints.check_file(path, size, keys, recorded)
    walk = _Walk(signed=checkpoints.signed_checkpoints(path, size, keys))
    walk.next_checkpoint()
    walk.compare_checkpoints(0, GENESIS_HASH)
    checked = 0 if walk.problem else _walk_chain(walk, batch_size)
    if walk.pending is not None and not walk.problem:
        walk.problem = _cut_off(checked, _last_of(walk))
    problems = [walk.problem] if walk.problem else []
    problems += file_problems
    if len(problems) > MAX_REPORTED_PROBLEMS:
        more = len(problems) - MAX_REPORTED_PROBLEMS + 1
        problems = [*problems[:MAX_REPORTED_PROBLEMS - 1], f"... and {more} more problems."]
    notes = _notes(keys, checked, file_count, last, recorded)
    unsealed = AuditEntry.objects.filter(sequence__isnull=True).count()
    if unsealed:
        notes += (f"{unsealed} entries are not sealed into the chain yet, so nothing vouches "
                  "for them (manage.py audit_verify without --no-checkpoint seals them).",)
    return ChainReport(checked=checked, head_hash=walk.expected_prev, problems=tuple(problems),
                       notes=notes, checkpoints=file_count, last_checkpoint=last)


def _walk_chain(walk: _Walk, batch_size: int) -> int:
    """Check every sealed entry in order; stop at the first break. Returns how many were good.

    The hot loop does one JSON encoding and one SHA-256 per entry and compares the link with
    plain equality; only an entry that breaks goes through `_chain_break` to be named.
    """
    expected_sequence, expected_prev = walk.expected_sequence, walk.expected_prev
    with closing(_sealed_rows(batch_size)) as batches:
        return _check_batches(walk, batches, expected_sequence, expected_prev)


def _check_batches(walk: _Walk, batches: Iterator[list[tuple]], expected_sequence: int,
                   expected_prev: str) -> int:
    encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode
    sha256, loads = hashlib.sha256, json.loads
    pending = walk.pending
    checked = 0
    for batch in batches:
        for (sequence, created_at, actor_id, actor_label, organisation_id, action, object_type,
             object_id, summary, changes, prev_hash, stored_hash) in batch:
            if changes.__class__ is str:
                changes = loads(changes)
            payload = {"action": action, "actor_id": actor_id, "actor_label": actor_label,
                       "changes": changes, "created_at": created_at.isoformat(),
                       "object_id": object_id, "object_type": object_type,
                       "organisation_id": organisation_id, "prev_hash": prev_hash,
                       "sequence": sequence, "summary": summary}
            if (sequence != expected_sequence or prev_hash != expected_prev
                    or sha256(encode(payload).encode()).hexdigest() != stored_hash):
                payload["created_at"] = created_at
                walk.problem = _chain_break(payload, stored_hash, expected_sequence,
                                            expected_prev)
                walk.expected_prev, walk.expected_sequence = expected_prev, expected_sequence
                return checked
            expected_prev, expected_sequence = stored_hash, sequence + 1
            checked += 1
            if pending is not None and pending.sequence <= sequence:
                walk.compare_checkpoints(sequence, stored_hash)
                pending = walk.pending
                if walk.problem:
                    walk.expected_prev, walk.expected_sequence = expected_prev, expected_sequence
                    return checked
    walk.expected_prev, walk.expected_sequence = expected_prev, expected_sequence
    return checked


def _sealed_rows(batch_size: int) -> Iterator[list[tuple]]:
    """The sealed entries in chain order, in lists of `batch_size` rows, memory flat.

    On PostgreSQL the rows stream through `COPY (SELECT ...) TO STDOUT`, one statement and one
    snapshot with no round trip per batch, and are loaded by the driver's own C loaders (JSON
    as text); this costs the server about half of what a server-side cursor's FETCHes do.
    Elsewhere the ORM's chunked iterator.
    """
    columns = (*_HASHED_FIELDS, "hash")
    if connection.vendor != "postgresql":
        rows = (AuditEntry.objects.filter(sequence__isnull=False).order_by("sequence")
                .values_list(*columns).iterator(chunk_size=batch_size))
    else:
        rows = _copied_rows(columns)
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


_COPY_TYPES = {"sequence": "int8", "created_at": "timestamptz", "actor_id": "int8",
               "organisation_id": "int8"}


def _copied_rows(columns: tuple[str, ...]) -> Iterator[tuple]:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    select = (f"SELECT {', '.join(columns)} FROM {table} "  # noqa: S608 (no input)
              "WHERE sequence IS NOT NULL ORDER BY sequence")
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            # Walk the sequence index: rows stream from the first one, and nothing is sorted
            # (a sort of a million rows spills hundreds of megabytes to disk).
            cursor.execute("SET LOCAL enable_sort = off")
            with cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
                copy.set_types([_COPY_TYPES.get(column, "text") for column in columns])
                yield from copy.rows()


def _chain_break(values: dict[str, Any], stored_hash: str, expected_sequence: int,
                 expected_prev: str) -> str | None:
    sequence = values["sequence"]
    if sequence > expected_sequence:
        if sequence == expected_sequence + 1:
            return f"entry {expected_sequence} is missing: a row was removed."
        return f"entries {expected_sequence} to {sequence - 1} are missing: rows were removed."
    if sequence < expected_sequence:
        return f"entry {sequence} appears again after entry {expected_sequence - 1}: " \
            "a row was inserted."
    if values["prev_hash"] != expected_prev:
        previous = f"entry {sequence - 1}" if sequence > 1 else "the start of the chain"
        return (f"entry {sequence}: does not follow {previous} (its prev_hash differs): "
                "an entry before it was edited, removed, inserted or reordered.")
    if hashlib.sha256(_canonical(values)).hexdigest() != stored_hash:
        return f"entry {sequence}: hash mismatch: the entry was edited after it was written."
    return None


def _rewritten(sequence: int, checkpoint: Checkpoint, matched: Checkpoint | None) -> str:
    since = (f"after entry {matched.sequence}, which {matched.label} still vouches for"
             if matched is not None and matched.sequence > 0 else "from the start of the chain")
    return (f"entry {sequence}: hash differs from the one {checkpoint.label} signed: entries "
            f"up to {sequence} were rewritten {since} (changed, inserted or removed, with the "
            "hashes recomputed).")


def _cut_off(checked: int, checkpoint: Checkpoint) -> str:
    return (f"chain ends at entry {checked}, but {checkpoint.label} signed head entry "
            f"{checkpoint.sequence}: entries {checked + 1} to {checkpoint.sequence} were cut off.")


def _last_of(walk: _Walk) -> Checkpoint:
    last = walk.pending
    for later in walk.signed:
        last = later
    return last


def _notes(keys: dict[str, bytes], checked: int, count: int, last: Checkpoint | None,
           recorded: AuditCheckpoint | None) -> tuple[str, ...]:
    notes = []
    if not keys:
        notes.append("AUDIT_CHECKPOINT_KEYS is not set: checkpoints are neither written nor "
                     "checked.")
    elif last is None and recorded is None and checked:
        notes.append("No checkpoint yet: nothing outside the database vouches for the chain.")
    if last is not None and checked > last.sequence:
        notes.append(f"Entries {last.sequence + 1} to {checked} were written after the last "
                     f"checkpoint ({last.label}).")
    return tuple(notes)


# -- checkpoints ------------------------------------------------------------------------------


@transaction.atomic
def audit_checkpoint_write(
    *, verified: tuple[int, str] | None = None, force: bool = False, path: Path | None = None,
) -> Checkpoint | None:
    """Sign the chain's head and append it to the checkpoint file and the database's copy.

    Before signing, the entries since the last checkpoint (or since `verified`, an entry a
    full `audit_verify` has just vouched for) are checked to extend it, so a tampered chain is
    never signed: a `CheckpointError` says what was found. Without `force`, nothing is written
    when the head has not moved since the last checkpoint.
    """
    keys = checkpoints.configured_keys()
    if not keys:
        raise ImproperlyConfigured("Set AUDIT_CHECKPOINT_KEYS to sign audit checkpoints.")
    path = path or checkpoints.configured_path()
    audit_seal_pending()  # what was committed is signed too
    _advisory_lock(_CHECKPOINT_LOCK_KEY)
    recorded = AuditCheckpoint.objects.order_by("-number").first()
    if recorded is not None and not path.exists():
        # Never start a new file when the old one is gone: that would hide its loss.
        raise CheckpointError(checkpoints.file_behind(path, None, None, recorded))
    with checkpoints.locked_for_append(path) as handle:
        last = _last_checkpoint(handle, path, keys, recorded)
        head = (AuditEntry.objects.filter(sequence__isnull=False).order_by("-sequence")
                .values_list("sequence", "hash").first()
                or (0, GENESIS_HASH))
        if last is not None and not force and (last.sequence, last.head) == tuple(head):
            return None
        _check_extends(_starting_point(verified, last), head)
        now = timezone.now()
        checkpoint = checkpoints.sign(
            keys=keys, number=last.number + 1 if last else 1, at=now, sequence=head[0],
            head=head[1], prev=last.digest if last else checkpoints.GENESIS_DIGEST,
        )
        AuditCheckpoint.objects.create(
            number=checkpoint.number, created_at=now, sequence=checkpoint.sequence,
            head_hash=checkpoint.head, key_id=checkpoint.kid, line_digest=checkpoint.digest,
        )
        # Appended before the copy commits: a copy in the database always has its line.
        checkpoints.append(handle, path, checkpoint)
    checkpoint_logger.info(checkpoint.line.decode())
    return checkpoint


def _advisory_lock(key: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _last_checkpoint(handle, path: Path, keys: dict[str, bytes],
                     recorded: AuditCheckpoint | None) -> Checkpoint | None:
    line = checkpoints.last_line(handle)
    last = None
    if line is not None:
        try:
            last = checkpoints.parse(line, keys)
        except LineProblem as exc:
            raise CheckpointError(f"The last line of {path} is not a valid checkpoint: {exc}. "
                                  "Run manage.py audit_verify.") from exc
    if recorded is not None and (last is None or last.number < recorded.number):
        raise CheckpointError(checkpoints.file_behind(path, 0, last, recorded))
    return last


def _starting_point(verified: tuple[int, str] | None, last: Checkpoint | None
                    ) -> tuple[int, str]:
    """The newest entry known to be good: the last checkpoint's head, still in the chain."""
    if verified is not None and (last is None or verified[0] >= last.sequence):
        return verified
    if last is None:
        return 0, GENESIS_HASH
    if last.sequence:
        stored = (AuditEntry.objects.filter(sequence=last.sequence)
                  .values_list("hash", flat=True).first())
        if stored is None:
            head = (AuditEntry.objects.filter(sequence__isnull=False).order_by("-sequence")
                    .values_list("sequence", flat=True))
            raise CheckpointError(_cut_off(head.first() or 0, last))
        if stored != last.head:
            raise CheckpointError(_rewritten(last.sequence, last, None))
    return last.sequence, last.head


def _check_extends(start: tuple[int, str], head: tuple[int, str]) -> None:
    """Walk the entries after `start` up to `head`; raise CheckpointError at the first break."""
    expected_sequence, expected_prev = start[0] + 1, start[1]
    rows = (AuditEntry.objects.filter(sequence__gt=start[0], sequence__lte=head[0])
            .order_by("sequence").values_list(*_HASHED_FIELDS, "hash").iterator(chunk_size=2000))
    for row in rows:
        problem = _chain_break(dict(zip(_HASHED_FIELDS, row, strict=False)), row[-1],
                               expected_sequence, expected_prev)
        if problem:
            raise CheckpointError(f"Not signing the chain's head: {problem}")
        expected_sequence, expected_prev = expected_sequence + 1, row[-1]
    if expected_sequence - 1 != head[0] or expected_prev != head[1]:
        raise CheckpointError(f"Not signing the chain's head: entry {head[0]} could not be "
                              f"reached from entry {start[0]}.")
