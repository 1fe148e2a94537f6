"""The 360Giving package of every published grant, written piece by piece.

Awards are read in primary-key order with a keyset cursor (no OFFSET), a batch at a time, so
memory stays flat however many grants there are; the JSON is produced as text chunks for a
streaming response or a file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, F
from django.utils import timezone

from grants.models import FundingContribution
from grants.selectors.awards import public_awards
from grants.threesixty.grant import grant, prefix

BATCH = 2000
ORGANISATION_FIELDS = ("name", "org_id", "charity_number", "company_number", "postcode", "town")
# Only what the serialiser reads: the export instantiates every award with four related rows.
EXPORT_FIELDS = (
    "reference", "title", "description", "instrument", "from_open_call", "amount_requested",
    "amount_awarded", "amount_paid", "amount_recovered", "awarded_on", "planned_start",
    "planned_end", "beneficiary_postcode", "updated_at", "published_at", "status",
    "programme__code", "programme__title", "programme__total_budget",
    "programme__authority_id",
    *(f"programme__authority__{f}" for f in ORGANISATION_FIELDS),
    *(f"recipient__{f}" for f in ORGANISATION_FIELDS))
SCHEMA_VERSION = "1.4"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def awards_in_batches(batch: int = BATCH) -> Iterator[list]:
    last = 0
    queryset = (public_awards().select_related(None)
                .select_related("programme__authority", "recipient")
                .only(*EXPORT_FIELDS).order_by("pk"))
    while True:
        rows = list(queryset.filter(pk__gt=last)[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def contributions_by_programme(programme_ids) -> dict[int, list]:
    """The pooled contributions of these programmes with their funders (one query)."""
    found = defaultdict(list)
    for contribution in (FundingContribution.objects.filter(programme_id__in=set(programme_ids))
                         .select_related("funder").only(
                             "programme_id", "amount", "funder_id",
                             *(f"funder__{f}" for f in ORGANISATION_FIELDS))
                         .order_by("committed_on", "pk")):
        found[contribution.programme_id].append(contribution)
    return found


def most_funders() -> int:
    """The most funders any published grant names: its authority and the other funders who put
    money into its programme (so the flat file has enough funder columns)."""
    others = (FundingContribution.objects
              .filter(programme_id__in=public_awards().values("programme_id"))
              .exclude(funder_id=F("programme__authority_id"))
              .values("programme_id").annotate(count=Count("pk")).values_list("count", flat=True))
    return 1 + max(others, default=0)


def grants() -> Iterator[dict]:
    for rows in awards_in_batches():
        pooled = contributions_by_programme(award.programme_id for award in rows)
        yield from (grant(award, pooled.get(award.programme_id, ())) for award in rows)


def header() -> dict:
    from django.conf import settings

    return {"version": SCHEMA_VERSION, "title": f"Grants awarded through {settings.PORTAL_NAME}",
            "description": "Every grant accepted by its recipient, in the 360Giving Data "
                           "Standard.", "issued": timezone.now().isoformat(),
            "license": LICENSE, "publisher": {"name": settings.PORTAL_OPERATOR,
                                              "identifier": prefix()}}


def stream_package(request=None) -> Iterator[str]:
    """The package as JSON text chunks: header fields, then the grants array."""
    return stream_chunks(grants())


def stream_chunks(items) -> Iterator[str]:
    head = json.dumps(header())[:-1]
    yield head + ', "grants": ['
    first = True
    for item in items:
        yield ("" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "]}\n"


def unpublished_ids(batch: int = BATCH) -> Iterator[list[int]]:
    """Ids of public awards never published yet, a batch at a time."""
    ids = list(public_awards().filter(published_at__isnull=True).order_by("pk")
               .values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        yield ids[start:start + batch]
