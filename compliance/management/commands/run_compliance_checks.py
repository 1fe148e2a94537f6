"""Run compliance checks now: all of them, or one with --check. Exits 1 if any check failed."""

from django.core.management.base import BaseCommand, CommandError

from compliance import registry, services
from compliance.models import CheckRun


class Command(BaseCommand):
    help = "Run every compliance check now (or one, with --check ID), whatever its schedule."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", dest="check_id", help="Run only the check with this id.")

    def handle(self, *args, check_id: str | None = None, **options) -> None:
        runs = self._run(check_id)
        for run in runs:
            self._report(run)
        failed = [run.check_id for run in runs if not run.succeeded]
        if failed:
            raise CommandError(f"{len(failed)} check(s) failed: {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS(f"{len(runs)} check(s) ran."))

    def _run(self, check_id: str | None) -> list[CheckRun]:
        if not check_id:
            return services.run_all_checks()
        try:
            return [services.check_run(check_id=check_id)]
        except registry.UnknownCheck as error:
            known = ", ".join(check.id for check in registry.all_checks()) or "none"
            raise CommandError(f"{error} Known checks: {known}.") from None

    def _report(self, run: CheckRun) -> None:
        if run.succeeded:
            self.stdout.write(
                f"{run.check_id}: {run.opened_count} opened, {run.still_open_count} still open, "
                f"{run.resolved_count} resolved"
            )
        else:
            last_line = run.error.strip().splitlines()[-1] if run.error.strip() else "error"
            self.stderr.write(self.style.ERROR(f"{run.check_id}: FAILED – {last_line}"))
