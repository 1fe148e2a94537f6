"""The supplier's core information: kept once, confirmed per submission, seen as submitted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from commissioning.forms.stages import SupplierInformationForm
from commissioning.selectors import evaluation as evaluation_selectors
from commissioning.selectors import stages as selectors
from commissioning.selectors.bids import bid_get_for_user
from commissioning.services import supplier_information as services
from core.forms.errors import attach_errors
from organisations.models import PROVIDER_ROLES, Organisation
from organisations.selectors import current_organisation, roles_of

EDIT = "commissioning.change_bid"


def supplier_of(request) -> Organisation | None:
    """The supplier organisation the person acts for now, if they may keep its information."""
    organisation = current_organisation(request)
    if (organisation is None or organisation.kind != Organisation.Kind.PROVIDER
            or not roles_of(user=request.user, organisation=organisation) & PROVIDER_ROLES):
        return None
    return organisation


def _supplier(request) -> Organisation:
    organisation = supplier_of(request)
    if organisation is None:
        raise PermissionDenied
    return organisation


@login_required
def supplier_information(request):
    organisation = _supplier(request)
    current = selectors.supplier_information_current(organisation=organisation)
    initial = SupplierInformationForm.initial_from(current.content) if current else {}
    form = SupplierInformationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.supplier_information_save(
                actor=request.user, organisation=organisation, data=data,
                standing_document=data.pop("standing_document", None))
        except ValidationError as error:
            attach_errors(form, error, default_field="legal_name")
        else:
            messages.success(request, "Your core supplier information is saved as a new version.")
            return redirect("commissioning:supplier_information")
    return render(request, "commissioning/stages/supplier_information.html", {
        "organisation": organisation, "current": current, "form": form,
        "history": selectors.supplier_information_history(organisation=organisation)[:10]})


@login_required
def bid_supplier_information(request, pk: int):
    bid = bid_get_for_user(user=request.user, pk=pk, perm=EDIT)
    if request.method == "POST":
        try:
            services.supplier_information_confirm(actor=request.user, bid=bid)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Confirmed: this version is attached when you submit.")
            return redirect("commissioning:bid_detail", pk=bid.pk)
    return render(request, "commissioning/stages/bid_supplier_information.html", {
        "bid": bid, "tender": bid.tender,
        "current": selectors.supplier_information_current(organisation=bid.organisation),
        "attached": selectors.submission_information(bid=bid)})


@login_required
def submitted_supplier_information(request, pk: int):
    bid = evaluation_selectors.bid_get_for_user(user=request.user, pk=pk,
                                                perm="commissioning.view_bid_content")
    return render(request, "commissioning/stages/submitted_supplier_information.html", {
        "bid": bid, "tender": bid.tender,
        "attached": selectors.submission_information_for_user(user=request.user, bid=bid)})
