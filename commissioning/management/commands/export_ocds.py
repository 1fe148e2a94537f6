"""Write every public OCDS release (or record) as one package to a file.

    manage.py export_ocds --output releases.json
    manage.py export_ocds --output records.json --records

The file is written next to its final name and moved into place, so a failed run never leaves
half a package behind. Exits non-zero on failure, including when nothing has been published
yet (an OCDS package must hold at least one release or record).
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from commissioning.ocds import packages
from commissioning.selectors.ocds import all_public_releases


class Command(BaseCommand):
    help = "Export all published OCDS releases, or records with --records, as one package."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", required=True, help="The file to write ('-' for stdout).")
        parser.add_argument("--records", action="store_true",
                            help="Write a record package (one compiled record per OCID).")

    def handle(self, *args, output: str, records: bool, **options) -> None:
        items, latest = self._records() if records else self._releases()
        if not items:
            raise CommandError("Nothing to export: no release has been published yet.")
        key = "records" if records else "releases"
        uri = packages.absolute(reverse(f"commissioning:ocds_{key}"))
        package = (packages.record_package(records=items, latest=latest, uri=uri) if records
                   else packages.release_package(releases=items, uri=uri))
        self._write(package, output)
        if output != "-":
            self.stdout.write(self.style.SUCCESS(f"Wrote {len(package[key])} {key} to {output}."))

    def _releases(self):
        rows = list(all_public_releases())
        return rows, max((row.date for row in rows), default=None)

    def _records(self):
        records, latest = [], None
        for ocid, rows in itertools.groupby(all_public_releases(by_ocid=True),
                                            key=lambda row: row.ocid):
            rows = list(rows)
            records.append(packages.record(ocid=ocid, releases=rows))
            newest = max(row.date for row in rows)
            latest = newest if latest is None or newest > latest else latest
        return records, latest

    def _write(self, package: dict, output: str) -> None:
        text = json.dumps(package, ensure_ascii=False, indent=2)
        if output == "-":
            self.stdout.write(text)
            return
        target = Path(output)
        temporary = None
        try:
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, target)
        except OSError as exc:
            if temporary and os.path.exists(temporary):
                os.unlink(temporary)
            raise CommandError(f"Could not write {output}: {exc.strerror or exc}") from exc
