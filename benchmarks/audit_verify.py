"""Benchmark: how fast `audit_verify` walks a long audit hash chain on PostgreSQL.

    .venv/bin/python -m benchmarks.audit_verify --entries 100000

Creates a throwaway database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench;
its name must end in "_bench" because it is dropped and recreated), migrates it, bulk-inserts a
valid chain, then times core.audit.audit_verify in a fresh child process so that the peak RSS
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
    support.recreate_database(args.database_url)
    try:
        generated = _generate(args.entries, args.insert_batch)
        verified = _verify_in_child(args)
    finally:
        if not args.keep:
            support.drop_database(args.database_url)
    support.report("audit_verify", {**generated, **verified, "entries": args.entries})


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--insert-batch", type=int, default=5_000)
    parser.add_argument("--verify-batch", type=int, default=5_000)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--phase", choices=["all", "verify"], default="all", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.database_url = os.environ.get("DATABASE_URL") or support.DEFAULT_URL
    if not support.db_name(args.database_url).endswith("_bench"):
        name = support.db_name(args.database_url)
        parser.error(f"Refusing to drop {name!r}: use a *_bench database.")
    return args


# -- database lifecycle ----------------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# -- phases ----------------------------------------------------------------------------------


def _generate(count: int, batch_size: int) -> dict[str, float]:
    """Migrate, then bulk-insert `count` chained entries (the same hash as audit_record)."""
    _setup_django()
    from django.core.management import call_command
    from django.db import connections, transaction

    from core.audit import GENESIS_HASH, entry_hash
    from core.models import AuditEntry

    call_command("migrate", verbosity=0)
    started, prev_hash, base = time.perf_counter(), GENESIS_HASH, datetime.now(UTC)
    for first in range(1, count + 1, batch_size):
        batch = []
        for sequence in range(first, min(first + batch_size, count + 1)):
            entry = _entry(AuditEntry, sequence, base, prev_hash)
            entry.hash = prev_hash = entry_hash(entry)
            batch.append(entry)
        with transaction.atomic():
            AuditEntry.objects.bulk_create(batch)
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE core_auditentry")
    connections.close_all()
    return {"generate_seconds": round(time.perf_counter() - started, 2)}


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
    """Runs in the child process: time audit_verify and report this process's peak RSS."""
    _setup_django()
    from django.db import connection

    from core.audit import audit_verify

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    started = time.perf_counter()
    report = audit_verify(batch_size=batch_size)
    seconds = time.perf_counter() - started
    return {
        "verified": report.checked,
        "ok": report.ok,
        "verify_seconds": round(seconds, 3),
        "entries_per_second": round(report.checked / seconds),
        "projected_1m_seconds": round(seconds / max(report.checked, 1) * 1_000_000, 1),
        "target_1m_seconds": TARGET_1M_SECONDS,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "verify_batch": batch_size,
        "postgres": server_version,
        "python": platform.python_version(),
    }


if __name__ == "__main__":
    main()
