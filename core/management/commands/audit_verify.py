"""`manage.py audit_verify`: recompute the audit hash chain; exit 1 at the first break."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.audit import audit_verify


class Command(BaseCommand):
    help = "Check that no audit entry was edited, removed, inserted or reordered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows read per database round trip."
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        report = audit_verify(batch_size=batch_size)
        if not report.ok:
            raise CommandError(
                f"Audit chain BROKEN after {report.checked} good entries: {report.problem}",
                returncode=1,
            )
        self.stdout.write(f"Audit chain OK: {report.checked} entries, head {report.head_hash}")
