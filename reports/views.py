"""Read-only reports for platform admins and authority staff, as pages and CSV files."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisations.selectors import current_organisation
from reports import presenters, selectors
from reports.forms import ReportFilterForm


@login_required
@require_GET
def index(request):
    if not selectors.can_view_reports(user=request.user,
                                      organisation=current_organisation(request)):
        raise PermissionDenied
    return render(request, "reports/index.html", {"reports": presenters.REPORTS.values()})


@login_required
@require_GET
def report(request, slug: str):
    definition = presenters.report_or_404(slug)
    form = ReportFilterForm(request.GET, authorities=selectors.authority_choices(user=request.user))
    valid = form.is_valid()
    scope = selectors.report_scope_for(user=request.user, organisation=current_organisation(
        request), filters=form.cleaned_data if valid else {})
    wants_csv = request.GET.get("format") == "csv"
    table = definition.build(scope=scope, page=request.GET.get("page"),
                             everything=wants_csv) if valid else None
    if table is not None and wants_csv:
        return _csv(table, slug)
    return render(request, "reports/report.html", {
        "report": definition, "form": form, "table": table,
        "breadcrumbs": [{"text": "Reports", "href": reverse("reports:index")},
                        {"text": definition.title}],
        "rows": presenters.html_rows(table) if table else [],
        "head": [{"text": c.label, "numeric": c.numeric} for c in table.columns] if table else [],
    })


def _csv(table, slug: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-{timezone.localdate().isoformat()}.csv"')
    response.write("\ufeff")  # a byte order mark, so spreadsheet programs read UTF-8
    csv.writer(response).writerows(presenters.csv_rows(table))
    return response
