"""The 360Giving package of every published grant, written piece by piece.

Awards are read in primary-key order with a keyset cursor (no OFFSET), a batch at a time, so
memory stays flat however many grants there are; the JSON is produced as text chunks for a
streaming response or a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.utils import timezone

from grants.selectors.awards import public_awards
from grants.threesixty.grant import grant, prefix

BATCH = 2000
SCHEMA_VERSION = "1.4"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def awards_in_batches(batch: int = BATCH) -> Iterator[list]:
    last = 0
    queryset = public_awards().order_by("pk")
    while True:
        rows = list(queryset.filter(pk__gt=last)[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def grants() -> Iterator[dict]:
    for rows in awards_in_batches():
        yield from (grant(award) for award in rows)


def header() -> dict:
    from django.conf import settings

    return {"version": SCHEMA_VERSION, "title": f"Grants awarded through {settings.PORTAL_NAME}",
            "description": "Every grant accepted by its recipient, in the 360Giving Data "
                           "Standard.", "issued": timezone.now().isoformat(),
            "license": LICENSE, "publisher": {"name": settings.PORTAL_OPERATOR,
                                              "identifier": prefix()}}


def stream_package(request=None) -> Iterator[str]:
    """The package as JSON text chunks: header fields, then the grants array."""
    head = json.dumps(header())[:-1]
    yield head + ', "grants": ['
    first = True
    for item in grants():
        yield ("" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "]}\n"


def published_ids() -> Iterator[int]:
    for rows in awards_in_batches():
        yield from (award.pk for award in rows if award.published_at is None)
