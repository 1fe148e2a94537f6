"""The public OCDS API: release and record packages, paged by date with cursors. No login."""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET

from commissioning.ocds import packages
from commissioning.ocds.standards import LICENSE_URL
from commissioning.selectors import ocds as selectors
from core.calendar import start_of_day


class BadQuery(ValueError):
    pass


def _moment(request: HttpRequest, name: str) -> datetime.datetime | None:
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        day = parse_date(text)
        moment = start_of_day(day) if day else parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise BadQuery(f"{name} must be a date (2026-04-01) or a date and time with a time "
                       "zone (2026-04-01T09:00:00Z).")
    return moment


def _window(request: HttpRequest) -> selectors.Window:
    if "page" in request.GET:
        raise BadQuery("This API is paged with cursors, not page numbers: leave out page= and "
                       "follow links.next in each package to get the next one.")
    limit_text = request.GET.get("limit", str(selectors.MAX_PAGE_SIZE))
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= selectors.MAX_PAGE_SIZE:
        raise BadQuery(f"limit must be a whole number from 1 to {selectors.MAX_PAGE_SIZE}.")
    return selectors.Window(since=_moment(request, "since"), until=_moment(request, "until"),
                            cursor=request.GET.get("cursor") or None, limit=int(limit_text))


def _next_url(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return packages.absolute(f"{request.path}?{query.urlencode()}", request=request)


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response["Cache-Control"] = "public, max-age=60"
    return response


def _bad_request(error: ValueError) -> JsonResponse:
    return _json({"error": str(error)}, status=400)


@require_GET
def ocds_index(request):
    """The landing page of the open data: what is published, where, and under which licence."""
    return render(request, "commissioning/ocds/index.html", {
        "summary": selectors.publication_summary(), "max_page_size": selectors.MAX_PAGE_SIZE,
        "licence_url": LICENSE_URL, "publisher": settings.OCDS_PUBLISHER_NAME,
        "ocid_prefix": settings.OCDS_OCID_PREFIX,
        "bulk_url": getattr(settings, "OCDS_BULK_URL", ""),
    })


@require_GET
def release_list(request):
    try:
        rows, cursor = selectors.release_page(window=_window(request))
    except (BadQuery, selectors.BadCursor) as error:
        return _bad_request(error)
    uri = packages.absolute(request.get_full_path(), request=request)
    return _json(packages.release_package(releases=rows, uri=uri,
                                          next_url=_next_url(request, cursor)))


def _json_not_found(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as error:
            return _json({"error": str(error)}, status=404)

    return wrapped


@require_GET
@_json_not_found
def release_detail(request, release_id: str):
    release = selectors.release_get_public(release_id=release_id)
    return _json(packages.release_package(releases=[release],
                                          uri=packages.release_url(release_id,
                                                                   request=request)))


@require_GET
def record_list(request):
    try:
        grouped, cursor = selectors.record_page(window=_window(request))
    except (BadQuery, selectors.BadCursor) as error:
        return _bad_request(error)
    records = [packages.record(ocid=ocid, releases=rows, request=request)
               for ocid, rows in grouped.items()]
    latest = max((row.date for rows in grouped.values() for row in rows), default=None)
    return _json(packages.record_package(
        records=records, latest=latest,
        uri=packages.absolute(request.get_full_path(), request=request),
        next_url=_next_url(request, cursor)))


@require_GET
@_json_not_found
def record_detail(request, ocid: str):
    releases = selectors.record_releases_get_public(ocid=ocid)
    return _json(packages.record_package(
        records=[packages.record(ocid=ocid, releases=releases, request=request)],
        latest=max(row.date for row in releases),
        uri=packages.absolute(request.path, request=request)))
