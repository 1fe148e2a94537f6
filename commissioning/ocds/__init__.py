"""OCDS 1.1.5 publication: releases per lifecycle event, records and packages.

- ``release_store(tender=, tags=)`` serialises the tender as it is now into a release and
  stores it (``Release`` rows are never rewritten). ``release_publish`` in
  ``commissioning.services.publication`` is the door other services use.
- ``record_for(ocid)`` compiles every public release of one contracting process.
- ``packages`` wraps releases and records into packages; ``merge`` compiles releases;
  ``standards`` locates the official schema for validation (tests, never at run time).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.models import Release, Tender
from commissioning.ocds import packages
from commissioning.ocds.release import build_release, is_public, load_tender

__all__ = ["ocid_for", "record_for", "release_store"]

PLANNING_TAGS = frozenset({"planning", "planningUpdate"})
# The closed releaseTag codelist of OCDS 1.1.5 less "compiled" (tests compare it with the CSV).
RELEASE_TAGS = frozenset({
    "planning", "planningUpdate", "tender", "tenderAmendment", "tenderUpdate",
    "tenderCancellation", "award", "awardUpdate", "awardCancellation", "contract",
    "contractUpdate", "contractAmendment", "implementation", "implementationUpdate",
    "contractTermination",
})
_ATTEMPTS = 3


def ocid_for(tender: Tender) -> str:
    """The tender's OCID: the one it was given, or our prefix and its primary key."""
    return tender.ocid or f"{settings.OCDS_OCID_PREFIX}-{tender.pk}"


def is_publishable(tender: Tender, tags: list[str]) -> bool:
    """Published tenders are public; a draft only as a planned procurement of a public project."""
    if tender.status != Tender.Status.DRAFT:
        return is_public(tender)
    project = tender.project
    return bool(set(tags) <= PLANNING_TAGS and project is not None and project.is_public)


def release_store(*, tender: Tender, tags: list[str], now: datetime.datetime | None = None,
                  amend: Callable[[dict], None] | None = None) -> Release | None:
    """Store the OCDS release of ``tender`` as it is now, tagged ``tags``.

    Returns None (and stores nothing) when the tender is not public. The release id is
    ``<ocid>-<first tag>-<n>``, n counting the OCID's releases; the tender keeps its OCID from
    its first release on, so a later change of prefix never splits a process. ``amend``, when
    given, adds to the payload before it is stored (a notice's document, see services.notices).
    """
    _check_tags(tags)
    now = now or timezone.now()
    loaded = load_tender(tender.pk)
    if not is_publishable(loaded, tags):
        return None
    ocid = ocid_for(loaded)
    if not loaded.ocid:
        Tender.objects.filter(pk=loaded.pk, ocid="").update(ocid=ocid)
        tender.ocid = loaded.ocid = ocid
    for attempt in range(_ATTEMPTS):
        number = Release.objects.filter(ocid=ocid).count() + 1
        release_id = f"{ocid}-{tags[0]}-{number}"
        payload = build_release(tender=loaded, ocid=ocid, release_id=release_id, tags=tags,
                                now=now)
        if amend is not None:
            amend(payload)
        try:
            with transaction.atomic():
                return Release.objects.create(tender=loaded, ocid=ocid, release_id=release_id,
                                              date=now, tags=list(tags), payload=payload)
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
    return None  # pragma: no cover  (the loop returns or raises)


def record_for(ocid: str) -> dict | None:
    """The record (linked releases and compiled release) of one OCID's public releases."""
    from commissioning.selectors.ocds import releases_of

    releases = list(releases_of(ocid=ocid))
    if not releases:
        return None
    return packages.record(ocid=ocid, releases=releases)


def _check_tags(tags: list[str]) -> None:
    unknown = set(tags) - RELEASE_TAGS
    if not tags or unknown:
        raise ValueError(f"Give one or more release tags from the releaseTag codelist, not "
                         f"{sorted(unknown) or 'none'}.")
