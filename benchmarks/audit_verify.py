"""Benchmark: how fast `audit_verify` walks a long audit hash chain and its signed checkpoints.

    .venv/bin/python -m benchmarks.audit_verify --entries 1000000

Creates a throwaway database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/portal_bench; its name must end in "_bench" because it is
dropped and recreated), migrates it, bulk-inserts a valid chain with a signed checkpoint every
`--checkpoint-every` entries (file and database copy, as the beat task writes them), then times
core.audit.audit_verify and one checkpoint write in a fresh child process, so that the peak RSS
reported is the verifier's alone. Prints one JSON line and writes it to benchmarks/results/.
Target (docs: perf_reliability "Implications" 18): 1M entries verified in <= 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import support

ROOT = Path(__file__).resolve().parent.parent
TARGET_1M_SECONDS = 60
ACTIONS = ("tender.published", "bid.submitted", "document.uploaded", "award.made", "grant.paid")


def main() -> None:
    args = _parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if args.phase == "verify":
        print(json.dumps(_verify(args.verify_batch)))
        return
    folder = tempfile.mkdtemp(prefix="portal-bench-checkpoints-")
    os.environ["AUDIT_CHECKPOINT_PATH"] = str(Path(folder) / "checkpoints.jsonl")
    support.recreate_database(args.database_url)
    try:
        generated = _generate(args.entries, args.insert_batch, args.checkpoint_every)
        verified = _verify_in_child(args)
    finally:
        if not args.keep:
            support.drop_database(args.database_url)
            Path(os.environ["AUDIT_CHECKPOINT_PATH"]).unlink(missing_ok=True)
            Path(folder).rmdir()
    support.report("audit_verify", {**generated, **verified, "entries": args.entries})


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--insert-batch", type=int, default=5_000)
    parser.add_argument("--verify-batch", type=int, default=5_000)
    parser.add_argument("--checkpoint-every", type=int, default=1_000,
                        help="Entries between two signed checkpoints (beat writes one every "
                        "5 minutes when the head moved).")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--phase", choices=["all", "verify"], default="all", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.database_url = support.database_url()
    return args


# -- database lifecycle ----------------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# -- phases ----------------------------------------------------------------------------------


def _generate(count: int, batch_size: int, checkpoint_every: int) -> dict[str, float]:
    """Migrate, then bulk-insert `count` chained entries (the same hash as audit_record).

    A checkpoint signs every `checkpoint_every`-th entry, short of the head, so the beat-style
    write timed afterwards has entries to check since the last checkpoint.
    """
    _setup_django()
    from django.core.management import call_command
    from django.db import connections, transaction

    from core.audit import GENESIS_HASH, entry_hash
    from core.models import AuditEntry

    call_command("migrate", verbosity=0)
    started, prev_hash, base = time.perf_counter(), GENESIS_HASH, datetime.now(UTC)
    signer = _Signer(base)
    for first in range(1, count + 1, batch_size):
        batch = []
        for sequence in range(first, min(first + batch_size, count + 1)):
            entry = _entry(AuditEntry, sequence, base, prev_hash)
            entry.hash = prev_hash = entry_hash(entry)
            batch.append(entry)
            if sequence % checkpoint_every == 0 and sequence < count:
                signer.sign(sequence, entry.hash)
        with transaction.atomic():
            AuditEntry.objects.bulk_create(batch)
            signer.flush()
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE core_auditentry")
    connections.close_all()
    return {"generate_seconds": round(time.perf_counter() - started, 2),
            "checkpoints": signer.number}


class _Signer:
    """Writes checkpoints as audit_checkpoint_write does: the file line and the database copy."""

    def __init__(self, base: datetime) -> None:
        from core import checkpoints

        self.checkpoints, self.base = checkpoints, base
        self.keys = checkpoints.configured_keys()
        self.path = checkpoints.configured_path()
        self.number, self.prev, self.pending = 0, checkpoints.GENESIS_DIGEST, []

    def sign(self, sequence: int, head: str) -> None:
        self.number += 1
        at = self.base + timedelta(milliseconds=sequence)
        checkpoint = self.checkpoints.sign(keys=self.keys, number=self.number, at=at,
                                           sequence=sequence, head=head, prev=self.prev)
        self.prev = checkpoint.digest
        self.pending.append((checkpoint, at))

    def flush(self) -> None:
        from core.models import AuditCheckpoint

        AuditCheckpoint.objects.bulk_create([
            AuditCheckpoint(number=c.number, created_at=at, sequence=c.sequence,
                            head_hash=c.head, key_id=c.kid, line_digest=c.digest)
            for c, at in self.pending
        ])
        with self.path.open("ab") as handle:
            handle.write(b"".join(c.line + b"\n" for c, _ in self.pending))
        self.pending = []


def _entry(model, sequence: int, base: datetime, prev_hash: str):
    return model(
        sequence=sequence,
        created_at=base + timedelta(milliseconds=sequence),
        actor_id=sequence % 500 + 1,
        actor_label=f"person{sequence % 500 + 1}@example.org",
        organisation_id=sequence % 80 + 1,
        action=ACTIONS[sequence % len(ACTIONS)],
        object_type="commissioning.bid",
        object_id=str(sequence // 3),
        summary=f"Benchmark action number {sequence} with a realistic short summary",
        changes={"status": ["draft", "submitted"], "sha256": f"{sequence:064x}", "size": sequence},
        prev_hash=prev_hash,
    )


def _verify_in_child(args: argparse.Namespace) -> dict:
    command = [sys.executable, "-m", "benchmarks.audit_verify", "--phase", "verify",
               "--verify-batch", str(args.verify_batch)]
    done = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _verify(batch_size: int) -> dict:
    """Runs in the child process: time audit_verify and the checkpoint write that follows it."""
    _setup_django()
    from django.db import connection

    from core.audit import audit_checkpoint_write, audit_verify

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    report = audit_verify(batch_size=batch_size)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    rss_after_verify = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    started = time.perf_counter()
    # What the beat task does: check the entries since the last checkpoint, then sign the head.
    beat = audit_checkpoint_write()
    beat_seconds = time.perf_counter() - started
    # The same-run reference: the walk as it was before (ORM iterator in autocommit, a dict per
    # row), over the same rows, so the ratio holds however busy the machine is.
    started, cpu_started = time.perf_counter(), time.process_time()
    previous_checked = _previous_walk(batch_size)
    previous_seconds = time.perf_counter() - started
    previous_cpu = time.process_time() - cpu_started
    return {
        "verified": report.checked,
        "ok": report.ok,
        "problems": list(report.problems),
        "checkpoints_checked": report.checkpoints,
        "verify_seconds": round(seconds, 3),
        "entries_per_second": round(report.checked / seconds),
        "projected_1m_seconds": round(seconds / max(report.checked, 1) * 1_000_000, 1),
        # The verifier's own CPU time (PostgreSQL's is not in it) and the machine's load while
        # it ran: on a shared machine wall time says more about the neighbours than the code.
        "verify_cpu_seconds": round(cpu_seconds, 3),
        "load_average_1m": round(load, 2),
        "target_1m_seconds": TARGET_1M_SECONDS,
        "peak_rss_mb": round(rss_after_verify, 1),
        "beat_checkpoint_seconds": round(beat_seconds, 3),
        "beat_checkpoint_entries_checked": beat.sequence - report.last_checkpoint.sequence
        if beat and report.last_checkpoint else None,
        "previous_walk_seconds": round(previous_seconds, 3),
        "previous_walk_cpu_seconds": round(previous_cpu, 3),
        "previous_walk_checked": previous_checked,
        "ratio_verify_to_previous_walk": round(seconds / previous_seconds, 3),
        "verify_batch": batch_size,
        "postgres": server_version,
        "python": platform.python_version(),
    }


def _previous_walk(batch_size: int) -> int:
    """The entry walk of the verifier before ADR 0027's rewrite of it (hashes only)."""
    import hashlib

    from core.audit import _HASHED_FIELDS, GENESIS_HASH, _canonical
    from core.models import AuditEntry

    rows = (AuditEntry.objects.filter(sequence__isnull=False).order_by("sequence")
            .values_list(*_HASHED_FIELDS, "hash").iterator(chunk_size=batch_size))
    expected_prev, expected_sequence, checked = GENESIS_HASH, 1, 0
    for row in rows:
        values = dict(zip(_HASHED_FIELDS, row, strict=False))
        if (values["sequence"] != expected_sequence or values["prev_hash"] != expected_prev
                or hashlib.sha256(_canonical(values)).hexdigest() != row[-1]):
            break
        expected_prev, expected_sequence, checked = row[-1], expected_sequence + 1, checked + 1
    return checked


if __name__ == "__main__":
    main()
