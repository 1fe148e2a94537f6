"""Write a closed decision's recount file (configuration, anonymised ballots, result) as JSON."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from citizens.selectors.decisions import decision_get, export_document


class Command(BaseCommand):
    help = "Export the anonymised ballots, frozen configuration and result of a closed decision."

    def add_arguments(self, parser):
        parser.add_argument("decision_id", type=int)
        parser.add_argument("--output", required=True, help="File to write ('-' for stdout).")

    def handle(self, *args, decision_id: int, output: str, **options):
        try:
            document = export_document(decision=decision_get(pk=decision_id))
        except Http404:
            raise CommandError(f"There is no decision {decision_id}.") from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True)
        if output == "-":
            self.stdout.write(text)
            return
        Path(output).write_text(text + "\n", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {len(document['ballots'])} ballots of decision {decision_id} to {output}."))
