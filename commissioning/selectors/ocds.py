"""Reads of published OCDS releases, for the public API and the export command.

Only releases of public tenders are ever returned: a published tender, or a draft's planning
release when its project is public (``release_store`` stores nothing else; this filter is the
second lock). Pages use keyset cursors, so each page costs one or two queries however deep.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from commissioning.models import Release, Tender

MAX_PAGE_SIZE = 100


class BadCursor(ValueError):
    """The cursor was not issued by us (or was altered)."""


@dataclass(frozen=True)
class Window:
    """Which releases a page may hold: dated in [since, until), after the cursor."""

    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    cursor: str | None = None
    limit: int = MAX_PAGE_SIZE


def public_releases() -> QuerySet[Release]:
    return Release.objects.filter(
        Q(tender__published_at__isnull=False) | Q(tender__project__is_public=True)
        | Q(tender__procedure=Tender.Procedure.DIRECT)  # a direct award's contract (ADR 0029)
    )


def publication_summary() -> dict:
    """How much is published: releases, contracting processes (OCIDs) and the latest date."""
    return public_releases().aggregate(
        releases=Count("pk"), processes=Count("ocid", distinct=True), latest=Max("date"))


def _dated(queryset: QuerySet[Release], window: Window) -> QuerySet[Release]:
    if window.since:
        queryset = queryset.filter(date__gte=window.since)
    if window.until:
        queryset = queryset.filter(date__lt=window.until)
    return queryset


def encode_cursor(*parts) -> str:
    raw = json.dumps(parts, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("The cursor is not valid: start again from the first page.") from exc
    if not isinstance(parts, list):
        raise BadCursor("The cursor is not valid: start again from the first page.")
    return parts


def release_page(*, window: Window) -> tuple[list[Release], str | None]:
    """One page of public releases, oldest first, and the cursor of the next page (or None)."""
    queryset = _dated(public_releases(), window).order_by("date", "pk")
    if window.cursor:
        try:
            date_text, pk = decode_cursor(window.cursor)
            after = datetime.datetime.fromisoformat(date_text)
        except (TypeError, ValueError) as exc:
            raise BadCursor("The cursor is not valid: start again from the first page.") from exc
        queryset = queryset.filter(Q(date__gt=after) | Q(date=after, pk__gt=pk))
    rows = list(queryset.only("pk", "date", "release_id", "payload")[: window.limit + 1])
    if len(rows) <= window.limit:
        return rows, None
    last = rows[window.limit - 1]
    return rows[: window.limit], encode_cursor(last.date.isoformat(), last.pk)


def record_page(*, window: Window) -> tuple[dict[str, list[Release]], str | None]:
    """One page of OCIDs with a public release in the window, each with all its releases."""
    ocids = _dated(public_releases(), window).order_by("ocid").values_list("ocid", flat=True)
    if window.cursor:
        parts = decode_cursor(window.cursor)
        if len(parts) != 1 or not isinstance(parts[0], str):
            raise BadCursor("The cursor is not valid: start again from the first page.")
        ocids = ocids.filter(ocid__gt=parts[0])
    page = list(ocids.distinct()[: window.limit + 1])
    next_cursor = encode_cursor(page[window.limit - 1]) if len(page) > window.limit else None
    page = page[: window.limit]
    grouped: dict[str, list[Release]] = {ocid: [] for ocid in page}
    for row in releases_of_many(ocids=page):
        grouped[row.ocid].append(row)
    return grouped, next_cursor


def releases_of_many(*, ocids: list[str]) -> QuerySet[Release]:
    return (public_releases().filter(ocid__in=ocids).order_by("ocid", "date", "pk")
            .only("pk", "ocid", "date", "release_id", "payload"))


def releases_of(*, ocid: str) -> QuerySet[Release]:
    return releases_of_many(ocids=[ocid])


def release_get_public(*, release_id: str) -> Release:
    release = public_releases().filter(release_id=release_id).first()
    if release is None:
        raise Http404("No published release has that id.")
    return release


def record_releases_get_public(*, ocid: str) -> list[Release]:
    releases = list(releases_of(ocid=ocid))
    if not releases:
        raise Http404("No published contracting process has that OCID.")
    return releases


def all_public_releases(*, by_ocid: bool = False) -> Iterator[Release]:
    """Every public release, for the export, streamed in chunks."""
    order = ("ocid", "date", "pk") if by_ocid else ("date", "pk")
    return public_releases().order_by(*order).iterator(chunk_size=500)
