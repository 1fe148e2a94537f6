"""The measures catalogue: national and local frameworks, and importing a local one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from core.forms.errors import attach_errors
from organisations.selectors import current_organisation
from socialvalue import selectors, services
from socialvalue.catalogue import COLUMNS
from socialvalue.forms import CatalogueImportForm


def _authority(request, perm: str):
    organisation = current_organisation(request)
    if request.user.is_platform_admin and perm == "socialvalue.view_catalogue":
        return organisation if organisation and organisation.is_authority else None
    if organisation is None or not request.user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


@login_required
def catalogue(request):
    authority = _authority(request, "socialvalue.view_catalogue")
    return render(request, "socialvalue/catalogue/list.html", {
        "frameworks": selectors.frameworks_for(authority=authority), "authority": authority,
        "can_import": bool(authority) and request.user.has_perm(
            "socialvalue.import_catalogue", authority)})


@login_required
def framework_detail(request, pk: int):
    framework = selectors.framework_get_for_user(user=request.user, pk=pk)
    return render(request, "socialvalue/catalogue/framework.html", {
        "framework": framework, "measures": selectors.framework_measures(framework=framework)})


@login_required
def catalogue_import(request):
    authority = _authority(request, "socialvalue.import_catalogue")
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"].read().decode("utf-8-sig")
        try:
            report = services.catalogue_import(actor=request.user, authority=authority, text=text)
        except ValidationError as error:
            attach_errors(form, error, default_field="file")
        if report and report.ok:
            messages.success(request, f"Imported {report.framework}.")
            return redirect("socialvalue:framework_detail", pk=report.framework.pk)
    return render(request, "socialvalue/catalogue/import.html",
                  {"form": form, "report": report, "columns": COLUMNS, "authority": authority})
