"""Public pages: what a mutual is, the register, its open data and the definitions in force."""

from __future__ import annotations

import csv
import json

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mutuals import presenters, selectors
from mutuals.filters import RegisterFilter
from organisations.selectors import current_organisation

PAGE_SIZE = 20
CSV_COLUMNS = ["name", "orgId", "legalForm", "town", "website", "sector", "region", "origin",
               "summary", "services", "definitions"]


@require_GET
def home(request):
    return render(request, "mutuals/home.html", {
        "definitions": selectors.definitions_in_force(),
        "register_count": selectors.register_organisations().count(),
        "records_evidence": _works_for_a_provider(request),
    })


def _works_for_a_provider(request) -> bool:
    """Whether "your organisation" leads anywhere: it is for providers, not authorities."""
    organisation = current_organisation(request) if request.user.is_authenticated else None
    return organisation is not None and not organisation.is_authority


@require_GET
def register(request):
    register_filter = RegisterFilter(request.GET or None,
                                     queryset=selectors.register_organisations())
    page = Paginator(register_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mutuals/register/list.html", {
        "filter": register_filter, "page_obj": page,
        "rows": [presenters.register_row(o) for o in page]})


@require_GET
def register_entry(request, pk: int):
    organisation = selectors.register_entry(pk=pk)
    return render(request, "mutuals/register/entry.html", {
        "row": presenters.register_row(organisation),
        "history": selectors.public_history(organisation=organisation),
        "social_value": selectors.social_value_profile(organisation_id=organisation.pk)})


@require_GET
def register_json(request):
    rows = [presenters.open_data_row(o) for o in selectors.register_organisations()]
    response = HttpResponse(json.dumps({"publisher": "Collaborative Commissioning Portal",
                                        "mutuals": rows}, indent=2),
                            content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


class _Echo:
    def write(self, value):
        return value


@require_GET
def register_csv(request):
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(CSV_COLUMNS)
        for organisation in selectors.register_organisations().iterator(chunk_size=500):
            row = presenters.open_data_row(organisation)
            row["services"] = "; ".join(f"{s['cpv']} {s['description']}" for s in row["services"])
            row["definitions"] = "; ".join(f"{r['definition']} v{r['definitionVersion']} until "
                                           f"{r['validUntil']}" for r in row["recognitions"])
            yield writer.writerow([row[c] for c in CSV_COLUMNS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="public-service-mutuals.csv"'
    return response


@require_GET
def definitions(request):
    return render(request, "mutuals/definitions/list.html", {"definitions": [
        (d, presenters.threshold_rows(d)) for d in selectors.definitions_all()]})
