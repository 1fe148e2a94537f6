"""Grants reports for admins and grant managers, with a CSV export."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grants.selectors.manage import is_staff
from grants.selectors.reports import grants_report

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
