"""Load (or refresh) the CPV 2008 reference codes from the shared CSV (code,description)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commissioning.services.cpv import cpv_codes_load

DEFAULT = Path(settings.BASE_DIR).parent / "shared" / "reference" / "cpv-2008.csv"


class Command(BaseCommand):
    help = "Load the CPV 2008 codes and descriptions used by the CPV picker."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=os.environ.get("PORTAL_CPV_CSV", str(DEFAULT)),
                            help="The CSV file (default: PORTAL_CPV_CSV or %(default)s).")

    def handle(self, *args, path: str, **options):
        if not Path(path).is_file():
            raise CommandError(f"No CPV code list at {path}.")
        with open(path, encoding="utf-8", newline="") as handle:
            try:
                count = cpv_codes_load(handle)
            except ValueError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(f"Loaded {count} CPV codes from {path}.")
