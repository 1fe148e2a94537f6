"""Saved tender searches: save the list's filters for a daily email, list and delete them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commissioning.forms.dates import GovukForm
from commissioning.presenters.tender_list import applied_filters, carried_query
from commissioning.selectors import searches as selectors
from commissioning.services import searches as services
from core.forms.errors import attach_errors


class SavedSearchForm(GovukForm):
    name = forms.CharField(label="Name this search", max_length=120,
                           help_text="For example, Home care in the North East.",
                           error_messages={"required": "Enter a name for this search"})


@login_required
def tender_alert_create(request):
    if not request.user.has_perm("commissioning.save_tender_search"):
        # The tender list (the same page for everyone) offers alerts to all: say who they are for.
        return render(request, "commissioning/public/alerts_for_suppliers.html",
                      {"query": carried_query(request.GET)})
    tender_filter = services.search_filter(services.search_query(request.GET),
                                           selectors.no_tenders())
    form = SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_create(actor=request.user, name=form.cleaned_data["name"],
                                         query=request.GET)
        except ValidationError as error:
            attach_errors(form, error, default_field="name")
        else:
            messages.success(request, "Search saved. We will email you once a day when new "
                             "tenders match it.")
            return redirect("commissioning:tender_alerts")
    valid = not tender_filter.is_bound or tender_filter.form.is_valid()
    return render(request, "commissioning/public/alert_create.html", {
        "form": form, "applied": applied_filters(tender_filter), "valid": valid,
    }, status=200 if valid else 400)


@login_required
def tender_alerts(request):
    return render(request, "commissioning/public/alerts.html",
                  {"searches": selectors.saved_searches_of(user=request.user)})


@login_required
@require_POST
def tender_alert_delete(request, pk: int):
    search = selectors.saved_search_get_for_user(user=request.user, pk=pk)
    services.saved_search_delete(actor=request.user, search=search)
    messages.success(request, f"The search {search.name} was deleted. No more emails for it.")
    return redirect("commissioning:tender_alerts")
