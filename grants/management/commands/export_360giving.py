"""Write every published grant as 360Giving open data: a JSON package, or the flat CSV.

Streams: awards are read in batches and written as they are serialised, so memory stays flat.
Awards written for the first time are marked as published. Exits non-zero when the data
quality checks find a problem (``--no-check`` skips them).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from grants.services.awards import award_mark_published
from grants.threesixty import flat, package, quality


class Command(BaseCommand):
    help = "Export every published grant in the 360Giving Data Standard."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--csv", action="store_true", help="The flat (CSV) form.")
        parser.add_argument("--no-check", action="store_true",
                            help="Skip the data quality checks.")

    def handle(self, *args, output: str, csv: bool, no_check: bool, **options):
        problems: list[str] = []
        count = 0

        def checked():
            nonlocal count
            for grant in package.grants():
                count += 1
                if not no_check:
                    problems.extend(quality.grant_problems(grant))
                yield grant

        with open(output, "w", encoding="utf-8", newline="") as handle:
            if csv:
                chunks = flat.rows(checked(), funders=package.most_funders())
            else:
                chunks = package.stream_chunks(checked())
            for chunk in chunks:
                handle.write(chunk)
        marked = sum(award_mark_published(award_ids=ids) for ids in package.unpublished_ids())
        self.stdout.write(f"Wrote {count} grants to {output}; {marked} published for the first "
                          "time.")
        if problems:
            for problem in problems[:50]:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} data quality problem(s).")
