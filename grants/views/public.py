"""Public pages: Find a grant, a round, the eligibility pre-check, transparency, open data."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grants import eligibility
from grants.filters import AwardFilter, RoundFilter
from grants.forms.applying import PrecheckForm
from grants.presenters import RoundPresenter, round_rows
from grants.selectors import awards as award_selectors
from grants.selectors import rounds as selectors
from grants.threesixty.package import stream_package
from grants.views.common import paginate


@require_GET
def round_list(request):
    round_filter = RoundFilter(request.GET or None, queryset=selectors.public_rounds())
    page = paginate(request, round_filter.qs)
    return render(request, "grants/public/round_list.html", {
        "filter": round_filter, "page_obj": page, "rows": round_rows(page)})


@require_GET
def round_detail(request, pk: int):
    round_ = selectors.round_get_public(user=request.user, pk=pk)
    return render(request, "grants/public/round_detail.html", {
        "round": round_, "presenter": RoundPresenter(round_, request.user),
        "criteria": selectors.criteria_of(round_=round_)})


@require_GET
def round_check(request, pk: int):
    """Check if you can apply: no login, nothing stored, the same rules as at submit."""
    round_ = selectors.round_get_public(user=request.user, pk=pk)
    form = PrecheckForm(request.GET if "check" in request.GET else None, round_=round_)
    results = eligibility.evaluate(round_, form.facts()) if form.is_valid() else None
    return render(request, "grants/public/round_check.html", {
        "round": round_, "form": form, "results": results,
        "failures": eligibility.failures(results) if results else []})


@require_GET
def awarded_list(request):
    award_filter = AwardFilter(request.GET or None, queryset=award_selectors.public_awards())
    page = paginate(request, award_filter.qs)
    return render(request, "grants/public/awarded_list.html", {
        "filter": award_filter, "page_obj": page,
        "totals": award_selectors.transparency_totals(),
        "programmes": award_selectors.public_programmes()})


@require_GET
def programme_public(request, pk: int):
    programme = award_selectors.programme_get_public(pk=pk)
    return render(request, "grants/public/programme.html", {
        "programme": programme, "totals": award_selectors.programme_totals(programme=programme),
        "awards": award_selectors.public_awards().filter(programme=programme)[:50]})


@require_GET
def open_data(request):
    """Every published grant as a 360Giving package, streamed."""
    response = StreamingHttpResponse(stream_package(request=request),
                                     content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    return response
