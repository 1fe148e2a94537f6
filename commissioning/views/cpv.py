"""The CPV picker: search the CPV 2008 codes by number or words, as a plain form or live."""

from django.views.decorators.http import require_GET

from commissioning.selectors.cpv import cpv_search
from core.htmx import render_page_or_fragment


@require_GET
def cpv_picker(request):
    query = request.GET.get("q", "")[:100]
    return render_page_or_fragment(request, "commissioning/public/cpv_picker.html",
                                   {"query": query, "codes": list(cpv_search(query))},
                                   fragment="results")
