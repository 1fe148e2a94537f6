"""An organisation's mutual evidence, its recognition requests and declared contracts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.documents import document_response
from core.forms.errors import attach_errors
from mutuals import presenters, selectors, services
from mutuals.forms import (
    DeclaredContractForm,
    MutualProfileForm,
    RecognitionRequestForm,
    SocialValueEntryForm,
)
from organisations.selectors import current_organisation


@login_required
def mine(request):
    organisation = current_organisation(request)
    if organisation is None or organisation.is_authority:
        raise PermissionDenied
    return redirect("mutuals:organisation", pk=organisation.pk)


@login_required
def organisation(request, pk: int):
    org = selectors.organisation_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.view_evidence")
    profile = selectors.profile_of(organisation=org)
    today = selectors.today()
    recognitions = [(r, presenters.recognition_tag(r, today))
                    for r in selectors.recognitions_of(organisation=org)]
    return render(request, "mutuals/organisation/detail.html", {
        "organisation": org, "profile": profile, "recognitions": recognitions,
        "evidence_rows": presenters.evidence_rows(profile) if profile else [],
        "contracts": selectors.declared_contracts_of(organisation=org),
        "social_value": selectors.social_value_profile(organisation_id=org.pk),
        "can_edit": request.user.has_perm("mutuals.change_evidence", org),
        "can_request": request.user.has_perm("mutuals.request_recognition", org)})


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request, pk: int):
    org = selectors.organisation_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.change_evidence")
    profile = selectors.profile_of(organisation=org)
    form = MutualProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(actor=request.user, organisation=org, data=form.cleaned_data,
                                  services=form.cleaned_data["services_text"],
                                  governing_rules=form.cleaned_data.get("governing_rules_file"))
        except ValidationError as error:
            attach_errors(form, error, default_field="sector")
        else:
            messages.success(request, "Your mutual evidence is saved.")
            return redirect("mutuals:organisation", pk=org.pk)
    return render(request, "mutuals/organisation/evidence_form.html",
                  {"organisation": org, "form": form})


@login_required
def evidence_rules_file(request, pk: int):
    org = selectors.organisation_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.view_evidence")
    profile = selectors.profile_of(organisation=org)
    if profile is None or profile.governing_rules is None:
        raise PermissionDenied
    return document_response(profile.governing_rules)


@login_required
@require_http_methods(["GET", "POST"])
def recognition_request(request, pk: int):
    org = selectors.organisation_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.request_recognition")
    form = RecognitionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recognition = services.recognition_request(
                actor=request.user, organisation=org,
                definition_key=form.cleaned_data["definition_key"],
                statement=form.cleaned_data["statement"])
        except ValidationError as error:
            attach_errors(form, error, default_field="definition_key")
        else:
            messages.success(request, "Your request is with the programme officers. You will "
                                      "be told of their decision.")
            return redirect("mutuals:recognition_detail", pk=recognition.pk)
    return render(request, "mutuals/organisation/request_form.html",
                  {"organisation": org, "form": form,
                   "definitions": selectors.definitions_in_force()})


@login_required
@require_http_methods(["GET", "POST"])
def declared_contract_add(request, pk: int):
    org = selectors.organisation_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.change_evidence")
    form = DeclaredContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declared_contract_add(actor=request.user, organisation=org,
                                           data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="title")
        else:
            messages.success(request, "The contract is recorded.")
            return redirect("mutuals:organisation", pk=org.pk)
    return render(request, "mutuals/organisation/contract_form.html",
                  {"organisation": org, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def declared_contract_remove(request, pk: int):
    contract = selectors.declared_contract_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        organisation_pk = contract.organisation_id
        services.declared_contract_remove(actor=request.user, contract=contract)
        messages.success(request, "The contract is removed from your declarations.")
        return redirect("mutuals:organisation", pk=organisation_pk)
    return render(request, "mutuals/organisation/contract_remove.html", {"contract": contract})


@login_required
@require_http_methods(["GET", "POST"])
def social_value_add(request, pk: int):
    org = selectors.organisation_get_for_user(user=request.user, pk=pk,
                                              perm="mutuals.change_evidence")
    form = SocialValueEntryForm(request.POST or None, measures=selectors.catalogue_measures())
    if request.method == "POST" and form.is_valid():
        try:
            services.social_value_entry_save(actor=request.user, organisation=org,
                                             **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="measure")
        else:
            messages.success(request, "Your social value profile is saved.")
            return redirect("mutuals:organisation", pk=org.pk)
    return render(request, "mutuals/organisation/social_value_form.html",
                  {"organisation": org, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def social_value_remove(request, pk: int):
    entry = selectors.social_value_entry_get_for_user(user=request.user, pk=pk)
    organisation_pk = entry.profile.organisation_id
    if request.method == "POST":
        services.social_value_entry_remove(actor=request.user, entry=entry)
        messages.success(request, "The measure is removed from your social value profile.")
        return redirect("mutuals:organisation", pk=organisation_pk)
    return render(request, "mutuals/organisation/social_value_remove.html", {"entry": entry})
