"""Release packages, records and record packages around stored releases.

Packages declare no extension URLs: the UK-extension-style fields we publish (``details.vcse``,
``aboveThreshold``, ``standstillPeriod``...) are additional fields, which OCDS 1.1 allows, and a
validator that cannot fetch extensions would otherwise report them as failures.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from commissioning.ocds.merge import compile_releases
from commissioning.ocds.release import timestamp
from commissioning.ocds.standards import LICENSE_URL, OCDS_VERSION


def absolute(path: str, *, request=None) -> str:
    """The full URL of ``path`` on this portal.

    ``PORTAL_BASE_URL`` in production, so package URIs stay canonical whatever host a request
    names. In development (``DEBUG``) a request's own host and port, so the links of a portal
    started with ``PORT=8010 make run`` lead back to it.
    """
    if request is not None and settings.DEBUG:
        return request.build_absolute_uri(path)
    return f"{settings.PORTAL_BASE_URL}{path}"


def release_url(release_id: str, *, request=None) -> str:
    """Where one release is served (a package holding just that release)."""
    return absolute(reverse("commissioning:ocds_release", args=[release_id]), request=request)


def _envelope(*, uri: str, latest) -> dict:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        # On-demand packages carry the date of the latest change to what they contain.
        "publishedDate": timestamp(latest or timezone.now()),
        "publisher": {"name": settings.OCDS_PUBLISHER_NAME},
        "license": LICENSE_URL,
    }


def release_package(*, releases: Iterable, uri: str, next_url: str | None = None) -> dict:
    """A release package of stored ``Release`` rows (in the order given)."""
    rows = list(releases)
    package = _envelope(uri=uri, latest=max((row.date for row in rows), default=None))
    package["releases"] = [row.payload for row in rows]
    if next_url:
        package["links"] = {"next": next_url}  # as the pagination extension does
    return package


def record(*, ocid: str, releases: list, request=None) -> dict:
    """The record of one OCID: its releases, linked, and the compiled release."""
    rows = sorted(releases, key=lambda row: (row.date, row.pk))
    return {
        "ocid": ocid,
        "releases": [
            {"url": f"{release_url(row.release_id, request=request)}#{row.release_id}",
             "date": row.payload["date"], "tag": row.payload["tag"]}
            for row in rows
        ],
        "compiledRelease": compile_releases([row.payload for row in rows]),
    }


def record_package(*, records: list[dict], latest, uri: str,
                   next_url: str | None = None) -> dict:
    package = _envelope(uri=uri, latest=latest)
    package["records"] = records
    if next_url:
        package["links"] = {"next": next_url}
    return package
