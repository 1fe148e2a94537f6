"""Loading the CPV 2008 reference list."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable

from django.db import transaction

from commissioning.models import CpvCode

_CODE = re.compile(r"^\d{8}$")


@transaction.atomic
def cpv_codes_load(lines: Iterable[str]) -> int:
    """Insert or update every code of a `code,description` CSV; returns how many rows.

    Raises ValueError on a malformed row, so a broken file loads nothing.
    """
    rows = []
    for number, row in enumerate(csv.DictReader(lines), start=2):
        code = (row.get("code") or "").split("-")[0].strip()
        description = (row.get("description") or "").strip()
        if not _CODE.match(code) or not description:
            raise ValueError(f"Line {number} is not an 8-digit code with a description.")
        rows.append(CpvCode(code=code, description=description[:400]))
    CpvCode.objects.bulk_create(rows, batch_size=1000, update_conflicts=True,
                                unique_fields=["code"], update_fields=["description"])
    return len(rows)
