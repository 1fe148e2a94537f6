"""Grants reports for admins and grant managers, with a CSV export."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import spreadsheets
from grants import ggis
from grants.filters import GgisAwardFilter
from grants.selectors.manage import is_staff
from grants.selectors.reports import ggis_awards, grants_report
from grants.views.common import paginate

SECTIONS = (("by_programme", "Programme"), ("by_instrument", "Funding instrument"),
            ("by_region", "Region (postcode area)"), ("by_recipient", "Recipient type"))


def _allowed(user) -> None:
    if not (user.is_platform_admin or is_staff(user=user)):
        raise PermissionDenied


@login_required
@require_GET
def grants_reports(request):
    _allowed(request.user)
    report = grants_report(user=request.user)
    if request.GET.get("format") == "csv":
        return _csv(report)
    return render(request, "grants/manage/reports.html", {
        "report": report, "sections": [(key, title, report[key]) for key, title in SECTIONS]})


def _csv(report) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="grants-report.csv"'
    writer = csv.writer(response)
    writer.writerow(["Dimension", "Value", "Grants", "Awarded (GBP)", "Paid (GBP)"])
    for key, title in SECTIONS:
        for row in report[key]:
            writer.writerow([title, row["label"], row["count"] or 0, row["awarded"] or 0,
                             row["paid"] or 0])
    return response


@login_required
@require_GET
def ggis_export(request):
    """The awards for a GGIS upload, filtered by award date; on screen, as CSV or as XLSX."""
    _allowed(request.user)
    award_filter = GgisAwardFilter(request.GET or None, queryset=ggis_awards(user=request.user))
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx"):
        if award_filter.is_bound and not award_filter.is_valid():
            return HttpResponseBadRequest("Check the dates: " + "; ".join(
                message for messages in award_filter.errors.values() for message in messages))
        return _ggis_file(award_filter.qs, wanted)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(request, "grants/manage/ggis.html", {
        "filter": award_filter, "page_obj": paginate(request, award_filter.qs),
        "columns": ggis.COLUMNS, "query": query.urlencode()})


def _ggis_file(awards, wanted: str):
    if wanted == "csv":
        response = StreamingHttpResponse(ggis.csv_chunks(awards.iterator(chunk_size=2000)),
                                         content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(spreadsheets.xlsx_bytes(ggis.spreadsheet_rows(awards),
                                                        sheet_name="GGIS awards"),
                                content_type=spreadsheets.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ggis-awards.{wanted}"'
    return response
