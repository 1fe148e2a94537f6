"""Social value reports: committed and delivered over time, ratings, and the statement."""

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from socialvalue import reporting
from socialvalue.forms import ReportFilterForm


def _authorities(request):
    """Platform admins see every authority; authority staff their own; others are refused."""
    authorities = reporting.report_authorities(user=request.user)
    if not request.user.is_platform_admin and not authorities.exists():
        raise PermissionDenied
    return authorities


def _filtered(request):
    authorities = _authorities(request)
    form = ReportFilterForm(request.GET or None, authorities=authorities,
                            years=reporting.report_years(authorities=authorities))
    chosen = form.value("authority")
    rows = reporting.delivery_rows(authorities=[chosen] if chosen else authorities,
                                   year=form.value("year"))
    return form, form.value("dimension", "theme"), rows


@login_required
def reports(request):
    form, dimension, rows = _filtered(request)
    totals, quarters = reporting.totals_by(rows, dimension), reporting.totals_by(rows, "quarter")
    return render(request, "socialvalue/reports/index.html", {
        "form": form, "dimension": dimension, "dimension_label": reporting.DIMENSIONS[dimension],
        "totals": totals, "chart": reporting.chart(totals), "quarters": quarters,
        "quarter_chart": reporting.chart(quarters), "chart_caption": reporting.CHART_CAPTION,
        "series": reporting.by_dimension_and_quarter(rows, dimension),
        "query": request.GET.urlencode()})


@login_required
def reports_csv(request):
    _form, dimension, rows = _filtered(request)
    response = HttpResponse(reporting.report_csv(rows, dimension), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="social-value-by-{dimension}.csv"'
    return response


@login_required
def performance(request):
    authorities = _authorities(request)
    ratings = reporting.performance_ratings(authorities=authorities)
    # A contract's ledger is linked only for those who may open it (reviewers, not assessors).
    openable = {row["ledger"].pk for row in ratings["contracts"]
                if rules.has_perm("socialvalue.view_ledger", request.user, row["ledger"])}
    return render(request, "socialvalue/reports/performance.html",
                  {"ratings": ratings, "openable": openable})


@login_required
def statement(request):
    authorities = _authorities(request)
    chosen = request.GET.get("authority")
    authority = authorities.filter(pk=chosen).first() if chosen and chosen.isdigit() \
        else authorities.first()
    if authority is None:
        raise Http404("No authority to report on.")
    return render(request, "socialvalue/reports/statement.html", {
        "statement": reporting.authority_statement(authority=authority),
        "authorities": authorities})
