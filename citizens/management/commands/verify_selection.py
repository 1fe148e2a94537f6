"""Reproduce a panel selection from its frozen pool, quotas and public seed."""

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from citizens.selectors.selection import run_get_by_id
from citizens.services.selection import selection_verify


class Command(BaseCommand):
    help = ("Re-run a selection from its frozen inputs and seed and compare it with the panel "
            "that was drawn. Exits non-zero on a mismatch.")

    def add_arguments(self, parser):
        parser.add_argument("run_id", type=int, help="The id of the selection run.")

    def handle(self, *args, run_id: int, **options):
        try:
            run = run_get_by_id(pk=run_id)
        except Http404:
            raise CommandError(f"There is no selection run {run_id}.") from None
        self.stdout.write(f"Selection {run.pk} of “{run.panel.title}”: {run.seats} seats from "
                          f"{len(run.pool)} people, seed {run.seed}, {run.algorithm_requested} "
                          f"(ran {run.algorithm_used}, {run.library_version}).")
        self.stdout.write(f"Commitment {run.pool_hash}")
        try:
            matches, selected = selection_verify(run=run)
        except Exception as error:
            raise CommandError(str(error)) from error
        if not matches:
            raise CommandError("MISMATCH: the frozen inputs do not reproduce the panel "
                               f"(re-run selected {', '.join(selected) or 'nobody'}).")
        self.stdout.write(self.style.SUCCESS(
            f"Verified: the same {len(selected)} people are selected: {', '.join(selected)}."))
