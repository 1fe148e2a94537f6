"""`manage.py audit_verify`: check the audit chain against its signed checkpoints, then sign it.

Exits 1 naming what it found when an entry was edited, removed, inserted or reordered, when the
chain was cut off after a checkpoint or rewritten up to one, or when the checkpoint file was
edited, cut off or removed. On a good chain it appends a new signed checkpoint of the head.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import checkpoints
from core.audit import ChainReport, audit_checkpoint_write, audit_verify
from core.checkpoints import CheckpointError


class Command(BaseCommand):
    help = ("Check that no audit entry was edited, removed, inserted, reordered, cut off or "
            "rewritten, against the signed checkpoints; then sign the head.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows read per database round trip."
        )
        parser.add_argument(
            "--checkpoint-file", type=Path, default=None,
            help="Check against this copy of the checkpoint file (for example one rebuilt from "
            "the log store) instead of AUDIT_CHECKPOINT_PATH; nothing is written to it.",
        )
        parser.add_argument(
            "--no-checkpoint", action="store_true",
            help="Only verify; do not sign the head (for a read-only database).",
        )

    def handle(self, *args: Any, batch_size: int, checkpoint_file: Path | None,
               no_checkpoint: bool, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = audit_verify(batch_size=batch_size, checkpoint_path=checkpoint_file,
                              seal=not no_checkpoint)
        if not report.ok:
            raise CommandError(_broken(report), returncode=1)
        self.stdout.write(_summary(report))
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
        if no_checkpoint or checkpoint_file is not None or not checkpoints.configured_keys():
            return
        try:
            written = audit_checkpoint_write(verified=(report.checked, report.head_hash),
                                             force=True)
        except CheckpointError as exc:
            raise CommandError(f"Audit chain verified, but no checkpoint was written: {exc}",
                               returncode=1) from exc
        self.stdout.write(f"Checkpoint #{written.number} written to "
                          f"{checkpoints.configured_path()}: entry {written.sequence}, "
                          f"head {written.head}")


def _broken(report: ChainReport) -> str:
    lines = "\n".join(f"  - {problem}" for problem in report.problems)
    return (f"Audit chain BROKEN after {report.checked} good entries:\n{lines}\n"
            "No checkpoint was written.")


def _summary(report: ChainReport) -> str:
    text = f"Audit chain OK: {report.checked} entries, head {report.head_hash}"
    if report.last_checkpoint is not None:
        text += (f"\nMatches {report.checkpoints} signed checkpoints; the last, "
                 f"{report.last_checkpoint.label}, signed entry {report.last_checkpoint.sequence}")
    return text
