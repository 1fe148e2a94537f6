"""The public tender list's summary of what is applied: one line per filter with a link that
removes it, and the query that the feed and email-alert links carry."""

from __future__ import annotations

import datetime

from django.http import QueryDict

from core.templatetags.govuk import govuk_date

NOT_FILTERS = ("page", "sort")


def carried_query(query: QueryDict) -> str:
    """The filters as a query string, without the page (for the feed and alerts links)."""
    kept = query.copy()
    for name in ("page",):
        kept.pop(name, None)
    return kept.urlencode()


def _text(field, value) -> str:
    if isinstance(value, datetime.date):
        return govuk_date(value)
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, (list, tuple)):
        return ", ".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


def applied_filters(tender_filter) -> list[dict]:
    """What the list is filtered by, from the valid form (nothing when it is not valid)."""
    form = tender_filter.form
    if not tender_filter.is_bound or not form.is_valid():
        return []
    query = tender_filter.data
    rows = []
    for name, value in form.cleaned_data.items():
        if name in NOT_FILTERS or value in (None, "", [], ()):
            continue
        field = form.fields[name]
        without = query.copy()
        for key in list(without):
            if key == name or key.startswith(f"{name}_"):
                without.pop(key)
        without.pop("page", None)
        rows.append({"label": field.label, "value": _text(field, value),
                     "remove_href": f"?{without.urlencode()}"})
    return rows
